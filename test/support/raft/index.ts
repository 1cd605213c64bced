// Test support (moved out of sim/: runs never used it): the Raft-only harness, listed by name: the host, the cluster, the observer, fault
// schedules and the election timing measurement.
export { RaftHost, RAFT_HOST_DEFAULTS } from './raft-host.ts';
export type { RaftHostOptions, RaftWire } from './raft-host.ts';
export { RaftCluster, CLIENT_ID } from './raft-cluster.ts';
export type { ProposalOutcome, RaftClusterOptions } from './raft-cluster.ts';
export { InvariantViolation, RaftInvariantViolation, RaftInvariants, formatViolation } from '../../../sim/check/raft-invariants.ts';
export type { InvariantName, RaftView, Violation, ViewEntry } from '../../../sim/check/raft-invariants.ts';
export { applySchedule, describeSchedule, RAFT_FAULT_KINDS } from './fault-schedule.ts';
export type { AppliedSchedule, FaultSchedule, TimedFault } from './fault-schedule.ts';
export { RaftNemesisWorld } from './raft-nemesis-world.ts';
export { ELECTION_WAIT_MS_MAX, measureElectionAfterLeaderCrash, summarize } from './election-timing.ts';
export type { ElectionTiming, Summary } from './election-timing.ts';
export { ReplicatedLog } from './replicated-log.ts';
export type { ReplicatedLogState } from './replicated-log.ts';
export { applySchedule as applyFaultSchedule, randomSchedule } from './fault-schedule.ts';
