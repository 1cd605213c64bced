// Which ops cannot be placed after the longest linearizable prefix, and in what state. The search
// reports where it got stuck (the prefix and the op that must come next), but that op is often
// an innocent write: the culprit is a later op the write would strand (a stale read answered
// at an older revision). So for each op left over, in call order, we apply after the prefix
// every op that completed before it was invoked — real time forces those first — and ask the
// model whether the op is legal there. It is reported when the state's order (etcd: the
// revision) has already passed what the op's response pins — the order never goes back — or,
// for models without an order, when no one or two ops that may come before it make it legal (a
// bounded two-step look-ahead, so an op that only waits for concurrent writes is not blamed).
//
// Predecessors are applied in the model's order when it has one (etcd: the revision each
// response pins), else in completion order. When a predecessor itself is rejected, the op
// behind it is not judged (that predecessor is judged on its own turn). Bounded: at most
// CANDIDATES_MAX ops are judged and at most FOUND_MAX reported.
import type { Model, Operation } from './model.ts';

export interface Unplaceable<S, I, O> {
  op: Operation<I, O>;
  /** Ids of the ops applied after the prefix and before `op`, in the order applied. */
  after: number[];
  /** The state `op` was judged in. */
  state: S;
  /** When set: the state's order (etcd: revision) had passed the op's bound, which it never goes back from. */
  orderPassed?: { order: number; bound: number };
}

/** Model steps the look-ahead may spend on one rejected op before giving it the benefit of the doubt. */
const RESCUE_STEPS_MAX = 4096;

/** The state's order already beyond what the op pins: no op placed later can bring it back. */
function orderPassed<S, I, O>(model: Model<S, I, O>, state: S, op: Operation<I, O>): { order: number; bound: number } | undefined {
  const bound = model.orderBound?.(op.input, op.output);
  const order = model.order?.(state);
  return bound !== undefined && order !== undefined && order > bound ? { order, bound } : undefined;
}

/**
 * Whether one or two ops that may come before `op` (left over, called before `op` returned)
 * make it legal: a two-step look-ahead, so an op that merely waits for concurrent writes is not
 * blamed. Out of steps, it answers true (not blamed): a culprit is named only when sure enough.
 */
function rescued<S, I, O>(model: Model<S, I, O>, state: S, op: Operation<I, O>, rest: readonly Operation<I, O>[], placed: ReadonlySet<number>, budget: { steps: number }): boolean {
  const movers = rest.filter((q) => q.id !== op.id && !placed.has(q.id) && q.call <= op.return);
  const stepsMax = budget.steps + RESCUE_STEPS_MAX;
  for (const q of movers) {
    budget.steps += 2;
    const next = model.step(state, q.input, q.output);
    if (next === undefined) continue;
    if (model.step(next, op.input, op.output) !== undefined) return true;
    for (const r of movers) {
      if (r === q) continue;
      if ((budget.steps += 2) > stepsMax) return true;
      const after = model.step(next, r.input, r.output);
      if (after !== undefined && model.step(after, op.input, op.output) !== undefined) return true;
    }
  }
  return budget.steps > stepsMax;
}

const CANDIDATES_MAX = 400;
const FOUND_MAX = 3;
/** Model steps the whole explanation may spend (a big history's explanation stays well under a second). */
const EXPLAIN_STEPS_MAX = 200_000;

export function findUnplaceable<S, I, O>(
  model: Model<S, I, O>,
  ops: readonly Operation<I, O>[],
  prefix: { ids: readonly number[]; state: S },
): Unplaceable<S, I, O>[] {
  const done = new Set(prefix.ids);
  const rest = ops.filter((op) => !done.has(op.id));
  const bound = (op: Operation<I, O>): number => model.orderBound?.(op.input, op.output) ?? Infinity;
  // Predecessor candidates: completed ops with a known outcome (an unknown one may never have happened).
  const completed = rest.filter((op) => op.return !== Infinity && op.output !== undefined).sort((a, b) => a.return - b.return);
  const candidates = rest.filter((op) => op.output !== undefined).sort((a, b) => a.call - b.call || a.id - b.id).slice(0, CANDIDATES_MAX);
  const found: Unplaceable<S, I, O>[] = [];
  // Predecessor lists grow with the call time; when the next list extends the last one in the
  // same order, the walk resumes from the last state instead of replaying from the prefix.
  let last: { after: number[]; state: S | undefined } = { after: [], state: prefix.state };
  const budget = { steps: 0 };
  for (const op of candidates) {
    if (budget.steps > EXPLAIN_STEPS_MAX) break;
    const before = completed.filter((q) => q.return < op.call).sort((a, b) => bound(a) - bound(b) || a.return - b.return);
    const resumes = last.after.length <= before.length && last.after.every((id, i) => before[i]!.id === id);
    let state: S | undefined = resumes ? last.state : prefix.state;
    const after: number[] = resumes ? [...last.after] : [];
    for (let i = after.length; i < before.length && state !== undefined; i++) {
      const q = before[i]!;
      state = model.step(state, q.input, q.output);
      budget.steps++;
      if (state !== undefined) after.push(q.id);
    }
    last = { after, state };
    if (state === undefined || model.step(state, op.input, op.output) !== undefined) continue;
    const passed = orderPassed(model, state, op);
    if (passed !== undefined) found.push({ op, after, state, orderPassed: passed });
    else if (!rescued(model, state, op, rest, new Set(after), budget)) found.push({ op, after, state });
    if (found.length >= FOUND_MAX) break;
  }
  return found;
}
