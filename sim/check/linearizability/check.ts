// Linearizability of a whole history: split it into independent partitions (when the model
// allows), then search them interleaved, smallest first, with a step quantum that doubles
// each round, so one hard partition cannot hide an easy violation in another. The first
// illegal partition decides the verdict. When the step, memory or time budget runs out
// before every partition is decided, the verdict is "unknown", never "valid".
//
// A partition with gated ops (etcd: timed-out writes that may fill a revision gap) is first
// searched trying them in 'sequel' order (those called after the last one used first, as a
// leader assigns revisions in proposal order); once that search has spent more than a few
// steps per op without deciding, two more join it, newest-first and oldest-first (a
// portfolio): each search is complete, so whichever decides first decides, and the budget is
// shared. On 40 simulated histories with 150 ms timeouts (400 k steps each): sequel alone
// left 3 undecided, newest-first 8, oldest-first 4, not the same ones; together, none. Easy
// histories (a few steps per op) never pay for the other searches.
import type { CheckResult, Validity } from '../verdict.ts';
import { contradictionSummary, explainViolation, violationSummary, type ViolationExplanation } from './explain.ts';
import type { Model, Operation } from './model.ts';
import { PartitionLayout } from './layout.ts';
import { PartitionSearch, type FloatOrder, type SearchStatus } from './search.ts';
import { withFields } from '../../../src/object/with-fields.ts';
import { packedMap } from '../packed-map.ts';
import { count } from '../../text/count.ts';

export interface CheckBudget {
  /** Model steps across all partitions. Default 200,000,000. */
  maxSteps?: number;
  /** Cached search nodes per partition (the memory bound). Default 4,000,000. */
  maxCacheEntries?: number;
  /** Returns true once time is up. Checked between quanta; the caller owns the clock. */
  deadline?: () => boolean;
  /**
   * Returns why memory is up (the process heap near its limit), else undefined. Checked between
   * quanta like `deadline`; the caller owns the probe. The cache bound counts nodes, but a node
   * holds a model state whose size only the heap shows (an etcd state is kilobytes).
   */
  memory?: () => string | undefined;
}

export interface PartitionResult {
  key: string;
  ops: number;
  valid: Validity;
  steps: number;
  cacheEntries: number;
  unknownReason?: string;
}

export interface LinearizabilityResult extends CheckResult {
  valid: Validity;
  model: string;
  ops: number;
  steps: number;
  partitions: PartitionResult[];
  /** Present when valid is false: the first partition found illegal. */
  explanation?: ViolationExplanation;
  unknownReason?: string;
}

const QUANTUM_STEPS_FIRST = 4096;
/** Bounds the time between deadline checks (tens of milliseconds of search). */
const QUANTUM_STEPS_MAX = 1 << 17;
/** Steps per op the first search may spend before the other orders join it. */
const OTHER_ORDERS_AFTER_STEPS_PER_OP = 16;
/** The orders that join the first ('sequel') on a hard partition. */
const OTHER_ORDERS: readonly FloatOrder[] = ['newest', 'oldest'];

/** Renumbers a partition's ops 0..n-1: finite returns first, each group in call order, as the search requires. */
function renumber<I, O>(ops: readonly Operation<I, O>[]): Operation<I, O>[] {
  const sorted = [...ops].sort((a, b) => Number(a.return === Infinity) - Number(b.return === Infinity) || a.call - b.call || a.id - b.id);
  return packedMap(sorted, (op, id) => (op.id === id ? op : withFields(op, { id })));
}

export function checkLinearizable<S, I, O>(
  history: readonly Operation<I, O>[],
  model: Model<S, I, O>,
  budget: CheckBudget = {},
): LinearizabilityResult {
  const parts = model.partition?.(history) ?? [{ key: '', ops: [...history] }];
  const layouts = parts.map((p) => ({ key: p.key, layout: new PartitionLayout(model, renumber(p.ops)) }));
  if (model.doomed !== undefined) {
    const deferred = searchPartitions(history, model, budget, layouts, true);
    if (deferred !== 'doomed late') return deferred;
  }
  return searchPartitions(history, model, budget, layouts, false) as LinearizabilityResult;
}

/** checkLinearizable with the doomed op asked for where a search that does not defer asks: what the deferring check must give (its tests). */
export function checkLinearizableNotDeferring<S, I, O>(history: readonly Operation<I, O>[], model: Model<S, I, O>, budget: CheckBudget = {}): LinearizabilityResult {
  const parts = model.partition?.(history) ?? [{ key: '', ops: [...history] }];
  const layouts = parts.map((p) => ({ key: p.key, layout: new PartitionLayout(model, renumber(p.ops)) }));
  return searchPartitions(history, model, budget, layouts, false) as LinearizabilityResult;
}

/**
 * The partitions searched interleaved (see the top of this file). `deferDoomed`: each search asks
 * for the doomed op later than a search that does not defer would (search.ts); until one finds it,
 * both take the very same steps (asking changes nothing else), so the result is the same unless a
 * search that does not defer would have stopped for it — 'doomed late', to be searched again
 * without deferring. A valid partition has no doomed op (Model.doomed: no linearization places
 * it), so a history found valid never needs the question; any other result is kept only when no
 * partition that passed the steps where the question is asked has one.
 */
