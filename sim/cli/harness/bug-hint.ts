// What `run --bug` and `sweep --bug` say when nothing caught the planted bug.
import { plantedBug, type PlantedBug } from '../../bugs/planted-bugs.ts';

/**
 * A planted bug shows only under the faults that reach it: a valid run or sweep with --bug says
 * so and names a run known to catch it (unless that is the run just made), so "valid" is not read
 * as "the harness cannot find this bug".
 */
export function uncaughtBugHint(bug: PlantedBug, what: string, ran?: { scenario: string; seed: number }): string {
  const known = plantedBug(bug).caughtBy;
  const lines = [`bug ${bug} was planted but not exposed by ${what}'s faults`];
  if ('test' in known) lines.push(`  caught by the test ${known.test} (${known.checker})`);
  else if (known.scenario !== ran?.scenario || known.seed !== ran.seed) lines.push(`  caught by: detcd run --scenario ${known.scenario} --seed ${known.seed} --bug ${bug}`);
  lines.push(`  hunt it over many seeds: detcd bugs --verify --bug ${bug}`);
  return lines.join('\n');
}
