// The planted-bug track record (etcd's robustness README keeps the same table): for every bug,
// run the scenario that aims at it, seed after seed, until a run fails; then the swarm, if the
// scenario never did. Record the seeds it took, the wall time, the checker that caught it and
// the size of the shrunk fault schedule, and run the correct build on the same seeds, which
// must stay clean. Deterministic apart from the wall times, which the caller's clock gives.
import type { Validity } from '../check/verdict.ts';
import { runScenario } from '../run/run.ts';
import type { Results } from '../run/results.ts';
import type { Scenario } from '../scenario/schema.ts';
import { bakeScenario, shrinkScenario } from '../sweep/shrink.ts';
import type { PlantedBug, PlantedBugEntry } from './planted-bugs.ts';
import { withFields } from '../../src/object/with-fields.ts';

export interface TrackRecordOptions {
  /** Seeds tried per scenario (1..seedsMax). */
  readonly seedsMax: number;
  /** Runs the shrinker may spend on a found failure (0: do not shrink). */
  readonly shrinkRunsMax: number;
  /** The scenario of a shipped name. */
  readonly scenario: (name: string) => Scenario;
  /** The caller's clock in milliseconds (the command line passes its own); only the reported times depend on it. */
  readonly wallNowMs: () => number;
}

export interface TrackRecordRow {
  readonly bug: PlantedBug;
  readonly reference: string;
  /** The scenario whose run failed (the bug's own, or swarm), or the bug's own when never found. */
  readonly scenario: string;
  readonly found: boolean;
  /** Seeds run until the failing one, over both scenarios tried. */
  readonly seedsTried: number;
  /** The failing seed, if found. */
  readonly seed?: number;
  readonly wallSeconds: number;
  /** The checker (or product invariant) that failed the run. */
  readonly caughtBy: string;
  /** Faults in the failing run's schedule, and after shrinking. */
  readonly scheduleFaults: number;
  readonly shrunkFaults?: number;
  /** The correct build on the same scenario and seeds: runs, and how many failed. */
  readonly cleanRuns: number;
  readonly cleanNotValid: number;
  /** The command that replays the failing run. */
  readonly replay?: string;
}

/** The checker that failed a run: the first checker whose verdict is false, or the run's error. */
export function failingChecker(r: Results): string {
  const failed = Object.entries(r.checkers).filter(([, c]) => c.valid === false).map(([name]) => name);
  if (failed.length > 0) return failed.join(', ');
  if (r.error !== undefined) return `error: ${r.error.slice(0, 60)}`;
  return 'none';
}

interface Hunt {
  scenario: Scenario;
  seed: number;
  results: Results;
  schedule: number;
  tried: number;
}

function hunt(scenario: Scenario, bug: PlantedBug, seedsMax: number): Hunt | { tried: number } {
  for (let seed = 1; seed <= seedsMax; seed++) {
    const out = runScenario(scenario, seed, { bug });
    if (out.results.valid === false) return { scenario, seed, results: out.results, schedule: out.schedule.length, tried: seed };
  }
  return { tried: seedsMax };
}

function shrunkFaults(found: Hunt, bug: PlantedBug, runsMax: number): number {
  const first = runScenario(found.scenario, found.seed, { bug });
  const baked = bakeScenario(first.scenario, first.schedule);
  const fails = (s: Scenario): boolean => runScenario(s, found.seed, { bug }).results.valid === false;
  if (!fails(baked)) return first.schedule.length;
  return shrinkScenario(baked, { fails, runsMax }).scenario.schedule?.length ?? 0;
}

/** The correct build over seeds 1..n of `scenario`: how many runs failed (a violation, not "unknown"). */
function cleanRuns(scenario: Scenario, n: number): { runs: number; notValid: number; verdicts: Validity[] } {
  const verdicts: Validity[] = [];
  for (let seed = 1; seed <= n; seed++) verdicts.push(runScenario(scenario, seed).results.valid);
  return { runs: n, notValid: verdicts.filter((v) => v === false).length, verdicts };
}

export function trackRecordRow(entry: PlantedBugEntry & { name: PlantedBug }, o: TrackRecordOptions): TrackRecordRow {
  const start = o.wallNowMs();
  // A bug only a test catches so far is hunted by the swarm alone.
  const own = o.scenario('scenario' in entry.caughtBy ? entry.caughtBy.scenario : 'swarm');
  let result = hunt(own, entry.name, o.seedsMax);
  let tried = result.tried;
  if (!('results' in result) && own.name !== 'swarm') {
    result = hunt(o.scenario('swarm'), entry.name, o.seedsMax);
    tried += result.tried;
  }
  const wallSeconds = (o.wallNowMs() - start) / 1000;
  if (!('results' in result)) {
    const clean = cleanRuns(own, o.seedsMax);
    return {
      bug: entry.name, reference: entry.reference, scenario: own.name, found: false, seedsTried: tried, wallSeconds,
      caughtBy: 'not found', scheduleFaults: 0, cleanRuns: clean.runs, cleanNotValid: clean.notValid,
    };
  }
  const found = result;
  const shrunk = o.shrinkRunsMax > 0 ? shrunkFaults(found, entry.name, o.shrinkRunsMax) : undefined;
  // The correct build on every seed the bug was hunted on: its own scenario's, then the swarm's.
  const cleanFound = cleanRuns(found.scenario, found.seed);
  const cleanOwn = found.scenario === own ? { runs: 0, notValid: 0 } : cleanRuns(own, o.seedsMax);
  const clean = { runs: cleanFound.runs + cleanOwn.runs, notValid: cleanFound.notValid + cleanOwn.notValid };
  const row: TrackRecordRow = {
    bug: entry.name, reference: entry.reference, scenario: found.scenario.name, found: true, seedsTried: tried, seed: found.seed,
    wallSeconds, caughtBy: failingChecker(found.results), scheduleFaults: found.schedule,
    cleanRuns: clean.runs, cleanNotValid: clean.notValid, replay: found.results.replay,
  };
  return shrunk === undefined ? row : withFields(row, { shrunkFaults: shrunk });
}

/** The median of the wall times of the bugs found (0 when none was). */
export function medianWallSeconds(rows: readonly TrackRecordRow[]): number {
  const t = rows.filter((r) => r.found).map((r) => r.wallSeconds).sort((a, b) => a - b);
  if (t.length === 0) return 0;
  const mid = Math.floor(t.length / 2);
  return t.length % 2 === 1 ? t[mid]! : (t[mid - 1]! + t[mid]!) / 2;
}

/** The track record as a Markdown table (the README's). */
export function trackRecordMarkdown(rows: readonly TrackRecordRow[]): string {
  const lines = [
    '| bug | reference | scenario | seeds until found | wall s | caught by | faults (shrunk) | correct build, same seeds |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const r of rows) {
    const faults = r.found ? `${r.scheduleFaults}${r.shrunkFaults === undefined ? '' : ` (${r.shrunkFaults})`}` : '–';
    const seeds = r.found ? String(r.seedsTried) : `not in ${r.seedsTried}`;
    const clean = `${r.cleanRuns - r.cleanNotValid}/${r.cleanRuns} clean`;
    lines.push(`| \`${r.bug}\` | ${r.reference} | ${r.scenario} | ${seeds} | ${r.wallSeconds.toFixed(1)} | ${r.caughtBy} | ${faults} | ${clean} |`);
  }
  return lines.join('\n');
}
