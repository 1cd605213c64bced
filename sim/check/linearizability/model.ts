// The sequential specification a history is checked against, in Porcupine's shape: a pure
// step function over immutable states, plus equality so the search can memoize.

/** One operation as the linearizability search sees it (after parsing and preprocessing). */
export interface Operation<I, O> {
  /** Dense id within the checked history, in call order. */
  id: number;
  process: number | string;
  input: I;
  /** The observed output; undefined when the outcome is unknown (an `info` op). */
  output: O | undefined;
  /** Position of the call in real-time order (event index or µs). */
  call: number;
  /**
   * Position of the return. Infinity for an unknown outcome that may take effect at any time
   * after its call, or never. A finite return with an unknown output means "took effect by
   * then, or never" (the search may then linearize it as skipped).
   */
  return: number;
  /** Index of the invoke line in the source history, for explanations. */
  index: number;
}

export interface Model<S, I, O> {
  readonly name: string;
  init(): S;
  /**
   * The state after `input` when it produced `output`, or undefined when that output is
   * impossible in `state`. An undefined output (unknown outcome) accepts any output.
   */
  step(state: S, input: I, output: O | undefined): S | undefined;
  equal(a: S, b: S): boolean;
  /**
   * Unknown-outcome ops with equal keys are interchangeable (the search tries only the
   * earliest called one not yet linearized). Default: the JSON of the input.
   */
  equivalenceKey?(input: I): string;
  /**
   * A 32-bit hash consistent with `equal`. Optional, but without it every state reached with
   * the same set of linearized ops lands in one cache chain.
   */
  hash?(state: S): number;
  /**
   * True when the op never changes any state it is legal in (a read, a CAS observed not to
   * swap). Such an op, once legal and callable, is linearized at once without branching:
   * moving a state-preserving op earlier never invalidates a linearization.
   */
  readOnly?(input: I, output: O | undefined): boolean;
  /**
   * An order the state only moves forward in (etcd: the revision), and for an op the
   * highest order the state may have just before it (etcd: what its response's
   * header.revision pins). With both, the search drops any state whose order already
   * passed a pending op's bound: that op could never be linearized after it.
   */
  order?(state: S): number;
  orderBound?(input: I, output: O | undefined): number | undefined;
  /**
   * Gated ops (unknown outcome, infinite return) can only take effect in states where
   * gateOpen holds (etcd: a timed-out write nobody saw can only fill a revision no known
   * write created). The search keeps them out of its scan and tries them only there, so
   * thousands of them pending do not slow every step.
   */
  gated?(input: I): boolean;
  gateOpen?(state: S): boolean;
  /**
   * Given one partition's ops, a test run after each gated op is applied: whether the ops not
   * yet linearized can still fill what must be filled ahead (etcd: enough unused timed-out
   * writes for the gap revisions still to come). False kills the node. Must be a necessary
   * condition of every linearization through that state. Prepared once per partition and
   * shared by its searches (several orders run at once): it must keep no state between calls.
   */
  prepareGateCheck?(ops: readonly Operation<I, O>[]): ((state: S, linearized: (id: number) => boolean) => boolean) | undefined;
  /**
   * Given one partition's ops, a test whether a read-only op (input, output) can still
   * become legal from `state` by applying ops of that partition (true when unsure). The
   * search uses it on the callable reads at every node: a read that can never be satisfied
   * any more kills the node at once (kv: with appends only, every pending get's value must
   * extend the current string). Prepared once per partition and shared like prepareGateCheck.
   */
  prepareReach?(ops: readonly Operation<I, O>[]): ((state: S, input: I, output: O, linearized: (id: number) => boolean) => boolean) | undefined;
  /**
   * Given one partition's ops, an op no linearization can place whatever the others do (etcd:
   * an answer that contradicts what known writes and other answers prove), and why. The
   * partition is then illegal: the search only looks for a long prefix for the explanation,
   * within a bounded effort, instead of trying every order before it. It must be a fact of every
   * linearization: a partition the search finds valid is never asked (check.ts), so a doomed op
   * in a partition that has a linearization would make its verdict depend on the search's speed.
   */
  doomed?(ops: readonly Operation<I, O>[]): { id: number; reason: string } | undefined;
  /**
   * Given one partition's ops: for an op of unknown outcome that, when its step leaves the state's
   * order where it was (Model.order), only some ops can tell from not having happened yet (etcd: a
   * lease expiring with no key attached makes no revision; only ops naming that lease see it gone),
   * the ids of those ops (its observers; the op's own id may be among them, and the lists may be
   * shared between ops); undefined for every other op. The search then applies
   * such an op only where an observer can come next or where its own return holds back the rest:
   * anywhere before, it commutes with every op it would be moved past, so a linearization that
   * applies it earlier becomes one that applies it there (a partial-order reduction; without it,
   * a dozen leases that may expire over the same stretch of a history were tried in every subset at
   * every node, lease-renew-expiry seed 2 on real etcd ran out of memory). Needs Model.order.
   */
  prepareObservers?(ops: readonly Operation<I, O>[]): readonly (readonly number[] | undefined)[] | undefined;
  /** Splits a history into independent sub-histories (P-compositionality). */
  partition?(ops: readonly Operation<I, O>[]): { key: string; ops: Operation<I, O>[] }[];
  describeOperation?(input: I, output: O | undefined): string;
  describeState?(state: S): string;
  /**
   * For explanations: what `input` would have returned in `state`, as plain JSON for people
   * (keys and values decoded), so a report can set it beside what the op returned.
   */
  expectedOutput?(state: S, input: I, output: O | undefined): unknown;
  /** For explanations: what the op returned, in the same form as expectedOutput. */
  observedOutput?(input: I, output: O): unknown;
}
