// Swarm testing against a real etcd: the swarm's draw (sim/nemesis/swarm.ts) kept to what the
// target can do. The simulation's swarm draws from every fault package and knob, and nearly every
// seed draws something a real cluster cannot suffer (clock faults, torn writes, buggify, slow
// disks, membership: uninjectable.ts): one seed of 1..200 ran; the others were refused. Here a
// seed keeps what it drew that the target can inject: its injectable packages (one of them drawn
// when it kept none), random drops without duplication or reordering, ReadIndex reads with
// CheckQuorum on (etcd 3.4 has no other), etcd's own watch and lease constants, the machine's own
// latency and fsyncs. What it drew and left out is listed in results.json's options (`leftOut`),
// and the scenario as run (the report's) holds what ran, so a report never claims what did not run.
import type { NemesisPackageName, Scenario } from '../../scenario/schema.ts';
import { LEASE_CHECKPOINT_INTERVAL_MS_ETCD, NemesisPackages, WATCH_BATCH_MAX_REVS_ETCD, WATCH_STREAM_BUFFER_ETCD } from '../../scenario/schema.ts';
import { drawSwarm, type SwarmDraw } from '../../nemesis/swarm.ts';
import type { Prng } from '../../world/prng.ts';
import { withFields } from '../../../src/object/with-fields.ts';
import type { NetworkMode } from './network.ts';
import { refusal } from './refusals.ts';

/** Whether the target can run every fault `name` can draw, on a cluster of `members`. */
function injectable(scenario: Scenario, name: NemesisPackageName, mode: NetworkMode): boolean {
  const alone = withFields(scenario, { nemesis: withFields(scenario.nemesis, { packages: [name] }) });
  return refusal(alone, [], mode) === undefined;
}

