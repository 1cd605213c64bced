// The store's change log in revision order: what a hash and a snapshot both walk, so that the
// two always see the same changes in the same order.
import type { LogEntry, MvccStore } from './store.ts';

/** Calls `visit` for every stored change at or below `upTo`, ordered by (main, sub) revision. */
export function forEachChange(store: MvccStore, upTo: number, visit: (main: number, sub: number, entry: LogEntry) => void): void {
  const mains = [...store.log.keys()].filter((m) => m <= upTo).sort((a, b) => a - b);
  for (const main of mains) {
    const subs = store.log.get(main);
    if (subs === undefined) continue;
    for (let sub = 0; sub < subs.length; sub++) {
      const entry = subs[sub];
      if (entry !== undefined) visit(main, sub, entry);
    }
  }
}
