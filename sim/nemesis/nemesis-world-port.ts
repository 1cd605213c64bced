// What the nemesis needs from the world and the cluster, one interface per capability, so that
// each target says which ones it has: the simulated etcd run (../run/nemesis-world.ts) and the
// Raft test harness have every one (./simulated-world.ts holds the world's, written once); the
// real-etcd target (../cli/target-etcd/real-nemesis-world.ts) has time, the cluster view,
// processes and the network, and refuses the rest with `uninjectable` (its refusals, checked
// before a run, say the same reasons).
import type { Cut } from '../world/partitions.ts';
import type { Prng } from '../world/prng.ts';
import type { CrashMoment, Moment, RaftRestartSettings } from '../scenario/fault.ts';

/** The clock faults are timed on. */
export interface NemesisTime {
  nowUs(): number;
  at(timeUs: number, fn: () => void): void;
  /**
   * Calls `done` once every fault asked of the world so far is in force, where faults take
   * effect later than asked (the real target writes nftables rules and signals processes beside
   * the run); absent, every fault is in force when asked (the simulated world).
   */
  inForce?(done: () => void): void;
  /**
   * Calls `done` once the world is back where every heal asked so far leaves it: each heal in
   * force and each restarted member serving again. Where a restart takes seconds to serve (real
   * etcd: 1-2 s from start to "ready to serve"), the nemesis starts a fault its schedule put
   * after another's heal only then (nemesis.ts); absent, a healed world is ready at once.
   */
  recovered?(done: () => void): void;
}

/** A member's term and whether it believes it leads, as the nemesis resolves roles. */
export interface RaftRole {
  readonly isLeader: boolean;
  readonly term: number;
}

/** What the nemesis reads of the cluster to resolve targets ("leader", "follower", ...). */
export interface NemesisClusterView {
  /** Voting members now, in a stable order. */
  members(): readonly string[];
  /** The member that believes it leads in the highest term, if any is up. */
  leader(): string | undefined;
  /**
   * Members that are learners in the leader's configuration now; absent where a target never
   * has started learners (the real etcd target refuses membership changes).
   */
  learners?(): readonly string[];
  /** A member's term and whether it believes it leads; undefined when it is down or unknown. */
  raftStatus(node: string): RaftRole | undefined;
}

export interface NemesisNetwork {
  /** Replaces every cut among members with `cuts` (the union of active partition faults). */
  setCuts(cuts: readonly Cut[]): void;
  /** Network-wide lossiness; undefined restores the scenario's base network. */
  setLossy(lossy: { dropPercent: number; duplicatePercent: number; reorderPercent: number; delayMsMax: number } | undefined): void;
  clog(node: string): void;
  unclog(node: string): void;
  /** What `from` sends `to` (one direction of one link) arrives `extraUs` later; undefined restores the scenario's link. */
  slowLink(from: string, to: string, extraUs: number | undefined): void;
}

export interface NemesisProcesses {
  crash(node: string, tornWrites: boolean): void;
  /**
   * Crashes `node` right after it next sends a message of `moment` (before its in-flight fsync
   * completes) and calls `crashed`; returns a function that disarms the trigger.
   */
  crashAfter(node: string, moment: CrashMoment, tornWrites: boolean, crashed: () => void): () => void;
  /** Calls `fired` once at `node`'s (or the cluster's) next `moment`, in the same instant; returns a disarm. */
  afterMoment(node: string, moment: Moment, fired: () => void): () => void;
  restart(node: string): void;
  pause(node: string): void;
  resume(node: string): void;
  /** The raft settings `node` takes at its next start, and keeps (a rolling change of configuration). */
  setRaftSettings(node: string, settings: RaftRestartSettings): void;
}

export interface NemesisClocks {
  /** Adds `deltaUs` to the node's clock offset (skew) or jumps it (jump); drift in ppm. */
  clockOffset(node: string, deltaUs: number): void;
  clockJump(node: string, deltaUs: number): void;
  clockDrift(node: string, driftPpm: number): void;
  /** Clears every clock fault of a node. */
  clockReset(node: string): void;
}

export interface NemesisDisks {
  /** Every fsync of `node` takes `fsyncUs`; undefined restores its normal latency. */
  setFsyncLatency(node: string, fsyncUs: number | undefined): void;
}

export interface NemesisMembership {
  /** Replaces `node` by a fresh member, or removes it and adds it back; returns false when the cluster refused. */
  membership(action: 'replace' | 'remove-add' | 'joint-replace' | 'joint-swap', node: string): boolean;
  /**
   * Starts `operators` clients calling the member API at once (learners added and removed, a
   * different change sent as soon as the last one's outcome is unknown); returns what stops
   * them, or undefined when the cluster cannot change members this way.
   */
  memberOperators(operators: number, requestTimeoutUs: number, prng: Prng): { stop(): void } | undefined;
}

export interface NemesisLeadership {
  /**
   * etcd's MoveLeader (`etcdctl move-leader`): asks the current leader to hand leadership to
   * `to`; false when it could not be asked (no leader known, `to` leads already or is unknown)
   * or refused at once. The transfer itself may still fail (raft gives up after an election timeout).
   */
  moveLeader(to: string): boolean;
}

export interface NemesisBuggify {
  buggify(on: boolean): void;
}

/** Everything the nemesis needs from the world and the cluster. */
export interface NemesisWorld
  extends NemesisTime, NemesisClusterView, NemesisNetwork, NemesisProcesses, NemesisClocks, NemesisDisks, NemesisMembership, NemesisLeadership, NemesisBuggify {}

/** A member's role from whatever status a cluster keeps (only the two fields the nemesis reads). */
export function raftRole(status: RaftRole | undefined): RaftRole | undefined {
  return status === undefined ? undefined : { isLeader: status.isLeader, term: status.term };
}

/**
 * A target asked for a capability it does not have. Targets refuse such faults before a run
 * starts, so reaching this is a harness bug; the message names the target, what was asked and why.
 */
export function uninjectable(target: string, what: string, why: string): never {
  throw new Error(`${target}: ${what} cannot be injected: ${why} (the fault should have been refused before the run)`);
}
