// The steady-state measurement (bench/steady-state.mjs) behind the harness bench's second figure and
// bench/tools/steady-state.mjs: its warm-up ends only when a round costs what the round before
// cost, it gives up honestly (stable: false) after its bound, it alternates builds within a round,
// it summarises with medians and refuses runs that are not deterministic. Fed synthetic runs (no
// clock): the CPU figures below are made up, which is what lets the tests say exactly what happens.
import { describe, expect, it } from 'vitest';
import { steadyState, warmedUp } from '../../bench/steady-state.mjs';
import type { SteadyBuild, SteadyRun } from '../../bench/steady-state.mjs';

/** A build whose k-th run (0-based, over all seeds) costs cpuOfRun(k) s; 1,000 ops and 12,000 events a run. */
function fakeBuild(label: string, cpuOfRun: (k: number, seed: number) => number, log?: string[]): SteadyBuild {
  let k = 0;
  return {
    label,
    run(seed: number): SteadyRun {
      log?.push(`${label}${seed}`);
      return { cpuS: cpuOfRun(k++, seed), ops: 1000, events: 12_000, traceHash: `hash-${seed}` };
    },
  };
}

describe('warmedUp', () => {
  it('needs at least the minimum number of rounds, however flat they are', () => {
    expect(warmedUp([1, 1], 3, 0.05)).toBe(false);
    expect(warmedUp([1, 1, 1], 3, 0.05)).toBe(true);
  });

  it('is false while the last round differs from the one before by more than the tolerance, either way', () => {
    expect(warmedUp([4, 2, 1.5], 3, 0.05)).toBe(false);
    expect(warmedUp([4, 2, 2.5], 3, 0.05)).toBe(false);
    expect(warmedUp([4, 2, 2.09], 3, 0.05)).toBe(true);
  });
});

describe('steadyState', () => {
  it('keeps warming up while runs get cheaper and measures only after: the JIT-compiling rounds are not in the figure', () => {
    // Runs cost 2 s, 1.6 s, 1.3 s, ... down to 0.5 s: five seeds per round, so round r costs about 5 × max(0.5, 2 × 0.8^(5r)).
    const build = fakeBuild('A', (k) => Math.max(0.5, 2 * 0.8 ** k));
    const result = steadyState([build], { measuredRounds: 3 });
    expect(result.warmup.stable).toBe(true);
    expect(result.warmup.rounds).toBeGreaterThanOrEqual(3);
    const s = result.summaries[0]!;
    expect(s.cpuSPerRun).toBe(0.5);
    expect(s.opsPerCpuS).toBe(2000);
    expect(s.eventsPerCpuS).toBe(24_000);
  });

  it('says NOT stable after its bound when the cost never settles, and still measures', () => {
    // Alternately 1 s and 2 s a round: never within 5 % of the round before.
    const build = fakeBuild('A', (k) => (Math.floor(k / 5) % 2 === 0 ? 0.2 : 0.4));
    const result = steadyState([build], { warmupRoundsMax: 6, measuredRounds: 2 });
    expect(result.warmup).toMatchObject({ rounds: 6, stable: false });
    expect(result.summaries[0]!.perSeed).toHaveLength(5);
  });

  it('alternates two builds within a round (A first, then B first, seed by seed) and gives B against A', () => {
    const log: string[] = [];
    const a = fakeBuild('A', () => 1, log);
    const b = fakeBuild('B', () => 0.8, log);
    const result = steadyState([a, b], { seeds: [1, 2], warmupRoundsMin: 2, measuredRounds: 1 });
    expect(log.slice(0, 8)).toEqual(['A1', 'B1', 'B2', 'A2', 'B1', 'A1', 'A2', 'B2']);
    expect(result.against[1]!.totalCpuRatio).toBeCloseTo(0.8, 10);
    expect(result.against[1]!.medianPairedCpuRatio).toBeCloseTo(0.8, 10);
    expect(result.summaries[1]!.opsPerCpuS).toBeCloseTo(1250, 6);
  });

  it('takes the median per seed, so one slow run (another process took the cache) does not move the figure', () => {
    let k = 0;
    const build: SteadyBuild = { label: 'A', run: (seed) => ({ cpuS: k++ === 17 ? 5 : 1, ops: 1000, events: 1, traceHash: `h${seed}` }) };
    const result = steadyState([build], { measuredRounds: 3 });
    expect(result.summaries[0]!.cpuSPerRun).toBe(1);
  });

  it('refuses a seed whose trace hash changes between rounds: a figure of nondeterministic runs is not a figure', () => {
    let k = 0;
    const build: SteadyBuild = { label: 'A', run: () => ({ cpuS: 1, ops: 1, events: 1, traceHash: `h${k++}` }) };
    expect(() => steadyState([build], { seeds: [1], warmupRoundsMin: 2, measuredRounds: 2 })).toThrow(/seed 1 gave 2 different trace hashes/);
  });

  it('refuses a run that reports no CPU (a broken clock would otherwise give infinite ops per second)', () => {
    const build = fakeBuild('A', () => 0);
    expect(() => steadyState([build])).toThrow(/CPU seconds must be positive/);
  });
});
