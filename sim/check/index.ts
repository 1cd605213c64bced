// The checkers' public surface, by name: what the run harness, the report and the command
// line call.
export { checkLinearizable } from './linearizability/check.ts';
export type { CheckBudget, LinearizabilityResult, PartitionResult } from './linearizability/check.ts';
export type { ViolationExplanation, ExplainedOp } from './linearizability/explain.ts';
export type { Model, Operation } from './linearizability/model.ts';
export { checkHistory, MODEL_NAMES } from './check-history.ts';
export type { ModelName } from './check-history.ts';
export { registerModel } from './models/register.ts';
export { createKvModel } from './models/kv.ts';
export { createEtcdModel } from './models/etcd/model.ts';
export { etcdOperations } from './models/etcd/history.ts';
export { syntheticEtcdHistory } from './models/etcd/synthetic.ts';
export { checkWatch } from './watch.ts';
export type { WatchCheckResult, WatchViolation, WatchGuarantee, WatchCheckOptions } from './watch.ts';
export { checkLease } from './lease.ts';
export type { LeaseCheckResult, LeaseViolation, LeaseCheckOptions } from './lease.ts';
export { checkConvergence } from './convergence.ts';
export type { ConvergenceResult, MemberStatus } from './convergence.ts';
export { checkMutex } from './mutex.ts';
export { RaftInvariants, InvariantViolation, formatViolation } from './raft-invariants.ts';
export type { InvariantName, RaftView, Violation, ViewEntry } from './raft-invariants.ts';
export { compose, composeCheckers } from './compose.ts';
export type { ComposedResult } from './compose.ts';
export { mergeValidity, composeValidity } from './verdict.ts';
export type { Validity, CheckResult } from './verdict.ts';
