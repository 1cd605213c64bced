// A run whose schedule holds membership faults: the nemesis applies them (they are not refused,
// so results.json lists them), the cluster reconfigures through Raft, and the run stays valid,
// converging over the new membership. Kills land on the re-added members too.
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../../sim/run/run.ts';
import { defineScenario } from '../../../sim/scenario/parse.ts';

const scenario = defineScenario({
  name: 'membership-run',
  clients: { count: 4, watchers: false },
  workload: { kind: 'etcd', durationMs: 3000, rateOpsPerSecond: 150 },
  schedule: [
    { atMs: 200, durationMs: 300, fault: { kind: 'membership', action: 'remove-add', target: 'follower' } },
    { atMs: 1200, durationMs: 300, fault: { kind: 'membership', action: 'replace', target: 'leader' } },
    { atMs: 2200, durationMs: 300, fault: { kind: 'kill', target: 'follower' } },
  ],
});

describe('a run with membership faults', () => {
  it('applies every membership fault (none refused) and stays valid and converged', () => {
    for (const seed of [1, 2, 3]) {
      const r = runScenario(scenario, seed).results;
      const membership = (r.faults ?? []).filter((f) => f.kind === 'membership');
      expect(membership.map((f) => f.description)).toEqual(['membership remove-add follower', 'membership replace leader']);
      expect(r.checkers['raft']?.valid).toBe(true);
      expect(r.checkers['liveness']?.valid).toBe(true);
      expect(r.valid).toBe(true);
    }
  });
});
