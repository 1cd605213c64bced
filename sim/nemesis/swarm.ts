// Swarm testing (FoundationDB, Groce et al.): instead of every fault at a little, each run draws
// which fault packages are on and how the network, disks and Raft timings behave, so that
// different seeds explore different corners. The draw replaces the scenario's knobs; the
// options it drew go into results.json so the report shows them.
import { KIND_PACKAGES } from '../scenario/fault.ts';
import type { NemesisPackageName, Scenario, WorkloadKind } from '../scenario/schema.ts';
import { BuiltinNemesisPackages } from '../scenario/schema.ts';
import type { Prng } from '../world/prng.ts';
import { nemesisPackage } from './packages.ts';
import { ETCD_TRAFFIC_MIX, withWeights } from '../workload/etcd-op-names.ts';
import { withFields } from '../../src/object/with-fields.ts';
import { minLeaseTtlSeconds } from '../../src/lease/lessor.ts';
import { drawFocus } from './swarm-focus.ts';
import { maxOf } from '../array/stack-safe.ts';

/** The shortest lease the swarm grants (the schema's floor). */
const LEASE_TTL_SECONDS_MIN = 2;

/** Every package is drawn, figure8 and membership included; figure8 needs five members. */
const FIGURE8_MEMBERS = 5;
/**
 * Packages drawn after every other knob, each on the same odds as the others: they joined the
 * swarm last, and drawing them last keeps what a seed drew before (its network, timings and
 * workload); only the schedule of a seed that draws one of them changes.
 */
const DRAWN_LAST: readonly NemesisPackageName[] = ['slow-network', 'kill-majority', 'crash-after-send', 'member-api'];
// The packages the fault table's kinds declare are drawn after those, on the same odds, for the
// same reason: a kind added to the table changes only the seeds that draw its package (whose
// cluster grows to the package's membersMin, as figure8's does).
/**
 * Built-in packages that joined after the fault table's: drawn after them from a stream of their
 * own (so that a kind added to the table changes only the seeds that draw its package), on the same odds (late heartbeat answers to a paused leader, joint-consensus changes with
 * a crash at the joint configuration: shapes only named scenarios made before).
 */
const DRAWN_AFTER_DECLARED: readonly NemesisPackageName[] = ['late-answers', 'joint-membership'];
/**
 * The tenth session's packages (a crash right after a recovery made its first write durable, a
 * crash right after a snapshot's acknowledgement, a leader transfer to a member cut off): drawn
 * after every other draw, from a stream of their own, on the same odds, so that a seed that draws
 * none of them keeps its schedule.
 */
const DRAWN_LATEST: readonly NemesisPackageName[] = ['crash-after-recovery', 'crash-after-snapshot-ack', 'failed-transfer', 'joint-swap'];
/**
 * The leader cut off with its learners is drawn, from a stream of its own, only with a package
 * that starts learners (without one it is isolate-leader): a seed that draws none keeps its
 * schedule.
 */
const LEARNER_PARTITION: NemesisPackageName = 'partition-leader-learners';
const STARTS_LEARNERS: readonly NemesisPackageName[] = ['membership', 'joint-membership', 'joint-swap'];
/**
 * Not drawn as a package: a run draws PreVote once for all its members, and this package turns it
 * on member by member, so it means something only in a run that starts without PreVote. The focus
 * draw gives it such a run (swarm-focus.ts prevoteRollout).
 */
const NOT_DRAWN: readonly NemesisPackageName[] = ['prevote-rollout'];

/** The election timeout is at least this many times the drawn one-way latency bound. */
const ELECTION_LATENCY_RATIO = 10;
/** The liveness phase has at least this many election timeouts to elect, serve and converge. */
const LIVENESS_ELECTION_TIMEOUTS = 20;
/** Weights a reweighted op may get (0 takes it out of the mix). */
const MIX_WEIGHTS = [0, 30, 60] as const;

