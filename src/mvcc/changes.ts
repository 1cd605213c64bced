// The store's change log in revision order: what a hash and a snapshot both walk, so that the
// two always see the same changes in the same order.
import { revKey } from './key-index.ts';
import type { LogEntry, MvccStore } from './store.ts';

/**
 * What walks the change log: an object with a method rather than a callback, because a closure
 * made for every walk lost its optimized code at each full collection once it was done, and was
 * compiled again at the next walk (a hash per member per run).
 */
export interface ChangeVisitor {
  visit(main: number, sub: number, entry: LogEntry): void;
}

/**
 * Calls `visitor.visit` for every stored change at or below `upTo`, ordered by (main, sub) revision;
 * below the compact revision, only what the compaction kept (its deletes may still be pending).
 */
export function forEachChange(store: MvccStore, upTo: number, visitor: ChangeVisitor): void {
  // Writes and restores insert main revisions in increasing order (MvccStore.compact relies on it
  // too), so the Map's own order is the revision order: walk it without copying and sorting its
  // keys (a hash per member every 200 ms of a run). Should it ever be out of order, sort.
  let last = -Infinity;
  for (const main of store.log.keys()) {
    if (main <= last) return visitSorted(store, upTo, visitor);
    last = main;
  }
  for (const [main, subs] of store.log) {
    if (main > upTo) break;
    visitSubs(store, main, subs, visitor);
  }
}

function visitSorted(store: MvccStore, upTo: number, visitor: ChangeVisitor): void {
  const mains = [...store.log.keys()].filter((m) => m <= upTo).sort((a, b) => a - b);
  for (const main of mains) {
    const subs = store.log.get(main);
    if (subs !== undefined) visitSubs(store, main, subs, visitor);
  }
}

function visitSubs(store: MvccStore, main: number, subs: readonly (LogEntry | undefined)[], visitor: ChangeVisitor): void {
  const pending = store.pendingDeletes;
  for (let sub = 0; sub < subs.length; sub++) {
    const entry = subs[sub];
    if (entry === undefined) continue;
    if (pending !== undefined && main < store.compactMainRev && !pending.kept.has(revKey({ main, sub }))) continue;
    visitor.visit(main, sub, entry);
  }
}

/**
 * Calls `visitor.visit` for every stored change above main revision `after` and at or below
 * `upTo`, in revision order, looking each main revision up rather than walking the log from its
 * start: for revisions that every write adds one above the last, none of them compacted (a hash
 * extended by the writes since it was taken). Gives what forEachChange gives for those revisions.
 */
export function forEachChangeAfter(store: MvccStore, after: number, upTo: number, visitor: ChangeVisitor): void {
  for (let main = after + 1; main <= upTo; main++) {
    const subs = store.log.get(main);
    if (subs !== undefined) visitSubs(store, main, subs, visitor);
  }
}
