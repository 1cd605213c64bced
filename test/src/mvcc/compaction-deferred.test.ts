// BUGGIFY mvcc.compaction-deferred: a compaction that leaves its deletes to the next one (etcd
// deletes compacted revisions in background batches) is invisible to reads, hashes and
// snapshots: the store looks like one that compacted at once, and the next compaction deletes
// what waited.
import { describe, expect, it } from 'vitest';
import { MvccStore } from '../../../src/mvcc/store.ts';
import { restoreStore, snapshotStore } from '../../../src/mvcc/snapshot.ts';
import { hashKv } from '../../../src/mvcc/hash.ts';

function history(s: MvccStore): void {
  for (let i = 0; i < 12; i++) {
    const t = s.write();
    if (i % 4 === 3) t.deleteRange(`k${i % 3}`, undefined);
    else t.put(`k${i % 3}`, `v${i}`, 0n);
    t.end();
  }
}

const stored = (s: MvccStore): number => [...s.log.values()].reduce((n, subs) => n + subs.filter((e) => e !== undefined).length, 0);

describe('deferred compaction deletes', () => {
  it('reads, hash and snapshot match a compaction done at once; the next compaction deletes what waited', () => {
    const now = new MvccStore();
    const later = new MvccStore();
    history(now);
    history(later);
    later.deferCompactionDeletes = () => true;
    expect(now.compact(9)).toBeUndefined();
    expect(later.compact(9)).toBeUndefined();
    expect(stored(later)).toBeGreaterThan(stored(now));
    expect(later.pendingDeletes).toBeDefined();
    expect(hashKv(later)).toEqual(hashKv(now));
    expect(snapshotStore(later)).toEqual(snapshotStore(now));
    for (const k of ['k0', 'k1', 'k2']) expect(later.range(k, undefined, { rev: 9 })).toEqual(now.range(k, undefined, { rev: 9 }));
    expect(later.range('k0', undefined, { rev: 8 })).toBe('compacted');
    // A member restored from the deferred store's snapshot holds only what was kept.
    const restored = restoreStore(snapshotStore(later));
    expect(stored(restored)).toBe(stored(now));
    expect(restored.pendingDeletes).toBeUndefined();
    // The next compaction, done at once, deletes what the first left.
    later.deferCompactionDeletes = () => false;
    expect(now.compact(11)).toBeUndefined();
    expect(later.compact(11)).toBeUndefined();
    expect(later.pendingDeletes).toBeUndefined();
    expect(stored(later)).toBe(stored(now));
    expect(later.log).toEqual(now.log);
  });
});
