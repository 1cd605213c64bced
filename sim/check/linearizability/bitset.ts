// The set of linearized operations, with an incrementally maintained 52-bit hash (Lowe's
// memoization needs the set's hash after every lift and unlift, so it is updated in O(1)).
//
// Cached copies are compressed: operations are numbered in call order and the search
// linearizes them roughly in that order, so every id below `frontier` is set and every set
// bit lies in a short window above it. A snapshot keeps only the words from the frontier's
// word to the highest non-zero word, which keeps a 100,000-op history's cache small.
// Ops with an infinite return (unknown outcome) are numbered last and kept apart, as a
// sorted immutable list shared between snapshots: most are never linearized and would
// otherwise pin the frontier. The search sets and clears ops last in, first out, so a clear
// of the op set last gives back the list from before it (no copy, and the cache's
// comparison meets the same array again), kept on an undo stack.

/** SplitMix32-style mixer: deterministic per-id hash words, no global randomness. */
function mix32(x: number): number {
  let z = (x + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) | 0;
}

export class LinearizedSet {
  readonly size: number;
  /** Ids at or above this are ops with an infinite return, kept as a sorted immutable list. */
  readonly finiteCount: number;
  /** The linearized ops among those, sorted; replaced (never mutated) on change. */
  infinite: readonly number[] = [];
  /** Per infinite-return op set and not yet cleared, newest last: its id and the list before it. */
  private readonly undoIds: number[] = [];
  private readonly undoLists: (readonly number[])[] = [];
  private readonly words: Uint32Array;
  private readonly hashA: Int32Array;
  private readonly hashB: Int32Array;
  private a = 0;
  private b = 0;
  /** Every id below this is set. */
  private frontier = 0;
  /** No word above this index is non-zero. */
  private topWord = -1;
  count = 0;

  constructor(size: number, finiteCount = size) {
    if (!(size >= 0 && finiteCount <= size)) throw new Error('invariant LinearizedSet 0 <= finiteCount <= size broken');
    this.size = size;
    this.finiteCount = finiteCount;
    this.words = new Uint32Array((size >>> 5) + 1);
    this.hashA = new Int32Array(size);
    this.hashB = new Int32Array(size);
    for (let i = 0; i < size; i++) {
      this.hashA[i] = mix32(i * 2 + 1);
      this.hashB[i] = mix32(i * 2 + 0x51ed270b);
    }
  }

  has(id: number): boolean {
    return ((this.words[id >>> 5]! >>> (id & 31)) & 1) === 1;
  }

  set(id: number): void {
    const w = id >>> 5;
    const bit = 1 << (id & 31);
    if ((this.words[w]! & bit) !== 0) throw new Error(`invariant set-once broken: op ${id} already linearized`);
    this.words[w] = this.words[w]! | bit;
    this.a ^= this.hashA[id]!;
    this.b ^= this.hashB[id]!;
    this.count++;
    if (id >= this.finiteCount) {
      const old = this.infinite;
      const list: number[] = [];
      let i = 0;
      for (; i < old.length && old[i]! < id; i++) list.push(old[i]!);
      list.push(id);
      for (; i < old.length; i++) list.push(old[i]!);
      this.undoIds.push(id);
      this.undoLists.push(old);
      this.infinite = list;
      return;
    }
    if (w > this.topWord) this.topWord = w;
    if (id === this.frontier) {
      let f = id + 1;
      while (f < this.size && ((this.words[f >>> 5]! >>> (f & 31)) & 1) === 1) f++;
      this.frontier = f;
    }
  }

  clear(id: number): void {
    const w = id >>> 5;
    const bit = 1 << (id & 31);
    if ((this.words[w]! & bit) === 0) throw new Error(`invariant clear-set broken: op ${id} not linearized`);
    this.words[w] = this.words[w]! & ~bit;
    this.a ^= this.hashA[id]!;
    this.b ^= this.hashB[id]!;
    this.count--;
    if (id >= this.finiteCount) {
      const undo = this.undoIds;
      if (undo.length > 0 && undo[undo.length - 1] === id) {
        undo.pop();
        this.infinite = this.undoLists.pop()!;
        return;
      }
      // Not last in: the lists below on the stack may hold this op, so they are dropped.
      this.infinite = this.infinite.filter((x) => x !== id);
      undo.length = 0;
      this.undoLists.length = 0;
      return;
    }
    if (id < this.frontier) this.frontier = id;
    while (this.topWord >= 0 && this.words[this.topWord] === 0) this.topWord--;
  }

  /** A 32-bit hash of the set (two independent 32-bit hashes are kept; this mixes them). */
  hash(): number {
    return (this.a ^ Math.imul(this.b, 0x27d4eb2d)) | 0;
  }

  /** First word of the compressed form: every word below it is all ones. */
  get loWord(): number {
    return this.frontier >>> 5;
  }

  /** Number of words in the compressed form. */
  get wordCount(): number {
    const lo = this.frontier >>> 5;
    return Math.max(this.topWord, lo) - lo + 1;
  }

  /** Copies the compressed form into `into` at `at`. */
  copyTo(into: Uint32Array, at: number): void {
    const lo = this.frontier >>> 5;
    const n = Math.max(this.topWord, lo) - lo + 1;
    for (let i = 0; i < n; i++) into[at + i] = this.words[lo + i]!;
  }

  /** True when `list` holds the same linearized infinite-return ops. */
  sameInfinite(list: readonly number[]): boolean {
    const mine = this.infinite;
    if (mine === list) return true;
    if (mine.length !== list.length) return false;
    for (let i = 0; i < mine.length; i++) if (mine[i] !== list[i]) return false;
    return true;
  }

  /** True when the compressed form equals `len` words of `from` at `at` starting at word `lo`. */
  equalsAt(from: Uint32Array, at: number, lo: number, len: number): boolean {
    if (lo !== this.frontier >>> 5) return false;
    if (len !== Math.max(this.topWord, lo) - lo + 1) return false;
    const words = this.words;
    for (let i = 0; i < len; i++) if (from[at + i] !== words[lo + i]) return false;
    return true;
  }
}
