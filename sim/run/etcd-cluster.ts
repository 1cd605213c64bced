// The run's cluster: the etcd member module's EtcdCluster (sim/etcd/cluster.ts) configured from
// a scenario, seen through the RunCluster port. Leader changes are sampled every few
// milliseconds of simulated time for the report's leader timeline.
import type { MemberConfig } from '../../src/server/member-config.ts';
import type { StateMachinePort } from '../../src/server/state-machine-port.ts';
import { EtcdCluster } from '../etcd/cluster.ts';
import { formatClusterViolation } from '../etcd/cluster-invariants.ts';
import type { Scenario } from '../scenario/schema.ts';
import { baseLink } from './nemesis-world.ts';
import type { ClusterOptions, MemberStatus, RunCluster } from './cluster-port.ts';
import { makeEtcdStateMachine } from './state-machine.ts';
import { watchRaftInvariants } from './raft-invariants.ts';

const LEADER_SAMPLE_US = 5_000;

function memberSettings(s: Scenario): ConstructorParameters<typeof EtcdCluster>[0]['settings'] {
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
    maxSizePerMsgBytes: r.maxSizePerMsgBytes,
    maxInflightMsgs: r.maxInflightMsgs,
  };
}

/** The run's cluster with the real etcd state machine. */
export function buildEtcdCluster(o: ClusterOptions): RunCluster {
  return buildClusterWith(o, makeEtcdStateMachine);
}

/** The run's cluster with any replicated state machine (tests use small ones). */
export function buildClusterWith(o: ClusterOptions, makeStateMachine: (config: MemberConfig) => StateMachinePort): RunCluster {
  const s = o.scenario;
  const cluster = new EtcdCluster({
    seed: o.seed,
    ...(o.root !== undefined ? { prng: o.root } : {}),
    members: s.cluster.members,
    settings: memberSettings(s) ?? {},
    bug: o.bug,
    // Clients reach members over TCP in etcd: their links have latency but never drop,
    // duplicate or reorder a request; the scenario's lossiness is for the peer links.
    network: { latency: baseLink(s).latency ?? { kind: 'constant', us: 0 } },
    // A crash tears the last unsynced record only when the nemesis asks for torn writes.
    disk: { fsyncLatencyUsMin: s.network.fsyncUsMin, fsyncLatencyUsMax: s.network.fsyncUsMax, tornWrite: { num: 1, den: 2 } },
    buggify: o.buggify,
    traceLog: o.traceLog,
    makeStateMachine,
  });
  const world = cluster.world;
  for (const c of o.clients) world.network.addEndpoint(c);
  for (const a of cluster.names) for (const b of cluster.names) if (a !== b) world.network.setLink(a, b, baseLink(s));
  cluster.start();
  const invariants = watchRaftInvariants(cluster);
  const clusterInvariants = cluster.observeClusterInvariants();
  const leaders: { node: string | null; term: number; startUs: number }[] = [];
  const termOf = (name: string): number => {
    const host = cluster.hosts.get(name);
    return host === undefined || !world.isUp(name) ? 0 : host.recovered.raft.status().term;
  };
  const observe = (): void => {
    const leader = cluster.leader() ?? null;
    const term = leader === null ? 0 : termOf(leader);
    const last = leaders[leaders.length - 1];
    if (last === undefined || last.node !== leader || (leader !== null && last.term !== term)) leaders.push({ node: leader, term, startUs: world.loop.now() });
  };
  const sample = (): void => {
    observe();
    world.loop.schedule(LEADER_SAMPLE_US, sample);
  };
  sample();
  return {
    world,
    members: () => cluster.members(),
    held: (id) => cluster.held(id),
    membershipChanging() {
      const r = cluster.reconfiguring();
      return r === undefined ? undefined : `${r.endpoint} ${r.phase}`;
    },
    status(id): MemberStatus | undefined {
      if (!cluster.names.includes(id)) return undefined;
      const st = cluster.status(id);
      const host = cluster.hosts.get(id);
      const up = world.isUp(id) && !world.isPaused(id) && st !== undefined && host !== undefined;
      if (!up) return { up: false, isLeader: false, term: 0, revision: 0, compactRevision: 0, kvHash: '' };
      const raft = host.recovered.raft.status();
      return { up, isLeader: raft.raftState === 'leader', term: raft.term, revision: st.revision, compactRevision: st.compactRevision, kvHash: String(st.hashKV) };
    },
    // Runs through Raft in the background (sim/etcd/reconfiguration.ts): remove, re-add as a
    // learner with an empty disk, promote. Refused while another change runs or with no leader.
    membership: (action, node) => cluster.changeMembership(action, node),
    crashAfter(node, moment, tornWrites, crashed) {
      let armed = true;
      const stop = cluster.observeRaftSends((host, m) => {
        if (!armed || host.ctx.id !== node || m.reject) return;
        if (m.type !== (moment === 'vote' ? 'MsgVoteResp' : 'MsgAppResp')) return;
        armed = false;
        // After this send, within the same instant: before any fsync in flight completes.
        world.loop.schedule(0, () => {
          stop();
          if (!world.isUp(node)) return;
          world.crash(node, tornWrites);
          world.recordFault(`crash-after-${moment}`, node);
          crashed();
        });
      });
      return () => {
        armed = false;
        stop();
      };
    },
    setFsyncLatency(node, fsyncUs) {
      const disk = world.disk(node);
      if (fsyncUs === undefined) disk.setFsyncLatency(s.network.fsyncUsMin, s.network.fsyncUsMax);
      else disk.setFsyncLatency(fsyncUs, fsyncUs);
    },
    raftInvariants: () => {
      const raft = invariants.verdict();
      const v = clusterInvariants.violation;
      const counts = { clusterChecks: clusterInvariants.checks, votesSeen: clusterInvariants.votesSeen };
      if (v === undefined || raft.valid === false) return { ...raft, ...counts };
      return { ...raft, valid: false, summary: formatClusterViolation(v), clusterViolation: v, ...counts };
    },
    // One more look when asked: a run stopped by a violation stops between samples, and the
    // leader that broke an invariant must be on the lane.
    leaderTimeline: () => {
      observe();
      return leaders.slice();
    },
    events: () => Object.fromEntries([...cluster.events.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))),
  };
}
