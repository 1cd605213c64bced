// One seeded run of a scenario against real etcd processes: the scenario's members start as
// etcd processes (each in its own network namespace when running as root), the same workload
// generators, clients and nemesis as a simulated run drive them in wall time, the liveness phase
// waits for a healed cluster to serve and converge, and the same checkers judge the history.
// The seed decides the workload and the fault schedule; the interleaving is the real machine's,
// so a replay re-runs the schedule but is not exact. Everything started is stopped and removed
// on success, failure, an exception or Ctrl-C; leftovers of a harness that died are removed at
// the next start (leftovers.ts).
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CheckResult } from '../../check/verdict.ts';
import { composeJudged } from '../../check/verdict.ts';
import { HistoryLog } from '../../etcd/history-log.ts';
import { Nemesis } from '../../nemesis/nemesis.ts';
import { expandSchedule } from '../../nemesis/schedule.ts';
import { convergence, defaultCheckers } from '../../run/checks.ts';
import { startClients } from '../../run/clients.ts';
import { historyCheckers, type HistoryContext } from '../../run/history-checkers.ts';
import type { LeaderTimelineFile } from '../../history/leader-timeline-file.ts';
import { leaderTimelineOf } from '../../run/leader-timeline-of.ts';
import { opCounts } from '../../run/results-build.ts';
import type { Results } from '../../run/results.ts';
import type { RunOutput } from '../../run/run.ts';
import type { Scenario } from '../../scenario/schema.ts';
import { createWorkload, supportsCompaction } from '../../workload/create.ts';
import { range } from '../../workload/etcd-request.ts';
import { every, repeat, stagger, timeLimit } from '../../workload/generator.ts';
import { Interpreter } from '../../workload/interpreter.ts';
import type { Scheduler } from '../../workload/interpreter.ts';
import { LockWorkload } from '../../workload/lock.ts';
import { checkMutex } from '../../check/mutex.ts';
import { renewalProof } from '../../check/renewal-proof.ts';
import { excusedViolations } from '../../check/documented-anomalies.ts';
import type { ClientCall } from '../../workload/workload.ts';
import { Prng } from '../../world/prng.ts';
import { UsageError } from '../errors.ts';
import { heapBudget } from '../heap-budget.ts';
import { gatewayClientNet } from './gateway-net.ts';
import { removeLeftovers, WORK_DIR_PREFIX } from './leftovers.ts';
import { runNames } from './names.ts';
import { namespacesAvailable } from './network.ts';
import { RealCluster } from './real-cluster.ts';
import { firstLeaderWaitMs, noFirstLeader } from './first-leader.ts';
import { RealClock } from './real-clock.ts';
import { runRealLiveness } from './real-liveness.ts';
import { transfersOf } from './real-transfers.ts';
import { watchesCaughtUpRevision } from '../../run/liveness.ts';
import type { KnownBug } from './known-bugs.ts';
import { knownBugsOf, mitigatedScenario } from './known-bugs.ts';
import { mayBeKnownBugs } from './known-bug-attribution.ts';
import { refusal } from './refusals.ts';
import { drawRealSwarm } from './real-swarm.ts';
import { drawDifference } from './replay-draw.ts';
import { notApplied } from './etcd-own-settings.ts';
import type { ServableTime } from './thin-traffic.ts';
import { thinTraffic } from './thin-traffic.ts';
import { detcdBuild } from '../harness/detcd-build.ts';
import { coverSchedule, TRAFFIC_PAST_DURATION_MS_MAX } from './schedule-cover.ts';

export const DEFAULT_ETCD_BINARY = 'etcd';
const JOBS_PROCESS_BASE = 100_000;
/** The process of the read that ends the history (apart from workers, jobs, keep-alives and probes). */
const FINAL_READ_PROCESS = 3_000_000;
/** A key no workload writes: the final read is there for its revision. */
const FINAL_READ_KEY = 'detcd/history-end';
/** A real run costs seconds of wall time: its checker may search 10× a simulated run's bound (a few seconds more at most). */
const REAL_LINEARIZABILITY_STEPS_MAX = 20_000_000;

