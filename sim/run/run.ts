// One seeded run of a scenario: build the cluster, run the safety phase (workload traffic and
// the fault schedule), heal everything, run the liveness phase, then judge the history with
// the checkers. Pure and deterministic: the wall clock only enters through `wallNowMs`, which
// the command line passes in and which affects nothing but `stats.wallMs`.
import { violated } from '../../src/invariant-violation.ts';
import type { Op, WatchRecord } from '../history/op.ts';
import type { EtcdCluster } from '../etcd/cluster.ts';
import { Nemesis } from '../nemesis/nemesis.ts';
import { expandSchedule } from '../nemesis/schedule.ts';
import { drawSwarm } from '../nemesis/swarm.ts';
import { scheduleNeeds } from '../scenario/fault.ts';
import type { TimedFault } from '../scenario/fault.ts';
import type { Scenario } from '../scenario/schema.ts';
import { createWorkload, supportsCompaction } from '../workload/create.ts';
import { every, repeat, stagger, timeLimit } from '../workload/generator.ts';
import { Interpreter } from '../workload/interpreter.ts';
import type { Scheduler } from '../workload/interpreter.ts';
import { LockWorkload } from '../workload/lock.ts';
import type { ClientCall } from '../workload/workload.ts';
import { Prng } from '../world/prng.ts';
import { shellWord } from '../text/shell-word.ts';
import type { TraceEntry } from '../world/trace.ts';
import { historyContextOf, runChecks, type ChecksInput } from './checks.ts';
import { leaderTimelineOf } from './leader-timeline-of.ts';
import type { LeaderTimelineFile } from '../history/leader-timeline-file.ts';
import { clientEndpoints, startClients } from './clients.ts';
import type { PlantedBug } from '../bugs/planted-bugs.ts';
import { observeRun, raftVerdict, scenarioCluster } from './scenario-cluster.ts';
import type { ClusterBuilder } from './scenario-cluster.ts';
import { runLiveness } from './liveness.ts';
import { HarnessAuth } from '../etcd/harness-auth.ts';
import type { LivenessResult } from './liveness.ts';
import { nemesisWorld } from './nemesis-world.ts';
import { buildResults } from './results-build.ts';
import { runStopOf } from './run-stop.ts';
import type { RunPhase, RunStop } from './run-stop.ts';
import type { Results } from './results.ts';
import { checkRunArguments } from './run-arguments.ts';

export interface RunOptions {
  bug?: PlantedBug | undefined;
  /** Keep the trace log for trace.jsonl. */
  traceLog?: boolean;
  /** The wall clock, from the command line; the run never reads it otherwise. */
  wallNowMs?: () => number;
  /** The command that replays this run (the command line knows the scenario's file). */
  replay?: string;
  shrink?: string;
  buildCluster?: ClusterBuilder;
  /**
   * The detcd build that runs it (results.json's `version`): the command line names its build
   * (sim/cli/harness/detcd-build.ts), which pure code cannot read; default: the release alone.
   */
  version?: string;
}

export interface RunOutput {
  results: Results;
  history: Op[];
  watches: WatchRecord[];
  lockHistory?: Op[];
  trace: TraceEntry[];
  /** The scenario as run: swarm draws applied. */
  scenario: Scenario;
  /** The fault schedule as run (what shrink starts from). */
  schedule: TimedFault[];
  /** [simulated µs, trace hash so far] every CHECKPOINT_US: replay says where traces part. */
  checkpoints: [number, string][];
  /** What the history checkers judged with beyond the history (the report's leader-timeline.jsonl, for `detcd check`). */
  leaderTimeline?: LeaderTimelineFile;
}

/** Trace-hash checkpoints this often; the loop timer that takes them is not itself traced. */
export const CHECKPOINT_US = 100_000;

/** The longest a new cluster may take to elect its first leader before traffic starts anyway. */
const WARM_UP_US_MAX = 30_000_000;
const WARM_UP_POLL_US = 10_000;

/** Runs the new cluster until it has a leader (bounded); returns the time traffic starts. */
function warmUp(cluster: EtcdCluster, untilUsMax: number): number {
  const world = cluster.world;
  while (world.loop.now() < untilUsMax && cluster.leader() === undefined) world.run({ untilUs: world.loop.now() + WARM_UP_POLL_US });
  return world.loop.now();
}

/** Process ids for the periodic jobs (compaction), apart from the workers'. */
const JOBS_PROCESS_BASE = 100_000;

export function defaultReplay(scenarioRef: string, seed: number, bug: string | undefined): string {
  return `detcd run --scenario ${shellWord(scenarioRef)} --seed ${seed}${bug === undefined ? '' : ` --bug ${bug}`}`;
}

