// The settings of one member, with etcd's defaults. Times are in milliseconds of the member's
// local clock; the simulation may scale them all down (tickMs) to run more rounds per second.
import { violated } from '../invariant-violation.ts';
import type { UnsafeOptions } from '../raft/config.ts';
import type { StateMachineBug } from './apply/bugs.ts';

export interface MemberConfig {
  /** This member's raft id (non-zero). */
  id: number;
  /**
   * Raft ids of the initial voters, this member included; empty for a member that joins a
   * running cluster (etcd's --initial-cluster-state=existing): it learns the membership from
   * the snapshot the leader sends it.
   */
  peers: readonly number[];
  /** One raft tick (etcd's --heartbeat-interval): 100 ms. */
  tickMs: number;
  /** Heartbeat every this many ticks: 1. */
  heartbeatTicks: number;
  /** Election timeout in ticks (etcd's --election-timeout / heartbeat): 10. */
  electionTicks: number;
  /** Applied entries between two snapshots of the state machine (etcd: 100,000). */
  snapshotCount: number;
  /** Entries kept in the raft log behind a snapshot for slow followers (etcd: 5,000). */
  snapshotCatchUpEntries: number;
  preVote: boolean;
  checkQuorum: boolean;
  /** Lease-based linearizable reads (raft ReadOnlyLeaseBased) instead of ReadIndex quorum rounds. */
  leaseReads: boolean;
  /** Progress notifications for watches that ask for them (etcd: 10 min; its robustness tests: 100 ms). */
  progressNotifyIntervalMs?: number | undefined;
  /** etcd's --experimental-enable-lease-checkpoint. */
  leaseCheckpointing?: boolean | undefined;
  /** etcd's --experimental-lease-checkpoint-interval (5 min by default): how often a lease's remaining TTL is checkpointed. */
  leaseCheckpointIntervalMs?: number | undefined;
  /** Raft's flow control (etcd's MaxSizePerMsg, MaxInflightMsgs); raft's defaults when absent. */
  maxSizePerMsgBytes?: number | undefined;
  maxInflightMsgs?: number | undefined;
  /** Responses one watch stream buffers before its watchers become victims (etcd's chanBufLen: 128). */
  watchStreamBuffer?: number | undefined;
  /** Revisions one catch-up of an unsynced watcher sends at most before it syncs again (etcd's watchBatchMaxRevs: 1,000). */
  watchBatchMaxRevs?: number | undefined;
  /** Committed but unapplied entries past which writes are refused with "too many requests" (etcd's maxGapBetweenApplyAndCommitIndex: 5,000). */
  pendingApplyMax?: number | undefined;
  /**
   * Every other compaction (out of step between members) leaves deleting what it compacted to the
   * next one: etcd deletes compacted revisions in background batches, and a snapshot, a hash or the
   * next compaction may come first.
   */
  compactionDeletesDeferred?: boolean | undefined;
  /**
   * A write or lease request on a member that knows no leader waits until it knows one, or until
   * ReqTimeout (a write then fails "context deadline exceeded", a lease request "no leader"), as
   * etcd 3.4 holds them (src/server/leader-wait.ts); `detcd serve` sets it. Off: answered "no
   * leader" at once — the simulated runs, whose pinned outcomes have not been moved to it yet.
   */
  proposalsWaitForLeader?: boolean | undefined;
  /** Planted bugs (sim/bugs/planted-bugs.ts names them), for the harness to prove its checkers catch them. */
  unsafe?: MemberUnsafeOptions | undefined;
}

/**
 * Switches that reintroduce real bugs, one per place in the stack where a bug can be planted.
 * Never set outside a test or a simulated run.
 */
export interface MemberUnsafeOptions {
  /** Raft's own unsafe behaviours (src/raft/config.ts). */
  readonly raft?: UnsafeOptions;
  /** Serve linearizable reads from local state, without ReadIndex. */
  readonly readWithoutReadIndex?: boolean;
  /** Send a Ready's messages before its hard state and entries are durable. */
  readonly sendBeforeSync?: boolean;
  /** Answer votes (only them) before the term and vote they grant are durable. */
  readonly voteBeforeSync?: boolean;
  /** Apply (and answer) committed entries as soon as raft hands them over, before the WAL write is durable (etcd#14370). */
  readonly applyBeforePersist?: boolean;
  /** Take the state machine snapshot under raft's commit index instead of the applied index (etcd#13766). */
  readonly snapshotAtCommitIndex?: boolean;
  /** Retry a ReadIndex under the same request context and prefer its answer to a leader change (etcd#20418). */
  readonly readIndexReusesContext?: boolean;
  /** A deposed leader keeps its lessor primary and goes on revoking expired leases (Jepsen etcd 3.4.3, etcd#15247). */
  readonly deposedLessorRevokes?: boolean;
  /** State machine bugs (src/server/apply/bugs.ts). */
  readonly stateMachine?: readonly StateMachineBug[];
}

/** etcd's maxGapBetweenApplyAndCommitIndex. */
export const MAX_GAP_APPLY_COMMIT = 5_000;
/** How often the leader looks for expired leases (etcd's lessor revokeExpiredLeases loop). */
export const LEASE_CHECK_INTERVAL_MS = 500;
/**
 * A lease found expired is found again, and its revoke proposed again, this long after if it is
 * still not revoked (etcd 3.4 lessor's defaultExpiredleaseRetryInterval).
 */
export const EXPIRED_LEASE_RETRY_INTERVAL_MS = 3_000;
/** Lease revokes proposed and not yet applied, at most (etcd's leaseRevokeRate batch of 16). */
export const LEASE_REVOKES_IN_FLIGHT_MAX = 16;
/** ReadIndex requests are retried with a new id this often (etcd 3.5 readIndexRetryTime). */
export const READ_INDEX_RETRY_MS = 500;
/** Client requests waiting for their raft entry to apply, at most. */
export const PENDING_REQUESTS_MAX = 10_000;
/** Linearizable reads waiting for a read index, at most. */
export const PENDING_READS_MAX = 10_000;

export const DEFAULT_MEMBER_CONFIG: Omit<MemberConfig, 'id' | 'peers'> = {
  tickMs: 100,
  heartbeatTicks: 1,
  electionTicks: 10,
  snapshotCount: 100_000,
  snapshotCatchUpEntries: 5_000,
  preVote: true,
  checkQuorum: true,
  leaseReads: false,
};

export function electionTimeoutMs(c: MemberConfig): number {
  return c.electionTicks * c.tickMs;
}

/** etcd's ReqTimeout: 5 s + 2 × election timeout, i.e. 7 s with the defaults. */
export function requestTimeoutMs(c: MemberConfig): number {
  return 5_000 + 2 * electionTimeoutMs(c);
}

/** etcd's minimum lease TTL: ceil(3/2 × electionTicks × heartbeat), in whole seconds (2 s by default). */
export function minLeaseTtlSeconds(c: MemberConfig): number {
  return Math.ceil((3 * c.electionTicks * c.tickMs) / 2 / 1_000);
}

export function checkMemberConfig(c: MemberConfig): void {
  const ok = c.id > 0 && (c.peers.length === 0 || c.peers.includes(c.id)) && c.tickMs > 0 && c.heartbeatTicks > 0 && c.electionTicks > c.heartbeatTicks && c.snapshotCount > 0 && c.snapshotCatchUpEntries >= 0 && (c.pendingApplyMax === undefined || c.pendingApplyMax > 0);
  if (!ok) throw violated('server', 'member-config', `bad member config ${JSON.stringify(c)}`);
}