function searchPartitions<S, I, O>(
  history: readonly Operation<I, O>[],
  model: Model<S, I, O>,
  budget: CheckBudget,
  layouts: readonly { key: string; layout: PartitionLayout<S, I, O> }[],
  deferDoomed: boolean,
): LinearizabilityResult | 'doomed late' {
  const maxSteps = budget.maxSteps ?? 200_000_000;
  const maxCacheEntries = budget.maxCacheEntries ?? 4_000_000;
  const searches = layouts
    .map(({ key, layout }) => {
      const search = new PartitionSearch(model, layout.ops, maxCacheEntries, 'sequel', layout, deferDoomed);
      return { key, search, others: [] as PartitionSearch<S, I, O>[], othersDone: !search.hasGated, passedDoomedSteps: false };
    })
    .sort((a, b) => a.search.ops.length - b.search.ops.length || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  let steps = 0;
  let quantum = QUANTUM_STEPS_FIRST;
  let illegal: (typeof searches)[number] | undefined;
  let outOfBudget: string | undefined;
  let undecided = searches.filter((s) => s.search.status === 'running');
  while (undecided.length > 0 && illegal === undefined && outOfBudget === undefined) {
    for (const s of undecided) {
      if (!s.othersDone && s.search.steps > OTHER_ORDERS_AFTER_STEPS_PER_OP * s.search.ops.length) {
        s.others = OTHER_ORDERS.map((order) => new PartitionSearch(model, s.search.ops, maxCacheEntries, order, s.search.layout, deferDoomed));
        s.othersDone = true;
      }
      let status: SearchStatus = 'running';
      for (const search of [s.search, ...s.others]) {
        const before = search.steps;
        status = search.run(Math.min(quantum, maxSteps - steps));
        if (search.doomedLate) return 'doomed late';
        if (search.passedDoomedSteps) s.passedDoomedSteps = true;
        steps += search.steps - before;
        if (status === 'valid' || status === 'invalid') {
          // A complete search decided: the other orders' searches are no longer needed.
          s.search = search;
          s.others = [];
          break;
        }
        if (status === 'unknown') {
          // One order ran out of memory: the others go on (one of them may still decide).
          const rest = [s.search, ...s.others].filter((x) => x.status === 'running');
          if (rest.length > 0) {
            s.search = rest[0]!;
            s.others = rest.slice(1);
            status = 'running';
            break;
          }
        }
        if (steps >= maxSteps) break;
      }
      if (status === 'invalid') {
        illegal = s;
        break;
      }
      if (steps >= maxSteps) outOfBudget = `step budget: ${maxSteps} model steps`;
      else if (budget.deadline?.() === true) outOfBudget = 'time budget';
      else outOfBudget = budget.memory?.();
      if (outOfBudget !== undefined) break;
    }
    undecided = undecided.filter((s) => s.search.status === 'running');
    quantum = Math.min(quantum * 2, QUANTUM_STEPS_MAX);
  }
  // A partition searched past where a search that does not defer asks, and not found valid, may have stopped there.
  if (deferDoomed && searches.some((s) => s.passedDoomedSteps && s.search.status !== 'valid' && s.search.layout.doomed !== undefined)) return 'doomed late';
  const partitions: PartitionResult[] = searches.map((s) => {
    const st = s.search.status;
    const valid: Validity = st === 'valid' ? true : st === 'invalid' ? false : 'unknown';
    const r: PartitionResult = { key: s.key, ops: s.search.ops.length, valid, steps: s.search.steps, cacheEntries: s.search.cacheEntries };
    const reason = st === 'unknown' ? s.search.unknownReason : st === 'running' ? (illegal !== undefined ? 'not needed: another partition is illegal' : outOfBudget) : undefined;
    if (reason !== undefined) r.unknownReason = reason;
    return r;
  });
  const result: LinearizabilityResult = { valid: true, model: model.name, ops: history.length, steps, partitions };
  if (illegal !== undefined) {
    result.valid = false;
    result.explanation = explainViolation(model, illegal.key, illegal.search.ops, illegal.search.longestPrefix());
    result.summary = violationSummary(result.explanation);
    const doomed = illegal.search.doomed;
    if (doomed !== undefined) {
      const op = illegal.search.ops[doomed.id]!;
      result.explanation.contradiction = { index: op.index, op: model.describeOperation?.(op.input, op.output) ?? JSON.stringify(op.input), reason: doomed.reason };
      result.summary = contradictionSummary(result.explanation.contradiction.op, op.index, doomed.reason);
    }
  } else if (partitions.some((p) => p.valid !== true)) {
    result.valid = 'unknown';
    result.unknownReason = partitions.find((p) => p.unknownReason !== undefined)?.unknownReason ?? outOfBudget ?? 'undecided';
    result.summary = `unknown: ${result.unknownReason}`;
  } else {
    result.summary = linearizableSummary(history.length, partitions.length, steps);
  }
  return result;
}

/** A valid verdict's summary: `ops` the operations judged, as the caller counts them. */
export function linearizableSummary(ops: number, partitions: number, steps: number): string {
  return `linearizable: ${count(ops, 'op')}, ${count(partitions, 'partition')}, ${count(steps, 'model step')}`;
}
