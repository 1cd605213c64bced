// What stopped a run before its end, as data: the typed error caught out of the event loop,
// judged by its fields (layer, invariant name), never by its message. A reworded message keeps
// the verdict, the exit code and the checker blamed.
//
// Shared with product-exception handling (issue 10): a product exception that is not an
// InvariantViolation becomes a stop of kind 'exception' with the stage and member it came from.
import { InvariantViolation } from '../../src/invariant-violation.ts';
import type { InvariantFacts, InvariantLayer, InvolvedEntryText } from '../../src/invariant-violation.ts';

export interface RunStop {
  /** 'invariant': an InvariantViolation was thrown; 'exception': any other product exception. */
  kind: 'invariant' | 'exception';
  /** The layer that broke ('harness' never stops a run: a harness bug is an internal error, exit 4). */
  layer: InvariantLayer;
  /** The invariant's name (kind 'invariant'). */
  invariant?: string;
  /** The member it broke on, when known. */
  member?: string;
  /** Where in the member's life it broke (step, apply, recover, ...), when known. */
  stage?: string;
  /** Simulated time of the stop. */
  timeUs: number;
  /** The error's message, for people. Nothing is decided from it. */
  message: string;
  /** What was seen, in a sentence (the message without the invariant's name). */
  detail: string;
  /** Facts beside the message: term, index, revision, ... */
  facts: InvariantFacts;
  /** Every member involved (the one it broke on first), when known. */
  members: string[];
  /** The log entries involved, decoded for people. */
  entries: InvolvedEntryText[];
  /** The checker whose verdict this stop is: 'raft' for the consensus layer, else 'invariants'. */
  checker: 'raft' | 'invariants';
}

/** The checker a broken invariant of `layer` is the verdict of. */
export function checkerOfLayer(layer: InvariantLayer): RunStop['checker'] {
  return layer === 'raft' ? 'raft' : 'invariants';
}

/**
 * The stop `err` means, or undefined when it is not the product's: an error that is not an
 * InvariantViolation, or one of the harness, is a bug of the harness and must propagate.
 */
export function runStopOf(err: unknown, timeUs: number): RunStop | undefined {
  if (!(err instanceof InvariantViolation) || err.layer === 'harness') return undefined;
  const stop: RunStop = {
    kind: 'invariant',
    layer: err.layer,
    invariant: err.invariant,
    timeUs,
    message: err.message,
    detail: err.detail,
    facts: err.facts,
    members: [...err.members],
    entries: [...err.entries],
    checker: checkerOfLayer(err.layer),
  };
  if (err.member !== undefined) stop.member = err.member;
  return stop;
}
