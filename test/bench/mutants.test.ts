// The mutation-testing tool (bench/tools/mutants.mjs) must not rot: every mutant of its list
// still applies to today's sources (its find text occurs exactly once and the mutated file
// parses), and a few fast mutants (mutant-pins.ts), planted through the tool's own code in a
// scratch package, fail the one run known to catch them while the correct build passes it: in
// lanes, files of their own that vitest runs side by side (mutant-lane.ts, mutants-lane-N.test.ts).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { firstCatch, mutateText, MutantError, parseSeeds, transpile } from '../../bench/tools/mutants/apply.mjs';
import { MUTANTS } from '../../bench/tools/mutants/list.mjs';
import { MUTANT_LANES, mutantLanes } from './mutant-lane.ts';
import { PINNED } from './mutant-pins.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

describe('the mutant list', () => {
  it('holds at least 20 mutants with unique names, each naming why it is wrong', () => {
    expect(MUTANTS.length).toBeGreaterThanOrEqual(20);
    expect(new Set(MUTANTS.map((m) => m.name)).size).toBe(MUTANTS.length);
    expect(MUTANTS.every((m) => m.why.length > 20 && m.class.length > 0)).toBe(true);
  });

  it.each(MUTANTS.map((m) => [m.name, m] as const))('%s applies to today\'s sources and parses', (_name, m) => {
    const source = readFileSync(join(ROOT, m.file), 'utf8');
    const mutated = mutateText(source, m);
    expect(mutated).not.toBe(source);
    expect(transpile(ROOT, m.file, mutated).length).toBeGreaterThan(0);
  });

  it('every aimed scenario is shipped', () => {
    const missing = MUTANTS.flatMap((m) => (m.aimed ?? []).filter((s) => {
      try {
        readFileSync(join(ROOT, 'scenarios', `${s}.json`));
        return false;
      } catch {
        return true;
      }
    }).map((s) => `${m.name}: ${s}`));
    expect(missing).toEqual([]);
  });
});

describe('planting', () => {
  const m = { name: 'x', file: 'f.ts', find: 'a < b', replace: 'a <= b' };

  it('replaces the one occurrence of the find text', () => {
    expect(mutateText('if (a < b) return;', m)).toBe('if (a <= b) return;');
  });

  it('refuses a find text that is missing or occurs twice, naming the mutant and the file', () => {
    expect(() => mutateText('if (a > b) return;', m)).toThrow(MutantError);
    expect(() => mutateText('if (a > b) return;', m)).toThrow(/mutant x: f\.ts does not contain/);
    expect(() => mutateText('a < b; a < b;', m)).toThrow(/more than once/);
  });

  it('refuses an unknown option in one line with the usage (exit 3, no stack trace); --help prints the usage', () => {
    const bad = spawnSync(process.execPath, [join(ROOT, 'bench/tools/mutants.mjs'), '--bogus'], { encoding: 'utf8' });
    expect(bad.status).toBe(3);
    expect(bad.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^mutants: Unknown option '--bogus'/), expect.stringMatching(/^usage: /)]);
    const help = spawnSync(process.execPath, [join(ROOT, 'bench/tools/mutants.mjs'), '--help'], { encoding: 'utf8' });
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^usage: node bench\/tools\/mutants\.mjs/);
  });

  it('reads seeds as A..B or N, and the first failing run of a sweep in plan order', () => {
    expect(parseSeeds('3..9')).toEqual([3, 9]);
    expect(parseSeeds('6')).toEqual([1, 6]);
    expect(() => parseSeeds('x')).toThrow(MutantError);
    const sweep = { runs: [
      { scenario: 'a', seed: 1, valid: true, checkers: {} },
      { scenario: 'a', seed: 2, valid: false, checkers: { raft: { valid: false }, watch: { valid: true } }, replay: 'r' },
      { scenario: 'b', seed: 1, valid: 'unknown', checkers: {} },
    ] };
    expect(firstCatch(sweep)).toMatchObject({ caught: true, runs: 3, failed: 1, unknown: 1, scenario: 'a', seed: 2, by: 'raft' });
    expect(firstCatch({ runs: [sweep.runs[0]!] })).toMatchObject({ caught: false, failed: 0 });
  });
});

describe('the pinned mutants', () => {
  it('are mutants of the list, each pinned once', () => {
    expect(PINNED.filter((p) => !MUTANTS.some((m) => m.name === p.name)).map((p) => p.name)).toEqual([]);
    expect(new Set(PINNED.map((p) => p.name)).size).toBe(PINNED.length);
  });

  it('each runs in exactly one lane, and each lane has its file', () => {
    const lanes = mutantLanes();
    expect(lanes).toHaveLength(MUTANT_LANES);
    expect(lanes.flat().map((p) => p.name).sort()).toEqual(PINNED.map((p) => p.name).sort());
    expect(lanes.every((l) => l.length > 0)).toBe(true);
    for (let lane = 1; lane <= MUTANT_LANES; lane++) {
      const file = join(ROOT, `test/bench/mutants-lane-${lane}.test.ts`);
      expect(existsSync(file) && readFileSync(file, 'utf8').includes(`describeMutantLane(${lane});`), file).toBe(true);
    }
    expect(existsSync(join(ROOT, `test/bench/mutants-lane-${MUTANT_LANES + 1}.test.ts`))).toBe(false);
  });

  it('share a lane with the other pins of their run (its correct run is made once), the lanes within two runs of each other', () => {
    const pins = [{ name: 'a', scenario: 's', seed: 1, checker: 'raft' }, { name: 'b', scenario: 's', seed: 1, checker: 'raft' }, { name: 'c', scenario: 't', seed: 1, checker: 'raft' }, { name: 'd', scenario: 's', seed: 2, checker: 'raft' }];
    expect(mutantLanes(pins, 2).map((l) => l.map((p) => p.name))).toEqual([['a', 'b'], ['d', 'c']]);
    const cost = mutantLanes().map((l) => l.length + new Set(l.map((p) => `${p.scenario}-${p.seed}`)).size);
    expect(Math.max(...cost) - Math.min(...cost)).toBeLessThanOrEqual(2);
  });
});
