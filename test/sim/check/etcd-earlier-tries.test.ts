// A request its client sent more than once (`tries`). The etcd3 npm client sends a request again
// after a recoverable error (3 tries by default): on a real etcd 3.4.23 whose member was killed
// (bench/tools/record-client-history.mjs --client etcd3, seed 4, its first 700 lines), a
// delete-range of every key answered "deleted 0" at revision 54 on its second try, its first
// having deleted k2 at 53. The model took the last try's answer as the op's only effect: "not
// linearizable". Each earlier try of a write is now a write of unknown outcome besides the op.
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkHistory } from '../../../sim/check/check-history.ts';
import type { ParsedHistory } from '../../../sim/history/parsed-history.ts';
import { parseHistory } from '../../../sim/history/parse-history.ts';
import { join } from 'node:path';
import { cli } from '../../cli/capture-cli.ts';
import { scratchDir } from '../../scratch-dir.ts';
import { b64, hdr, history, kv, type Line } from './history-builder.ts';

const FIXTURE = 'test/fixtures/check/real-etcd3-client-retries/history.jsonl';
const verdict = (h: ParsedHistory) => checkHistory(h, 'etcd').valid;
/** The history with op `at`'s completion marked as sent `tries` times. */
function withTries(lines: Line[], at: number, tries: number): ParsedHistory {
  const h = history(lines);
  h.ops[at]!.tries = tries;
  return h;
}
const read = (p: number, key: string, rev: number, found?: [value: string, create: number, mod: number, version: number]): Line[] => [
  [p, 'invoke', 'kv/range', { key: b64(key) }],
  [p, 'ok', 'kv/range', { ...hdr(rev), ...(found === undefined ? {} : { kvs: [kv(key, ...found)], count: '1' }) }],
];

describe('etcd model: the earlier tries of a request sent more than once', () => {
  it('pass: the real etcd3-client history (a delete-range sent twice, each try applied)', () => {
    const h = parseHistory(readFileSync(FIXTURE, 'utf8'));
    expect(h.ops.filter((o) => (o.tries ?? 1) > 1).length).toBe(18);
    expect(verdict(h)).toBe(true);
  });

  it('fail: the same history with the delete-range marked as sent once', () => {
    const h = parseHistory(readFileSync(FIXTURE, 'utf8'));
    const retried = h.ops.find((o) => o.f === 'kv/deleterange' && o.tries === 2)!;
    delete retried.tries;
    expect(verdict(h)).toBe(false);
  });

  // A put of a=v sent twice: its first try applied at 2, its second at 3 (a read between shows v@2).
  const twice: Line[] = [[0, 'invoke', 'kv/put', { key: b64('a'), value: b64('v') }], ...read(1, 'a', 2, ['v', 2, 2, 1]), [0, 'ok', 'kv/put', hdr(3)], ...read(1, 'a', 3, ['v', 2, 3, 2])];

  it('pass: a put sent twice whose both tries took effect', () => {
    expect(verdict(withTries(twice, 3, 2))).toBe(true);
  });

  it('fail: the same put sent once (two effects of one request)', () => {
    expect(verdict(history(twice))).toBe(false);
  });

  it('fail: a put sent twice with three effects (each try takes effect at most once)', () => {
    const thrice: Line[] = [twice[0]!, ...read(1, 'a', 2, ['v', 2, 2, 1]), ...read(1, 'a', 3, ['v', 2, 3, 2]), [0, 'ok', 'kv/put', hdr(4)], ...read(1, 'a', 4, ['v', 2, 4, 3])];
    expect(verdict(withTries(thrice, 5, 2))).toBe(false);
    expect(verdict(withTries(thrice, 5, 3))).toBe(true);
  });

  it('fail: an earlier try seen before the op was called (a try is sent after the call)', () => {
    const early: Line[] = [...read(1, 'a', 2, ['v', 2, 2, 1]), [0, 'invoke', 'kv/put', { key: b64('a'), value: b64('v') }], [0, 'ok', 'kv/put', hdr(3)], ...read(1, 'a', 3, ['v', 2, 3, 2])];
    expect(verdict(withTries(early, 3, 2))).toBe(false);
  });

  it('refuses more than 64 tries of one request (exit 3, naming the line and field)', async () => {
    const dir = scratchDir('earlier-tries');
    const file = join(dir, 'h.jsonl');
    writeFileSync(file, `${JSON.stringify({ process: 0, type: 'invoke', f: 'kv/put', value: { key: b64('a'), value: b64('v') } })}\n${JSON.stringify({ process: 0, type: 'ok', f: 'kv/put', value: hdr(2), tries: 65 })}\n`);
    const r = await cli(['check', '--model', 'etcd', file]);
    expect(r.code).toBe(3);
    expect(r.err.join('\n')).toMatch(/h\.jsonl:2.*tries.*more than 64/);
  });
});
