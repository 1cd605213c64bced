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
import { MODEL_NAMES, type ModelName } from './model-names.ts';
import type { Op } from '../history/op.ts';
import { historyArgument } from '../history/history-argument.ts';
import { badArgument } from '../errors/bad-argument.ts';
import { budgetArgument, HISTORY_OPTION_KINDS, optionsArgument } from './public-arguments.ts';

export { MODEL_NAMES, type ModelName } from './model-names.ts';
export type { CheckHistoryOptions } from './history-check/options.ts';

const CHECKS: Record<ModelName, PairsCheck> = { register: checkRegisterPairs, kv: checkKvPairs, etcd: checkEtcdPairs };

/**
 * `history`: parseHistory(text), or the op objects themselves (an op object that is not one, or
 * with an etcd field of the wrong type, is a UsageError naming the element and field, as the other
 * checkers refuse it). Throws HistoryParseError (naming its line, element + 1) when an op does not fit the model,
 * UsageError for an unknown model or a history that is neither. A history with no operation to
 * check is "unknown: no operations", never valid.
 */
/** checkHistory's options typed, and each watch record a {time, response} object. */
function checkHistoryOptions(options: unknown): CheckHistoryOptions {
  const o = optionsArgument<CheckHistoryOptions>('checkHistory', 'options', options, HISTORY_OPTION_KINDS);
  o.watches?.forEach((w, i) => {
    if (typeof w.time !== 'number' || !Number.isFinite(w.time)) throw badArgument('checkHistory', `options.watches[${i}].time`, 'must be a finite number (µs)', w.time);
    if ((w as { closed?: unknown }).closed === undefined && (typeof w.response !== 'object' || w.response === null)) throw badArgument('checkHistory', `options.watches[${i}].response`, "must be etcd's WatchResponse (an object)", w.response);
  });
  return o;
}

export function checkHistory(history: ParsedHistory | readonly OpObject[], model: ModelName, budget: CheckBudget = {}, options: CheckHistoryOptions = {}): LinearizabilityResult {
  if (!MODEL_NAMES.includes(model)) throw badArgument('checkHistory', 'model', `must be one of ${MODEL_NAMES.join(', ')}`, model);
  // The budget and options typed first, as checkLinearizable's: a maxSteps of '5' or a Symbol met the search as a number.
  const checkedBudget = budgetArgument('checkHistory', 'budget', budget) as CheckBudget;
  const checkedOptions = checkHistoryOptions(options);
  return runHistoryCheck(CHECKS[model], model, historyArgument('checkHistory', history, { etcdFields: model === 'etcd' }), checkedBudget, checkedOptions);
}

/**
 * A history detcd recorded itself (a run's, sim/run/history-checkers.ts), typed by construction:
 * checked without the argument checks checkHistory gives a program's history, which cost every run.
 */
export function checkRecordedHistory(history: ParsedHistory, model: ModelName, budget: CheckBudget, options: CheckHistoryOptions): LinearizabilityResult {
  return runHistoryCheck(CHECKS[model], model, history, budget, options);
}

/** An op as a program writes it: detcd's JSONL shape, `index` and `time` optional (array order then), as in a file. */
export type OpObject = Omit<Op, 'index' | 'time'> & Partial<Pick<Op, 'index' | 'time'>>;
