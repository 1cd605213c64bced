// The checkers' public surface, by name: what the run harness, the report and the command
// line call.
export { checkLinearizable, checkWatch, checkLease, checkMutex, checkConvergence } from './public-checkers.ts';
export type { CheckBudget, LinearizabilityResult, PartitionResult } from './linearizability/check.ts';
export type { ViolationExplanation, ExplainedOp } from './linearizability/explain.ts';
export type { Model, Operation } from './linearizability/model.ts';
export { checkHistory, MODEL_NAMES } from './check-history.ts';
export type { ModelName, OpObject } from './check-history.ts';
export { parseHistory } from '../history/parse-history.ts';
export { HistoryParseError } from '../history/parse-error.ts';
export { UsageError } from '../errors/usage-error.ts';
export type { HistoryFormat, ParsedHistory } from '../history/parsed-history.ts';
export type { Op, OpType, WatchRecord } from '../history/op.ts';
export { registerModel } from './models/register.ts';
export { createKvModel } from './models/kv.ts';
export { createEtcdModel } from './models/etcd/model.ts';
export { etcdOperations, syntheticEtcdHistory } from './public-composition.ts';
export type { WatchCheckResult, WatchViolation, WatchGuarantee, WatchCheckOptions } from './watch.ts';
export type { LeaseCheckResult, LeaseViolation, LeaseCheckOptions } from './lease.ts';
export type { ConvergenceResult, MemberStatus } from './convergence.ts';
export { InvariantViolation, formatViolation } from './raft-invariants.ts';
export { RaftInvariants } from './public-raft-invariants.ts';
export type { InvariantName, RaftView, Violation, ViewEntry } from './raft-invariants.ts';
export { compose, composeCheckers } from './public-composition.ts';
export type { ComposedResult } from './compose.ts';
export { mergeValidity, composeValidity } from './public-composition.ts';
export type { Validity, CheckResult } from './verdict.ts';
