// The checkers as the package exports them (detcd/check): each argument is checked first
// (public-arguments.ts), then the checker the simulator calls directly does the work.
import { checkArrayArgument } from '../errors/array-argument.ts';
import { badArgument, checkObjectArgument } from '../errors/bad-argument.ts';
import type { Op, WatchRecord } from '../history/op.ts';
import { checkConvergence as convergence } from './convergence.ts';
import type { ConvergenceResult, MemberStatus } from './convergence.ts';
import { checkLease as lease } from './lease.ts';
import { leaseTimesUnknown, timesBackward } from './history-check/lease-times.ts';
import type { LeaseCheckOptions, LeaseCheckResult } from './lease.ts';
import { checkLinearizable as linearizable } from './linearizability/check.ts';
import type { CheckBudget, LinearizabilityResult } from './linearizability/check.ts';
import type { Model, Operation } from './linearizability/model.ts';
import { guardedModel } from './model-guard.ts';
import { checkMutex as mutex } from './mutex.ts';
import type { MutexLeader } from './mutex.ts';
import { budgetArgument, LEASE_OPTION_KINDS, memberStatusesArgument, modelArgument, operationsArgument, opsArgument, optionsArgument, WATCH_OPTION_KINDS, watchRecordsArgument } from './public-arguments.ts';
import type { CheckResult } from './verdict.ts';
import { checkWatch as watch } from './watch.ts';
import type { WatchCheckOptions, WatchCheckResult } from './watch.ts';

/** Linearizability of `history` against `model` (Wing–Gong–Lowe with P-compositionality), within `budget`. */
export function checkLinearizable<S, I, O>(history: readonly Operation<I, O>[], model: Model<S, I, O>, budget: CheckBudget = {}): LinearizabilityResult {
  const fn = 'checkLinearizable';
  const ops = operationsArgument<I, O>(fn, 'history', history);
  return linearizable(ops, guardedModel(fn, 'model', modelArgument<S, I, O>(fn, 'model', model), ops), budgetArgument(fn, 'budget', budget) as CheckBudget);
}

/** etcd's watch guarantees over watch `records`, with the KV `history` where it is known. */
export function checkWatch(records: readonly WatchRecord[], history: readonly Op[] = [], options: WatchCheckOptions = {}): WatchCheckResult {
  const fn = 'checkWatch';
  return watch(watchRecordsArgument(fn, 'records', records), opsArgument(fn, 'history', history), optionsArgument<WatchCheckOptions>(fn, 'options', options, WATCH_OPTION_KINDS));
}

/** Lease safety over a history of lease and KV calls. */
export function checkLease(history: readonly Op[], options: LeaseCheckOptions = {}): LeaseCheckResult {
  const fn = 'checkLease';
  const ops = opsArgument(fn, 'history', history);
  const checked = optionsArgument<LeaseCheckOptions>(fn, 'options', options, LEASE_OPTION_KINDS);
  // A history from a program may run its clock backwards; the lease checker reads times (lease-times.ts).
  const backward = timesBackward(ops);
  return backward === undefined ? lease(ops, checked) : leaseTimesUnknown(ops, backward);
}

/** Mutual exclusion of lock holds in a history of lock calls. */
export function checkMutex(history: readonly Op[], leaders?: readonly MutexLeader[], proof?: Parameters<typeof mutex>[2]): CheckResult {
  const fn = 'checkMutex';
  if (leaders !== undefined) checkArrayArgument(fn, 'leaders', leaders, '{term, startUs} when given').forEach((l, i) => checkObjectArgument(fn, `leaders[${i}]`, l, 'a leader ({term, startUs})'));
  if (proof !== undefined && (typeof proof !== 'object' || proof === null)) throw badArgument(fn, 'proof', 'must be a renewal proof object when given', proof);
  return mutex(opsArgument(fn, 'history', history), leaders, proof);
}

/** Whether the members that answered agree on revision, compaction and hash. */
export function checkConvergence(members: readonly MemberStatus[]): ConvergenceResult {
  return convergence(memberStatusesArgument('checkConvergence', 'members', members));
}
