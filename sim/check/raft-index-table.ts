// A table keyed by raft index for the Raft observer: a plain array from the first index set,
// so a lookup after every event is an array read, not a hash lookup, and a run whose first
// index is far from 1 (a member restored from a snapshot) does not make a sparse array.

export class IndexTable<T> {
  private items: (T | undefined)[] = [];
  private from = 0;

  get(i: number): T | undefined {
    const j = i - this.from;
    return j >= 0 ? this.items[j] : undefined;
  }

  set(i: number, value: T): void {
    if (this.items.length === 0) this.from = i;
    else if (i < this.from) {
      // Rare: an index below every one set so far (a member that kept an older part of the log).
      this.items = [...new Array<T | undefined>(this.from - i), ...this.items];
      this.from = i;
    }
    this.items[i - this.from] = value;
  }
}
