// What runScenario and the property API take from a program, checked before the run starts: a
// seed the command line can replay, a planted bug by name, and a scenario defineScenario made.
// A JavaScript caller (or a TypeScript one past a cast) otherwise met a TypeError from deep
// inside the run, or a run whose replay command the command line refuses (seed -1, 1.5, NaN).
import { isPlantedBug, PLANTED_BUGS } from '../bugs/planted-bugs.ts';
import { badArgument, checkObjectArgument, checkWholeArgument } from '../errors/bad-argument.ts';
import type { Scenario } from '../scenario/schema.ts';

/** Seeds are 31-bit: one range for run, sweep, shrink, replay, serve, campaign and the API. */
export const SEED_MAX = 2 ** 31 - 1;

/** The sections every scenario defineScenario returns holds (defaults filled). */
const SECTIONS = ['cluster', 'network', 'clients', 'workload', 'nemesis', 'liveness', 'swarm'] as const;

/** `scenario` as runScenario needs it, or the refusal saying to build it with defineScenario. */
export function checkScenarioArgument(fn: string, field: string, scenario: unknown): Scenario {
  const s = checkObjectArgument(fn, field, scenario, 'a scenario (defineScenario({...}) builds one)');
  const missing = SECTIONS.find((k) => typeof s[k] !== 'object' || s[k] === null);
  if (missing !== undefined || typeof s['name'] !== 'string') {
    throw badArgument(fn, field, `not a scenario defineScenario made (no ${missing ?? 'name'}: build it with defineScenario({...}), which fills the defaults)`, scenario);
  }
  return scenario as Scenario;
}

/** Refuses a seed outside 0..SEED_MAX, or a bug that is not planted, naming `fn`. */
export function checkRunArguments(fn: string, scenario: unknown, seed: unknown, options: unknown): void {
  checkScenarioArgument(fn, 'scenario', scenario);
  checkWholeArgument(fn, 'seed', seed, 0, SEED_MAX);
  if (options === undefined) return;
  const o = checkObjectArgument(fn, 'options', options, 'an object');
  checkBugArgument(fn, 'options.bug', o['bug']);
}

/** Refuses a bug (when given) that is not the name of a planted bug, naming `fn` and `field`. */
export function checkBugArgument(fn: string, field: string, bug: unknown): void {
  if (bug !== undefined && (typeof bug !== 'string' || !isPlantedBug(bug))) {
    throw badArgument(fn, field, `must be the name of a planted bug (${PLANTED_BUGS.length} of them: ${PLANTED_BUGS.slice(0, 3).map((b) => b.name).join(', ')}, ...; \`detcd bugs\` lists them)`, bug);
  }
}