/**
 * A third of the runs: some of etcd's robustness ops reweighted (each with odds 1 in 3), the
 * scenario's own mix kept underneath. Undefined: the mix stays as it is.
 */
function drawMix(prng: Prng, base: Readonly<Record<string, number>> | undefined): Record<string, number> | undefined {
  if (!prng.chance(1, 3)) return undefined;
  const mix: Record<string, number> = { ...base };
  for (const [name] of ETCD_TRAFFIC_MIX) if (prng.chance(1, 3)) mix[name] = prng.pick(MIX_WEIGHTS);
  // Never all out: etcd's put stays in when every op was taken out.
  if (withWeights(ETCD_TRAFFIC_MIX, mix).every(([, w]) => w === 0)) mix['put'] = MIX_WEIGHTS[1];
  return mix;
}

/** The even cluster the swarm draws: a quorum is 3 of 4, not half. */
const EVEN_MEMBERS = 4;
/** prevote-rejoin's read-mostly mix: members cut off by bridge or ring partitions stay as up to date as the rest. */
const READ_MOSTLY_MIX: Readonly<Record<string, number>> = { put: 3, delete: 0, 'put-with-lease': 0, 'lease-revoke': 0, cas: 0, 'multi-op-txn': 0 };

/**
 * Shapes that once only a named scenario reached, drawn from their own stream (a seed that draws
 * none of them keeps what it drew): progress notifications
 * every 100-250 ms (etcd's robustness tests: 100 ms; a third of the runs), an even cluster
 * (a sixth; not with figure8's five), prevote-rejoin's read-mostly mix (a sixth, etcd workload),
 * snapshots on their own slow connection, sometimes sent twice (a sixth). The cut-then-pause
 * sequence is a package of the fault table, drawn with the table's packages.
 */
function drawShapes(
  prng: Prng,
  scenario: Scenario,
  etcd: { progressNotifyIntervalMs: number },
  network: { snapshotDelayUsMax: number; snapshotDuplicatePercent: number },
  workload: { mix?: Record<string, number> | undefined },
): { evenCluster: boolean } {
  if (prng.chance(1, 3)) etcd.progressNotifyIntervalMs = prng.pick([100, 150, 250]);
  const evenCluster = prng.chance(1, 6);
  if (prng.chance(1, 6) && scenario.workload.kind === 'etcd') workload.mix = { ...READ_MOSTLY_MIX };
  if (prng.chance(1, 6)) {
    network.snapshotDelayUsMax = prng.pick([100_000, 300_000]);
    network.snapshotDuplicatePercent = prng.pick([0, 50, 100]);
  }
  return { evenCluster };
}

/**
 * The lease checkpoint interval of the swarm's checkpointing runs (etcd's default, 5 min, never
 * elapses in a run): 1 s, two or three checkpoints per lease in a 3 s run. Not less: a due
 * checkpoint whose remaining TTL, rounded up to seconds, is still the granted TTL is dropped with
 * no next one (etcd's findDueScheduledCheckpoints), so the 200 and 500 ms drawn before never
 * checkpointed. Not more: lease-checkpoint-saves-elapsed failed 6 of swarm 1..100 at 1 s, 2 with
 * 1 or 1.5 s drawn. The etcd workload's leases keep their 7,200 s: a checkpoint saving the wrong
 * remaining TTL then shows as a lease expiring within the run (with TTLs of 3 or 4 intervals the
 * mutant failed 2 of 100).
 */
const LEASE_CHECKPOINT_INTERVAL_MS_SWARM = 1000;

/**
 * Lease checkpointing (etcd's --experimental-enable-lease-checkpoint) in a third of the runs,
 * from a stream of its own: no other draw of a seed moves. Without it no run ever reached the
 * checkpoint code (eighth session).
 */
function drawLeaseCheckpoints(prng: Prng, etcd: { leaseCheckpointing: boolean; leaseCheckpointIntervalMs: number }): void {
  if (!prng.chance(1, 3)) return;
  etcd.leaseCheckpointing = true;
  etcd.leaseCheckpointIntervalMs = LEASE_CHECKPOINT_INTERVAL_MS_SWARM;
}

