// A hash of the whole KV state, for convergence checks: members that applied the same entries
// have the same revision, compact revision and hash (etcd's HashKV serves the same purpose; its
// value is a CRC over bolt pages, which a simulation cannot and need not reproduce).
import { forEachChange } from './changes.ts';
import { FNV1A_OFFSET, fnv1aField } from '../hash/fnv1a.ts';
import type { MvccStore } from './store.ts';

export interface KvHash {
  /** FNV-1a 32-bit over every stored change up to `revision`, in revision order. */
  readonly hash: number;
  readonly revision: number;
  readonly compactRevision: number;
}


/** The hash of the store at `rev` (0: current). */
export function hashKv(store: MvccStore, rev = 0): KvHash {
  const upTo = rev <= 0 ? store.currentRev : Math.min(rev, store.currentRev);
  let h = fnv1aField(FNV1A_OFFSET, String(store.compactMainRev));
  forEachChange(store, upTo, (main, sub, e) => {
    const kv = e.kv;
    h = fnv1aField(h, `${main}.${sub}${e.tombstone ? 't' : 'p'}`);
    h = fnv1aField(h, kv.key);
    h = fnv1aField(h, kv.value);
    h = fnv1aField(h, `${kv.create_revision},${kv.mod_revision},${kv.version},${kv.lease}`);
  });
  return { hash: h >>> 0, revision: upTo, compactRevision: store.compactMainRev };
}
