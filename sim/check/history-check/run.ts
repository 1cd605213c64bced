// One parsed history through one model's check: ops paired, and an empty history is
// "unknown: no operations", never valid (nothing to check, verdict.ts). Throws HistoryParseError when an op does not fit.
//
// The result counts the history's operations (its invokes, finished or not), as a run report's
// header and its terminal line do: the search itself places fewer (a failed request or an
// unanswered read changes nothing, so the model leaves it out) and may add some (a lease's
// expiry), and its count read "linearizable: 1 ops" beside "3 operations" in the same report.
import type { ParsedHistory } from '../../history/parsed-history.ts';
import { pairOps } from '../../history/pair.ts';
import { linearizableSummary, type CheckBudget, type LinearizabilityResult } from '../linearizability/check.ts';
import { withFields } from '../../../src/object/with-fields.ts';
import type { CheckHistoryOptions, PairsCheck } from './options.ts';
import { packedNumbers } from '../packed-map.ts';
import { nothingToCheck } from '../verdict.ts';

export function runHistoryCheck(check: PairsCheck, model: string, history: ParsedHistory, budget: CheckBudget, options: CheckHistoryOptions): LinearizabilityResult {
  const pairs = pairOps(history);
  if (pairs.length === 0) return { valid: 'unknown', nothing: true, model, ops: 0, steps: 0, partitions: [], unknownReason: 'no operations', summary: 'unknown: no operations' };
  const result = check(pairs, () => packedNumbers(history.ops, (o) => o.time), budget, options);
  // Nothing answered is nothing judged: ops never answered (or timed out) may each have taken
  // effect or not, at any time after their call, so any store would be linearizable with them.
  // (After the model's check: an op it cannot read is still refused.)
  if (result.valid === true && !pairs.some((p) => p.completion !== undefined && p.completion.type !== 'info')) {
    return nothingToCheck(`none of the ${pairs.length} op(s) was answered`, { model, ops: pairs.length, steps: 0, partitions: [] });
  }
  const ops = pairs.length;
  return withFields(result, result.valid === true ? { ops, summary: linearizableSummary(ops, result.partitions.length, result.steps) } : { ops });
}
