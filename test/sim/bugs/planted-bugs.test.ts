// The registry of planted bugs is honest: every bug it says a shipped scenario catches is caught
// by exactly that run, and the same run without the bug is valid.
import { describe, expect, it } from 'vitest';
import { PLANTED_BUGS, isPlantedBug, plantedBug } from '../../../sim/bugs/planted-bugs.ts';
import { loadScenario } from '../../../sim/cli/harness/scenario-files.ts';
import { runScenario } from '../../../sim/run/run.ts';

describe('the planted-bug registry', () => {
  it('has unique names, each with a reference, a planting site and a switch', () => {
    const names = PLANTED_BUGS.map((b) => b.name);
    expect(new Set(names).size).toBe(names.length);
    for (const b of PLANTED_BUGS) {
      expect(b.reference.length).toBeGreaterThan(0);
      expect(b.plantedIn).toMatch(/^src\//);
      expect(Object.keys(b.unsafe).length).toBeGreaterThan(0);
      expect(isPlantedBug(b.name)).toBe(true);
      expect(plantedBug(b.name).name).toBe(b.name);
    }
    expect(isPlantedBug('no-such-bug')).toBe(false);
  });

  const caught = PLANTED_BUGS.flatMap((b) => ('scenario' in b.caughtBy ? [{ name: b.name, ...b.caughtBy }] : []));
  it.each(caught)('$name is caught by $scenario seed $seed ($checker), and that run is valid without it', ({ name, scenario, seed, checker }) => {
    const s = loadScenario(scenario).scenario;
    const bad = runScenario(s, seed, { bug: name }).results;
    expect(bad.valid, bad.replay).toBe(false);
    const checkerName = checker.split(' ')[0] ?? checker;
    expect(bad.checkers[checkerName]?.valid, bad.replay).toBe(false);
    expect(runScenario(s, seed).results.valid).toBe(true);
  });
});
