// Why a partition is not linearizable, as data the report can draw: the longest prefix the
// search could linearize, the model state there, the op(s) that cannot be placed and why (the
// answer the model expected beside what the op returned), the op that must come next, the ops
// concurrent with it, and the partition's ops around the violation for a time axis.
import type { Model, Operation } from './model.ts';
import { findUnplaceable, type Unplaceable } from './unplaceable.ts';
import { outputDiff, type OutputDifference } from './output-diff.ts';
import { withFields } from '../../../src/object/with-fields.ts';
import { count } from '../../text/count.ts';
import { maxOf, minOf } from '../../array/stack-safe.ts';

export interface ExplainedOp {
  /** Index of the op's invoke in the source history. */
  index: number;
  process: number | string;
  /** The model's one-line rendering of input and output. */
  op: string;
  /** True for an unknown outcome (`info`). */
  unknown: boolean;
}

/** An op that cannot be placed after the prefix and the ops that completed before it was invoked. */
export interface UnplaceableOp extends ExplainedOp {
  /** History indices of the ops placed before it: they completed before it was invoked. */
  after: number[];
  /** The last few of those, described. */
  follows: ExplainedOp[];
  /** The model state it had to follow, rendered by the model. */
  stateBefore: string;
  /** What the model would have answered there (keys and values decoded), when the model says. */
  expected?: unknown;
  /** What the op returned, in the same form. */
  returned?: unknown;
  /** Where expected and returned differ, field by field (bounded). */
  differences: OutputDifference[];
  /** One sentence: the op, what it had to follow, expected vs returned. */
  reason: string;
  /** When set: the model's order (etcd: revision) had passed the op's bound, for certain. */
  orderPassed?: { order: number; bound: number };
}

export interface ViolationExplanation {
  /** The partition's key; '' when the model checks the history as one partition. */
  partition: string;
  /** The longest linearizable prefix found, in linearization order. */
  prefix: (ExplainedOp & { skipped: boolean })[];
  /** The model state after the prefix, rendered by the model. */
  state: string;
  /** The op that must come next (earliest return among the rest) but cannot. */
  blocked: ExplainedOp | undefined;
  /** Ops callable at that point, with whether the model accepts each in `state`. */
  concurrent: (ExplainedOp & { legal: boolean })[];
  /** The ops that cannot be placed, each with why (empty when none could be singled out). */
  unplaceable: UnplaceableOp[];
  /** History indices of the partition's ops around the violation, for a time axis (bounded). */
  window: number[];
  /** How many ops the failing partition has. */
  partitionOps: number;
  /** When set: an op no linearization can place whatever the others do (Model.doomed), and why. */
  contradiction?: { index: number; op: string; reason: string };
}

/** Ops of the partition drawn around the violation, at most. */
const WINDOW_OPS_MAX = 80;
/** Predecessors described beside an unplaceable op, and differences named in its reason. */
const FOLLOWS_SHOWN = 3;
const REASON_DIFFERENCES = 2;
/** The last prefix ops the window reaches back to. */
const WINDOW_PREFIX_OPS = 12;

function describe<S, I, O>(model: Model<S, I, O>, op: Operation<I, O>): ExplainedOp {
  const text = model.describeOperation?.(op.input, op.output) ?? JSON.stringify({ input: op.input, output: op.output ?? null });
  return { index: op.index, process: op.process, op: text, unknown: op.output === undefined };
}

function stateText<S, I, O>(model: Model<S, I, O>, state: S): string {
  return model.describeState?.(state) ?? JSON.stringify(state);
}

function explainUnplaceable<S, I, O>(model: Model<S, I, O>, u: Unplaceable<S, I, O>, byId: ReadonlyMap<number, Operation<I, O>>): UnplaceableOp {
  const op = u.op;
  const follows = u.after.slice(-FOLLOWS_SHOWN).map((id) => byId.get(id)).filter((q): q is Operation<I, O> => q !== undefined).map((q) => describe(model, q));
  const out: UnplaceableOp = withFields(describe(model, op), { after: u.after.map((id) => byId.get(id)?.index ?? -1), follows, stateBefore: stateText(model, u.state), differences: [] as UnplaceableOp['differences'], reason: '' });
  if (op.output !== undefined && model.expectedOutput !== undefined && model.observedOutput !== undefined) {
    out.expected = model.expectedOutput(u.state, op.input, op.output);
    out.returned = model.observedOutput(op.input, op.output);
    out.differences = outputDiff(out.expected, out.returned);
  }
  out.reason = reasonText(out, { textCharsMax: Infinity, differences: REASON_DIFFERENCES });
  if (u.orderPassed !== undefined) out.orderPassed = u.orderPassed;
  return out;
}

/**
 * Characters of an op, a state or a value in the checker's summary, and the summary's own bound:
 * an op's text holds its whole answer (a range's every key and value), and the summary held two
 * ops' (a run page's card a page tall). The explanation keeps them whole.
 */
const SUMMARY_TEXT_CHARS_MAX = 60;
const SUMMARY_CHARS_MAX = 300;

