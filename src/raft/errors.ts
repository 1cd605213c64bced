// Expected outcomes, returned as values (never thrown): the caller decides what to do.
// Broken invariants, by contrast, throw an InvariantViolation (layer 'raft') carrying the
// invariant's name (see `invariant` below); its message starts with the name.
import { InvariantViolation } from '../invariant-violation.ts';

/** A proposal was not accepted: no leader known, a leadership transfer is under way, etc. */
export const ErrProposalDropped = 'ErrProposalDropped';
/** The requested index is older than the first index kept in storage (it was compacted). */
export const ErrCompacted = 'ErrCompacted';
/** The requested index is newer than anything storage holds. */
export const ErrUnavailable = 'ErrUnavailable';
/** A snapshot is requested but the storage is building one; retry later. */
export const ErrSnapshotTemporarilyUnavailable = 'ErrSnapshotTemporarilyUnavailable';
/** A snapshot older than the one storage already holds. */
export const ErrSnapOutOfDate = 'ErrSnapOutOfDate';
/** Ready/advance called out of order, or a step given a local message from the network. */
export const ErrStepLocalMsg = 'ErrStepLocalMsg';
export const ErrStepPeerNotFound = 'ErrStepPeerNotFound';

export type StorageError = typeof ErrCompacted | typeof ErrUnavailable;
export type StepError = typeof ErrProposalDropped | typeof ErrStepLocalMsg | typeof ErrStepPeerNotFound;

/**
 * The error to throw for a broken invariant: `if (!cond) throw raftViolation(name, detail)`. The
 * hot paths use this form rather than invariant(): its detail arrow captured the caller's
 * variables, and V8 then allocated a context (and the arrow) at every call, failing or not.
 */
export function raftViolation(name: string, detail: string): InvariantViolation {
  return new InvariantViolation({ layer: 'raft', invariant: name, detail }, `invariant ${name}: ${detail}`);
}

/** Throws when `cond` is false: a broken invariant is a bug in this code, never an input. */
export function invariant(cond: boolean, name: string, detail: () => string): asserts cond {
  if (cond) return;
  const text = detail();
  throw new InvariantViolation({ layer: 'raft', invariant: name, detail: text }, `invariant ${name}: ${text}`);
}