/** Writes per tick of a trickle run: about one, so a loop that runs every tick finds the store one revision on. */
const TRICKLE_WRITES_PER_TICK = 1.5;
const TRICKLE_RATE_OPS_PER_SECOND_MIN = 30;

/**
 * A sixth of the runs trickle: watch streams that buffer one response, and about one request per
 * tick, so that a starved watcher's held batch is delivered when the store is exactly one revision
 * past it (an off-by-one there lost events; at 200 ops/s a tick sees a dozen revisions and never
 * that boundary). From a stream of its own: no other draw of a seed moves.
 */
function drawTrickle(prng: Prng, tickMs: number, etcd: { watchStreamBuffer: number }, workload: { rateOpsPerSecond: number }): void {
  if (!prng.chance(1, 6)) return;
  etcd.watchStreamBuffer = 1;
  workload.rateOpsPerSecond = Math.max(TRICKLE_RATE_OPS_PER_SECOND_MIN, Math.round((TRICKLE_WRITES_PER_TICK * 1000) / tickMs));
}

/**
 * A third of the runs that send the whole KV API send the wide one instead (range filters by
 * mod and create revision with a limit, sorts by every target, ranges ending at a written key,
 * txns reading on one branch and writing on the other: sim/workload/etcd-api-wide-ops.ts), from
 * a stream of its own: only kv-api-wide sent them, so a wrong revision bound in a range filter
 * (holdout 17's max-create-filter-exclusive) went unseen by every swarm seed.
 */
function drawWideApi(prng: Prng, workload: { kind: WorkloadKind; api: 'robustness' | 'full' | 'wide' }): void {
  if (workload.kind === 'etcd' && workload.api === 'full' && prng.chance(1, 3)) workload.api = 'wide';
}

/**
 * A quarter of the runs grant leases with the shortest TTL etcd allows for the drawn timing (its
 * minimum, ceil(1.5 x election timeout), at least 2 s) and run long enough for them to expire
 * (2 TTLs and a second), from a stream of its own: the etcd workload's leases otherwise live
 * 7,200 s, so no swarm run ever saw a lease expire (coverage: lease-expired never reached) and a
 * planted bug in expiry went unjudged.
 */
function drawShortLeases(prng: Prng, raft: { tickMs: number; electionTicks: number }, workload: { leaseTtlSeconds: number; durationMs: number }): void {
  if (!prng.chance(1, 4)) return;
  workload.leaseTtlSeconds = Math.max(LEASE_TTL_SECONDS_MIN, minLeaseTtlSeconds(raft.electionTicks, raft.tickMs));
  workload.durationMs = Math.max(workload.durationMs, 2 * workload.leaseTtlSeconds * 1000 + 1000);
}

/** Watch catch-up batch limits the swarm draws (etcd's watchBatchMaxRevs is 1,000: no run's watcher fell that far behind). */
const WATCH_BATCH_MAX_REVS_DRAWN = [5, 20, 50] as const;
/** The members' watch sync loop runs every 100 ms (etcd's syncWatchersInterval), on a tick. */
const WATCH_SYNC_INTERVAL_MS = 100;

/**
 * A quarter of the runs send an unsynced watcher its catch-up in batches of a few revisions, from
 * a stream of its own: at etcd's 1,000 no watcher of any run fell a whole batch behind, so the
 * path that resumes a catch-up after a partial batch never ran (holdout 9:
 * synced-after-partial-batch went unjudged). A watcher that resumes from the first revision then
 * needs one sync round per batch: the liveness budget covers twice the rounds the whole planned
 * history takes (swarm 99 at 2 revisions a batch: 157 rounds of 116 ms against a 10 s budget).
 */
