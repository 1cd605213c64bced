// A history from an etcd that already held data: the store's revision and keys before the
// history are inferred from what the answers show (or given with --initial-revision), so it
// is not a violation that the first answer says revision 6 rather than 1.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkHistory } from '../../../sim/check/check-history.ts';
import type { Op } from '../../../sim/history/op.ts';
import { parseJsonl } from '../../../sim/history/jsonl.ts';
import { b64, hdr, history, kv, type Line } from './history-builder.ts';

/** The real etcd 3.4.23 fixture without its first five txns: the store already holds 30 keys at revision 6. */
function prefilled(): Op[] {
  const ops = parseJsonl(readFileSync('test/fixtures/check/real-etcd-3.4.23-sort-ties.jsonl', 'utf8')).ops.slice(10);
  return ops.map((op, index) => ({ ...op, index, time: index }));
}
const check = (ops: Op[], initialRevision?: number) => checkHistory({ ops, lines: ops.map((_, i) => i + 1) }, 'etcd', {}, initialRevision === undefined ? {} : { initialRevision });

describe('etcd model: a store that already held data', () => {
  it('accepts a real etcd history that starts at revision 6 with 30 keys written before it', () => {
    const ops = prefilled();
    expect((ops[1]!.value as { header: { revision: string } }).header.revision).toBe('6');
    expect(check(ops).valid).toBe(true);
  });

  it('still rejects it when one pre-existing key is read with another value', () => {
    const ops = structuredClone(prefilled());
    const read = ops.find((op) => op.type === 'ok' && op.f === 'kv/range' && Array.isArray((op.value as { kvs?: unknown[] }).kvs) && (op.value as { kvs: unknown[] }).kvs.length > 3)!;
    const kvs = (read.value as { kvs: { value?: string }[] }).kvs;
    const i = kvs.findIndex((k) => k.value !== undefined);
    kvs[i]!.value = b64('never written');
    expect(check(ops).valid).toBe(false);
  });

  it('rejects two answers that disagree about a key from before the history', () => {
    const lines: Line[] = [
      [0, 'invoke', 'kv/range', { key: b64('k') }],
      [0, 'ok', 'kv/range', { ...hdr(9), kvs: [kv('k', 'old', 3, 5, 2)], count: '1' }],
      [1, 'invoke', 'kv/range', { key: b64('k') }],
      [1, 'ok', 'kv/range', { ...hdr(9), kvs: [kv('k', 'other', 3, 5, 2)], count: '1' }],
    ];
    expect(check(history(lines).ops).valid).toBe(false);
    lines[3] = [1, 'ok', 'kv/range', { ...hdr(9), kvs: [kv('k', 'old', 3, 5, 2)], count: '1' }];
    expect(check(history(lines).ops).valid).toBe(true);
  });

  it('needs --initial-revision where timed-out writes could have made the first revisions', () => {
    // Three timed-out puts, then a read at revision 4 of a key none of them wrote: with an
    // empty store the three puts could explain revisions 2-4, so inference keeps revision 1
    // and key "x" cannot be explained; given the initial revision 4, it is data from before.
    const lines: Line[] = [
      ...[0, 1, 2].flatMap((p): Line[] => [[p, 'invoke', 'kv/put', { key: b64('k'), value: b64(`v${p}`) }], [p, 'info', 'kv/put', null, 'timeout']]),
      [3, 'invoke', 'kv/range', { key: b64('x') }],
      [3, 'ok', 'kv/range', { ...hdr(4), kvs: [kv('x', 'from before', 2, 2, 1)], count: '1' }],
    ];
    expect(check(history(lines).ops).valid).toBe(false);
    expect(check(history(lines).ops, 4).valid).toBe(true);
  });
});