/** What a network fault is on the real target (network.ts). */
const NETNS_FAULTS = 'packets dropped by nftables in the members\' namespaces; at a heal the TCP connections between the healed members are reset, so raft traffic resumes at once instead of after TCP\'s retransmission backoff';

export interface RealRunOptions {
  readonly binary?: string | undefined;
  readonly replay: string;
  /** Force loopback even as root (tests of the refusal path). */
  readonly loopback?: boolean;
  readonly log?: ((line: string) => void) | undefined;
  /** Step around the target version's known bugs (known-bugs.ts); true by default. */
  readonly mitigations?: boolean | undefined;
  /**
   * A replay: the run's recorded options (results.json), which the draw and the schedule must
   * give again; where they do not (another machine's or build's draw), the run is refused before
   * anything starts.
   */
  readonly recordedOptions?: Readonly<Record<string, unknown>> | undefined;
  /** Test hook: send every range as a serializable read while the history records what the workload asked for. */
  readonly serializableReadsOnTheWire?: boolean | undefined;
}

export interface RealTarget {
  kind: 'etcd';
  binary: string;
  version: string;
  network: 'netns' | 'loopback';
  /** How network faults reach the members. */
  networkFaults: string;
  replayable: string;
  /** Known bugs of this version the run stepped around, and how. */
  mitigations: string[];
  /** Known bugs of this version the run did not step around (--no-mitigations). */
  exposed: string[];
  /** Known bugs of this version no client can step around: a violation of the run may be one of them. */
  unmitigable: string[];
  /** The bugs a violation of the run may be named for (results.mayBeKnownBug): not in results.json. */
  attributable: { unmitigable: readonly KnownBug[]; shaped: readonly KnownBug[] };
}

export interface RealRunOutput extends Omit<RunOutput, 'trace' | 'checkpoints'> {
  /** The folder holding each member's data directory and log (moved into the report by the caller). */
  workDir: string;
  /** What the lease checker judged with beyond the history (the report's leader-timeline.jsonl, for `detcd check`). */
  leaderTimeline: LeaderTimelineFile;
}