function clipped(text: string, charsMax: number): string {
  return text.length <= charsMax ? text : `${text.slice(0, charsMax - 1)}…`;
}

/** One sentence: the op, what it had to follow, expected vs returned (each text cut at textCharsMax). */
function reasonText(u: UnplaceableOp, cut: { textCharsMax: number; differences: number }): string {
  const clip = (text: string): string => clipped(text, cut.textCharsMax);
  const last = u.follows[u.follows.length - 1];
  const following = last === undefined ? 'the linearizable prefix' : `#${last.index} ${clip(last.op)}${u.after.length > 1 ? ` and ${count(u.after.length - 1, 'more op')}` : ''} (completed before it was invoked)`;
  const diff = u.differences.slice(0, cut.differences).map((d) => `${d.path === '' ? 'the answer' : d.path} expected ${clip(d.expected)}, returned ${clip(d.returned)}`).join('; ');
  return `#${u.index} p${String(u.process)} ${clip(u.op)} cannot follow ${following}: ${diff === '' ? `the model in state ${clip(u.stateBefore)} rejects it` : diff}`;
}

/** The partition's ops overlapping the span from the prefix's last ops to the unplaceable ops. */
function windowAround<I, O>(ops: readonly Operation<I, O>[], prefixIds: readonly number[], focus: readonly Operation<I, O>[]): number[] {
  const recent = prefixIds.slice(-WINDOW_PREFIX_OPS).map((id) => ops[id]).filter((op): op is Operation<I, O> => op !== undefined);
  const anchors = [...recent, ...focus];
  if (anchors.length === 0) return [];
  const from = minOf(anchors.map((op) => op.call));
  const until = maxOf(recent.map((op) => op.call), maxOf(focus.map((op) => (op.return === Infinity ? op.call : op.return))));
  const inside = ops.filter((op) => op.call <= until && op.return >= from);
  // Keep the anchors, then the ops nearest the focus in time, within the bound.
  const centre = focus.length > 0 ? focus[0]!.call : until;
  const must = new Set(anchors.map((op) => op.id));
  const rest = inside.filter((op) => !must.has(op.id)).sort((a, b) => Math.abs(a.call - centre) - Math.abs(b.call - centre));
  const kept = [...anchors, ...rest.slice(0, Math.max(0, WINDOW_OPS_MAX - anchors.length))];
  return [...new Set(kept.sort((a, b) => a.call - b.call).map((op) => op.index))];
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
      concurrent.push(withFields(describe(model, op), { legal: model.step(prefix.state, op.input, op.output) !== undefined }));
    }
  }
  const byId = new Map(ops.map((op) => [op.id, op]));
  const found = findUnplaceable(model, ops, prefix);
  const unplaceable = found.map((u) => explainUnplaceable(model, u, byId));
  const focus = found.length > 0 ? found.map((u) => u.op) : blocked === undefined ? [] : [blocked];
  return {
    partition,
    prefix: prefix.ids.map((id, i) => withFields(describe(model, ops[id]!), { skipped: prefix.skipped[i] === true })),
    state: stateText(model, prefix.state),
    blocked: blocked === undefined ? undefined : describe(model, blocked),
    concurrent,
    unplaceable,
    window: windowAround(ops, prefix.ids, focus),
    partitionOps: ops.length,
  };
}

/**
 * The summary of a violation an op no linearization can place shows (Model.doomed): the op's
 * text cut as above (a range's answer held every key and value), the whole at the summary's
 * bound; the explanation's contradiction keeps both whole.
 */
export function contradictionSummary(op: string, index: number, reason: string): string {
  return clipped(`not linearizable: ${clipped(op, SUMMARY_TEXT_CHARS_MAX)} (history index ${index}): ${reason}`, SUMMARY_CHARS_MAX);
}

/** The checker's one-line summary (short: the explanation has the rest): the op that cannot be placed and why, else where the search stopped. */
export function violationSummary(e: ViolationExplanation): string {
  const clip = (text: string): string => clipped(text, SUMMARY_TEXT_CHARS_MAX);
  const where = e.partition === '' ? '' : ` on key ${JSON.stringify(clip(e.partition))}`;
  const first = e.unplaceable[0];
  if (first !== undefined) {
    const more = e.unplaceable.length > 1 ? ` (and ${count(e.unplaceable.length - 1, 'more op')})` : '';
    return clipped(`not linearizable${where}: ${reasonText(first, { textCharsMax: SUMMARY_TEXT_CHARS_MAX, differences: REASON_DIFFERENCES })}${more}`, SUMMARY_CHARS_MAX);
  }
  const b = e.blocked;
  const stuck = b === undefined ? 'no op can follow it' : `${clip(b.op)} (history index ${b.index}, process ${String(b.process)}) cannot follow it, nor can any op concurrent with it`;
  return clipped(`not linearizable${where}: after a linearizable prefix of ${e.prefix.length} ops (state ${clip(e.state)}), ${stuck}`, SUMMARY_CHARS_MAX);
}