export function runScenario(given: Scenario, seed: number, options: RunOptions = {}): RunOutput {
  const input = checkRunArguments('runScenario', given, seed, options);
  const wallStart = options.wallNowMs?.() ?? 0;
  // The run's one root stream: swarm and the fault schedule draw from it before the cluster
  // exists, then the world adopts it (world.prng === root) and every other stream forks from it.
  const root = new Prng(seed);
  const { scenario, options: drawn } = drawSwarm(input, root.fork('swarm'));
  const schedule = expandSchedule(scenario, root.fork('nemesis-schedule'));
  const memberIds = Array.from({ length: scenario.cluster.members }, (_, i) => `n${i + 1}`);
  const endpoints = clientEndpoints(scenario, memberIds);
  const cluster = (options.buildCluster ?? scenarioCluster)({
    scenario,
    seed,
    root,
    bug: options.bug,
    clients: endpoints,
    traceLog: options.traceLog ?? false,
    ...scheduleNeeds(schedule),
  });
  const observers = observeRun(cluster);
  const world = cluster.world;
  if (world.prng !== root) throw violated('harness', 'one-root-stream', 'the cluster built its world with a root stream of its own');
  const history = cluster.history;
  const clients = startClients(world, cluster.members(), scenario, history);
  const scheduler: Scheduler = { nowUs: () => world.loop.now(), at: (t, fn) => void world.loop.at(t, fn) };
  const workload = createWorkload({ scenario, prng: root.fork('workload-exec'), clock: { nowUs: () => world.loop.now(), after: (d, fn) => void world.loop.schedule(d, fn) } });
  const durationUs = scenario.workload.durationMs * 1000;
  const callOf = (worker: number): ClientCall => (req, process, done) => clients.workers[worker]?.call(req, process, done);
  const gen = timeLimit(durationUs, stagger(1_000_000 / scenario.workload.rateOpsPerSecond, workload.generator()));
  const main = new Interpreter(gen, scenario.clients.count, scheduler, root.fork('workload'), (op, done) => workload.execute(op, callOf(op.worker), done));
  const interpreters = [main];
  if (scenario.workload.compactionIntervalMs > 0 && supportsCompaction(scenario)) {
    const compactions = timeLimit(durationUs, every(scenario.workload.compactionIntervalMs * 1000, repeat({ f: 'compact', value: { key: '' } })));
    const jobCall: ClientCall = (req, process, done) => clients.jobs.call(req, process, done);
    interpreters.push(new Interpreter(compactions, 1, scheduler, root.fork('jobs'), (op, done) => workload.execute(op, jobCall, done), JOBS_PROCESS_BASE));
  }
  const nemesis = new Nemesis(nemesisWorld(cluster, scenario, () => undefined), root.fork('nemesis'));
  const checkpoints: [number, string][] = [];
  const checkpoint = (): void => {
    checkpoints.push([world.loop.now(), world.traceHash()]);
    world.loop.schedule(CHECKPOINT_US, checkpoint);
  };
  let stop: RunStop | undefined;
  let liveness: LivenessResult | undefined;
  let phase: RunPhase = 'warm-up';
  try {
    // Like etcd's robustness tests, traffic and faults start once the new cluster has a leader.
    // The warm-up is inside the try: an invariant may break before the first leader too.
    const startUs = warmUp(cluster, WARM_UP_US_MAX);
    nemesis.schedule(schedule, startUs);
    for (const i of interpreters) i.start();
    world.loop.schedule(CHECKPOINT_US, checkpoint);
    phase = 'safety';
    world.run({ untilUs: startUs + durationUs });
    for (const i of interpreters) i.stop();
    phase = 'heal';
    nemesis.healAll();
    phase = 'liveness';
    let probeToken: ((member: string) => string | undefined) | undefined;
    if (scenario.workload.kind === 'auth') {
      // The workload may leave authentication on: the probes log in as root, as etcd's robustness
      // tests do, and send the token only to members whose authentication is on (it may be off).
      const auth = new HarnessAuth(cluster, clients.jobs);
      auth.settle((scenario.liveness.budgetMs * 1000) / 2);
      probeToken = auth.probeTokenFor;
    }
    liveness = runLiveness(world, cluster, clients.workers, clients.watchers, scenario.liveness.budgetMs, probeToken);
    for (const w of clients.watchers) w.cancel();
  } catch (err) {
    // A broken invariant of the product (a typed InvariantViolation: the Raft observer, an
    // assertion in src/) stops the run where it happened and is the run's verdict, judged by
    // its layer and name. A member that throws anything else is a product exception: a failed
    // run naming the member and the phase. Any other exception is a bug of the harness and propagates.
    stop = runStopOf(err, world.loop.now(), phase);
    if (stop === undefined) throw err;
  }
  const error = stop?.message;
  const lockHistory = workload instanceof LockWorkload ? workload.history : undefined;
  const leaders = observers.leaders.timeline();
  const transfersUs = nemesis.intervals.filter((i) => i.kind === 'move-leader').map((i) => i.startUs);
  const checksInput: ChecksInput = { scenario, history: history.ops, watches: history.watches, lockHistory, liveness, raft: raftVerdict(observers), leaders, stop, historyTruncated: history.truncated, transfersUs, leaseTtlsAtPromotion: (term) => observers.leaseCheckpoints.promotedWith(term), leasePromotedTerms: () => observers.leaseCheckpoints.promotedTerms() };
  const checkers = runChecks(checksInput);
  const results = buildResults({
    scenario, seed, bug: options.bug, checkers, history: history.ops, world, leaders, events: cluster.eventCounts(), nemesis, drawn, schedule, error, stop,
    wallMs: (options.wallNowMs?.() ?? 0) - wallStart,
    replay: options.replay ?? defaultReplay(scenario.name, seed, options.bug),
    shrink: options.shrink,
    historyTruncated: history.truncated,
    version: options.version,
  });
  const leaderTimeline = leaderTimelineOf(memberIds, historyContextOf(checksInput), history.ops);
  const out: RunOutput = { results, history: history.ops, watches: history.watches, trace: world.traceEntries(), scenario, schedule, checkpoints, leaderTimeline };
  if (lockHistory !== undefined) out.lockHistory = lockHistory;
  return out;
}
