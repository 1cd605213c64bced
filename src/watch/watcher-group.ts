// A set of watchers (etcd's watcherGroup: the synced or the unsynced ones) that also answers its
// watchers in creation order, sorted once per change instead of once per committed txn.
import type { Watcher } from './watcher.ts';

export class WatcherGroup {
  private readonly members = new Set<Watcher>();
  /** The members by creation (seq) order; undefined after a change until asked for again. */
  private order: readonly Watcher[] | undefined;

  get size(): number {
    return this.members.size;
  }

  has(w: Watcher): boolean {
    return this.members.has(w);
  }

  add(w: Watcher): void {
    if (this.members.has(w)) return;
    this.members.add(w);
    this.order = undefined;
  }

  delete(w: Watcher): boolean {
    if (!this.members.delete(w)) return false;
    this.order = undefined;
    return true;
  }

  clear(): void {
    this.members.clear();
    this.order = undefined;
  }

  /** The watchers in creation order (shared: never written; a change makes a new array). */
  ordered(): readonly Watcher[] {
    this.order ??= [...this.members].sort((a, b) => a.seq - b.seq);
    return this.order;
  }

  /** The watchers in the order they joined the group. */
  [Symbol.iterator](): IterableIterator<Watcher> {
    return this.members.values();
  }
}
