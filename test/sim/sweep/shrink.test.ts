import { describe, expect, it } from 'vitest';
import { defineScenario } from '../../../sim/scenario/parse.ts';
import type { Scenario } from '../../../sim/scenario/schema.ts';
import { bakeScenario, shrinkScenario } from '../../../sim/sweep/shrink.ts';

const faults = Array.from({ length: 12 }, (_, i) => ({ atMs: i * 200, durationMs: 150, fault: i === 7 ? { kind: 'pause' as const, target: 'n2' } : { kind: 'kill' as const, target: 'follower' } }));
const start = defineScenario({ name: 'x', clients: { count: 20 }, workload: { durationMs: 3000, rateOpsPerSecond: 400 }, schedule: faults });

/** A synthetic failure: needs the pause of n2 lasting at least 30 ms and at least 3 clients. */
function fails(s: Scenario): boolean {
  const pause = (s.schedule ?? []).find((f) => f.fault.kind === 'pause');
  return pause !== undefined && pause.durationMs >= 30 && s.clients.count >= 3 && s.workload.durationMs > pause.atMs;
}

describe('shrink', () => {
  it('keeps only the fault that matters, shortened, with fewer clients and a shorter run', () => {
    const r = shrinkScenario(start, { fails, runsMax: 500 });
    expect(r.scenario.schedule).toHaveLength(1);
    expect(r.scenario.schedule?.[0]?.fault).toEqual({ kind: 'pause', target: 'n2' });
    expect(r.scenario.schedule?.[0]?.durationMs).toBeLessThan(75);
    expect(r.scenario.clients.count).toBeLessThan(6);
    expect(r.scenario.workload.durationMs).toBeLessThan(3000);
    expect(fails(r.scenario)).toBe(true);
  });

  it('names each step\'s faults by kind and start, not by their place in a list that shrinks', () => {
    const r = shrinkScenario(start, { fails, runsMax: 500 });
    // It said "removed faults 0..5 (6 left)", then "removed faults 0..2 (3 left)" of another list.
    expect(r.steps[0]).toBe('removed 6 faults: kill at 0 ms, kill at 200 ms, kill at 400 ms and 3 more (6 left)');
    expect(r.steps).toContain('removed fault kill at 1600 ms (1 left)');
    expect(r.steps.filter((s) => s.startsWith('fault ')).every((s) => s.startsWith('fault pause at 1400 ms lasts '))).toBe(true);
  });

  it('stops at the run budget and still returns a failing scenario', () => {
    const r = shrinkScenario(start, { fails, runsMax: 3 });
    expect(r.runs).toBe(3);
    expect(fails(r.scenario)).toBe(true);
  });

  it('bakes a swarm run into an explicit, non-swarm scenario', () => {
    const swarm = defineScenario({ name: 's', swarm: { enabled: true } });
    const baked = bakeScenario(swarm, faults);
    expect(baked.swarm.enabled).toBe(false);
    expect(baked.schedule).toEqual(faults);
  });
});
