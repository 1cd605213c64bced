// A hash of the whole KV state, for convergence checks: members that applied the same entries
// have the same revision, compact revision and hash (etcd's HashKV serves the same purpose; its
// value is a CRC over bolt pages, which a simulation cannot and need not reproduce).
import { forEachChange } from './changes.ts';
import type { ChangeVisitor } from './changes.ts';
import { FNV1A_OFFSET, fnv1aField } from '../hash/fnv1a.ts';
import type { LogEntry, MvccStore } from './store.ts';

export interface KvHash {
  /** FNV-1a 32-bit over every stored change up to `revision`, in revision order. */
  readonly hash: number;
  readonly revision: number;
  readonly compactRevision: number;
}


/** The hash of the store at `rev` (0: current). */
export function hashKv(store: MvccStore, rev = 0): KvHash {
  const upTo = rev <= 0 ? store.currentRev : Math.min(rev, store.currentRev);
  const hasher = new ChangeHasher(fnv1aField(FNV1A_OFFSET, String(store.compactMainRev)));
  forEachChange(store, upTo, hasher);
  return { hash: hasher.h >>> 0, revision: upTo, compactRevision: store.compactMainRev };
}

/** FNV-1a over the changes it visits, in order. */
class ChangeHasher implements ChangeVisitor {
  constructor(public h: number) {}

  visit(main: number, sub: number, e: LogEntry): void {
    const kv = e.kv;
    let h = this.h;
    h = fnv1aField(h, `${main}.${sub}${e.tombstone ? 't' : 'p'}`);
    h = fnv1aField(h, kv.key);
    h = fnv1aField(h, kv.value);
    h = fnv1aField(h, `${kv.create_revision},${kv.mod_revision},${kv.version},${kv.lease}`);
    this.h = h;
  }
}
