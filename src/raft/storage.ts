// Stable storage as Raft reads it. The host fills a MemoryStorage from its durable disk on
// restart and appends to it (after the disk write is durable) as it handles each Ready.
import type { ConfState, Entry, HardState, Snapshot } from './types.ts';
import { EMPTY_CONF_STATE, EMPTY_HARD_STATE, NONE, entrySize } from './types.ts';
import type { StorageError } from './errors.ts';
import { ErrCompacted, ErrSnapOutOfDate, ErrUnavailable, raftViolation } from './errors.ts';

export interface InitialState {
  readonly hardState: HardState;
  readonly confState: ConfState;
}

export interface Storage {
  initialState(): InitialState;
  /** Entries in [lo, hi), at least one if any exist, at most `maxSizeBytes` beyond the first. */
  entries(lo: number, hi: number, maxSizeBytes: number): readonly Entry[] | StorageError;
  /** The term of entry i, for i in [firstIndex()-1, lastIndex()]. */
  term(i: number): number | StorageError;
  /** Optional: entry i itself when it is stored (after the compacted prefix), else undefined; builds nothing. */
  entryAt?(i: number): Entry | undefined;
  lastIndex(): number;
  /** The index of the first entry that may be read; entries before it are compacted away. */
  firstIndex(): number;
  snapshot(): Snapshot;
}

/** Cuts `ents` so that their total size stays within maxSizeBytes, keeping at least one. */
export function limitSize(ents: readonly Entry[], maxSizeBytes: number): readonly Entry[] {
  if (ents.length === 0) return ents;
  let size = entrySize(ents[0] as Entry);
  let limit = 1;
  for (; limit < ents.length; limit++) {
    size += entrySize(ents[limit] as Entry);
    if (size > maxSizeBytes) break;
  }
  return limit === ents.length ? ents : ents.slice(0, limit);
}

/**
 * An in-memory Storage. `ents[0]` is a dummy entry holding the index and term of the last
 * compacted entry (or of the snapshot), so term(firstIndex()-1) is always answerable.
 */
export class MemoryStorage implements Storage {
  hardState: HardState = EMPTY_HARD_STATE;
  private snap: Snapshot;
  private ents: Entry[];

  constructor(confState: ConfState = EMPTY_CONF_STATE) {
    this.snap = { data: '', metadata: { index: 0, term: 0, confState } };
    this.ents = [{ term: 0, index: 0, type: 'normal', data: '' }];
  }

  initialState(): InitialState {
    return { hardState: this.hardState, confState: this.snap.metadata.confState };
  }

  /** Records the durable term, vote and commit: the term never goes back, nor a vote within a term. */
  setHardState(hs: HardState): void {
    const before = this.hardState;
    if (!(hs.term > before.term || (hs.term === before.term && (before.vote === NONE || hs.vote === before.vote)))) throw raftViolation('storage-hard-state-monotonic',
      `stored term ${before.term} vote ${before.vote}, then term ${hs.term} vote ${hs.vote}`);
    this.hardState = hs;
  }

  private offset(): number {
    return (this.ents[0] as Entry).index;
  }

  entries(lo: number, hi: number, maxSizeBytes: number): readonly Entry[] | StorageError {
    const offset = this.offset();
    if (lo <= offset) return ErrCompacted;
    if (hi > this.lastIndex() + 1) return ErrUnavailable;
    if (this.ents.length === 1) return ErrUnavailable; // only the dummy entry
    return limitSize(this.ents.slice(lo - offset, hi - offset), maxSizeBytes);
  }

  entryAt(i: number): Entry | undefined {
    const offset = this.offset();
    return i > offset ? this.ents[i - offset] : undefined;
  }

  term(i: number): number | StorageError {
    const offset = this.offset();
    if (i < offset) return ErrCompacted;
    if (i - offset >= this.ents.length) return ErrUnavailable;
    return (this.ents[i - offset] as Entry).term;
  }

  lastIndex(): number {
    return this.offset() + this.ents.length - 1;
  }

  firstIndex(): number {
    return this.offset() + 1;
  }

  snapshot(): Snapshot {
    return this.snap;
  }

  /** Replaces the whole contents with a snapshot (a follower installing one from the leader). */
  applySnapshot(snap: Snapshot): typeof ErrSnapOutOfDate | undefined {
    if (this.snap.metadata.index >= snap.metadata.index && this.snap.metadata.index > 0) return ErrSnapOutOfDate;
    this.snap = snap;
    this.ents = [{ term: snap.metadata.term, index: snap.metadata.index, type: 'normal', data: '' }];
    if (!(this.firstIndex() === snap.metadata.index + 1 && this.term(snap.metadata.index) === snap.metadata.term)) throw raftViolation('storage-snapshot-boundary',
      `after snapshot ${snap.metadata.index}/${snap.metadata.term}: first ${this.firstIndex()}, term ${String(this.term(snap.metadata.index))}`);
    return undefined;
  }

  /** Records a snapshot of the state machine at applied index i (the host took it). */
  createSnapshot(i: number, confState: ConfState, data: string): Snapshot | typeof ErrSnapOutOfDate {
    if (i <= this.snap.metadata.index) return ErrSnapOutOfDate;
    if (!(i <= this.lastIndex())) throw raftViolation('snapshot-within-log', `snapshot ${i} beyond last index ${this.lastIndex()}`);
    const term = this.term(i);
    if (typeof term !== 'number') throw raftViolation('snapshot-term-known', `no term for ${i}`);
    this.snap = { data, metadata: { index: i, term, confState } };
    return this.snap;
  }

  /** Discards entries before compactIndex; the entry at compactIndex becomes the dummy. */
  compact(compactIndex: number): typeof ErrCompacted | undefined {
    const offset = this.offset();
    if (compactIndex <= offset) return ErrCompacted;
    if (!(compactIndex <= this.lastIndex())) throw raftViolation('compact-within-log', `compact ${compactIndex} beyond last ${this.lastIndex()}`);
    const i = compactIndex - offset;
    const head = this.ents[i] as Entry;
    const last = this.lastIndex();
    this.ents = [{ term: head.term, index: head.index, type: 'normal', data: '' }, ...this.ents.slice(i + 1)];
    if (!(this.firstIndex() === compactIndex + 1 && this.lastIndex() === last)) throw raftViolation('storage-compact-boundary',
      `compact ${compactIndex} left first ${this.firstIndex()}, last ${this.lastIndex()} (was ${last})`);
    return undefined;
  }

  /** Appends entries, truncating any conflicting suffix. The entries must be contiguous. */
  append(entries: readonly Entry[]): void {
    if (entries.length === 0) return;
    const first = this.firstIndex();
    const last = (entries[entries.length - 1] as Entry).index;
    if (last < first) return; // everything is already compacted
    const skip = Math.max(0, first - (entries[0] as Entry).index);
    const ents = skip > 0 ? entries.slice(skip) : entries;
    const offset = (ents[0] as Entry).index - this.offset();
    if (!(offset <= this.ents.length)) throw raftViolation('storage-append-contiguous', `missing log entry: last ${this.lastIndex()}, appended at ${(ents[0] as Entry).index}`);
    // Truncate in place (readers only ever get copies), then append: O(appended), not O(log).
    if (offset < this.ents.length) this.ents.splice(offset);
    for (let i = 0; i < ents.length; i++) this.ents.push(ents[i] as Entry);
    if (!(this.lastIndex() === last && this.term(last) === (entries[entries.length - 1] as Entry).term)) throw raftViolation('storage-append-last',
      `appended up to ${last}, storage ends at ${this.lastIndex()} term ${String(this.term(this.lastIndex()))}`);
  }
}
