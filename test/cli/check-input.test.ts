// detcd check on input that is not a history of the format asked for: garbage, binary, a
// format that does not match the content, a file with no op, an empty file; several files
// with one unreadable; Jepsen's independent-key register values.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../sim/cli/main.ts';
import { scratchDir } from '../scratch-dir.ts';

async function run(argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
  const code = await main(argv);
  vi.restoreAllMocks();
  return { code, out, err };
}

const dir = scratchDir('detcd-check-input-');
function file(name: string, content: string | Buffer): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}

const JSONL = '{"index":0,"time":0,"process":0,"type":"invoke","f":"write","value":1}\n{"index":1,"time":1,"process":0,"type":"ok","f":"write","value":1}\n';
const LOG = 'INFO  jepsen.util - 0\t:invoke\t:write\t1\nINFO  jepsen.util - 0\t:ok\t:write\t1\nINFO  jepsen.util - 1\t:invoke\t:read\tnil\nINFO  jepsen.util - 1\t:ok\t:read\t1\n';

describe('detcd check: input that is not a history', () => {
  afterEach(() => vi.restoreAllMocks());

  it('exits 3 naming the file on garbage read as a Jepsen log (it used to say "valid (0 ops)")', async () => {
    const f = file('garbage.log', 'hello\nthis is not a jepsen log\n');
    const r = await run(['check', '--model', 'register', '--format', 'jepsen-log', f]);
    expect(r.code).toBe(3);
    expect(r.err).toEqual([`${f}: no Jepsen op line ("INFO jepsen.util - PROCESS :TYPE :F VALUE") in the file`]);
    expect(r.out).toEqual([]);
  });

  it('exits 3 on a binary file, with or without --format', async () => {
    const f = file('binary.bin', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x00, 0xff, 0xfe, 0x00]));
    for (const extra of [[], ['--format', 'jepsen-log']]) {
      const r = await run(['check', '--model', 'register', ...extra, f]);
      expect(r.code).toBe(3);
      expect(r.err[0]).toMatch(new RegExp(`^${f.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: a binary file`));
    }
  });

  it('exits 3 when --format does not match the content (JSONL given as jepsen-log)', async () => {
    const f = file('history.jsonl', JSONL);
    const r = await run(['check', '--model', 'register', '--format', 'jepsen-log', f]);
    expect(r.code).toBe(3);
    expect(r.err).toEqual([`${f}: the content is jsonl, not jepsen-log (--format jepsen-log)`]);
  });

  it('says "unknown: no operations" (exit 2) for an empty history, never valid', async () => {
    const f = file('empty.jsonl', '\n\n');
    const r = await run(['check', '--model', 'etcd', f]);
    expect(r.code).toBe(2);
    expect(r.out[0]).toMatch(/UNKNOWN \(0 ops.*— no operations$/);
    const j = await run(['check', '--model', 'kv', '--json', file('empty.edn', '')]);
    expect(j.code).toBe(2);
    expect(JSON.parse(j.out[0]!)).toMatchObject({ valid: 'unknown' });
  });

  it('checks every file when one cannot be read: reports it, exits 3 unless another is not linearizable', async () => {
    const good = file('good.log', LOG);
    const missing = join(dir, 'missing.log');
    const r = await run(['check', '--model', 'register', missing, good]);
    expect(r.code).toBe(3);
    expect(r.err).toHaveLength(1);
    expect(r.err[0]).toMatch(new RegExp(`^${missing.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: cannot read`));
    expect(r.out[0]).toMatch(/good\.log: valid \(2 ops/);
    const bad = file('stale.log', LOG.replace(':ok\t:read\t1', ':ok\t:read\t2'));
    const both = await run(['check', '--model', 'register', missing, bad]);
    expect(both.code).toBe(1);
    expect(both.out[0]).toMatch(/stale\.log: INVALID/);
  });
});

