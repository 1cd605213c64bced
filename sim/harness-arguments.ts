// The harness's exported functions that take a scenario (detcd/harness: shrinkScenario,
// bakeScenario, expandSchedule, drawSwarm), with their arguments checked at the package's
// boundary as runScenario's are: a JavaScript caller (or a TypeScript one past a cast) got a
// TypeError from inside ("Cannot read properties of undefined (reading 'schedule')"), naming
// neither the function nor the argument. The simulation calls the unchecked ones.
import { checkArrayArgument } from './errors/array-argument.ts';
import { badArgument, checkObjectArgument, checkWholeArgument } from './errors/bad-argument.ts';
import { drawSwarm as drawSwarmUnchecked } from './nemesis/swarm.ts';
import type { SwarmDraw } from './nemesis/swarm.ts';
import { expandSchedule as expandScheduleUnchecked } from './nemesis/schedule.ts';
import { checkScenarioArgument } from './run/run-arguments.ts';
import { checkJsonArgument } from './errors/json-shape.ts';
import { parseScenario } from './scenario/parse.ts';
import type { TimedFault } from './scenario/fault.ts';
import type { Scenario } from './scenario/schema.ts';
import { bakeScenario as bakeScenarioUnchecked, shrinkScenario as shrinkScenarioUnchecked } from './sweep/shrink.ts';
import type { ShrinkOptions, ShrinkResult } from './sweep/shrink.ts';
import { Prng } from './world/prng.ts';
import { isPlantedBug, PLANTED_BUGS, plantedBug as plantedBugUnchecked, type PlantedBug, type PlantedBugEntry } from './bugs/planted-bugs.ts';
import { allPackages, nemesisPackage as nemesisPackageUnchecked, type NemesisPackage } from './nemesis/packages.ts';
import type { NemesisPackageName } from './scenario/schema.ts';
import { describeFault as describeFaultUnchecked, FaultSchema, type Fault } from './scenario/fault.ts';
import { defaultReplay as defaultReplayUnchecked } from './run/run.ts';
import { SEED_MAX } from './run/run-arguments.ts';

function prngArgument(fn: string, prng: unknown): Prng {
  if (!(prng instanceof Prng)) throw badArgument(fn, 'prng', 'must be a Prng (new Prng(seed))', prng);
  return prng;
}

/** A smaller scenario that still fails (shrink.ts), its arguments checked first. */
export function shrinkScenario(start: Scenario, o: ShrinkOptions): ShrinkResult {
  const fn = 'shrinkScenario';
  const checked = checkScenarioArgument(fn, 'start', start);
  const options = checkObjectArgument(fn, 'options', o, 'an object {fails, runsMax, onStep?}');
  if (typeof options['fails'] !== 'function') throw badArgument(fn, 'options.fails', 'must be a function (candidate) => boolean', options['fails']);
  checkWholeArgument(fn, 'options.runsMax', options['runsMax'], 0);
  if (options['onStep'] !== undefined && typeof options['onStep'] !== 'function') throw badArgument(fn, 'options.onStep', 'must be a function (message, candidate) when given', options['onStep']);
  return shrinkScenarioUnchecked(checked, o);
}

/** The scenario of a run as it ran (shrink.ts), its arguments checked first. */
export function bakeScenario(ran: Scenario, schedule: readonly TimedFault[]): Scenario {
  const fn = 'bakeScenario';
  const checked = checkScenarioArgument(fn, 'ran', ran);
  checkArrayArgument(fn, 'schedule', schedule, 'timed faults ({atMs, durationMs, fault})').forEach((f: unknown, i) => {
    const fault = checkObjectArgument(fn, `schedule[${i}]`, f, 'a timed fault ({atMs, durationMs, fault})')['fault'];
    checkObjectArgument(fn, `schedule[${i}].fault`, fault, 'a fault ({kind, ...})');
  });
  // The baked scenario is checked as a scenario file is: its schedule's fields named as the argument's.
  return parseScenario(bakeScenarioUnchecked(checked, checkJsonArgument(fn, 'schedule', schedule)), fn);
}

/** The timed faults of one run (schedule.ts), its arguments checked first. */
export function expandSchedule(scenario: Scenario, prng: Prng): TimedFault[] {
  return expandScheduleUnchecked(checkScenarioArgument('expandSchedule', 'scenario', scenario), prngArgument('expandSchedule', prng));
}

/** A swarm run's draw (swarm.ts), its arguments checked first. */
export function drawSwarm(scenario: Scenario, prng: Prng): SwarmDraw {
  return drawSwarmUnchecked(checkScenarioArgument('drawSwarm', 'scenario', scenario), prngArgument('drawSwarm', prng));
}

/** The registry entry of a planted bug (planted-bugs.ts), its name checked first: an unknown one is the caller's mistake, not an invariant. */
export function plantedBug(name: PlantedBug): PlantedBugEntry {
  if (typeof name !== 'string' || !isPlantedBug(name)) throw badArgument('plantedBug', 'name', `must be the name of a planted bug (\`detcd bugs\` lists the ${PLANTED_BUGS.length})`, name);
  return plantedBugUnchecked(name);
}

/** A nemesis package by name (packages.ts), its name checked first. */
export function nemesisPackage(name: NemesisPackageName): NemesisPackage {
  if (typeof name !== 'string' || !allPackages().some((p) => p.name === name)) throw badArgument('nemesisPackage', 'name', `must name a nemesis package (${allPackages().length} of them: allPackages() lists them)`, name);
  return nemesisPackageUnchecked(name);
}

/** A fault in words (fault.ts), the fault checked first against the schema. */
export function describeFault(fault: Fault): string {
  const parsed = FaultSchema.safeParse(fault);
  if (!parsed.success) throw badArgument('describeFault', 'fault', 'must be a fault ({kind, ...}, as a scenario schedule holds)', fault);
  return describeFaultUnchecked(fault);
}

/** The command that replays a run (run.ts), its arguments checked first. */
export function defaultReplay(scenarioRef: string, seed: number, bug: string | undefined): string {
  if (typeof scenarioRef !== 'string') throw badArgument('defaultReplay', 'scenarioRef', 'must be a string (a shipped scenario name or a file path)', scenarioRef);
  checkWholeArgument('defaultReplay', 'seed', seed, 0, SEED_MAX);
  if (bug !== undefined && (typeof bug !== 'string' || !isPlantedBug(bug))) throw badArgument('defaultReplay', 'bug', 'must be the name of a planted bug when given', bug);
  return defaultReplayUnchecked(scenarioRef, seed, bug);
}
