// Assembles results.json (../shared/design.md, "Contracts") from what a run produced.
import type { CheckResult } from '../check/verdict.ts';
import { composeJudged } from '../check/verdict.ts';
import { excusedViolations } from '../check/documented-anomalies.ts';
import type { Op } from '../history/op.ts';
import type { Nemesis } from '../nemesis/nemesis.ts';
import type { TimedFault } from '../scenario/fault.ts';
import type { Scenario } from '../scenario/schema.ts';
import type { World } from '../world/world.ts';
import type { PlantedBug } from '../bugs/planted-bugs.ts';
import type { LeaderSpan, Results, RunStats } from './results.ts';
import { runCoverage } from './coverage.ts';
import type { RunStop } from './run-stop.ts';
import { withFields } from '../../src/object/with-fields.ts';
import { DETCD_VERSION } from './detcd-version.ts';

export interface ResultsInput {
  scenario: Scenario;
  seed: number;
  bug: PlantedBug | undefined;
  checkers: Record<string, CheckResult>;
  history: readonly Op[];
  world: World;
  /** Who led when (the leader timeline, sampled). */
  leaders: LeaderSpan[];
  /** Rare events of the cluster, by name (coverage). */
  events: Record<string, number>;
  nemesis: Nemesis;
  drawn: Record<string, unknown>;
  schedule: readonly TimedFault[];
  error: string | undefined;
  stop?: RunStop | undefined;
  wallMs: number;
  replay: string;
  shrink: string | undefined;
  historyTruncated: boolean;
  /** The detcd build that ran it (RunOptions.version); the release alone when not given. */
  version?: string | undefined;
}

/**
 * Operations by outcome, and by request. An invoke never completed (a run stopped on a violation
 * ends with requests in flight) is an outcome unknown, as Jepsen counts it: the counts then add
 * up to the operations the report's header and the linearizable checker count ("3 operations"
 * beside "ops ok 1, failed 0, outcome unknown 0" read as two ops lost).
 */
export function opCounts(history: readonly Op[]): { ops: RunStats['ops']; opsByF: Record<string, RunStats['ops']> } {
  const ops = { ok: 0, fail: 0, info: 0 };
  const opsByF: Record<string, { ok: number; fail: number; info: number }> = {};
  for (let i = 0; i < history.length; i++) {
    const op = history[i] as Op;
    const byF = (opsByF[op.f] ??= { ok: 0, fail: 0, info: 0 });
    // An invoke counts as unknown until its completion moves it to its outcome.
    const type = op.type === 'invoke' ? 'info' : op.type;
    if (op.type !== 'invoke') {
      ops.info--;
      byF.info--;
    }
    ops[type]++;
    byF[type]++;
  }
  return { ops, opsByF };
}

/** Invariants broken by a member acting as leader: it must show on the leader lane at the stop. */
const LEADER_INVARIANTS: ReadonlySet<string> = new Set(['election-safety', 'leader-append-only', 'leader-completeness']);

/**
 * The leader lane, with the member that broke a leader invariant leading from the stop on when
 * the sampled lane does not show it then (with election safety broken there are two leaders,
 * and the sampled lane shows one).
 */
export function withStopLeader(leaders: LeaderSpan[], stop: RunStop | undefined): LeaderSpan[] {
  if (stop === undefined || stop.layer !== 'raft' || stop.member === undefined || !LEADER_INVARIANTS.has(stop.invariant ?? '')) return leaders;
  const term = typeof stop.facts['term'] === 'number' ? stop.facts['term'] : 0;
  const last = leaders[leaders.length - 1];
  if (last !== undefined && last.node === stop.member && last.term === term) return leaders;
  return [...leaders.filter((l) => l.startUs <= stop.timeUs), { node: stop.member, term, startUs: stop.timeUs }];
}

export function buildResults(r: ResultsInput): Results {
  const worldStats = r.world.stats();
  const { ops, opsByF } = opCounts(r.history);
  const leaders = withStopLeader(r.leaders, r.stop);
  const stats: RunStats = {
    ops,
    opsByF,
    simulatedMs: Math.round(worldStats.simulatedUs / 1000),
    wallMs: Math.round(r.wallMs),
    events: worldStats.events,
    messages: worldStats.network.sent,
    fsyncs: worldStats.disk.fsyncs,
    leaderChanges: Math.max(0, leaders.length - 1),
    faults: r.nemesis.faultCount,
    worldFaults: worldStats.faults,
    crashes: worldStats.crashes,
    historyOps: r.history.length,
  };
  if (r.historyTruncated) stats['historyTruncated'] = true;
  // A scenario documenting a known unsafety (the lock recipe under pauses, lease-based reads)
  // excuses only the anomalies it names, when the evidence shows the violation is one of them:
  // any other violation, of the same checker too, still fails the run.
  const excused = excusedViolations(r.scenario, r.checkers, { faultKinds: new Set(r.nemesis.intervals.map((i) => i.kind)), leaderChanges: stats.leaderChanges });
  const judged = Object.entries(r.checkers).filter(([name]) => !excused.has(name));
  let valid = composeJudged(judged.map(([, c]) => c));
  let error = r.error;
  if (valid === true && ops.ok < r.scenario.workload.okOpsMin) {
    valid = 'unknown';
    error = `too little successful traffic to mean anything: ${ops.ok} ok ops < workload.okOpsMin ${r.scenario.workload.okOpsMin}`;
  }
  if (r.error !== undefined) valid = false;
  const results: Results = {
    version: r.version ?? DETCD_VERSION,
    valid,
    seed: r.seed,
    scenario: r.scenario.name,
    checkers: r.checkers,
    stats,
    traceHash: r.world.traceHash(),
    replay: r.replay,
    options: withFields(r.drawn, { schedule: r.schedule, expect: r.scenario.expect }),
    faults: r.nemesis.intervals,
    leaders,
    target: { kind: 'simulation' },
    coverage: runCoverage(r.world.buggifySites.enabled, r.world.buggifyCoverage(), r.events, leaders),
  };
  if (r.bug !== undefined) results.bug = r.bug;
  if (r.shrink !== undefined) results.shrink = r.shrink;
  if (error !== undefined) results.error = error;
  if (r.stop !== undefined) results.stop = r.stop;
  if (excused.size > 0) results.excused = Object.fromEntries(excused);
  return results;
}
