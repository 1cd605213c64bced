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
import { CurrentKvHash, FULL_WALK_REVISIONS_MAX, hashKv } from '../../../src/mvcc/hash.ts';
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

/** Gives the change at main revision `main` another value without a new revision (an aliasing bug). */
function rewriteInPlace(s: MvccStore, main: number): void {
  const subs = s.log.get(main);
  const e = subs?.[0];
  if (subs === undefined || e === undefined) throw new Error(`no change at ${main}`);
  subs[0] = { tombstone: e.tombstone, kv: { ...e.kv, value: `${e.kv.value}!` } };
}

describe('the hash at the current revision', () => {
  it('costs the writes since it was last taken, not the whole log, once the log is long', () => {
    const a = new Applier();
    const n = FULL_WALK_REVISIONS_MAX + 2_000;
    for (let i = 0; i < n; i++) put(a.store, `k${i}`, `v${i}`);
    a.hash();
    const old = countReads(a.store);
    for (let i = 0; i < 2_000; i++) {
      put(a.store, `n${i}`, `v${i}`);
      a.hash();
    }
    // Before: each of the 2,000 hashes read the 12,000 older changes again (24,000,000 reads).
    expect(old.reads).toBe(0);
    expect(a.hash()).toEqual(hashKv(a.store));
  });

  // An aliasing bug rewrites an older change in place and adds no revision: only a whole walk sees
  // it. A short log (every campaign run) is walked whole at every hash, as before the extension.
  it('sees an older change rewritten in place at once while the log is short', () => {
    const s = new MvccStore();
    const h = new CurrentKvHash();
    for (let i = 0; i < 100; i++) put(s, `k${i % 10}`, `v${i}`);
    h.of(s);
    rewriteInPlace(s, 50);
    put(s, 'k0', 'after');
    expect(h.of(s)).toEqual(hashKv(s));
  });

  it('sees it within one more log of writes once the log is long (a doubling schedule)', () => {
    const s = new MvccStore();
    const h = new CurrentKvHash(100);
    for (let i = 0; i < 1_000; i++) put(s, `k${i % 10}`, `v${i}`);
    h.of(s);
    const walked = s.currentRev - s.compactMainRev;
    rewriteInPlace(s, 500);
    let writes = 0;
    while (h.of(s).hash !== hashKv(s).hash && writes <= walked) {
      put(s, 'k0', `w${writes}`);
      writes++;
    }
    expect(writes).toBeLessThanOrEqual(walked);
    expect(writes).toBeGreaterThan(0);
    expect(h.folded).toBeLessThan(4 * s.currentRev);
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
