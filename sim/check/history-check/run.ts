// One parsed history through one model's check: ops paired, and an empty history is
// "unknown: no operations", never valid. Throws HistoryParseError when an op does not fit.
import type { ParsedHistory } from '../../history/parsed-history.ts';
import { pairOps } from '../../history/pair.ts';
import type { CheckBudget, LinearizabilityResult } from '../linearizability/check.ts';
import type { CheckHistoryOptions, PairsCheck } from './options.ts';
import { packedNumbers } from '../packed-map.ts';

export function runHistoryCheck(check: PairsCheck, model: string, history: ParsedHistory, budget: CheckBudget, options: CheckHistoryOptions): LinearizabilityResult {
  const pairs = pairOps(history);
  if (pairs.length === 0) return { valid: 'unknown', model, ops: 0, steps: 0, partitions: [], unknownReason: 'no operations', summary: 'unknown: no operations' };
  return check(pairs, () => packedNumbers(history.ops, (o) => o.time), budget, options);
}
