// The Raft log: what is in stable storage plus what is still unstable, with the commit and
// applied indexes. Invariant: applied <= committed <= lastIndex().
import type { Entry, Snapshot } from './types.ts';
import { NO_ENTRIES } from './types.ts';
import type { Storage } from './storage.ts';
import { limitSize } from './storage.ts';
import type { StorageError } from './errors.ts';
import { ErrCompacted, ErrUnavailable, raftViolation } from './errors.ts';
import { Unstable } from './log-unstable.ts';

export class RaftLog {
  readonly storage: Storage;
  readonly unstable: Unstable;
  /** The highest index known to be committed (stored on a quorum). */
  committed: number;
  /** The highest index the host has applied to its state machine. */
  applied: number;
  /** A bound on the bytes of committed entries handed out in one Ready. */
  readonly maxNextEntsSizeBytes: number;
  /** Planted bug (UnsafeOptions.truncateOnStaleAppend). */
  truncateOnStaleAppend = false;

  constructor(storage: Storage, maxNextEntsSizeBytes: number) {
    this.storage = storage;
    this.maxNextEntsSizeBytes = maxNextEntsSizeBytes;
    const first = storage.firstIndex();
    const last = storage.lastIndex();
    this.unstable = new Unstable(last + 1);
    // The first entry of storage is committed and applied by construction (it is the snapshot).
    this.committed = first - 1;
    this.applied = first - 1;
    if (!(this.applied <= this.committed && this.committed <= this.lastIndex())) throw raftViolation('log-indexes-ordered',
      `new log: applied ${this.applied}, committed ${this.committed}, last ${this.lastIndex()}`);
  }

  toString(): string {
    return `committed=${this.committed}, applied=${this.applied}, unstable.offset=${this.unstable.offset}, unstable.entries=${this.unstable.entries.length}`;
  }

  /**
   * Appends entries after (index, logTerm) if our log matches there (the consistency check).
   * Returns the index of the last new entry, or undefined if the log does not match.
   */
  maybeAppend(index: number, logTerm: number, committed: number, ents: readonly Entry[]): number | undefined {
    if (!this.matchTerm(index, logTerm)) return undefined;
    const lastNewIndex = index + ents.length;
    const ci = this.findConflict(ents);
    if (this.truncateOnStaleAppend && ci === 0) {
      // Planted bug: "the leader sent these, so they are the log": everything after them goes.
      const fresh = ents.filter((e) => e.index > this.committed);
      if (fresh.length > 0) this.unstable.truncateAndAppend(fresh);
    }
    if (ci !== 0) {
      if (!(ci > this.committed)) throw raftViolation('no-truncate-committed',
        `entry ${ci} conflicts with committed entry (committed ${this.committed})`);
      this.append(ents.slice(ci - (index + 1)));
    }
    this.commitTo(Math.min(committed, lastNewIndex));
    if (!(ents.length === 0 || this.matchTerm(lastNewIndex, (ents[ents.length - 1] as Entry).term))) throw raftViolation('append-matches-leader',
      `after appending up to ${lastNewIndex} our log does not hold the leader's entry there (last ${this.lastIndex()})`);
    return lastNewIndex;
  }

  append(ents: readonly Entry[]): number {
    if (ents.length === 0) return this.lastIndex();
    const after = (ents[0] as Entry).index - 1;
    if (!(after >= this.committed)) throw raftViolation('no-truncate-committed', `append after ${after} is below committed ${this.committed}`);
    this.unstable.truncateAndAppend(ents);
    const last = this.lastIndex();
    if (last !== after + ents.length) throw raftViolation('append-last-index', `appended ${ents.length} entries after ${after}, last index is ${last}`);
    return last;
  }

  /**
   * The index of the first entry of `ents` that is not already in the log with the same term,
   * or 0 if all of them are. A stale message whose entries all match truncates nothing.
   */
  findConflict(ents: readonly Entry[]): number {
    for (const e of ents) {
      if (!this.matchTerm(e.index, e.term)) return e.index;
    }
    return 0;
  }

