// One history, parsed in any supported format, checked against a named model. This is the
// pure core of `detcd check`: the command line only reads files and keeps the clock (and
// loads only the model it needs; this module loads them all).
import type { ParsedHistory } from '../history/parsed-history.ts';
import { checkEtcdPairs } from './history-check/etcd.ts';
import { checkKvPairs } from './history-check/kv.ts';
import type { CheckHistoryOptions, PairsCheck } from './history-check/options.ts';
import { checkRegisterPairs } from './history-check/register.ts';
import { runHistoryCheck } from './history-check/run.ts';
import type { CheckBudget, LinearizabilityResult } from './linearizability/check.ts';
import type { ModelName } from './model-names.ts';

export { MODEL_NAMES, type ModelName } from './model-names.ts';
export type { CheckHistoryOptions } from './history-check/options.ts';

const CHECKS: Record<ModelName, PairsCheck> = { register: checkRegisterPairs, kv: checkKvPairs, etcd: checkEtcdPairs };

/**
 * Throws HistoryParseError when an op does not fit the model. A history with no operation to
 * check is "unknown: no operations", never valid.
 */
export function checkHistory(history: ParsedHistory, model: ModelName, budget: CheckBudget = {}, options: CheckHistoryOptions = {}): LinearizabilityResult {
  return runHistoryCheck(CHECKS[model], model, history, budget, options);
}