function drawWatchBatch(prng: Prng, tickMs: number, etcd: { watchBatchMaxRevs: number }, workload: { rateOpsPerSecond: number; durationMs: number }, liveness: { budgetMs: number }): void {
  if (!prng.chance(1, 4)) return;
  etcd.watchBatchMaxRevs = prng.pick(WATCH_BATCH_MAX_REVS_DRAWN);
  const revisionsMax = Math.ceil((workload.rateOpsPerSecond * workload.durationMs) / 1000);
  const roundMs = Math.ceil(WATCH_SYNC_INTERVAL_MS / tickMs) * tickMs;
  liveness.budgetMs = Math.max(liveness.budgetMs, 2 * Math.ceil(revisionsMax / etcd.watchBatchMaxRevs) * roundMs);
}

/** How late a duplicated message's copy may arrive in the runs that draw late duplicates. */
const DUPLICATE_DELAY_US_MAX_DRAWN = [20_000, 100_000, 300_000] as const;

/**
 * Half the runs that duplicate messages deliver the copies late (up to 20-300 ms, outside the
 * link's order), from a stream of their own: a copy that travels with its original reaches a
 * member before the client sends anything else, so no run tested that a member drops a
 * duplicate arriving after newer requests (holdout 10: client-dedupe-newest-only went unjudged).
 */
function drawLateDuplicates(prng: Prng, network: { duplicatePercent: number; duplicateDelayUsMax: number }): void {
  if (network.duplicatePercent > 0 && prng.chance(1, 2)) network.duplicateDelayUsMax = prng.pick(DUPLICATE_DELAY_US_MAX_DRAWN);
}

/**
 * Half the runs' kills may tear the last unsynced WAL record (nemesis.tornKills), from a stream of
 * its own: only the torn-writes package's kills tore one before, so recovery from a torn tail ran
 * in few runs and never after the other packages' crashes (coverage: torn-write-recovered).
 */
function drawTornKills(prng: Prng, nemesis: { tornKills: boolean }): void {
  if (prng.chance(1, 2)) nemesis.tornKills = true;
}

/**
 * A quarter of the runs' watchers never ask for progress (clientv3's default), from a stream of
 * their own: a watcher asking every 100 ms learns within 100 ms that a restarted member forgot
 * its stream (the member answers that it does not know it), so no run tested the keep-alive
 * pings alone (holdout 9: watch-ping-pongs-unknown-stream, a pong for an unknown stream, went
 * unjudged). Such runs draw no watch shapes (a ranged watch learns no revision without events).
 */
function drawQuietWatchers(prng: Prng, clients: { watchProgressRequests: boolean }): void {
  if (prng.chance(1, 4)) clients.watchProgressRequests = false;
}

/**
 * An eighth of the runs send the auth workload instead (users with tokens under permission, role
 * and password changes and AuthDisable, and their watches), from a stream of its own: holdout 13's
 * auth mutants were caught by the one auth scenario alone. The harness's watchers do not log in:
 * such runs have none (as auth-permissions).
 */
/** The auth runs' traffic time at least (the swarm's 3 s left fewer than okOpsMin ok answers under the heaviest draws). */
const AUTH_DURATION_MS_MIN = 6000;

function drawAuthWorkload(prng: Prng, workload: { kind: WorkloadKind; mix?: Record<string, number> | undefined; durationMs: number }, clients: { watchers: boolean; connect: 'member' | 'cluster' | 'round-robin' }): void {
  if (!prng.chance(1, 8) || workload.kind !== 'etcd') return;
  workload.kind = 'auth';
  // Longer: each process logs in before its first request, and the admin sets up first, one request at a time.
  workload.durationMs = Math.max(workload.durationMs, AUTH_DURATION_MS_MIN);
  // The etcd op mix drawn above is not the auth workload's.
  delete workload.mix;
  clients.watchers = false;
  // Half of them balance every try round robin over the members (clientv3's balancer, scenario
  // auth-round-robin): the call right after a login then often reaches a member that has not applied
  // the login yet and must wait for it. On their own member (connect "member") the clients never
  // did, so holdout 17's token-wait-one-short was caught at one seed of 200 (a failover). Drawn
  // last on this stream: no other seed moves.
  if (prng.chance(1, 2)) clients.connect = 'round-robin';
}