  /**
   * The largest index <= `index` whose term is <= `term`: the fast backtracking hint. Every
   * entry after it has a larger term than the probe, so they cannot match.
   */
  findConflictByTerm(index: number, term: number): number {
    for (let i = index; i > 0; i--) {
      const t = this.term(i);
      if (typeof t !== 'number') return i; // compacted: the caller will fall back to a snapshot
      if (t <= term) return i;
    }
    return 0;
  }

  unstableEntries(): readonly Entry[] {
    return this.unstable.entries;
  }

  /** Committed entries not yet applied, bounded by maxNextEntsSizeBytes. */
  nextEnts(): readonly Entry[] {
    const off = Math.max(this.applied + 1, this.firstIndex());
    if (this.committed + 1 <= off) return NO_ENTRIES;
    const ents = this.slice(off, this.committed + 1, this.maxNextEntsSizeBytes);
    if (typeof ents === 'string') throw raftViolation('committed-entries-available', 'storage lost committed entries');
    if (!(ents.length > 0 && (ents[0] as Entry).index === off && (ents[ents.length - 1] as Entry).index <= this.committed)) throw raftViolation('next-entries-committed',
      `entries to apply [${ents[0]?.index}..${ents[ents.length - 1]?.index}] are not a committed run from ${off} (committed ${this.committed})`);
    return ents;
  }

  hasNextEnts(): boolean {
    return this.committed + 1 > Math.max(this.applied + 1, this.firstIndex());
  }

  hasPendingSnapshot(): boolean {
    return this.unstable.snapshot !== undefined;
  }

  snapshot(): Snapshot {
    return this.unstable.snapshot ?? this.storage.snapshot();
  }

  firstIndex(): number {
    return this.unstable.maybeFirstIndex() ?? this.storage.firstIndex();
  }

  lastIndex(): number {
    return this.unstable.maybeLastIndex() ?? this.storage.lastIndex();
  }

  commitTo(toCommit: number): void {
    if (this.committed >= toCommit) return; // the commit index never decreases
    if (!(toCommit <= this.lastIndex())) throw raftViolation('commit-within-log',
      `toCommit ${toCommit} is out of range [lastIndex ${this.lastIndex()}]; was the raft log corrupted, truncated, or lost?`);
    this.committed = toCommit;
    if (!(this.applied <= this.committed)) throw raftViolation('applied-within-committed', `applied ${this.applied} beyond committed ${this.committed}`);
  }

  appliedTo(i: number): void {
    if (i === 0) return;
    if (!(this.committed >= i && i >= this.applied)) throw raftViolation('applied-within-committed',
      `applied(${i}) is out of range [prevApplied(${this.applied}), committed(${this.committed})]`);
    this.applied = i;
    if (!(this.applied <= this.committed && this.committed <= this.lastIndex())) throw raftViolation('log-indexes-ordered',
      `applied ${this.applied}, committed ${this.committed}, last ${this.lastIndex()}`);
  }

  stableTo(i: number, t: number): void {
    this.unstable.stableTo(i, t);
  }

  stableSnapTo(i: number): void {
    this.unstable.stableSnapTo(i);
  }

  lastTerm(): number {
    const t = this.term(this.lastIndex());
    if (typeof t !== 'number') throw raftViolation('last-term-known', `unexpected ${String(t)} for last term`);
    return t;
  }

  /** The term of entry i: ErrCompacted before firstIndex()-1, 0 after lastIndex(). */
  term(i: number): number | StorageError {
    const dummyIndex = this.firstIndex() - 1;
    if (i < dummyIndex) return ErrCompacted;
    if (i > this.lastIndex()) return 0;
    const t = this.unstable.maybeTerm(i);
    if (t !== undefined) return t;
    return this.storage.term(i);
  }

  /** term(i), with a compacted or unavailable entry reading as 0 (matches nothing). */
  termOrZero(i: number): number {
    const t = this.term(i);
    return typeof t === 'number' ? t : 0;
  }

  entries(i: number, maxSizeBytes: number): readonly Entry[] | StorageError {
    if (i > this.lastIndex()) return NO_ENTRIES;
    return this.slice(i, this.lastIndex() + 1, maxSizeBytes);
  }

