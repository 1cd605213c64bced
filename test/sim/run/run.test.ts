// One run end to end on the real etcd member: determinism, the results contract, the
// "unknown" floor, a liveness failure, and every shipped scenario file validating.
import { describe, expect, it } from 'vitest';
import { shippedScenarios } from '../../../sim/cli/harness/scenario-files.ts';
import { runScenario } from '../../../sim/run/run.ts';
import { defineScenario } from '../../../sim/scenario/parse.ts';

const small = defineScenario({
  name: 'small',
  // Watchers off: the watch path has its own scenarios (watch-partition-compaction).
  clients: { count: 4, watchers: false },
  workload: { kind: 'etcd', durationMs: 1000, rateOpsPerSecond: 150, compactionIntervalMs: 300 },
  nemesis: { packages: ['partition-leader', 'kill-follower'], startMs: 100, faultDurationMs: { min: 200, max: 400 }, intervalMs: 100 },
});

describe('a run', () => {
  it('is a pure function of the seed: same trace hash twice, another seed another hash', () => {
    const a = runScenario(small, 11).results;
    const b = runScenario(small, 11).results;
    const c = runScenario(small, 12).results;
    expect(b.traceHash).toBe(a.traceHash);
    expect(b.stats.ops).toEqual(a.stats.ops);
    expect(c.traceHash).not.toBe(a.traceHash);
  });

  it('passes on the correct build and fills results.json as the contract says', () => {
    const out = runScenario(small, 3);
    const r = out.results;
    expect(r.valid).toBe(true);
    expect(Object.keys(r.checkers)).toEqual(expect.arrayContaining(['raft', 'liveness', 'convergence', 'linearizable']));
    expect(r.stats.ops.ok).toBeGreaterThan(50);
    for (const field of ['simulatedMs', 'events', 'messages', 'leaderChanges', 'faults']) expect(typeof r.stats[field]).toBe('number');
    expect(r.traceHash).toMatch(/^[0-9a-f]{16}$/);
    expect(r.replay).toBe('detcd run --scenario small --seed 3');
    expect(out.history.every((op, i) => op.index === i)).toBe(true);
    expect(out.schedule.length).toBeGreaterThan(0);
  });

  it('says unknown when too little traffic succeeded to mean anything', () => {
    const r = runScenario(defineScenario({ ...small, workload: { ...small.workload, okOpsMin: 1_000_000 } }), 3).results;
    expect(r.valid).toBe('unknown');
    expect(r.error).toMatch(/too little successful traffic/);
  });

  it('fails with liveness when the healed cluster cannot converge within the budget', () => {
    const s = defineScenario({ ...small, nemesis: { packages: [] }, schedule: [{ atMs: 999, durationMs: 5000, fault: { kind: 'kill', target: 'leader' } }], liveness: { budgetMs: 100 } });
    const r = runScenario(s, 3).results;
    expect(r.valid).toBe(false);
    expect(r.checkers['liveness']?.valid).toBe(false);
    expect(r.checkers['liveness']?.summary).toMatch(/within 100 ms/);
  });

  it('catches a planted bug that the correct build does not have', () => {
    const s = defineScenario({ ...small, clients: { ...small.clients, count: 10 }, workload: { ...small.workload, rateOpsPerSecond: 300 }, nemesis: { packages: [] } });
    // The stale answers are found at the first one by the answer-covers-commit invariant (the
    // run stops there), before the linearizability checker sees the history.
    const bad = runScenario(s, 1, { bug: 'read-without-readindex' }).results;
    expect(bad.valid).toBe(false);
    expect(bad.stop?.invariant === 'answer-covers-commit' || bad.checkers['linearizable']?.valid === false).toBe(true);
    expect(runScenario(s, 1).results.valid).toBe(true);
  });
});

describe('shipped scenarios', () => {
  it('all validate, with names equal to their file names', () => {
    const all = shippedScenarios();
    expect(all.length).toBeGreaterThanOrEqual(20);
    for (const s of all) expect(s.scenario.name).toBe(s.ref);
  });
});
