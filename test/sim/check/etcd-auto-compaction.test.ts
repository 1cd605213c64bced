// An etcd run with --auto-compaction-retention answers "compacted" without any compaction
// request in the history. With autoCompaction the model takes such an answer as a compaction
// the server made on its own, at least past the revision asked for; without it, as before, the
// answer is a violation. What a compaction rules out stays ruled out.
import { describe, expect, it } from 'vitest';
import { checkHistory } from '../../../sim/check/check-history.ts';
import { b64, hdr, history, kv, type Line } from './history-builder.ts';

const COMPACTED = 'etcdserver: mvcc: required revision has been compacted';
const put = (p: number, key: string, value: string, rev: number): Line[] => [
  [p, 'invoke', 'kv/put', { key: b64(key), value: b64(value) }],
  [p, 'ok', 'kv/put', hdr(rev)],
];
const readAt = (p: number, rev: number, now: number, value: string | undefined, mod: number): Line[] => [
  [p, 'invoke', 'kv/range', { key: b64('k'), revision: String(rev) }],
  value === undefined ? [p, 'fail', 'kv/range', null, COMPACTED] : [p, 'ok', 'kv/range', { ...hdr(now), kvs: [kv('k', value, 2, mod, mod - 1)], count: '1' }],
];
const check = (lines: Line[], autoCompaction: boolean) => checkHistory(history(lines), 'etcd', {}, { autoCompaction }).valid;

describe('etcd model with auto-compaction', () => {
  const base: Line[] = [...put(0, 'k', 'a', 2), ...put(0, 'k', 'b', 3), ...put(0, 'k', 'c', 4)];

  it('a "compacted" answer with no compaction request: a violation unless the server compacts on its own', () => {
    const lines = [...base, ...readAt(1, 2, 4, undefined, 0)];
    expect(check(lines, false)).toBe(false);
    expect(check(lines, true)).toBe(true);
  });

  it('a revision read after a "compacted" answer for a later revision is a violation', () => {
    const lines = [...base, ...readAt(1, 3, 4, undefined, 0), ...readAt(1, 2, 4, 'a', 2)];
    expect(check(lines, true)).toBe(false);
    // Reading a later revision than the one compacted is fine.
    expect(check([...base, ...readAt(1, 2, 4, undefined, 0), ...readAt(1, 3, 4, 'b', 3)], true)).toBe(true);
  });

  it('"compacted" for a revision the store has not reached is still a violation', () => {
    expect(check([...base, ...readAt(1, 9, 4, undefined, 0)], true)).toBe(false);
  });

  it('a read and a "compacted" answer for the same revision, concurrent, are both fine in either order of completion', () => {
    const lines: Line[] = [
      ...base,
      [1, 'invoke', 'kv/range', { key: b64('k'), revision: '2' }],
      [2, 'invoke', 'kv/range', { key: b64('k'), revision: '2' }],
      [2, 'fail', 'kv/range', null, COMPACTED],
      [1, 'ok', 'kv/range', { ...hdr(4), kvs: [kv('k', 'a', 2, 2, 1)], count: '1' }],
    ];
    expect(check(lines, true)).toBe(true);
  });

  it('a client compaction answered "compacted" below an auto-compaction is fine (a violation without it)', () => {
    const lines = [...base, ...readAt(1, 3, 4, undefined, 0), [0, 'invoke', 'kv/compaction', { revision: '2' }] as Line, [0, 'fail', 'kv/compaction', null, COMPACTED] as Line];
    expect(check(lines, true)).toBe(true);
    expect(check(lines, false)).toBe(false);
  });
});
