// The cut-then-pause fault (a package of the fault table, drawn by the swarm; gc-pause runs it):
// the leader is cut off from every other member and paused pauseAfterMs later; it runs again
// resumeAfterLeaderMs after another member leads in a later term, or when the fault heals if
// that comes first. Read from the run's trace (pause/resume) and leader timeline.
import { describe, expect, test } from 'vitest';
import { defineScenario } from '../../../sim/scenario/parse.ts';
import { runScenario } from '../../../sim/run/run.ts';

/** How often the sequence looks for the new leader (sim/nemesis/cut-then-pause.ts). */
const POLL_US = 5_000;

function run(durationMs: number): { startUs: number; endUs: number; target: string; pauses: { kind: string; timeUs: number; node: unknown }[]; newLeaderUs: number | undefined; valid: unknown } {
  const scenario = defineScenario({
    name: 'cut-then-pause',
    cluster: { raft: { tickMs: 10, electionTicks: 10 } },
    workload: { kind: 'etcd', durationMs: 2000, rateOpsPerSecond: 100, okOpsMin: 0 },
    schedule: [{ atMs: 500, durationMs, fault: { kind: 'cut-then-pause', pauseAfterMs: 5, resumeAfterLeaderMs: 100 } }],
  });
  const out = runScenario(scenario, 1, { traceLog: true });
  const fault = out.results.faults![0]!;
  const target = fault.targets![0]!;
  const oldTerm = out.results.leaders!.filter((l) => l.node === target && l.startUs <= fault.startUs).at(-1)!.term;
  const newLeaderUs = out.results.leaders!.find((l) => l.node !== null && l.node !== target && l.term > oldTerm)?.startUs;
  const pauses = out.trace.filter((t) => (t.kind === 'pause' || t.kind === 'resume') && t.node === target).map((t) => ({ kind: t.kind, timeUs: t.timeUs, node: t.node }));
  return { startUs: fault.startUs, endUs: fault.endUs!, target, pauses, newLeaderUs, valid: out.results.valid };
}

describe('cut-then-pause', () => {
  test('the cut leader is paused 5 ms later and resumed 100 ms after the others elected a new leader', () => {
    const r = run(1500);
    expect(r.valid).toBe(true);
    expect(r.newLeaderUs).toBeGreaterThan(r.startUs);
    expect(r.pauses.map((p) => p.kind)).toEqual(['pause', 'resume']);
    expect(r.pauses[0]!.timeUs).toBe(r.startUs + 5_000);
    expect(r.pauses[1]!.timeUs).toBeGreaterThanOrEqual(r.newLeaderUs! + 100_000);
    expect(r.pauses[1]!.timeUs).toBeLessThanOrEqual(r.newLeaderUs! + 100_000 + POLL_US);
    // Resumed while still cut off: the fault (and its partition) lasts on.
    expect(r.pauses[1]!.timeUs).toBeLessThan(r.endUs);
  });

  test('a fault that heals before a new leader is elected resumes the leader with the heal', () => {
    const r = run(50);
    expect(r.valid).toBe(true);
    expect(r.pauses.map((p) => p.kind)).toEqual(['pause', 'resume']);
    expect(r.pauses[0]!.timeUs).toBe(r.startUs + 5_000);
    expect(r.pauses[1]!.timeUs).toBe(r.endUs);
  });
});