/** The message size bound of a small-messages run: figure8's, a MsgApp of one to a few entries. */
const SMALL_MESSAGE_BYTES = 1024;
/** Inflight windows a small-messages run draws (figure8's 1 stalled a 50 ms-latency run's followers: not drawn). */
const SMALL_MESSAGE_INFLIGHT_DRAWN = [4, 16, 256] as const;

/**
 * An eighth of the runs bound a MsgApp to 1 KiB and draw a smaller inflight window, from a stream
 * of their own: at raft's 1 MiB one message carried the whole unsent log, so a slice that storage
 * cuts short for size across its stable and unstable halves (holdout 18's slice-joins-past-size-cut)
 * was reached only by figure8, and the swarm never sent a batch cut by size.
 */
function drawSmallMessages(prng: Prng, raft: { sizePerMsgBytesMax: number; inflightMsgsMax: number }): boolean {
  if (!prng.chance(1, 8)) return false;
  raft.sizePerMsgBytesMax = SMALL_MESSAGE_BYTES;
  raft.inflightMsgsMax = prng.pick(SMALL_MESSAGE_INFLIGHT_DRAWN);
  return true;
}

export interface SwarmDraw {
  scenario: Scenario;
  options: Record<string, unknown>;
}

export function drawSwarm(scenario: Scenario, prng: Prng): SwarmDraw {
  if (!scenario.swarm.enabled) return { scenario, options: {} };
  const odds = scenario.swarm.packageOdds;
  const candidates: readonly NemesisPackageName[] = BuiltinNemesisPackages.filter((p) => !DRAWN_LAST.includes(p) && !DRAWN_AFTER_DECLARED.includes(p) && !DRAWN_LATEST.includes(p) && p !== LEARNER_PARTITION && !NOT_DRAWN.includes(p));
  let packages = candidates.filter(() => prng.chance(1, odds));
  if (packages.length === 0) packages = [prng.pick(candidates)];
  const latencyUsMin = prng.pick([100, 500, 1000, 5000]);
  // withFields(a, { x }), not `{ ...a, x }` (slow in V8); the fields are drawn in the order written.
  const network = withFields(scenario.network, {
    latencyUsMin,
    latencyUsMax: latencyUsMin * prng.pick([1, 2, 5, 10]),
    dropPercent: prng.chance(1, 3) ? prng.intRange(1, 10) : 0,
    duplicatePercent: prng.chance(1, 3) ? prng.intRange(1, 10) : 0,
    reorderPercent: prng.chance(1, 3) ? prng.intRange(1, 20) : 0,
  });
  const fsyncUsMin = prng.pick([100, 500, 2000]);
  network.fsyncUsMin = fsyncUsMin;
  network.fsyncUsMax = fsyncUsMin * prng.pick([1, 4, 20]);
  // etcd robustness's tick/election variations, scaled to a tick of 10 to 100 ms; the election
  // timeout stays at least ELECTION_LATENCY_RATIO one-way latencies (10 ms ticks x 10 against
  // 50 ms latency elected a leader every round trip: too little traffic to judge, "unknown").
  const [tickMs, electionTicksDrawn] = prng.pick([[10, 10], [29, 9], [50, 10], [100, 10], [100, 20]] as const);
  const electionTicks = Math.max(electionTicksDrawn, Math.ceil((ELECTION_LATENCY_RATIO * network.latencyUsMax) / (tickMs * 1000)));
  const raft = withFields(scenario.cluster.raft, { tickMs, electionTicks, preVote: prng.chance(3, 4), checkQuorum: prng.chance(3, 4) });
  // Small stream buffers make slow watchers (victims) common; small snapshot counts, snapshots.
  const etcd = withFields(scenario.cluster.etcd, { snapshotCount: prng.pick([50, 100, 1000]), watchStreamBuffer: prng.pick([128, 128, 4]) });
  const membersBuiltin = packages.includes('figure8') ? Math.max(FIGURE8_MEMBERS, scenario.cluster.members) : scenario.cluster.members;
  const intervalMs = { min: prng.intRange(50, 300), max: prng.intRange(300, 1500) };
  const faultDurationMs = { min: prng.intRange(50, 500), max: prng.intRange(500, 3000) };
  // Workload knobs, drawn last (a seed's earlier draws stay what they were): half the runs send
  // the whole KV API, a third compact every 100 to 500 ms.
  const workload = withFields(scenario.workload, {
    api: prng.chance(1, 2) ? ('full' as const) : scenario.workload.api,
    compactionIntervalMs: prng.chance(1, 3) ? prng.pick([100, 200, 500]) : scenario.workload.compactionIntervalMs,
  });
  // A third of the runs' watchers resume at the compact revision after a compaction cancel.
  const clients = withFields(scenario.clients, { watchResumeAtCompactRevision: prng.chance(1, 3) || scenario.clients.watchResumeAtCompactRevision });
  const drawnLast = DRAWN_LAST.filter(() => prng.chance(1, odds));
  // Drawn after the packages (a seed keeps its packages): a third of the runs rotate watchers
  // over the members, reweight the etcd op mix, compact at the newest revision.
  if (prng.chance(1, 3)) clients.watchRotateMs = prng.pick([200, 400, 1000]);
  const mix = drawMix(prng, scenario.workload.mix);
  if (mix !== undefined && scenario.workload.kind === 'etcd') workload.mix = mix;
  if (prng.chance(1, 3)) workload.compactionRevision = 'newest';
  // The liveness budget counts election timeouts, not ms: without PreVote a member whose log is
  // behind keeps winning the race to campaign and cannot win (swarm 42: three such rounds of 2 s
  // timeouts ran out a 10 s budget).
  const liveness = withFields(scenario.liveness, { budgetMs: Math.max(scenario.liveness.budgetMs, LIVENESS_ELECTION_TIMEOUTS * tickMs * electionTicks) });
  // From a stream of their own: no other draw of a seed moves, and neither do they when a draw is added.
  const shapes = drawShapes(prng.fork('shapes'), scenario, etcd, network, workload);
  drawLeaseCheckpoints(prng.fork('lease-checkpoint'), etcd);
  drawTrickle(prng.fork('trickle'), tickMs, etcd, workload);
  drawShortLeases(prng.fork('lease-ttl'), raft, workload);
  // The packages fault kinds declare: the very last draws, so that a kind added to the table
  // changes nothing else a seed drew.
  const declared = KIND_PACKAGES.filter(() => prng.chance(1, odds));
  // From a stream of their own: a kind added to the table (one more draw above) moves none of them.
  const after = prng.fork('drawn-after-declared');
  const drawnAfter = DRAWN_AFTER_DECLARED.filter(() => after.chance(1, odds));
  const latest = prng.fork('drawn-latest');
  const drawnLatest = DRAWN_LATEST.filter(() => latest.chance(1, odds));
  const startsLearners = [...packages, ...drawnAfter, ...drawnLatest].some((p) => STARTS_LEARNERS.includes(p));
  if (startsLearners && prng.fork('learner-partition').chance(1, odds)) drawnLatest.push(LEARNER_PARTITION);
  const membersMin = maxOf([...drawnAfter, ...drawnLatest].map((p) => nemesisPackage(p).membersMin), maxOf(declared.map((p) => p.membersMin ?? 1)));
  let members = Math.max(shapes.evenCluster && membersBuiltin === 3 ? EVEN_MEMBERS : membersBuiltin, membersMin);
  const nemesis = withFields(scenario.nemesis, { packages: [...packages, ...drawnLast, ...declared.map((p) => p.name), ...drawnAfter, ...drawnLatest], intervalMs, faultDurationMs });
  drawTornKills(prng.fork('torn-kills'), nemesis);
  // Before the watch batch: its liveness budget counts the revisions of the whole traffic time.
  drawAuthWorkload(prng.fork('auth-workload'), workload, clients);
  // After the auth draw (an auth run keeps its workload), before the watch batch (its budget counts the shape's traffic).
  const focus = drawFocus(prng.fork('focus'), { nemesis, etcd, raft, network, workload });
  // After the auth and focus draws: only a run that still sends the etcd workload draws it.
  drawWideApi(prng.fork('wide-api'), workload);
  if (focus !== undefined) members = focus.members;
  drawWatchBatch(prng.fork('watch-batch'), tickMs, etcd, workload, liveness);
  drawLateDuplicates(prng.fork('late-duplicates'), network);
  drawQuietWatchers(prng.fork('quiet-watchers'), clients);
  const smallMessages = drawSmallMessages(prng.fork('small-messages'), raft);
  const drawn: Scenario = withFields(scenario, { network, nemesis, cluster: withFields(scenario.cluster, { members, raft, etcd }), workload, clients, liveness });
  if (focus?.checkers !== undefined) drawn.checkers = focus.checkers;
  if (focus?.schedule !== undefined) drawn.schedule = focus.schedule;
  // mix only when drawn, in its place among the options (they are printed in this order); the
  // lease checkpoint interval and a trickle's rate only when drawn, so that the options of the
  // runs that draw neither read as before.
  const last: Record<string, unknown> = withFields(workload.mix === undefined ? {} : { mix: workload.mix }, {
    progressNotifyIntervalMs: etcd.progressNotifyIntervalMs, snapshotDelayUsMax: network.snapshotDelayUsMax, snapshotDuplicatePercent: network.snapshotDuplicatePercent,
  });
  if (etcd.leaseCheckpointing) last['leaseCheckpointIntervalMs'] = etcd.leaseCheckpointIntervalMs;
  if (workload.rateOpsPerSecond !== scenario.workload.rateOpsPerSecond) last['rateOpsPerSecond'] = workload.rateOpsPerSecond;
  if (workload.leaseTtlSeconds !== scenario.workload.leaseTtlSeconds) last['leaseTtlSeconds'] = workload.leaseTtlSeconds;
  if (workload.durationMs !== scenario.workload.durationMs) last['durationMs'] = workload.durationMs;
  if (nemesis.tornKills !== scenario.nemesis.tornKills) last['tornKills'] = nemesis.tornKills;
  if (etcd.watchBatchMaxRevs !== scenario.cluster.etcd.watchBatchMaxRevs) last['watchBatchMaxRevs'] = etcd.watchBatchMaxRevs;
  if (clients.watchProgressRequests !== scenario.clients.watchProgressRequests) last['watchProgressRequests'] = clients.watchProgressRequests;
  if (workload.kind !== scenario.workload.kind) last['workloadKind'] = workload.kind;
  if (clients.connect !== scenario.clients.connect) last['connect'] = clients.connect;
  if (focus !== undefined) last['focus'] = focus.shape;
  if (smallMessages) Object.assign(last, { sizePerMsgBytesMax: raft.sizePerMsgBytesMax, inflightMsgsMax: raft.inflightMsgsMax });
  return {
    scenario: drawn,
    options: {
      packages: nemesis.packages, network, raft: { tickMs, electionTicks, preVote: raft.preVote, checkQuorum: raft.checkQuorum }, snapshotCount: etcd.snapshotCount, watchStreamBuffer: etcd.watchStreamBuffer, members, intervalMs: nemesis.intervalMs, faultDurationMs: nemesis.faultDurationMs,
      api: workload.api, compactionIntervalMs: workload.compactionIntervalMs, watchResumeAtCompactRevision: clients.watchResumeAtCompactRevision,
      livenessBudgetMs: liveness.budgetMs, watchRotateMs: clients.watchRotateMs, compactionRevision: workload.compactionRevision,
      ...last,
    },
  };
}
