// The run's cluster: the one EtcdCluster (sim/etcd/cluster.ts, which the tests use too)
// configured from a scenario, and the observers a run attaches to it: the Raft invariants and
// the cluster invariants after every event, and the leader timeline for the report.
import { withNotJudged } from '../check/not-judged.ts';
import type { MemberConfig } from '../../src/server/member-config.ts';
import type { StateMachinePort } from '../../src/server/state-machine-port.ts';
import type { PlantedBug } from '../bugs/planted-bugs.ts';
import type { RaftInvariants } from '../check/raft-invariants.ts';
import type { Validity } from '../check/verdict.ts';
import type { ClusterInvariants } from '../etcd/cluster-invariants.ts';
import type { LeaseCheckpointCadence } from '../etcd/lease-checkpoint-cadence.ts';
import type { AuthRevisionObserver } from '../etcd/auth-revision.ts';
import type { HashKvAgreement } from '../etcd/hashkv-agreement.ts';
import { formatClusterViolation } from '../etcd/cluster-invariants.ts';
import { EtcdCluster } from '../etcd/cluster.ts';
import type { MemberSettings } from '../etcd/cluster.ts';
import type { LeaderTimeline } from '../etcd/leader-timeline.ts';
import type { LeaseCheckpointLog } from '../etcd/lease-checkpoint-log.ts';
import type { Scenario } from '../scenario/schema.ts';
import type { Prng } from '../world/prng.ts';
import { baseLink } from './nemesis-world.ts';
import { makeEtcdStateMachine } from './state-machine.ts';
import { withFields } from '../../src/object/with-fields.ts';

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
  /** Members wait for a leader as etcd 3.4's do (MemberConfig.proposalsWaitForLeader): `detcd serve`. */
  readonly proposalsWaitForLeader?: boolean;
}

/** Builds and starts the cluster of a run (tests hand in their own to plant a fault). */
export type ClusterBuilder = (options: ClusterOptions) => EtcdCluster;

interface OccasionalOptions {
  prng?: Prng;
  snapshotDelayUsMax?: number;
  snapshotDuplicatePercent?: number;
  learnerHoldUs?: number;
}

/** The cluster options a run sets only sometimes: absent, not undefined, when it does not. */
function occasionalOptions(o: ClusterOptions): OccasionalOptions {
  const s = o.scenario;
  const out: OccasionalOptions = {};
  if (o.root !== undefined) out.prng = o.root;
  if (s.network.snapshotDelayUsMax > 0) {
    out.snapshotDelayUsMax = s.network.snapshotDelayUsMax;
    out.snapshotDuplicatePercent = s.network.snapshotDuplicatePercent;
  }
  if (s.nemesis.learnerHoldMs > 0) out.learnerHoldUs = s.nemesis.learnerHoldMs * 1000;
  return out;
}

function memberSettings(s: Scenario): Partial<MemberSettings> {
  const r = s.cluster.raft;
  return {
    tickMs: r.tickMs,
    heartbeatTicks: r.heartbeatTicks,
    electionTicks: r.electionTicks,
    preVote: r.preVote,
    checkQuorum: r.checkQuorum,
    leaseReads: r.readOnly === 'lease-based',
    snapshotCount: s.cluster.etcd.snapshotCount,
    snapshotCatchUpEntries: s.cluster.etcd.snapshotCatchUpEntries,
    watchStreamBuffer: s.cluster.etcd.watchStreamBuffer,
    watchBatchMaxRevs: s.cluster.etcd.watchBatchMaxRevs,
    pendingApplyMax: s.cluster.etcd.pendingApplyMax,
    progressNotifyIntervalMs: s.cluster.etcd.progressNotifyIntervalMs,
    leaseCheckpointing: s.cluster.etcd.leaseCheckpointing,
    leaseCheckpointIntervalMs: s.cluster.etcd.leaseCheckpointIntervalMs,
    compactionDeletesDeferred: s.cluster.etcd.compactionDeletesDeferred,
    maxSizePerMsgBytes: r.sizePerMsgBytesMax,
    maxInflightMsgs: r.inflightMsgsMax,
  };
}

