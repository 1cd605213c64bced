// A history checked against the etcd model: the history is prepared first (revision gaps,
// timed-out writes, constraints from the answers and the watch events; models/etcd/history.ts).
import { checkLinearizable, type CheckBudget, type LinearizabilityResult } from '../linearizability/check.ts';
import { ANONYMOUS_GRANT_CHOICES_MAX, etcdOperations, type EtcdPrepareOptions } from '../models/etcd/history.ts';
import { createEtcdModel } from '../models/etcd/model.ts';
import { RevisionGapBound } from '../models/etcd/gap-bound.ts';
import { placeWatches } from '../models/etcd/watch-observations.ts';
import type { CheckHistoryOptions, PairsCheck } from './options.ts';
import type { OpPair } from '../../history/pair.ts';
import { withFields } from '../../../src/object/with-fields.ts';
import { withNotJudged, type NotJudged } from '../not-judged.ts';

export const checkEtcdPairs: PairsCheck = (pairs, times, budget, options) => {
  // What the preparation left unjudged (lease listings, reads before the history): said in the verdict.
  const prepared: { notJudged: readonly NotJudged[] } = { notJudged: [] };
  const result = checkChoices(pairs, times, budget, options, prepared);
  const { notJudged } = prepared;
  return notJudged.length === 0 ? result : withFields(result, { notJudged, summary: withNotJudged(result.summary ?? '', notJudged) });
};

/** The check of the first naming of anonymous grants' leases, then the others while it is not linearizable. */
function checkChoices(pairs: OpPair[], times: () => number[], budget: CheckBudget, options: CheckHistoryOptions, seen: { notJudged: readonly NotJudged[] }): LinearizabilityResult {
  const prepareOptions: EtcdPrepareOptions = {};
  if (options.initialRevision !== undefined) prepareOptions.initialRevision = options.initialRevision;
  if (options.initialDump !== undefined) prepareOptions.initialDump = options.initialDump;
  if (options.watches !== undefined && options.watches.length > 0) prepareOptions.watches = placeWatches(times(), options.watches);
  if (options.leaseClock !== undefined && Number.isFinite(options.leaseClock.jumpUsMax)) prepareOptions.leaseClock = { times: times(), ...options.leaseClock };
  const check = (choice: number, maxSteps: number | undefined): { result: LinearizabilityResult; choices: number } => {
    const prepared = etcdOperations(pairs, choice === 0 ? prepareOptions : withFields(prepareOptions, { anonymousGrantChoice: choice }));
    if (choice === 0) seen.notJudged = prepared.notJudged;
    const model = createEtcdModel(prepared.gaps, prepared.constraints, prepared.initial, { autoCompaction: options.autoCompaction === true });
    return { result: checkLinearizable(prepared.ops, model, maxSteps === undefined ? budget : withFields(budget, { maxSteps })), choices: prepared.anonymousGrantChoices };
  };
  let first: ReturnType<typeof check>;
  try {
    first = check(0, budget.maxSteps);
  } catch (err) {
    // More revisions no op made than the history's ops could make (each makes at most one, its
    // lease's expiry one more): no order fills them, as a small jump of the same kind is judged —
    // decided from their count, without listing them (10^9 of them never ended).
    if (!(err instanceof RevisionGapBound)) throw err;
    return { valid: false, model: 'etcd', ops: pairs.length, steps: 0, partitions: [], summary: `not linearizable: ${err.message}` };
  }
  if (first.result.valid !== false || first.choices <= 1) return first.result;
  // Which lease a timed-out grant with ID 0 made is not known: when the first naming of those
  // leases is not linearizable, the others are tried (ground-truth seed 31772), within what is
  // left of the step budget; the history is not linearizable only if none is.
  let steps = first.result.steps;
  let unknownReason: string | undefined;
  const tried = Math.min(first.choices, ANONYMOUS_GRANT_CHOICES_MAX);
  for (let choice = 1; choice < tried; choice++) {
    const left = budget.maxSteps === undefined ? undefined : budget.maxSteps - steps;
    if (left !== undefined && left <= 0) {
      unknownReason = `step budget: ${budget.maxSteps} model steps spent on ${choice} of the ${first.choices > ANONYMOUS_GRANT_CHOICES_MAX ? 'many' : first.choices} ways to name the leases of timed-out grants with ID 0`;
      break;
    }
    const { result } = check(choice, left);
    steps += result.steps;
    if (result.valid === true) return withFields(result, { steps });
    if (result.valid === 'unknown') unknownReason ??= result.unknownReason;
  }
  if (unknownReason === undefined && first.choices > ANONYMOUS_GRANT_CHOICES_MAX) unknownReason = `the leases of timed-out grants with ID 0 can be named more than ${ANONYMOUS_GRANT_CHOICES_MAX} ways: ${ANONYMOUS_GRANT_CHOICES_MAX} tried, none linearizable`;
  if (unknownReason === undefined) return withFields(first.result, { steps });
  const { explanation: _explanation, ...rest } = first.result;
  return withFields(rest, { valid: 'unknown' as const, steps, unknownReason, summary: `unknown: ${unknownReason}` });
}
