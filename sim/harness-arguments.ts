// The harness's exported functions that take a scenario (detcd/harness: shrinkScenario,
// bakeScenario, expandSchedule, drawSwarm), with their arguments checked at the package's
// boundary as runScenario's are: a JavaScript caller (or a TypeScript one past a cast) got a
// TypeError from inside ("Cannot read properties of undefined (reading 'schedule')"), naming
// neither the function nor the argument. The simulation calls the unchecked ones.
import { badArgument, checkObjectArgument, checkWholeArgument } from './errors/bad-argument.ts';
import { drawSwarm as drawSwarmUnchecked } from './nemesis/swarm.ts';
import type { SwarmDraw } from './nemesis/swarm.ts';
import { expandSchedule as expandScheduleUnchecked } from './nemesis/schedule.ts';
import { checkScenarioArgument } from './run/run-arguments.ts';
import type { TimedFault } from './scenario/fault.ts';
import type { Scenario } from './scenario/schema.ts';
import { bakeScenario as bakeScenarioUnchecked, shrinkScenario as shrinkScenarioUnchecked } from './sweep/shrink.ts';
import type { ShrinkOptions, ShrinkResult } from './sweep/shrink.ts';
import { Prng } from './world/prng.ts';

function prngArgument(fn: string, prng: unknown): Prng {
  if (!(prng instanceof Prng)) throw badArgument(fn, 'prng', 'must be a Prng (new Prng(seed))', prng);
  return prng;
}

/** A smaller scenario that still fails (shrink.ts), its arguments checked first. */
export function shrinkScenario(start: Scenario, o: ShrinkOptions): ShrinkResult {
  const fn = 'shrinkScenario';
  checkScenarioArgument(fn, 'start', start);
  const options = checkObjectArgument(fn, 'options', o, 'an object {fails, runsMax, onStep?}');
  if (typeof options['fails'] !== 'function') throw badArgument(fn, 'options.fails', 'must be a function (candidate) => boolean', options['fails']);
  checkWholeArgument(fn, 'options.runsMax', options['runsMax'], 0);
  if (options['onStep'] !== undefined && typeof options['onStep'] !== 'function') throw badArgument(fn, 'options.onStep', 'must be a function (message, candidate) when given', options['onStep']);
  return shrinkScenarioUnchecked(start, o);
}

/** The scenario of a run as it ran (shrink.ts), its arguments checked first. */
export function bakeScenario(ran: Scenario, schedule: readonly TimedFault[]): Scenario {
  const fn = 'bakeScenario';
  checkScenarioArgument(fn, 'ran', ran);
  if (!Array.isArray(schedule)) throw badArgument(fn, 'schedule', 'must be an array of timed faults ({atMs, durationMs, fault})', schedule);
  schedule.forEach((f: unknown, i) => {
    const fault = checkObjectArgument(fn, `schedule[${i}]`, f, 'a timed fault ({atMs, durationMs, fault})')['fault'];
    checkObjectArgument(fn, `schedule[${i}].fault`, fault, 'a fault ({kind, ...})');
  });
  return bakeScenarioUnchecked(ran, schedule);
}

/** The timed faults of one run (schedule.ts), its arguments checked first. */
export function expandSchedule(scenario: Scenario, prng: Prng): TimedFault[] {
  return expandScheduleUnchecked(checkScenarioArgument('expandSchedule', 'scenario', scenario), prngArgument('expandSchedule', prng));
}

/** A swarm run's draw (swarm.ts), its arguments checked first. */
export function drawSwarm(scenario: Scenario, prng: Prng): SwarmDraw {
  return drawSwarmUnchecked(checkScenarioArgument('drawSwarm', 'scenario', scenario), prngArgument('drawSwarm', prng));
}
