// The hash at the current revision is extended by the writes since it was last taken
// (CurrentKvHash, Applier.hash): a member asked for its hash every 200 ms (hashkv-agreement) and
// by every HashKV walked its whole change log each time, so a long-lived `detcd serve` spent more
// CPU per put the more puts it had taken. The extended hash must equal the full walk's through
// writes, deletes, compactions (at once and deferred) and restores.
import { describe, expect, it } from 'vitest';
import { Applier } from '../../../src/server/apply/applier.ts';
import { MvccStore } from '../../../src/mvcc/store.ts';
import type { LogEntry } from '../../../src/mvcc/store.ts';
import { restoreStore, snapshotStore } from '../../../src/mvcc/snapshot.ts';
import { CurrentKvHash, hashKv } from '../../../src/mvcc/hash.ts';
import { Prng } from '../../../sim/world/prng.ts';

function put(s: MvccStore, key: string, value: string): void {
  const t = s.write();
  t.put(key, value, 0n);
  t.end();
}

/** Replaces every stored change by one that counts how often its KeyValue is read. */
function countReads(s: MvccStore): { reads: number } {
  const counter = { reads: 0 };
  for (const subs of s.log.values()) {
    for (let i = 0; i < subs.length; i++) {
      const e = subs[i];
      if (e === undefined) continue;
      subs[i] = { tombstone: e.tombstone, get kv() { counter.reads++; return e.kv; } } satisfies LogEntry;
    }
  }
  return counter;
}

describe('the hash at the current revision', () => {
  it('costs the writes since it was last taken, not the whole log', () => {
    const a = new Applier();
    for (let i = 0; i < 2_000; i++) put(a.store, `k${i}`, `v${i}`);
    a.hash();
    const old = countReads(a.store);
    for (let i = 0; i < 2_000; i++) {
      put(a.store, `n${i}`, `v${i}`);
      a.hash();
    }
    // Before: each of the 2,000 hashes read the 2,000 older changes again (4,000,000 reads).
    expect(old.reads).toBe(0);
    expect(a.hash()).toEqual(hashKv(a.store));
  });

  it('equals the full walk through writes, deletes, compactions and restores', () => {
    const rng = new Prng(5);
    const s = new MvccStore();
    const h = new CurrentKvHash();
    let checked = 0;
    for (let step = 0; step < 3_000; step++) {
      const r = rng.intRange(0, 99);
      if (r < 60) put(s, `k${rng.intRange(0, 40)}`, `v${step}`);
      else if (r < 75) {
        const t = s.write();
        t.deleteRange(`k${rng.intRange(0, 40)}`, r < 70 ? undefined : `k${rng.intRange(0, 40)}`);
        t.end();
      } else if (r < 80 && s.compactMainRev < s.currentRev) {
        s.deferCompactionDeletes = () => rng.chance(1, 2);
        s.compact(rng.intRange(Math.max(1, s.compactMainRev + 1), s.currentRev));
      } else if (r < 82) restoreStore(snapshotStore(s), s);
      if (rng.chance(1, 4)) {
        expect(h.of(s)).toEqual(hashKv(s));
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(500);
    expect(h.folded).toBeLessThan(20 * s.currentRev);
  });
});
