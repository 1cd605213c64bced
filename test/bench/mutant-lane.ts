// The pinned mutants (mutant-pins.ts) in lanes: each lane is a test file of its own
// (mutants-lane-N.test.ts), so that vitest runs them side by side on its workers. One file held
// all of them: 54 cold processes of the mutated bin and 39 runs of the correct build, the largest
// file of the suite (444 s at load 13-45, one worker), which no worker could share.
// Each lane plants its mutants through the tool's own code in a scratch package of its own; a
// pinned mutant must fail the one run known to catch it, and the correct build must pass that run.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeScratch, plant, removeScratch } from '../../bench/tools/mutants/apply.mjs';
import { MUTANTS } from '../../bench/tools/mutants/list.mjs';
import { cli } from '../cli/capture-cli.ts';
import { PINNED, type Pin } from './mutant-pins.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** A bound that catches a hang, not a measurement: two runs of the bin each, on a loaded machine. */
const RUNS_TIMEOUT_MS = 240_000;

/** How many lane files there are: two per core of the 2-core CI machine, for vitest to share out. */
export const MUTANT_LANES = 4;

/** The run a pin is checked on: pins of one run share its correct run, so they share a lane. */
const runKey = (p: Pin): string => `${p.scenario}-seed-${p.seed}`;

/**
 * The pins of each lane (0-based): the runs, largest first (most mutants on them), each to the
 * lane with the fewest runs so far. Every pin lands in exactly one lane.
 */
export function mutantLanes(pins: readonly Pin[] = PINNED, lanes: number = MUTANT_LANES): Pin[][] {
  const byRun = new Map<string, Pin[]>();
  for (const p of pins) byRun.set(runKey(p), [...(byRun.get(runKey(p)) ?? []), p]);
  const runs = [...byRun.values()].sort((a, b) => b.length - a.length || runKey(a[0]!).localeCompare(runKey(b[0]!)));
  const out: Pin[][] = Array.from({ length: lanes }, () => []);
  // A lane's cost in runs: its mutants' runs and one correct run of each of its scenario seeds.
  const cost = out.map(() => 0);
  for (const run of runs) {
    const lane = cost.indexOf(Math.min(...cost));
    out[lane]!.push(...run);
    cost[lane]! += run.length + 1;
  }
  return out;
}

/** The tests of lane `lane` (1-based, as its file is named); the last lane also plants the equivalent mutant. */
export function describeMutantLane(lane: number): void {
  const pins = mutantLanes()[lane - 1] ?? [];
  describe(`fast mutants of lane ${lane} of ${MUTANT_LANES}, planted in a scratch package, fail their run; the correct build passes it`, () => {
    let dir = '';
    let out = '';
    beforeAll(() => {
      dir = makeScratch(ROOT);
      out = mkdtempSync(join(tmpdir(), 'detcd-mutant-runs-'));
    });
    afterAll(() => {
      removeScratch(dir);
      rmSync(out, { recursive: true, force: true });
    });

    function run(tag: string, scenario: string, seed: number): { status: number | null; results: { valid: unknown; checkers: Record<string, { valid: unknown }> } } {
      const dest = join(out, tag);
      const p = spawnSync(process.execPath, [join(dir, 'bin/detcd.js'), 'run', '--scenario', scenario, '--seed', String(seed), '--out', dest, '--quiet'], { encoding: 'utf8' });
      return { status: p.status, results: JSON.parse(readFileSync(join(dest, 'results.json'), 'utf8')) as never };
    }

    type Run = ReturnType<typeof run>;
    /**
     * The correct build's run of a scenario and seed, made once: several mutants share one. In this
     * process, from the sources: plant() refuses a dist/ that was not built from them, so they are
     * the build the mutants are planted in; a process of its own per run cost a cold start each
     * (≈1 s of CPU of a run's ≈2).
     */
    const correctRuns = new Map<string, Promise<Run>>();
    function correctRun(scenario: string, seed: number): Promise<Run> {
      const key = `${scenario}-seed-${seed}`;
      const made = correctRuns.get(key) ?? runHere(`${key}-correct`, scenario, seed);
      correctRuns.set(key, made);
      return made;
    }
    async function runHere(tag: string, scenario: string, seed: number): Promise<Run> {
      const dest = join(out, tag);
      const r = await cli(['run', '--scenario', scenario, '--seed', String(seed), '--out', dest, '--quiet']);
      return { status: r.code, results: JSON.parse(readFileSync(join(dest, 'results.json'), 'utf8')) as never };
    }

    it.each(pins.map((p) => [p.name, p] as const))('%s', async (_name, p) => {
      const m = MUTANTS.find((x) => x.name === p.name)!;
      const restore = plant(ROOT, dir, m);
      let mutated;
      try {
        mutated = run(`${p.name}-mutant`, p.scenario, p.seed);
      } finally {
        restore();
      }
      expect(mutated.status).toBe(1);
      expect(mutated.results.checkers[p.checker]?.valid).toBe(false);
      const correct = await correctRun(p.scenario, p.seed);
      expect(correct.status).toBe(0);
      expect(correct.results.valid).toBe(true);
    }, RUNS_TIMEOUT_MS);

    if (lane !== MUTANT_LANES) return;
    it('an equivalent mutant (a fast-backtracking hint one term lower) stays valid where the Raft observer once raised a false alarm', () => {
      // figure8 seed 1 with this mutant broke commit-monotonic: the observer counted a stored stale
      // tail, being replaced by unstable entries, as durable. The hint only costs messages.
      const m = MUTANTS.find((x) => x.name === 'find-conflict-by-term-strict')!;
      expect(m.equivalent).toBeDefined();
      const restore = plant(ROOT, dir, m);
      try {
        const r = run('equivalent', 'figure8', 1);
        expect(r.results.checkers['raft']?.valid).toBe(true);
        expect(r.status).toBe(0);
      } finally {
        restore();
      }
    }, RUNS_TIMEOUT_MS);
  });
}
