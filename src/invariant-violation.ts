// A broken invariant, as a typed error. Whoever catches it (the simulation's run, a test, a
// report) decides from its fields — the layer that broke and the invariant's name — never from
// its message, so a reworded message cannot change a verdict, an exit code or the checker blamed.
//
// Expected outcomes (not leader, compacted, lease not found) are returned values, never this.

/** Where the broken invariant lives: a layer of the product, or the harness around it. */
export type InvariantLayer =
  /** The consensus core (src/raft) or the simulation's Raft observer (Figure 3 of the paper). */
  | 'raft'
  /** The multi-version store (src/mvcc). */
  | 'mvcc'
  /** The lessor (src/lease). */
  | 'lease'
  /** Watchable store and watch streams (src/watch). */
  | 'watch'
  /** The etcd member: apply loop, recovery, requests (src/server). */
  | 'server'
  /** What a member keeps on its simulated disk (the WAL, snapshots). */
  | 'storage'
  /** The simulation itself (event loop, clock, workload interpreter, nemesis): a harness bug. */
  | 'harness';

/** Facts a report shows beside the message: term, index, revision, the other member, ... */
export type InvariantFacts = Readonly<Record<string, string | number | boolean>>;

export interface InvariantViolationInit {
  layer: InvariantLayer;
  /** Kebab-case name of the invariant, e.g. `election-safety`, `apply-in-order`. */
  invariant: string;
  /** What was seen, in a sentence. */
  detail: string;
  /** The member it broke on, when the thrower knows it (the catcher may add it). */
  member?: string | undefined;
  facts?: InvariantFacts | undefined;
  /** Every member involved (the one it broke on first), when more than one is. */
  members?: readonly string[] | undefined;
  /** The log entries involved, decoded for people, when the invariant is about entries. */
  entries?: readonly InvolvedEntryText[] | undefined;
}

/** A log entry a violation names: the member holding it, where, and its data as text. */
export interface InvolvedEntryText {
  readonly member: string;
  readonly index: number;
  readonly term: number;
  readonly text: string;
  /** How the member came to it: 'log', 'committed', 'applied', 'acknowledged'. */
  readonly role: string;
}

export class InvariantViolation extends Error {
  readonly layer: InvariantLayer;
  readonly invariant: string;
  readonly detail: string;
  readonly member: string | undefined;
  readonly facts: InvariantFacts;
  readonly members: readonly string[];
  readonly entries: readonly InvolvedEntryText[];

  constructor(init: InvariantViolationInit, message?: string) {
    // Takes whatever it is given, as Error does: a constructor that threw (a JavaScript caller's
    // `new InvariantViolation(undefined)` met "Cannot read properties of undefined", a Symbol
    // message "Cannot convert a Symbol value to a string") would replace the violation being
    // reported with a TypeError about the report.
    init = typeof init === 'object' && init !== null ? init : ({} as InvariantViolationInit);
    super(message === undefined ? formatInvariantViolation(init) : textOf(message));
    this.name = 'InvariantViolation';
    this.layer = init.layer;
    this.invariant = init.invariant;
    this.detail = init.detail;
    this.member = init.member;
    this.facts = init.facts ?? {};
    this.members = init.members ?? (init.member === undefined ? [] : [init.member]);
    this.entries = init.entries ?? [];
  }
}

export function formatInvariantViolation(v: InvariantViolationInit): string {
  return `invariant ${textOf(v.invariant)} (${textOf(v.layer)}) violated${v.member === undefined ? '' : ` on member ${textOf(v.member)}`}: ${textOf(v.detail)}`;
}

/** `v` as text, whatever it is: String() throws for a null-prototype object, a template for a Symbol. */
function textOf(v: unknown): string {
  try {
    return String(v);
  } catch {
    return Object.prototype.toString.call(v);
  }
}

/**
 * The error invariantHolds throws, for hot paths: `if (!cond) throw invariantBroken(layer, name,
 * detail)` builds the detail only when it fails, where invariantHolds' detail arrow captured the
 * caller's variables and V8 allocated a context (and the arrow) at every call.
 */
export function invariantBroken(layer: InvariantLayer, invariant: string, detail: string): InvariantViolation {
  return new InvariantViolation({ layer, invariant, detail });
}

/** Throws an InvariantViolation when `cond` is false: a broken invariant is a bug, never an input. */
export function invariantHolds(cond: boolean, layer: InvariantLayer, invariant: string, detail: () => string): asserts cond {
  if (!cond) throw new InvariantViolation({ layer, invariant, detail: detail() });
}

/** The error to throw for a broken invariant, with the message `invariant NAME: DETAIL`. */
export function violated(layer: InvariantLayer, invariant: string, detail: string, member?: string): InvariantViolation {
  return new InvariantViolation({ layer, invariant, detail, member }, `invariant ${invariant}: ${detail}`);
}
