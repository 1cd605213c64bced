// What a run needs from the simulated etcd cluster, apart from the World itself. The etcd
// member module builds the cluster (sim/etcd/cluster.ts); etcd-cluster.ts adapts it to this.
import type { MemberBug } from '../../src/server/member-config.ts';
import type { Validity } from '../check/verdict.ts';
import type { CrashMoment } from '../scenario/fault.ts';
import type { Scenario } from '../scenario/schema.ts';
import type { World } from '../world/world.ts';

export type PlantedBug = MemberBug;

export const PLANTED_BUGS: ReadonlyArray<{ name: PlantedBug; description: string }> = [
  { name: 'figure8', description: "a leader commits an older term's entry by counting replicas (Raft paper, Figure 8)" },
  { name: 'read-without-readindex', description: 'a leader answers linearizable reads from its own state, without ReadIndex' },
  { name: 'vote-without-log-check', description: 'a member votes without the up-to-date-log check' },
  { name: 'vote-before-durable', description: 'a member answers a vote before its term and vote are durable (hashicorp/raft#661)' },
  { name: 'up-to-date-term-only', description: 'the up-to-date-log vote check compares only the last terms (Raft §5.4.1 weakened)' },
  { name: 'up-to-date-index-only', description: 'the up-to-date-log vote check compares only the last indexes (Raft §5.4.1 weakened)' },
  { name: 'check-quorum-stale-activity', description: 'CheckQuorum never resets follower activity: a cut-off leader never steps down (etcd#8243 class)' },
  { name: 'pre-vote-bumps-term', description: 'a pre-candidate moves to its campaign term: a rejoining member deposes a stable leader (etcd#9586 class)' },
  { name: 'snapshot-older-accepted', description: 'a follower installs a delayed or duplicated snapshot older than its commit index (etcd#2808 class)' },
];

export function isPlantedBug(name: string): name is PlantedBug {
  return PLANTED_BUGS.some((b) => b.name === name);
}

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
  /** Leader changes seen so far and who led when, for the report. */
  leaderTimeline(): { node: string | null; term: number; startUs: number }[];
}

export type ClusterBuilder = (options: ClusterOptions) => RunCluster;
