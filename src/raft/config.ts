// The options of one Raft member. Defaults follow etcd where etcd has one.
import type { NodeId } from './types.ts';
import type { Storage } from './storage.ts';
import type { ReadOnlyOption } from './read-only.ts';
import { invariant } from './errors.ts';

/** The injected source of randomness (election jitter). Never a global. */
export interface RandomSource {
  /** A uniform integer in [0, n). */
  int(n: number): number;
}

/**
 * Known-unsafe behaviours that a simulation can switch on to check that its checkers catch
 * them. Each reintroduces a bug that happened in a real Raft implementation. Never enable in
 * anything but a test.
 */
export interface UnsafeOptions {
  /** Commit an entry of an older term by counting replicas (the paper's Figure 8 scenario). */
  readonly figure8?: boolean;
  /** Grant votes without the up-to-date log check (§5.4.1). */
  readonly voteWithoutLogCheck?: boolean;
  /** Answer ReadIndex at once from the leader's own commit index, without a heartbeat quorum. */
  readonly readWithoutReadIndex?: boolean;
  /** A weakened up-to-date-log check (§5.4.1): compare only the last terms, or only the last indexes. */
  readonly upToDateCheck?: 'term-only' | 'index-only' | 'vs-commit';
  /** CheckQuorum forgets to reset the followers' recent activity: a leader that once had a quorum never steps down. */
  readonly checkQuorumKeepsActivity?: boolean;
  /** A pre-candidate moves to the term it campaigns for (PreVote then no longer protects the cluster from it). */
  readonly preVoteBumpsTerm?: boolean;
  /** A candidate counts late pre-vote grants as votes: a pre-vote binds nobody, so two leaders can win one term. */
  readonly countPreVotes?: boolean;
  /**
   * A follower truncates its log after every AppendEntries it accepts, even a stale one whose
   * entries all match: entries it already acknowledged vanish (etcd#1811, etcd#2808).
   */
  readonly truncateOnStaleAppend?: boolean;
  /** Install a snapshot older than the commit index, moving the log backwards (etcd#2808). */
  readonly installOlderSnapshot?: boolean;
  /** A new leader accepts a conf change before an entry of its term commits (Ongaro, raft-dev, July 2015). */
  readonly confChangeBeforeTermCommit?: boolean;
  /** A leader accepts a conf change while an earlier one is unapplied: the pendingConfIndex check is left out (Raft thesis §4.1). */
  readonly confChangeIgnoresPending?: boolean;
  /**
   * The leader lease never runs out and survives a pre-election: a member that knew a leader
   * refuses every (pre)vote until it hears of a new term, so a dead leader is never replaced
   * (etcd#8243, etcd#9586 class).
   */
  readonly leaseNeverExpires?: boolean;
  /** CheckQuorum never steps an isolated leader down (etcd#8243, etcd#9586 class). */
  readonly checkQuorumNeverStepsDown?: boolean;
  /** Persisting one snapshot also forgets a newer one that arrived meanwhile (etcd#18055). */
  readonly forgetNewerSnapshot?: boolean;
}

export interface Config {
  readonly id: NodeId;
  /** Ticks a follower waits without hearing from a leader before campaigning (base value). */
  readonly electionTick: number;
  /** Ticks between leader heartbeats. Must be < electionTick. */
  readonly heartbeatTick: number;
  readonly storage: Storage;
  /** The last applied index on restart (entries up to it are not handed out again). */
  readonly applied?: number;
  /** The most bytes of entries in one MsgApp (at least one entry is always sent). */
  readonly maxSizePerMsgBytes?: number;
  /** The most bytes of committed entries handed to the host in one Ready. */
  readonly maxCommittedSizePerReadyBytes?: number;
  /** The most bytes of uncommitted entries a leader accepts before dropping proposals. */
  readonly maxUncommittedEntriesSizeBytes?: number;
  /** The most MsgApps in flight to one follower in replicate state. */
  readonly maxInflightMsgs?: number;
  /** The most ReadIndex requests a leader holds while waiting for a heartbeat quorum. */
  readonly maxPendingReads?: number;
  readonly checkQuorum?: boolean;
  readonly preVote?: boolean;
  readonly readOnlyOption?: ReadOnlyOption;
  readonly disableProposalForwarding?: boolean;
  /** A leader removed from the configuration steps down once the removal is applied. */
  readonly stepDownOnRemoval?: boolean;
  readonly random: RandomSource;
  readonly unsafe?: UnsafeOptions;
}

export interface ResolvedConfig extends Required<Omit<Config, 'unsafe'>> {
  readonly unsafe: UnsafeOptions;
}

export const DEFAULT_MAX_SIZE_PER_MSG_BYTES = 1024 * 1024;
export const DEFAULT_MAX_INFLIGHT_MSGS = 256;
export const DEFAULT_MAX_PENDING_READS = 4096;

export function resolveConfig(c: Config): ResolvedConfig {
  invariant(c.id !== 0, 'config-id-nonzero', () => 'cannot use none as id');
  invariant(c.heartbeatTick > 0, 'config-heartbeat-positive', () => `heartbeatTick ${c.heartbeatTick}`);
  invariant(c.electionTick > c.heartbeatTick, 'config-election-above-heartbeat',
    () => `electionTick ${c.electionTick} must be greater than heartbeatTick ${c.heartbeatTick}`);
  const readOnlyOption = c.readOnlyOption ?? 'safe';
  const checkQuorum = c.checkQuorum ?? false;
  invariant(readOnlyOption !== 'lease-based' || checkQuorum, 'config-lease-needs-checkquorum',
    () => 'CheckQuorum must be enabled when ReadOnlyOption is lease-based');
  const r: ResolvedConfig = {
    id: c.id,
    electionTick: c.electionTick,
    heartbeatTick: c.heartbeatTick,
    storage: c.storage,
    applied: c.applied ?? 0,
    maxSizePerMsgBytes: c.maxSizePerMsgBytes ?? DEFAULT_MAX_SIZE_PER_MSG_BYTES,
    maxCommittedSizePerReadyBytes: c.maxCommittedSizePerReadyBytes ?? c.maxSizePerMsgBytes ?? DEFAULT_MAX_SIZE_PER_MSG_BYTES,
    maxUncommittedEntriesSizeBytes: c.maxUncommittedEntriesSizeBytes ?? Number.MAX_SAFE_INTEGER,
    maxInflightMsgs: c.maxInflightMsgs ?? DEFAULT_MAX_INFLIGHT_MSGS,
    maxPendingReads: c.maxPendingReads ?? DEFAULT_MAX_PENDING_READS,
    checkQuorum,
    preVote: c.preVote ?? false,
    readOnlyOption,
    disableProposalForwarding: c.disableProposalForwarding ?? false,
    stepDownOnRemoval: c.stepDownOnRemoval ?? true,
    random: c.random,
    unsafe: c.unsafe ?? {},
  };
  invariant(r.maxInflightMsgs > 0, 'config-inflight-positive', () => `maxInflightMsgs ${r.maxInflightMsgs}`);
  return r;
}
