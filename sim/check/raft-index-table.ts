// Tables keyed by raft index for the Raft observer: a plain array from the first index set,
// so a lookup after every event is an array read, not a hash lookup, and a run whose first
// index is far from 1 (a member restored from a snapshot) does not make a sparse array.
//
// One class per element kind (IndexTable for objects, TermTable for terms): V8 keeps type
// feedback per function, and one get/set for tables of numbers and of objects saw arrays of
// both kinds at the same reads and writes; in a cold sweep worker TurboFan compiled `set` again
// after each new kind ("Insufficient type feedback for generic keyed access", 3 compilations).
// The two bodies are the same on purpose: a shared helper would share its feedback again.

/** Entries (objects) by raft index. */
export class IndexTable<T extends object> {
  private items: (T | undefined)[] = [];
  private from = 0;

  get(i: number): T | undefined {
    const j = i - this.from;
    return j >= 0 ? this.items[j] : undefined;
  }

  /** The indexes held: from the first kept to the last set (0 when empty). */
  get size(): number {
    return this.items.length;
  }

  /** Forgets every index below `i` (a compaction floor): the array keeps only what follows. */
  forgetBelow(i: number): void {
    const drop = Math.min(i - this.from, this.items.length);
    if (drop <= 0) return;
    this.items = this.items.slice(drop);
    this.from += drop;
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

/** Terms (numbers) by raft index. */
export class TermTable {
  private items: (number | undefined)[] = [];
  private from = 0;

  get(i: number): number | undefined {
    const j = i - this.from;
    return j >= 0 ? this.items[j] : undefined;
  }

  /** The indexes held: from the first kept to the last set (0 when empty). */
  get size(): number {
    return this.items.length;
  }

  /** Forgets every index below `i` (a compaction floor): the array keeps only what follows. */
  forgetBelow(i: number): void {
    const drop = Math.min(i - this.from, this.items.length);
    if (drop <= 0) return;
    this.items = this.items.slice(drop);
    this.from += drop;
  }

  set(i: number, term: number): void {
    if (this.items.length === 0) this.from = i;
    else if (i < this.from) {
      // Rare: an index below every one set so far (a member that kept an older part of the log).
      this.items = [...new Array<number | undefined>(this.from - i), ...this.items];
      this.from = i;
    }
    this.items[i - this.from] = term;
  }
}
