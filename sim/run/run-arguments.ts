// What runScenario and the property API take from a program, checked before the run starts: a
// seed the command line can replay, a planted bug by name, and a scenario defineScenario made.
// A JavaScript caller (or a TypeScript one past a cast) otherwise met a TypeError from deep
// inside the run, or a run whose replay command the command line refuses (seed -1, 1.5, NaN).
import { isPlantedBug, PLANTED_BUGS } from '../bugs/planted-bugs.ts';
import { badArgument, checkObjectArgument, checkWholeArgument } from '../errors/bad-argument.ts';
import { jsonShapeProblem } from '../errors/json-shape.ts';
import { UsageError } from '../errors/usage-error.ts';
import { parseScenario } from '../scenario/parse.ts';
import type { Scenario } from '../scenario/schema.ts';

/** Seeds are 31-bit: one range for run, sweep, shrink, replay, serve, campaign and the API. */
export const SEED_MAX = 2 ** 31 - 1;

/** The sections every scenario defineScenario returns holds (defaults filled). */
const SECTIONS = ['cluster', 'network', 'clients', 'workload', 'nemesis', 'liveness', 'swarm'] as const;

/**
 * `scenario` as runScenario needs it, checked in full as a scenario file is (parseScenario: the
 * schema and the rules across fields), or the refusal naming `fn`, the field and the reason. A
 * check of its sections alone let through what defineScenario refuses: a member count of 0, a
 * rate of NaN or a fault's target n9 met an invariant of the cluster at start, a cycle or a
 * BigInt met JSON.stringify in the replay command, a 100,000-deep array overflowed the stack.
 * The parse is idempotent (a scenario defineScenario made parses to one deep-equal to it: all
 * 79 shipped scenarios do), so a run of the checked scenario is the run given: same trace hash.
 */
export function checkScenarioArgument(fn: string, field: string, scenario: unknown): Scenario {
  const s = checkObjectArgument(fn, field, scenario, 'a scenario (defineScenario({...}) builds one)');
  const missing = SECTIONS.find((k) => typeof s[k] !== 'object' || s[k] === null);
  if (missing !== undefined || typeof s['name'] !== 'string') {
    throw badArgument(fn, field, `not a scenario defineScenario made (no ${missing ?? 'name'}: build it with defineScenario({...}), which fills the defaults)`, scenario);
  }
  // What no JSON file can hold is refused before the schema walks it (a cycle, a hole, NaN),
  // named as the schema names a field: "runScenario: scenario: workload.rateOpsPerSecond: ...".
  const problem = jsonShapeProblem(scenario);
  if (problem !== undefined) throw new UsageError(`${fn}: ${field}: ${problem.path.replace(/^\./, '')}: ${problem.reason}`);
  const parsed = parseScenario(scenario, `${fn}: ${field}`);
  // The caller's own object when it is what the parse made (defineScenario's always is: a
  // program may compare shrinkScenario's answer to its start), the copy with defaults otherwise.
  return JSON.stringify(parsed) === JSON.stringify(scenario) ? (scenario as Scenario) : parsed;
}

/** The checked scenario; refuses it, a seed outside 0..SEED_MAX, or a bug that is not planted, naming `fn`. */
export function checkRunArguments(fn: string, scenario: unknown, seed: unknown, options: unknown): Scenario {
  const checked = checkScenarioArgument(fn, 'scenario', scenario);
  checkWholeArgument(fn, 'seed', seed, 0, SEED_MAX);
  if (options === undefined) return checked;
  const o = checkObjectArgument(fn, 'options', options, 'an object');
  checkBugArgument(fn, 'options.bug', o['bug']);
  return checked;
}

/** Refuses a bug (when given) that is not the name of a planted bug, naming `fn` and `field`. */
export function checkBugArgument(fn: string, field: string, bug: unknown): void {
  if (bug !== undefined && (typeof bug !== 'string' || !isPlantedBug(bug))) {
    throw badArgument(fn, field, `must be the name of a planted bug (${PLANTED_BUGS.length} of them: ${PLANTED_BUGS.slice(0, 3).map((b) => b.name).join(', ')}, ...; \`detcd bugs\` lists them)`, bug);
  }
}