/** The swarm's draw for a real target: `drawSwarm`'s, less what the target cannot inject. */
export function drawRealSwarm(input: Scenario, prng: Prng, mode: NetworkMode): SwarmDraw {
  const drawn = drawSwarm(input, prng);
  if (!input.swarm.enabled) return drawn;
  const s = drawn.scenario;
  // Settings first: a package is judged on the settings the run will have.
  // A MsgApp's size bound and the inflight window are constants of etcd 3.4's build: the run keeps the scenario's
  // (whose own differences from etcd's are named by notApplied), never a smaller one the swarm drew.
  const raft = withFields(s.cluster.raft, { readOnly: 'safe' as const, checkQuorum: true, sizePerMsgBytesMax: input.cluster.raft.sizePerMsgBytesMax, inflightMsgsMax: input.cluster.raft.inflightMsgsMax });
  const network = withFields(s.network, { duplicatePercent: 0, reorderPercent: 0, dropPercent: mode === 'netns' ? s.network.dropPercent : 0, snapshotDelayUsMax: 0, snapshotDuplicatePercent: 0 });
  // etcd's watch catch-up batch (watchBatchMaxRevs) and watch stream buffer are constants of its
  // build, and etcd 3.4 checkpoints leases every 5 minutes at most (no flag sets the interval):
  // the run keeps etcd's. The network's latency and the disks' fsyncs are the machine's own.
  // The catch-up entries a snapshot keeps are a constant of etcd 3.4's build too (a focused draw sets 10).
  const etcd = withFields(s.cluster.etcd, { watchBatchMaxRevs: WATCH_BATCH_MAX_REVS_ETCD, watchStreamBuffer: WATCH_STREAM_BUFFER_ETCD, leaseCheckpointing: false, leaseCheckpointIntervalMs: LEASE_CHECKPOINT_INTERVAL_MS_ETCD, snapshotCatchUpEntries: input.cluster.etcd.snapshotCatchUpEntries });
  // The real target runs no auth workload (its liveness probes do not log in): the seed's etcd traffic instead.
  // (A focused lease shape's lease workload runs as drawn: the target serves it.)
  const auth = s.workload.kind === 'auth' && input.workload.kind !== 'auth';
  const workload = auth ? withFields(s.workload, { kind: input.workload.kind }) : s.workload;
  const clients = auth ? withFields(s.clients, { watchers: input.clients.watchers, connect: input.clients.connect }) : s.clients;
  const drawnSettled = withFields(s, { network, cluster: withFields(s.cluster, { raft, etcd }), workload, clients });
  // A focused shape's own schedule (a moment shape: a cut the instant a member wins, a crash the instant a snapshot is
  // durable, membership replacements) the target may not inject: the run keeps the seed's other draws and gets a
  // package instead, and leftOut names the schedule and why.
  const scheduleRefused = s.schedule === undefined ? undefined : refusal(drawnSettled, s.schedule, mode);
  const settled = scheduleRefused === undefined ? drawnSettled : withoutSchedule(drawnSettled);
  const kept = s.nemesis.packages.filter((p) => injectable(settled, p, mode));
  const leftOut: string[] = s.nemesis.packages.filter((p) => !kept.includes(p));
  // A focused draw with its own schedule (every member killed at once) runs no package: none is drawn for it.
  if (scheduleRefused !== undefined) leftOut.push(`the schedule of focus ${JSON.stringify(drawn.options['focus'] ?? null)}: ${scheduleRefused}`);
  if (kept.length === 0 && settled.schedule === undefined) {
    const candidates = NemesisPackages.filter((p) => injectable(settled, p, mode));
    if (candidates.length === 0) throw new Error('drawRealSwarm: no nemesis package is injectable on this target');
    kept.push(prng.fork('real-swarm').pick(candidates));
  }
  if (s.network.duplicatePercent > 0) leftOut.push(`network.duplicatePercent ${s.network.duplicatePercent}`);
  if (s.network.reorderPercent > 0) leftOut.push(`network.reorderPercent ${s.network.reorderPercent}`);
  if (network.dropPercent !== s.network.dropPercent) leftOut.push(`network.dropPercent ${s.network.dropPercent}`);
  if (!s.cluster.raft.checkQuorum) leftOut.push('raft.checkQuorum false');
  if (s.cluster.raft.readOnly !== 'safe') leftOut.push(`raft.readOnly ${s.cluster.raft.readOnly}`);
  // Torn kills need a fault-injecting file system: the kills run as plain kills.
  if (s.nemesis.tornKills) leftOut.push('nemesis.tornKills');
  if (s.cluster.etcd.watchBatchMaxRevs !== WATCH_BATCH_MAX_REVS_ETCD) leftOut.push(`cluster.etcd.watchBatchMaxRevs ${s.cluster.etcd.watchBatchMaxRevs}`);
  if (s.cluster.etcd.watchStreamBuffer !== WATCH_STREAM_BUFFER_ETCD) leftOut.push(`cluster.etcd.watchStreamBuffer ${s.cluster.etcd.watchStreamBuffer}`);
  if (auth) leftOut.push(`workload.kind ${s.workload.kind}`);
  if (s.cluster.etcd.leaseCheckpointing) leftOut.push(`cluster.etcd.leaseCheckpointing every ${s.cluster.etcd.leaseCheckpointIntervalMs} ms`);
  if (s.cluster.etcd.snapshotCatchUpEntries !== etcd.snapshotCatchUpEntries) leftOut.push(`cluster.etcd.snapshotCatchUpEntries ${s.cluster.etcd.snapshotCatchUpEntries}`);
  if (s.cluster.raft.sizePerMsgBytesMax !== raft.sizePerMsgBytesMax) leftOut.push(`raft.sizePerMsgBytesMax ${s.cluster.raft.sizePerMsgBytesMax}`);
  if (s.cluster.raft.inflightMsgsMax !== raft.inflightMsgsMax) leftOut.push(`raft.inflightMsgsMax ${s.cluster.raft.inflightMsgsMax}`);
  if (s.network.snapshotDelayUsMax > 0) leftOut.push(`network.snapshotDelayUsMax ${s.network.snapshotDelayUsMax}`);
  if (s.network.snapshotDuplicatePercent > 0) leftOut.push(`network.snapshotDuplicatePercent ${s.network.snapshotDuplicatePercent}`);
  leftOut.push(`network latency ${s.network.latencyUsMin}-${s.network.latencyUsMax} µs and fsync ${s.network.fsyncUsMin}-${s.network.fsyncUsMax} µs (the machine's own)`);
  const scenario = withFields(settled, { nemesis: withFields(s.nemesis, { packages: kept, tornKills: false }) });
  const options = withFields(drawn.options, { packages: kept, network, raft: withFields(drawn.options['raft'] as Record<string, unknown>, { checkQuorum: true }) });
  return { scenario, options: withFields(options, { leftOut }) };
}

/** The scenario without its explicit schedule (its nemesis packages draw the faults again). */
function withoutSchedule(scenario: Scenario): Scenario {
  const { schedule: _dropped, ...rest } = scenario;
  return rest;
}
