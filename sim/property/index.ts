// The property-testing API (vitest + fast-check): arbitraries for fault schedules that shrink
// well, and helpers that run a scenario with a seed and return its result, so that users write
// properties such as "no fault schedule breaks linearizability" in a few lines:
//
//   fc.assert(fc.property(faultScheduleArbitrary({ members: 3, safetyMs: 2000 }), fc.integer(), (schedule, seed) =>
//     runScenario(withSchedule(base, schedule), seed).results.valid !== false));
import type { Results } from '../run/results.ts';
import { runScenario as runScenarioNamed } from '../run/run.ts';
import type { RunOptions, RunOutput } from '../run/run.ts';
import type { TimedFault } from '../scenario/fault.ts';
import { defineScenario, parseScenario } from '../scenario/parse.ts';
import { checkJsonArgument } from '../errors/json-shape.ts';
import { resultsShapeProblem } from '../run/results-shape.ts';
import { UsageError } from '../errors/usage-error.ts';
import type { Scenario, ScenarioInput } from '../scenario/schema.ts';
import { withFields } from '../../src/object/with-fields.ts';
import { shellWord } from '../text/shell-word.ts';
import { badArgument, checkObjectArgument, checkWholeArgument } from '../errors/bad-argument.ts';
import { checkArrayArgument } from '../errors/array-argument.ts';
import { checkBugArgument, checkRunArguments, checkScenarioArgument, SEED_MAX } from '../run/run-arguments.ts';

export { faultArbitrary, faultScheduleArbitrary } from './arbitraries.ts';
export type { ScheduleShape } from './arbitraries.ts';
export { defineScenario };
export { UsageError } from '../errors/usage-error.ts';

/**
 * The command that replays a run of a scenario that may exist only in memory: its JSON piped
 * into `detcd run --scenario -`, quoted for a POSIX shell. Written by printf, not echo: the
 * echo of zsh and dash (Debian's sh) turns a JSON `\n` inside a string into a newline, which
 * breaks the JSON the run reads.
 */
function replayCommandOf(scenario: Scenario, seed: number, bug?: string): string {
  return `printf '%s\\n' ${shellWord(JSON.stringify(scenario))} | detcd run --scenario - --seed ${seed}${bug === undefined ? '' : ` --bug ${bug}`}`;
}

/** replayCommand for a program: a scenario defineScenario made, a seed run takes, a planted bug's name. */
export function replayCommand(scenario: Scenario, seed: number, bug?: string): string {
  const checked = checkScenarioArgument('replayCommand', 'scenario', scenario);
  checkWholeArgument('replayCommand', 'seed', seed, 0, SEED_MAX);
  checkBugArgument('replayCommand', 'bug', bug);
  return replayCommandOf(checked, seed, bug);
}

/** The run `fn` asked for, its arguments checked first (a bad one is a UsageError naming `fn`). */
function runChecked(fn: string, scenario: Scenario, seed: number, options: RunOptions): RunOutput {
  const checked = checkRunArguments(fn, scenario, seed, options);
  return runScenarioNamed(checked, seed, withFields(options, { replay: options.replay ?? replayCommandOf(checked, seed, options.bug) }));
}

/** Runs `scenario` with `seed` (0..2147483647); its results' replay command works for a scenario built in code. */
export function runScenario(scenario: Scenario, seed: number, options: RunOptions = {}): RunOutput {
  return runChecked('runScenario', scenario, seed, options);
}
export type { RunOptions, RunOutput, Results, Scenario, ScenarioInput, TimedFault };

/** The scenario with `schedule` as its explicit fault list (validated again). */
export function withSchedule(base: Scenario, schedule: readonly TimedFault[]): Scenario {
  const checked = checkScenarioArgument('withSchedule', 'base', base);
  checkArrayArgument('withSchedule', 'schedule', schedule, 'timed faults ({atMs, durationMs, fault})');
  checkJsonArgument('withSchedule', 'schedule', schedule);
  return parseScenario(withFields(checked, { schedule: [...schedule], swarm: withFields(checked.swarm, { enabled: false }) }), 'withSchedule');
}

/** Runs and returns only the verdict-bearing results. */
export function runResults(scenario: Scenario, seed: number, options: RunOptions = {}): Results {
  return runChecked('runResults', scenario, seed, options).results;
}

/** A one-line description of a failed run for a property's failure message, ending with the command that replays it. */
export function explain(results: Results): string {
  const checkers = checkObjectArgument('explain', 'results', results, 'the results of a run (runResults(...))')['checkers'];
  if (typeof checkers !== 'object' || checkers === null) throw badArgument('explain', 'results', 'must be the results of a run (runResults(...)): no checkers', results);
  // Every field it reads typed, as a results.json is (a Symbol seed threw from the template).
  const problem = resultsShapeProblem(results as unknown as Record<string, unknown>, false);
  if (problem !== undefined) throw new UsageError(`explain: results.${problem.field}: ${problem.reason}`);
  // The verdict in the terminal's words ("seed 7 false" read as a typo), the checkers that did not
  // pass but not those with nothing to check (three "nothing to check" hid the one that failed),
  // and the run's error only where no checker's summary already says it.
  const word = results.valid === true ? 'valid' : results.valid === false ? 'INVALID' : 'unknown';
  const bad = Object.entries(results.checkers).filter(([, c]) => c.valid !== true && c.nothing !== true).map(([n, c]) => `${n}: ${String(c.summary ?? c.valid)}`);
  const error = results.error === undefined || bad.some((b) => b.includes(results.error!)) ? [] : [`error: ${results.error}`];
  return [`${results.scenario} seed ${results.seed}: ${word}`, ...error, ...bad, `replay: ${results.replay}`].join('; ');
}
