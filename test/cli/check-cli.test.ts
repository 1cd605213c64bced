// detcd check: usage errors and malformed input exit 3 with one line naming the file and
// line; a budget that runs out exits 2; --json prints one object per file; etcd JSONL works.
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

const dir = scratchDir('detcd-check-');
function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

describe('detcd check command line', () => {
  afterEach(() => vi.restoreAllMocks());

  it('exits 3 naming the file and line of malformed input', async () => {
    const bad = file('bad.jsonl', '{"index":0,"time":0,"process":0,"type":"invoke","f":"read","value":null}\n{not json}\n');
    const r = await run(['check', '--model', 'register', bad]);
    expect(r.code).toBe(3);
    expect(r.err).toHaveLength(1);
    expect(r.err[0]).toContain(`${bad}:2:`);
  });

  it('exits 3 on an op the model does not know', async () => {
    const bad = file('bad.log', 'INFO  jepsen.util - 0\t:invoke\t:frobnicate\tnil\n');
    const r = await run(['check', '--model', 'register', bad]);
    expect(r.code).toBe(3);
    expect(r.err[0]).toMatch(/bad\.log:1: the register model has no op :frobnicate/);
  });

  it('exits 3 on usage errors', async () => {
    expect((await run(['check', 'x'])).code).toBe(3);
    expect((await run(['check', '--model', 'nope', 'x'])).code).toBe(3);
    expect((await run(['check', '--model', 'kv'])).code).toBe(3);
    expect((await run(['check', '--model', 'kv', '/no/such/file'])).code).toBe(3);
  });

  it('checks etcd JSONL histories, valid and invalid, one --json line each', async () => {
    const put = [
      { index: 0, time: 0, process: 0, type: 'invoke', f: 'kv/put', value: { key: btoa('k'), value: btoa('v') } },
      { index: 1, time: 5, process: 0, type: 'ok', f: 'kv/put', value: { header: { revision: '2' } } },
    ];
    const read = (value: string) => [
      { index: 2, time: 6, process: 1, type: 'invoke', f: 'kv/range', value: { key: btoa('k') } },
      { index: 3, time: 9, process: 1, type: 'ok', f: 'kv/range', value: { header: { revision: '2' }, count: '1', kvs: [{ key: btoa('k'), value: btoa(value), create_revision: '2', mod_revision: '2', version: '1' }] } },
    ];
    const lines = (ops: unknown[]) => ops.map((o) => JSON.stringify(o)).join('\n') + '\n';
    const good = file('good.jsonl', lines([...put, ...read('v')]));
    const stale = file('stale.jsonl', lines([...put, ...read('old')]));
    const r = await run(['check', '--model', 'etcd', '--json', good, stale]);
    expect(r.code).toBe(1);
    expect(r.out.map((l) => (JSON.parse(l) as { valid: unknown }).valid)).toEqual([true, false]);
  });

  it('exits 2 when the time budget runs out', async () => {
    // The budget is looked at after each quantum of search (4,096 model steps first), so the
    // history must take longer than 1 ms before the first look, however warm the JIT: 20,000
    // sequential writes to read and linearize first. 14 concurrent writes and a final read of a
    // value none wrote alone were decided (not linearizable, exit 1) inside 1 ms once the checker
    // had run in the process before (s21, 30 checks in one process: 15 exit 1; this history: 30 exit 2).
    const lines: string[] = [];
    for (let k = 0; k < 20_000; k++) lines.push(`INFO  jepsen.util - 0\t:invoke\t:write\t${k % 10}`, `INFO  jepsen.util - 0\t:ok\t:write\t${k % 10}`);
    for (let p = 0; p < 14; p++) lines.push(`INFO  jepsen.util - ${1 + p}\t:invoke\t:write\t${p}`);
    for (let p = 0; p < 14; p++) lines.push(`INFO  jepsen.util - ${1 + p}\t:info\t:write\t:timed-out`);
    for (let p = 0; p < 14; p++) lines.push(`INFO  jepsen.util - ${20 + p}\t:invoke\t:cas\t[${p} ${p + 1}]`);
    for (let p = 0; p < 14; p++) lines.push(`INFO  jepsen.util - ${20 + p}\t:info\t:cas\t:timed-out`);
    lines.push('INFO  jepsen.util - 99\t:invoke\t:read\tnil', 'INFO  jepsen.util - 99\t:ok\t:read\t77');
    const hard = file('hard.log', lines.join('\n'));
    const r = await run(['check', '--model', 'register', '--timeout-ms', '1', hard]);
    expect(r.code).toBe(2);
    expect(r.out[0]).toMatch(/UNKNOWN .* — time budget$/);
  });
});
