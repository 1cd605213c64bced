// What a run needs from the simulated etcd cluster, apart from the World itself. The etcd
// member module builds the cluster (sim/etcd/cluster.ts); etcd-cluster.ts adapts it to this.
import type { Validity } from '../check/verdict.ts';
import type { CrashMoment } from '../scenario/fault.ts';
import type { Scenario } from '../scenario/schema.ts';
import type { Prng } from '../world/prng.ts';
import type { World } from '../world/world.ts';
import type { PlantedBug } from '../bugs/planted-bugs.ts';


/** One member as the liveness phase and the convergence check see it. */
export interface MemberStatus {
  readonly up: boolean;
  readonly isLeader: boolean;
  readonly term: number;
  /** The MVCC store's current revision. */
  readonly revision: number;
  readonly compactRevision: number;
  /** A hash of every key-value pair (etcd's HashKV); equal stores give equal hashes. */
  readonly kvHash: string;
}

export interface ClusterOptions {
  readonly scenario: Scenario;
  readonly seed: number;
  /** The run's root stream: the world adopts it, so that every stream of the run forks from one root. */
  readonly root?: Prng;
  readonly bug?: PlantedBug | undefined;
  /** Client endpoint names to register with the world. */
  readonly clients: readonly string[];
  readonly buggify: boolean;
  readonly tornWrites: boolean;
  readonly traceLog: boolean;
}

export interface RunCluster {
  readonly world: World;
  /** Current voting members, in a stable order. */
  members(): readonly string[];
  /** True while a membership change keeps the endpoint down (removed, not yet re-added): nothing may restart it. */
  held?(id: string): boolean;
  /** The membership change still running, described (e.g. "n1 catch-up"), if any. */
  membershipChanging?(): string | undefined;
  /** Undefined for a member that is not part of the cluster. */
  status(id: string): MemberStatus | undefined;
  /** Replaces a member by a fresh one, or removes it and adds it back, through Raft; false if refused. */
  membership(action: 'replace' | 'remove-add', node: string): boolean;
  /**
   * Crashes `node` right after it next sends a granted vote or a successful append
   * acknowledgement, before its in-flight fsync completes; returns a function that disarms it.
   */
  crashAfter?(node: string, moment: CrashMoment, tornWrites: boolean, crashed: () => void): () => void;
  /** Overrides one member's fsync latency (slow disk); undefined restores the scenario's. */
  setFsyncLatency(node: string, fsyncUs: number | undefined): void;
  /** The Raft invariant observer's verdict so far (it also throws at the first violation). */
  raftInvariants(): { valid: Validity; summary: string; [detail: string]: unknown };
  /** Rare events seen so far, by name (sim/run/coverage.ts lists them). */
  events?(): Record<string, number>;
  /** Leader changes seen so far and who led when, for the report. */
  leaderTimeline(): { node: string | null; term: number; startUs: number }[];
}

export type ClusterBuilder = (options: ClusterOptions) => RunCluster;