  allEntries(): readonly Entry[] {
    for (;;) {
      const ents = this.entries(this.firstIndex(), Number.MAX_SAFE_INTEGER);
      if (typeof ents !== 'string') return ents;
      if (ents !== ErrCompacted) throw raftViolation('all-entries', `unexpected ${ents}`);
      // A concurrent compaction moved firstIndex: retry, which is bounded by the log length.
    }
  }

  /**
   * True if a candidate whose last entry is (lastIndex, term) is at least as up to date as
   * this log (§5.4.1): a later last term wins; with equal terms the longer log wins.
   */
  isUpToDate(lastIndex: number, term: number, weakened?: 'term-only' | 'index-only' | 'vs-commit'): boolean {
    const ourTerm = this.lastTerm();
    // UNSAFE (planted bugs): half of the comparison, or the wrong index of ours.
    if (weakened === 'term-only') return term >= ourTerm;
    if (weakened === 'index-only') return lastIndex >= this.lastIndex();
    if (weakened === 'vs-commit') return term > ourTerm || (term === ourTerm && lastIndex >= this.committed);
    return term > ourTerm || (term === ourTerm && lastIndex >= this.lastIndex());
  }

  matchTerm(i: number, term: number): boolean {
    const t = this.term(i);
    return typeof t === 'number' && t === term;
  }

  /** Commits maxIndex if its entry is of `term` (the Figure 8 rule). Returns true on change. */
  maybeCommit(maxIndex: number, term: number): boolean {
    if (maxIndex > this.committed && this.termOrZero(maxIndex) === term) {
      this.commitTo(maxIndex);
      return true;
    }
    return false;
  }

  restore(s: Snapshot): void {
    this.committed = s.metadata.index;
    this.unstable.restore(s);
    if (!(this.lastIndex() === s.metadata.index && this.firstIndex() === s.metadata.index + 1)) throw raftViolation('snapshot-restored',
      `after restoring snapshot ${s.metadata.index}: first ${this.firstIndex()}, last ${this.lastIndex()}`);
  }

  /** Entries in [lo, hi) across storage and unstable, bounded in size (at least one). */
  slice(lo: number, hi: number, maxSizeBytes: number): readonly Entry[] | StorageError {
    const err = this.mustCheckOutOfBounds(lo, hi);
    if (err !== undefined) return err;
    if (lo === hi) return NO_ENTRIES;
    let ents: Entry[] = [];
    if (lo < this.unstable.offset) {
      const stored = this.storage.entries(lo, Math.min(hi, this.unstable.offset), maxSizeBytes);
      if (stored === ErrCompacted) return stored;
      if (stored === ErrUnavailable) throw raftViolation('storage-entries-available',
        `entries[${lo}:${Math.min(hi, this.unstable.offset)}) is unavailable from storage`);
      // Storage cut the slice short for size: do not add unstable entries after the gap.
      if (stored.length < Math.min(hi, this.unstable.offset) - lo) return stored;
      ents = stored.slice();
    }
    if (hi > this.unstable.offset) {
      const unstable = this.unstable.slice(Math.max(lo, this.unstable.offset), hi);
      ents = ents.length > 0 ? ents.concat(unstable) : unstable;
    }
    const out = limitSize(ents, maxSizeBytes);
    if (!(out.length > 0 && out.length <= hi - lo && (out[0] as Entry).index === lo)) throw raftViolation('slice-contiguous',
      `slice [${lo},${hi}) gave ${out.length} entries from ${out[0]?.index}`);
    return out;
  }

  private mustCheckOutOfBounds(lo: number, hi: number): StorageError | undefined {
    if (!(lo <= hi)) throw raftViolation('slice-order', `invalid slice ${lo} > ${hi}`);
    const fi = this.firstIndex();
    if (lo < fi) return ErrCompacted;
    const length = this.lastIndex() + 1 - fi;
    if (!(hi <= fi + length)) throw raftViolation('slice-within-log', `slice[${lo},${hi}) out of bound [${fi},${this.lastIndex()}]`);
    return undefined;
  }
}
