// Lowe's memo of visited search nodes: (set of linearized ops, model state). A node seen
// before was either fully explored and failed, or leads to the same future, so the search
// never expands it twice.
//
// Built for speed and a known footprint: a chained hash table on typed arrays, keyed by the
// set's incremental hash, with the sets' compressed words in one growing arena (no
// allocation per node except the model's state).
import type { LinearizedSet } from './bitset.ts';

// Small at first: most partitions are small, and the growth paths then run (and give V8 their
// type feedback) before the hot add() is optimized, instead of deoptimizing it later.
const SLOTS_FIRST = 1 << 8;
const ENTRIES_FIRST = 1 << 8;
const ARENA_FIRST = 1 << 10;

export class VisitedCache<S> {
  size = 0;
  private slots = new Int32Array(SLOTS_FIRST).fill(-1);
  private entryHash = new Int32Array(ENTRIES_FIRST);
  private entryNext = new Int32Array(ENTRIES_FIRST);
  private entryAt = new Int32Array(ENTRIES_FIRST);
  private entryLo = new Int32Array(ENTRIES_FIRST);
  private entryLen = new Int32Array(ENTRIES_FIRST);
  private readonly stateOf: S[] = [];
  private readonly infinite: (readonly number[])[] = [];
  private arena = new Uint32Array(ARENA_FIRST);
  private arenaUsed = 0;

  /** `states`: the model's equality and hash (Model.equal, Model.hash), called as its methods. */
  constructor(private readonly states: { equal(a: S, b: S): boolean; hash?(s: S): number }) {}

  /** Adds the node; returns false when it was already there. */
  add(set: LinearizedSet, state: S): boolean {
    const states = this.states;
    const h = states.hash === undefined ? set.hash() : (set.hash() ^ Math.imul(states.hash(state), 0x9e3779b1)) | 0;
    const slot = h & (this.slots.length - 1);
    for (let e = this.slots[slot]!; e !== -1; e = this.entryNext[e]!) {
      if (this.entryHash[e] === h && set.equalsAt(this.arena, this.entryAt[e]!, this.entryLo[e]!, this.entryLen[e]!) && set.sameInfinite(this.infinite[e]!) && states.equal(this.stateOf[e]!, state)) return false;
    }
    const e = this.size;
    if (e === this.entryHash.length) this.growEntries();
    const len = set.wordCount;
    if (this.arenaUsed + len > this.arena.length) this.growArena(len);
    set.copyTo(this.arena, this.arenaUsed);
    this.entryHash[e] = h;
    this.entryAt[e] = this.arenaUsed;
    this.entryLo[e] = set.loWord;
    this.entryLen[e] = len;
    this.arenaUsed += len;
    this.stateOf.push(state);
    this.infinite.push(set.infinite);
    this.entryNext[e] = this.slots[slot]!;
    this.slots[slot] = e;
    this.size = e + 1;
    if (this.size > this.slots.length) this.rehash();
    return true;
  }

  private growArena(len: number): void {
    const bigger = new Uint32Array(Math.max(this.arena.length * 2, this.arenaUsed + len));
    bigger.set(this.arena);
    this.arena = bigger;
  }

  private growEntries(): void {
    const grow = (a: Int32Array): Int32Array<ArrayBuffer> => {
      const b = new Int32Array(a.length * 2);
      b.set(a);
      return b;
    };
    this.entryHash = grow(this.entryHash);
    this.entryNext = grow(this.entryNext);
    this.entryAt = grow(this.entryAt);
    this.entryLo = grow(this.entryLo);
    this.entryLen = grow(this.entryLen);
  }

  private rehash(): void {
    const slots = new Int32Array(this.slots.length * 4).fill(-1);
    const mask = slots.length - 1;
    for (let e = 0; e < this.size; e++) {
      const s = this.entryHash[e]! & mask;
      this.entryNext[e] = slots[s]!;
      slots[s] = e;
    }
    this.slots = slots;
  }
}