/** The etcd binary's version ("3.4.23"), or a usage error naming the binary. */
export function etcdVersion(binary: string): string {
  let out: string;
  try {
    // Its stderr is read, not passed through: a refusal is one line, with the binary's own words in it.
    out = execFileSync(binary, ['--version'], { encoding: 'utf8', timeout: VERSION_WAIT_MS, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    throw new UsageError(`--etcd ${binary}: cannot run it (${versionFailure(err as Error & { status?: number | null; signal?: string | null; stderr?: string; code?: string })})`);
  }
  const m = /etcd Version:\s*(\S+)/.exec(out);
  if (m === null) throw new UsageError(`--etcd ${binary}: not an etcd binary ('--version' printed no etcd version)`);
  return m[1] as string;
}

/** How long `etcd --version` may take. */
const VERSION_WAIT_MS = 10_000;

/** Why `--version` failed: spawn's error code (ENOENT, EACCES), or its exit and the first line it wrote to stderr. */
function versionFailure(err: Error & { status?: number | null; signal?: string | null; stderr?: string; code?: string }): string {
  const said = (err.stderr ?? '').split('\n').find((l) => l.trim() !== '')?.trim().slice(0, 200);
  if (err.code === 'ETIMEDOUT') return `'--version' gave no answer within ${VERSION_WAIT_MS / 1000} s`;
  if (err.status === undefined || err.status === null) {
    if (err.signal !== undefined && err.signal !== null) return `'--version' ended by ${err.signal}${said === undefined ? '' : `: ${said}`}`;
    if (err.code === 'ENOENT') return 'no such file, nor a program of that name on PATH (ENOENT)';
    if (err.code === 'EACCES') return 'not an executable file (EACCES)';
    return err.code ?? err.message.split('\n')[0] ?? 'failed';
  }
  return `'--version' exit status ${err.status}${said === undefined ? '' : `: ${said}`}`;
}

export async function runRealEtcd(input: Scenario, seed: number, options: RealRunOptions): Promise<RealRunOutput> {
  const log = options.log ?? (() => undefined);
  const binary = options.binary ?? DEFAULT_ETCD_BINARY;
  const root = new Prng(seed);
  const mode = options.loopback !== true && namespacesAvailable() ? 'netns' : 'loopback';
  const { scenario, options: drawn } = drawRealSwarm(input, root.fork('swarm'), mode);
  const schedule = expandSchedule(scenario, root.fork('nemesis-schedule'));
  const refused = refusal(scenario, schedule, mode);
  if (refused !== undefined) throw new UsageError(`scenario ${scenario.name}: ${refused}`);
  if (options.recordedOptions !== undefined) {
    // leftOut describes the draw (its words may change between builds); the rest is the draw.
    const { expect: _expect, leftOut: _recordedLeftOut, ...recorded } = options.recordedOptions;
    const { leftOut: _leftOut, ...now } = drawn;
    const differs = drawDifference(recorded, { ...now, schedule });
    if (differs !== undefined) throw new UsageError(`the replay would not run what ran: seed ${seed} draws another run here (${differs})${mode === 'loopback' ? '; without network namespaces (run as root) the swarm keeps no network fault' : ''}`);
  }
  const version = etcdVersion(binary);
  const bugs = knownBugsOf(version, scenario);
  const steppable = bugs.filter((b) => b.mitigation !== 'none');
  const mitigate = options.mitigations !== false;
  const removed = removeLeftovers();
  if (removed.namespaces.length + removed.links.length + removed.processes + removed.dirs.length > 0) {
    log(`removed leftovers of an earlier run: ${removed.processes} processes, ${removed.namespaces.length} namespaces, ${removed.links.length} links, ${removed.dirs.length} folders`);
  }
  const workDir = join(tmpdir(), `${WORK_DIR_PREFIX}${process.pid}`);
  rmSync(workDir, { recursive: true, force: true });
  mkdirSync(workDir, { recursive: true });
  const clock = new RealClock();
  const cluster = new RealCluster({ scenario, binary, workDir, names: runNames(process.pid), mode, clock });
  const target: RealTarget = {
    kind: 'etcd',
    binary,
    version,
    network: mode,
    networkFaults: mode === 'netns' ? NETNS_FAULTS : 'none: the members share loopback, and network faults are refused',
    replayable: "the workload and the fault schedule (from the seed); not the interleaving, which is the real machine's",
    mitigations: mitigate ? steppable.map((b) => `${b.id}: ${b.mitigationText}`) : [],
    exposed: mitigate ? [] : steppable.map((b) => `${b.id}: ${b.what}`),
    unmitigable: bugs.filter((b) => b.mitigation === 'none').map((b) => `${b.id}: ${b.what}`),
    // Shapes are evidence whatever the scenario: every bug of the release that has one.
    attributable: { unmitigable: bugs.filter((b) => b.mitigation === 'none'), shaped: knownBugsOf(version).filter((b) => b.watchShape !== undefined) },
  };
  // Ctrl-C or a crash of the harness must not leave processes or namespaces behind.
  const onSignal = (): void => {
    void cluster.destroy().finally(() => process.exit(130));
  };
  const onExit = (): void => {
    for (const m of cluster.members) if (m.pid !== undefined) tryKill(m.pid);
    cluster.network.destroy();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  process.once('exit', onExit);
  try {
    // What the clients send: the scenario with the known bugs stepped around (target.mitigations says which).
    const sent = mitigate ? mitigatedScenario(scenario, steppable) : scenario;
    return await drive(scenario, sent, seed, drawn, schedule, root, cluster, clock, target, options, workDir, log);
  } finally {
    await cluster.destroy();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    process.off('exit', onExit);
  }
}

function tryKill(pid: number): void {
  try {
    process.kill(pid, 'SIGCONT');
    process.kill(pid, 'SIGKILL');
  } catch {
    // gone already
  }
}

async function drive(
  scenario: Scenario,
  sent: Scenario,
  seed: number,
  drawn: Record<string, unknown>,
  schedule: RealRunOutput['schedule'],
  root: Prng,
  cluster: RealCluster,
  clock: RealClock,
  target: RealTarget,
  options: RealRunOptions,
  workDir: string,
  log: (line: string) => void,
): Promise<RealRunOutput> {
  const wallStart = Date.now();
  log(`starting ${scenario.cluster.members} etcd ${target.version} members (${target.network === 'netns' ? 'one network namespace each' : 'loopback'})`);
  cluster.start();
  const history = new HistoryLog(() => clock.nowUs());
  const leaderWaitMs = firstLeaderWaitMs(scenario.cluster.raft.tickMs * scenario.cluster.raft.electionTicks);
  if (!(await cluster.waitForLeader(leaderWaitMs))) throw noFirstLeader(cluster, target.binary, leaderWaitMs, workDir);
  const nets: { close(): void }[] = [];
  const clients = startClients((id, onMessage) => {
    const net = gatewayClientNet(id, {
      url: (m) => cluster.urls.get(m),
      agent: cluster.agent,
      requestAbortMs: scenario.clients.requestTimeoutMs + 5_000,
      serializableReads: options.serializableReadsOnTheWire === true,
    }, clock, onMessage);
    nets.push(net);
    return net;
  }, cluster.memberIds(), sent, history, !target.mitigations.some((m) => m.startsWith('etcd#15220')));
  const scheduler: Scheduler = { nowUs: () => clock.nowUs(), at: (t, fn) => clock.at(t, fn) };
  const workload = createWorkload({ scenario: sent, prng: root.fork('workload-exec'), clock: { nowUs: () => clock.nowUs(), after: (d, fn) => void clock.schedule(d, fn) } });
  const durationUs = scenario.workload.durationMs * 1000;
  const startUs = clock.nowUs();
  const loadAtStart = loadavg()[0] ?? 0;
  const callOf = (worker: number): ClientCall => (req, process, done) => clients.workers[worker]?.call(req, process, done);
  // The generators may run past the scenario's duration (schedule-cover.ts): the interpreters stop when the traffic ends.
  const generatorUs = durationUs + TRAFFIC_PAST_DURATION_MS_MAX * 1000;
  const gen = timeLimit(generatorUs, stagger(1_000_000 / scenario.workload.rateOpsPerSecond, workload.generator()));
  const interpreters = [new Interpreter(gen, scenario.clients.count, scheduler, root.fork('workload'), (op, done) => workload.execute(op, callOf(op.worker), done))];
  if (scenario.workload.compactionIntervalMs > 0 && supportsCompaction(scenario)) {
    const compactions = timeLimit(generatorUs, every(scenario.workload.compactionIntervalMs * 1000, repeat({ f: 'compact', value: { key: '' } })));
    const jobCall: ClientCall = (req, process, done) => clients.jobs.call(req, process, done);
    interpreters.push(new Interpreter(compactions, 1, scheduler, root.fork('jobs'), (op, done) => workload.execute(op, jobCall, done), JOBS_PROCESS_BASE));
  }
  // The scenario's background loss (network.dropPercent), as the simulated network drops from
  // the start; a lossy fault replaces it while it lasts and puts it back when it heals.
  if (scenario.network.dropPercent > 0) cluster.network.setDropPercent(scenario.network.dropPercent);
  await cluster.settle();
  const nemesis = new Nemesis(cluster.nemesisWorld(), root.fork('nemesis'));
  nemesis.schedule(schedule, startUs);
  for (const i of interpreters) i.start();
  log(`traffic and faults for ${scenario.workload.durationMs} ms`);
  await clock.sleep(scenario.workload.durationMs);
  const pastUs = await coverSchedule(clock, () => nemesis.scheduleStarts, startUs + durationUs);
  if (pastUs > 0) log(`traffic ran ${msOf(pastUs)} ms past ${scenario.workload.durationMs} ms, until every fault of the schedule had started`);
  for (const i of interpreters) i.stop();
  const stopUs = clock.nowUs();
  // Before the heal: what the cluster could serve while traffic ran (thin-traffic.ts).
  const servable: ServableTime = { trafficUs: stopUs - startUs, ...cluster.servableUs(startUs, stopUs), loadPerCore: Math.max(loadAtStart, loadavg()[0] ?? 0) / Math.max(1, availableParallelism()) };
  nemesis.healAll();
  if (nemesis.faultsNotRun > 0) log(`${nemesis.faultsNotRun} faults of the schedule did not run: each waits until the faults before it have recovered (restarted members serving), and the traffic ended first (${TRAFFIC_PAST_DURATION_MS_MAX} ms past its duration at most)`);
  await cluster.settle();
  cluster.network.healAll();
  await cluster.settle();
  log('healed; liveness phase');
  const liveness = await runRealLiveness(cluster, clients.workers, clients.watchers, scenario.liveness.budgetMs);
  // Let requests still in flight complete (their timeouts are bounded) before judging.
  const drainUntil = Date.now() + scenario.clients.requestTimeoutMs * 3 + 1_000;
  while (interpreters.some((i) => i.outstanding > 0) && Date.now() < drainUntil) await clock.sleep(50);
  for (const w of clients.watchers) w.cancel();
  // The history ends with a linearizable read, after every watch event it records. A write whose
  // client timed out may take effect seconds later (its proposal, forwarded across a partition,
  // arrives after the heal), after every other answer: only a watcher sees it. Without a later
  // answer its revision would lie past the history's last one, where no gap is known for it to
  // fill, and the checker would call a correct etcd not linearizable.
  const last = clients.workers[0];
  if (last !== undefined) await new Promise<void>((resolve) => last.call(range(FINAL_READ_KEY), FINAL_READ_PROCESS, () => resolve()));
  for (const n of nets) n.close();
  clock.stop();
  if (clock.errors.length > 0) throw clock.errors[0] instanceof Error ? clock.errors[0] : new Error(String(clock.errors[0]));
  const lockHistory = workload instanceof LockWorkload ? workload.history : undefined;
  const { checkers, ctx } = judge(scenario, history, lockHistory, liveness, cluster, transfersOf(nemesis.intervals, scenario.cluster.raft.electionTicks * scenario.cluster.raft.tickMs * 1000, clock.nowUs()));
  const results = buildRealResults(scenario, seed, drawn, schedule, checkers, history, nemesis, cluster, target, options.replay, Date.now() - wallStart, clock.nowUs(), servable, pastUs);
  const out: RealRunOutput = { results, history: history.ops, watches: history.watches, scenario, schedule, workDir, leaderTimeline: leaderTimelineOf(cluster.memberIds(), ctx, history.ops, { samples: cluster.poller.samples, stopped: cluster.stopped, samplesTruncated: cluster.poller.samplesTruncated }) };
  if (lockHistory !== undefined) out.lockHistory = lockHistory;
  return out;
}

const leaderChangesOf = (cluster: RealCluster): number[] => cluster.poller.leaders.map((l) => l.startUs);


/** The run's checkers, and the context its history checkers judged with (the report keeps it: leader-timeline-of.ts). */
function judge(scenario: Scenario, history: HistoryLog, lockHistory: RealRunOutput['lockHistory'], liveness: Awaited<ReturnType<typeof runRealLiveness>>, cluster: RealCluster, transfers: { transfersUs: number[]; transferEndsUs: number[] }): { checkers: Record<string, CheckResult>; ctx: HistoryContext } {
  // The Raft invariants watch every member's internal state on every event: a real process does
  // not show it, so that checker does not run here (results.json says so under `target`).
  const names = new Set(scenario.checkers ?? defaultCheckers(scenario));
  names.delete('raft');
  const out: Record<string, CheckResult> = {};
  const { valid, summary, ...detail } = liveness;
  out['liveness'] = { valid, summary, ...detail };
  if (names.has('convergence')) out['convergence'] = convergence(liveness);
  // Which keep-alives renewed on the leader in office, from the polled statuses and the members
  // the nemesis stopped (a real etcd's answers do not name the renewing leader's term).
  const proof = renewalProof(cluster.memberIds(), cluster.poller.samples, cluster.stopped);
  if (names.has('lock')) out['lock'] = checkMutex(lockHistory ?? [], undefined, proof);
  const leaderChangesUs = leaderChangesOf(cluster);
  const caughtUp = watchesCaughtUpRevision(liveness);
  const ctx: HistoryContext = { scenario, leaderChangesUs, ...transfers, renewalProof: proof, historyTruncated: history.truncated, linearizabilityStepsMax: REAL_LINEARIZABILITY_STEPS_MAX, linearizabilityMemory: heapBudget(), ...(caughtUp === undefined ? {} : { watchesCaughtUpRevision: caughtUp }) };
  Object.assign(out, historyCheckers(names, history.ops, history.watches, ctx));
  return { checkers: out, ctx };
}

function buildRealResults(
  scenario: Scenario, seed: number, drawn: Record<string, unknown>, schedule: RealRunOutput['schedule'], checkers: Record<string, CheckResult>,
  history: HistoryLog, nemesis: Nemesis, cluster: RealCluster, target: RealTarget, replay: string, wallMs: number, elapsedUs: number, servable: ServableTime, trafficPastUs: number,
): Results {
  const { ops, opsByF } = opCounts(history.ops);
  const excused = excusedViolations(scenario, checkers, { faultKinds: new Set(nemesis.intervals.map((i) => i.kind)), leaderChanges: Math.max(0, cluster.poller.leaders.length - 1) });
  let valid = composeJudged(Object.entries(checkers).filter(([n]) => !excused.has(n)).map(([, c]) => c));
  let error: string | undefined;
  const thin = valid === true ? thinTraffic(scenario, ops, servable) : undefined;
  if (thin !== undefined) {
    valid = 'unknown';
    error = thin;
  }
  if (history.truncated && valid === true) {
    valid = 'unknown';
    error = 'the history reached its bound and was truncated: what was not recorded was not checked';
  }
  const leaders = cluster.poller.leaders;
  const results: Results = {
    version: detcdBuild(),
    valid,
    seed,
    scenario: scenario.name,
    checkers,
    stats: {
      ops, opsByF,
      simulatedMs: Math.round(elapsedUs / 1000),
      wallMs,
      events: 0,
      messages: 0,
      leaderChanges: Math.max(0, leaders.length - 1),
      faults: nemesis.faultCount,
      historyOps: history.ops.length,
      opsPerSecond: Math.round((ops.ok + ops.fail + ops.info) / Math.max(0.001, servable.trafficUs / 1_000_000)),
      memberStarts: Object.fromEntries(cluster.members.map((m) => [m.spec.name, m.starts])),
    },
    traceHash: 'none: real target (the interleaving is not recorded)',
    replay,
    options: { ...drawn, schedule, expect: scenario.expect },
    faults: nemesis.intervals,
    leaders,
    target: { ...targetInfo(target), leaderTimeline: { statusAnswers: cluster.poller.samples.length, truncated: cluster.poller.samplesTruncated, stoppedSpans: cluster.stopped.length }, servable: { trafficMs: msOf(servable.trafficUs), quorumMs: servable.quorumUs === undefined ? null : msOf(servable.quorumUs), ledMs: servable.ledUs === undefined ? null : msOf(servable.ledUs), loadPerCore: Math.round((servable.loadPerCore ?? 0) * 10) / 10 }, trafficPastDurationMs: msOf(trafficPastUs), faultsNotRun: nemesis.faultsNotRun, notApplied: notApplied(scenario), notChecked: ['raft: the Raft invariants need the members\' internal state, which real processes do not show'] },
  };
  if (error !== undefined) results.error = error;
  if (excused.size > 0) results.excused = Object.fromEntries(excused);
  // A violation a known bug of this version can cause (no client could step around it, or the
  // violations have its shape): say so. The verdict stays: it is the real server's bug, found.
  const mayBe = mayBeKnownBugs({ checkers, excused: new Set(excused.keys()), ...target.attributable, watches: history.watches, history: history.ops });
  if (Object.keys(mayBe).length > 0) results.mayBeKnownBug = mayBe;
  return results;
}

const msOf = (us: number): number => Math.round(us / 1000);

/** The target as results.json records it (without the lookup the run used). */
function targetInfo(target: RealTarget): Omit<RealTarget, 'attributable'> {
  const { attributable: _unused, ...info } = target;
  return info;
}
