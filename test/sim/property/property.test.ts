// Our own properties, written with the public property API: random fault schedules never
// break safety, and a healed cluster is live again. fast-check prints the seed and the shrunk
// schedule on failure; the run's replay command is in the message.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defineScenario, explain, faultScheduleArbitrary, runResults, withSchedule } from '../../../sim/property/index.ts';
import { propertySeed } from '../../property-seed.ts';

const base = defineScenario({
  name: 'property',
  // Watch streams are judged by their own scenarios; here: Raft, KV safety and liveness.
  clients: { count: 3, watchers: false },
  workload: { kind: 'etcd', durationMs: 1200, rateOpsPerSecond: 120 },
  liveness: { budgetMs: 15_000 },
});
const schedules = faultScheduleArbitrary({ members: 3, safetyMs: 1200, faultsMax: 4, faultMsMax: 800, kinds: ['partition', 'one-way', 'kill', 'pause', 'clock-skew', 'clock-jump', 'clog', 'slow-disk', 'buggify'] });
const seed = propertySeed();

describe('property API', () => {
  it('random fault schedules never break safety, and healed clusters stay live', () => {
    console.log(`property seed ${seed} (DETCD_PROPERTY_SEED=${seed} replays it)`);
    fc.assert(
      fc.property(schedules, fc.integer({ min: 1, max: 1_000_000 }), (schedule, runSeed) => {
        const r = runResults(withSchedule(base, schedule), runSeed);
        const safetyBroken = Object.entries(r.checkers).some(([name, c]) => name !== 'liveness' && name !== 'convergence' && c.valid === false);
        if (safetyBroken) throw new Error(`safety broken: ${explain(r)}`);
        if (r.checkers['liveness']?.valid !== true) throw new Error(`not live after healing: ${explain(r)}`);
      }),
      { seed, numRuns: 8, endOnFailure: true },
    );
  });

  it('schedules are sorted by start time and shrink toward the empty schedule', () => {
    fc.assert(fc.property(schedules, (s) => s.every((f, i) => i === 0 || (s[i - 1]?.atMs ?? 0) <= f.atMs)), { seed, numRuns: 50 });
    const failing = fc.check(fc.property(schedules, (s) => s.length < 2), { seed, numRuns: 200 });
    expect(failing.failed).toBe(true);
    expect(failing.counterexample?.[0]).toHaveLength(2);
  });
});
