// What stopped a run before its end, as data: the typed error caught out of the event loop,
// judged by its fields (layer, invariant name), never by its message. A reworded message keeps
// the verdict, the exit code and the checker blamed.
//
// Shared with product-exception handling (issue 10): a product exception that is not an
// InvariantViolation becomes a stop of kind 'exception' with the stage and member it came from.
import { InvariantViolation } from '../../src/invariant-violation.ts';
import { HostError } from '../world/host-error.ts';
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
  /** The run's phase when it broke: warm-up (first election), safety (traffic and faults), heal or liveness. */
  phase?: RunPhase;
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
export function runStopOf(err: unknown, timeUs: number, phase?: RunPhase): RunStop | undefined {
  if (err instanceof HostError) return hostStop(err, timeUs, phase);
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
  if (phase !== undefined) stop.phase = phase;
  return stop;
}

/**
 * A member threw while it handled an event or recovered: its broken invariant, or any other
 * exception of the product (kind 'exception', blamed on the 'invariants' checker), with the
 * member, what it was handling and the run's phase. A harness invariant still propagates.
 */
function hostStop(err: HostError, timeUs: number, phase: RunPhase | undefined): RunStop | undefined {
  const during = err.during === 'start' ? 'recover' : err.during;
  const inner = runStopOf(err.cause, timeUs, phase);
  if (inner !== undefined) {
    inner.member ??= err.node;
    if (!inner.members.includes(err.node)) inner.members.push(err.node);
    inner.stage ??= during;
    return inner;
  }
  if (err.cause instanceof InvariantViolation) return undefined;
  const stop: RunStop = {
    kind: 'exception',
    layer: 'server',
    member: err.node,
    stage: during,
    timeUs,
    message: `${phase === undefined ? '' : `${phase} phase: `}${err.message}`,
    detail: err.causeMessage,
    facts: { incarnation: err.incarnation },
    members: [err.node],
    entries: [],
    checker: 'invariants',
  };
  if (phase !== undefined) stop.phase = phase;
  return stop;
}

/** Where a run is: electing its first leader, traffic with faults, healing, or the liveness phase. */
export type RunPhase = 'warm-up' | 'safety' | 'heal' | 'liveness';