describe('detcd check --model register: Jepsen independent keys', () => {
  afterEach(() => vi.restoreAllMocks());
  const indep = (readValue: string): string =>
    [
      'INFO  jepsen.util - 0\t:invoke\t:write\t[5 1]',
      'INFO  jepsen.util - 0\t:ok\t:write\t[5 1]',
      'INFO  jepsen.util - 1\t:invoke\t:write\t[7 2]',
      'INFO  jepsen.util - 1\t:ok\t:write\t[7 2]',
      'INFO  jepsen.util - 2\t:invoke\t:cas\t[5 [1 3]]',
      'INFO  jepsen.util - 2\t:ok\t:cas\t[5 [1 3]]',
      'INFO  jepsen.util - 3\t:invoke\t:read\t[7 nil]',
      `INFO  jepsen.util - 3\t:ok\t:read\t[7 ${readValue}]`,
      'INFO  jepsen.util - 4\t:invoke\t:read\t[5 nil]',
      'INFO  jepsen.util - 4\t:ok\t:read\t[5 3]',
    ].join('\n') + '\n';

  it('accepts [key value] values, one register per key', async () => {
    const r = await run(['check', '--model', 'register', file('indep.log', indep('2'))]);
    expect(r.code).toBe(0);
    expect(r.out[0]).toMatch(/valid \(5 ops, 2 partitions/);
  });

  it('rejects a read of one key that shows another key\'s value', async () => {
    const r = await run(['check', '--model', 'register', file('indep-bad.log', indep('3'))]);
    expect(r.code).toBe(1);
  });
});

describe('detcd check --model etcd: fields of the wrong type in requests and answers', () => {
  afterEach(() => vi.restoreAllMocks());
  const header = (rev: unknown) => ({ cluster_id: '1', member_id: '1', revision: rev, raft_term: '1' });
  const put = (answer: unknown, request: unknown = { key: 'aw==', value: 'dg==' }) => [
    { index: 0, time: 0, process: 0, type: 'invoke', f: 'kv/put', value: request },
    { index: 1, time: 1, process: 0, type: 'ok', f: 'kv/put', value: answer },
    { index: 2, time: 2, process: 0, type: 'invoke', f: 'kv/range', value: { key: 'aw==' } },
    { index: 3, time: 3, process: 0, type: 'ok', f: 'kv/range', value: { header: header('2'), kvs: [{ key: 'aw==', create_revision: '2', mod_revision: '2', version: '1', value: 'dg==' }], count: '1' } },
  ].map((o) => JSON.stringify(o)).join('\n') + '\n';

  it('a well-typed history is checked (the control)', async () => {
    const r = await run(['check', '--model', 'etcd', file('typed-ok.jsonl', put({ header: header('2') }))]);
    expect(r.err).toEqual([]);
    expect(r.code).toBe(0);
  });

  it.each([
    ['an int64 that is no number', put({ header: header('!!') }), "2: kv/put: field 'value.header.revision' must be an int64 (a decimal string or an integer), got \"!!\""],
    ['a fractional int64', put({ header: header(1.5) }), "2: kv/put: field 'value.header.revision' must be an int64"],
    ['a key that is not base64', put({ header: header('2') }, { key: '!!', value: 'dg==' }), "1: kv/put: field 'value.key' must be base64 bytes, got \"!!\""],
    ['a key that is a number', put({ header: header('2') }, { key: 7, value: 'dg==' }), "1: kv/put: field 'value.key' must be base64 bytes, got 7"],
    ['a txn op that is not a message', put({ header: header('2') }, { key: 'aw==', value: 'dg==', compare: [], success: [1e308] }).replace(/"kv\/put"/g, '"kv/txn"'), "1: kv/txn: field 'value.success[0]' must be an object, got 1e+308"],
  ])('%s: exit 3, one line naming the file, line and field', async (_name, text, reason) => {
    const f = file(`typed-${_name.replace(/ /g, '-')}.jsonl`, text);
    const r = await run(['check', '--model', 'etcd', f]);
    expect(r.code).toBe(3);
    expect(r.err).toHaveLength(1);
    expect(r.err[0]).toContain(`${f}:${reason}`);
  });

  it('an index that is not a whole number is refused', async () => {
    const f = file('index-fraction.jsonl', put({ header: header('2') }).replace('"index":1,', '"index":1.5,'));
    const r = await run(['check', '--model', 'etcd', f]);
    expect([r.code, r.err.length]).toEqual([3, 1]);
    expect(r.err[0]).toMatch(/:2: field 'index' must be a whole number ≥ 0/);
  });
});

describe('detcd check --model etcd --watches: watch records with fields of the wrong type', () => {
  afterEach(() => vi.restoreAllMocks());
  const history = [
    { index: 0, time: 0, process: 0, type: 'invoke', f: 'kv/put', value: { key: 'aw==', value: 'dg==' } },
    { index: 1, time: 1, process: 0, type: 'ok', f: 'kv/put', value: { header: { revision: '2' } } },
  ].map((o) => JSON.stringify(o)).join('\n') + '\n';
  const watch = (kv: unknown) => JSON.stringify({ process: 'w', time: 1, response: { header: { revision: '2' }, events: [{ kv }] } }) + '\n';

  it.each([
    ['a key that is not base64', { key: '\u0000', mod_revision: '2' }, "field 'response.events[0].kv.key' must be base64 bytes"],
    ['a revision that is no number', { key: 'aw==', mod_revision: 'x' }, "field 'response.events[0].kv.mod_revision' must be an int64"],
  ])('%s: exit 3, one line naming the watches file, line and field (was an internal error)', async (name, kv, reason) => {
    const h = file(`w-${name.replace(/ /g, '-')}.jsonl`, history);
    const w = file(`w-${name.replace(/ /g, '-')}.watches.jsonl`, watch(kv));
    const r = await run(['check', '--model', 'etcd', '--watches', w, h]);
    expect([r.code, r.err.length]).toEqual([3, 1]);
    expect(r.err[0]).toContain(`watches ${w}:1: ${reason}`);
  });
});
