// etcd 3.4 answers a Compact with the store's revision when it answers, not the one the
// compaction was applied at (v3_server.go Compact: Header.Revision = s.kv.Rev() after the apply
// returned): writes applied in between raise it. The model takes that header as a bound (the
// compaction applied at it or before), not as the revision it applied at: a real etcd 3.4 run
// (`detcd run --target etcd --scenario swarm --seed 9`: compact(28) answered with revision 34, a
// range at revision 18 answered "compacted" before the writes up to 34 had all returned) was
// called not linearizable.
import { describe, expect, it } from 'vitest';
import { checkHistory } from '../../../sim/check/check-history.ts';
import { b64, hdr, history, kv, type Line } from './history-builder.ts';

const COMPACTED = 'etcdserver: mvcc: required revision has been compacted';

/** compact(2) called, a range at revision 1 told "compacted", a read at 2, then put b (3), then compact's answer with `answered`. */
const lines = (compactTo: number, answered: number): Line[] => [
  [1, 'invoke', 'kv/put', { key: b64('k'), value: b64('a') }],
  [1, 'ok', 'kv/put', hdr(2)],
  [9, 'invoke', 'kv/compaction', { revision: String(compactTo) }],
  [2, 'invoke', 'kv/range', { key: b64('k'), revision: '1' }],
  [2, 'fail', 'kv/range', { error: COMPACTED }, COMPACTED],
  [3, 'invoke', 'kv/range', { key: b64('k') }],
  [3, 'ok', 'kv/range', { ...hdr(2), kvs: [kv('k', 'a', 2, 2, 1)], count: '1' }],
  [1, 'invoke', 'kv/put', { key: b64('k'), value: b64('b') }],
  [1, 'ok', 'kv/put', hdr(3)],
  [9, 'ok', 'kv/compaction', hdr(answered)],
];

describe("a compaction's answer header is the revision when etcd answered", () => {
  it('passes a compaction applied at revision 2 and answered with 3 (a write applied in between)', () => {
    const r = checkHistory(history(lines(2, 3)), 'etcd');
    expect(r.valid, r.summary).toBe(true);
  });

  it('passes it answered with the revision it applied at', () => {
    expect(checkHistory(history(lines(2, 2)), 'etcd').valid).toBe(true);
  });

  it('fails a compaction answered with a revision below the one it compacted to (it cannot have applied by then)', () => {
    // compact(3) answered at revision 2: the store had not reached 3, so it could not compact to it.
    const r = checkHistory(history(lines(3, 2)), 'etcd');
    expect(r.valid, r.summary).toBe(false);
  });
});
