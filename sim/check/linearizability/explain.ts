// Why a partition is not linearizable, as data the report can draw: the longest prefix the
// search could linearize, the op that cannot follow it, the model state there, and the ops
// concurrent with that op (with whether each would be legal next).
import type { Model, Operation } from './model.ts';

export interface ExplainedOp {
  /** Index of the op's invoke in the source history. */
  index: number;
  process: number | string;
  /** The model's one-line rendering of input and output. */
  op: string;
  /** True for an unknown outcome (`info`). */
  unknown: boolean;
}

export interface ViolationExplanation {
  partition: string;
  /** The longest linearizable prefix found, in linearization order. */
  prefix: (ExplainedOp & { skipped: boolean })[];
  /** The model state after the prefix, rendered by the model. */
  state: string;
  /** The op that must come next (earliest return among the rest) but cannot. */
  blocked: ExplainedOp | undefined;
  /** Ops callable at that point, with whether the model accepts each in `state`. */
  concurrent: (ExplainedOp & { legal: boolean })[];
}

function describe<S, I, O>(model: Model<S, I, O>, op: Operation<I, O>): ExplainedOp {
  const text = model.describeOperation?.(op.input, op.output) ?? JSON.stringify({ input: op.input, output: op.output ?? null });
  return { index: op.index, process: op.process, op: text, unknown: op.output === undefined };
}

export function explainViolation<S, I, O>(
  model: Model<S, I, O>,
  partition: string,
  ops: readonly Operation<I, O>[],
  prefix: { ids: number[]; skipped: boolean[]; state: S },
): ViolationExplanation {
  const done = new Set(prefix.ids);
  let blocked: Operation<I, O> | undefined;
  for (const op of ops) {
    if (done.has(op.id) || op.return === Infinity) continue;
    if (blocked === undefined || op.return < blocked.return) blocked = op;
  }
  const concurrent: (ExplainedOp & { legal: boolean })[] = [];
  if (blocked !== undefined) {
    for (const op of ops) {
      if (done.has(op.id) || op.call > blocked.return) continue;
      concurrent.push({ ...describe(model, op), legal: model.step(prefix.state, op.input, op.output) !== undefined });
    }
  }
  return {
    partition,
    prefix: prefix.ids.map((id, i) => ({ ...describe(model, ops[id]!), skipped: prefix.skipped[i] === true })),
    state: model.describeState?.(prefix.state) ?? JSON.stringify(prefix.state),
    blocked: blocked === undefined ? undefined : describe(model, blocked),
    concurrent,
  };
}