/** The scenario's cluster, started, with the etcd state machine or any other (tests use small ones). */
export function scenarioCluster(o: ClusterOptions, makeStateMachine: (config: MemberConfig) => StateMachinePort = makeEtcdStateMachine): EtcdCluster {
  const s = o.scenario;
  const cluster = new EtcdCluster({
    seed: o.seed,
    members: s.cluster.members,
    settings: o.proposalsWaitForLeader === true ? withFields(memberSettings(s), { proposalsWaitForLeader: true }) : memberSettings(s),
    bug: o.bug,
    // Clients reach members over TCP in etcd: their links have latency but never drop,
    // duplicate or reorder a request; the scenario's lossiness is for the peer links.
    network: { latency: baseLink(s).latency ?? { kind: 'constant', us: 0 } },
    // A crash tears the last unsynced record only when the nemesis asks for torn writes.
    disk: { fsyncLatencyUsMin: s.network.fsyncUsMin, fsyncLatencyUsMax: s.network.fsyncUsMax, tornWrite: { num: 1, den: 2 } },
    buggify: o.buggify,
    traceLog: o.traceLog,
    makeStateMachine,
    ...occasionalOptions(o),
  });
  const world = cluster.world;
  for (const c of o.clients) world.network.addEndpoint(c);
  for (const a of cluster.names) for (const b of cluster.names) if (a !== b) world.network.setLink(a, b, baseLink(s));
  cluster.start();
  return cluster;
}

/** What a run watches on its cluster from the start. */
export interface RunObservers {
  readonly raft: RaftInvariants;
  readonly cluster: ClusterInvariants;
  readonly leaders: LeaderTimeline;
  /** The committed log's lease checkpoints, as each new leader promoted (the lease checker's bound after a leader change). */
  readonly leaseCheckpoints: LeaseCheckpointLog;
  /** With lease checkpointing: each leader keeps checkpointing its leases (throws on the first that it does not). */
  readonly leaseCheckpointCadence: LeaseCheckpointCadence | undefined;
  /** Every auth change a member applies raises its auth revision (throws on the first that does not). */
  readonly authRevision: AuthRevisionObserver;
  /** Members at one revision hold one KV hash, sampled during the run (throws on the first disagreement). */
  readonly hashKv: HashKvAgreement;
}

/** Attaches the run's observers (in this order: the Raft observer runs first after every event). */
export function observeRun(cluster: EtcdCluster): RunObservers {
  return { raft: cluster.observeRaftInvariants(), cluster: cluster.observeClusterInvariants(), leaders: cluster.observeLeaders(), leaseCheckpoints: cluster.observeLeaseCheckpoints(), leaseCheckpointCadence: cluster.observeLeaseCheckpointCadence(), authRevision: cluster.observeAuthRevision(), hashKv: cluster.observeHashKvAgreement() };
}

/** The "raft" checker's verdict so far: the Raft invariants, then the cluster invariants. */
export function raftVerdict(o: RunObservers): { valid: Validity; summary: string; [detail: string]: unknown } {
  const v = o.raft.violation;
  // The observer's bound (observer-floor.ts), shown once it forgot anything: the index its
  // tables start at and how many they hold.
  const t = o.raft.tables;
  const counts = { clusterChecks: o.cluster.checks, votesSeen: o.cluster.votesSeen, ...(t.compactIndex > 0 || t.belowCompactSeen > 0 ? { observerTables: t } : {}) };
  if (v !== undefined) return { valid: false, summary: `${v.invariant} violated on ${v.member} at term ${v.term}, index ${v.index}: ${v.detail}`, violation: v, checks: o.raft.checks, ...counts };
  const c = o.cluster.violation;
  if (c !== undefined) return { valid: false, summary: formatClusterViolation(c), checks: o.raft.checks, clusterViolation: c, ...counts };
  // What the cluster invariants saw and did not judge (token-index-waited's bound, watch creates): said.
  const notJudged = o.cluster.notJudged();
  const summary = withNotJudged(`no Raft invariant broken in ${o.raft.checks} checks`, notJudged);
  return notJudged.length === 0 ? { valid: true, summary, checks: o.raft.checks, ...counts } : { valid: true, summary, checks: o.raft.checks, notJudged, ...counts };
}
