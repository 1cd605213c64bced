// The observers after every event skip the work when no member ran (a client's or the
// workload's event): they still count one check per event, and still judge every member turn.
import { describe, expect, it } from 'vitest';
import { hostTurns } from '../../../sim/etcd/cluster.ts';
import type { RaftView } from '../../../sim/check/raft-invariants.ts';
import { runScenario } from '../../../sim/run/run.ts';
import { defineScenario } from '../../../sim/scenario/parse.ts';

const SCENARIO = defineScenario({
  name: 'observer-skip',
  cluster: { members: 3 },
  clients: { count: 10, requestTimeoutMs: 1000 },
  workload: { kind: 'etcd', rateOpsPerSecond: 500, durationMs: 800, keys: 5 },
  nemesis: { packages: ['partition-leader', 'kill-follower', 'pause'], faultDurationMs: { min: 100, max: 300 } },
});

describe('observers skip events no member ran', () => {
  it('count one Raft and one cluster check per world event, skipped or not', () => {
    const r = runScenario(SCENARIO, 3).results;
    const raft = r.checkers['raft'] as { valid: unknown; checks?: number; clusterChecks?: number };
    expect(raft.valid).toBe(true);
    expect(raft.checks).toBe(r.stats.events);
    expect(raft.clusterChecks).toBe(r.stats.events);
  });

  it('hostTurns sums the views versions, and is NaN (never equal) when a view has none', () => {
    const view = (version: number | undefined) => ({ version }) as unknown as RaftView;
    expect(hostTurns([view(3), view(4)])).toBe(7);
    expect(hostTurns([])).toBe(0);
    expect(hostTurns([view(3), view(undefined)])).toBeNaN();
  });
});
