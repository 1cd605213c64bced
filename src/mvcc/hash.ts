// A hash of the whole KV state, for convergence checks: members that applied the same entries
// have the same revision, compact revision and hash (etcd's HashKV serves the same purpose; its
// value is a CRC over bolt pages, which a simulation cannot and need not reproduce).
import { forEachChange } from './changes.ts';
import type { MvccStore } from './store.ts';

export interface KvHash {
  /** FNV-1a 32-bit over every stored change up to `revision`, in revision order. */
  readonly hash: number;
  readonly revision: number;
  readonly compactRevision: number;
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

function mix(h: number, s: string): number {
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, FNV_PRIME);
  }
  // A separator so that ("ab","c") and ("a","bc") differ.
  h ^= 0xff;
  return Math.imul(h, FNV_PRIME);
}

/** The hash of the store at `rev` (0: current). */
export function hashKv(store: MvccStore, rev = 0): KvHash {
  const upTo = rev <= 0 ? store.currentRev : Math.min(rev, store.currentRev);
  let h = mix(FNV_OFFSET, String(store.compactMainRev));
  forEachChange(store, upTo, (main, sub, e) => {
    const kv = e.kv;
    h = mix(h, `${main}.${sub}${e.tombstone ? 't' : 'p'}`);
    h = mix(h, kv.key);
    h = mix(h, kv.value);
    h = mix(h, `${kv.create_revision},${kv.mod_revision},${kv.version},${kv.lease}`);
  });
  return { hash: h >>> 0, revision: upTo, compactRevision: store.compactMainRev };
}
