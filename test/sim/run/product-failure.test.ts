// A bug in the product that throws is a failed run with the stage, the member and the message,
// never an internal error of the harness (exit 4): a state machine that throws on one member's
// 40th apply, and one that breaks a product invariant during recovery.
import { describe, expect, it } from 'vitest';
import type { MemberConfig } from '../../../src/server/member-config.ts';
import type { StateMachinePort } from '../../../src/server/state-machine-port.ts';
import { buildClusterWith } from '../../../sim/run/etcd-cluster.ts';
import type { ClusterOptions } from '../../../sim/run/cluster-port.ts';
import { runScenario } from '../../../sim/run/run.ts';
import { makeEtcdStateMachine } from '../../../sim/run/state-machine.ts';
import { defineScenario } from '../../../sim/scenario/parse.ts';

const scenario = defineScenario({
  name: 'product-throws',
  clients: { count: 3, watchers: false },
  workload: { kind: 'etcd', durationMs: 800, rateOpsPerSecond: 150 },
  nemesis: { packages: ['kill-follower'], startMs: 100, faultDurationMs: { min: 100, max: 200 }, intervalMs: 100 },
});

/** The etcd state machine, except that member `id`'s applies throw once `throwAt` were applied. */
function throwingOn(id: number, throwAt: number, message: string) {
  return (o: ClusterOptions) => buildClusterWith(o, (config: MemberConfig): StateMachinePort => {
    const sm = makeEtcdStateMachine(config);
    if (config.id !== id) return sm;
    let applied = 0;
    const apply = sm.apply.bind(sm);
    sm.apply = (index, term, data, nowMs) => {
      if (++applied >= throwAt) throw new Error(message);
      return apply(index, term, data, nowMs);
    };
    return sm;
  });
}

describe('a product exception', () => {
  it('fails the run with the stage, the member and the message instead of crashing the harness', () => {
    const r = runScenario(scenario, 1, { buildCluster: throwingOn(2, 40, 'boom: mvcc index out of range') }).results;
    expect(r.valid).toBe(false);
    const p = r.checkers['product'] as Record<string, unknown>;
    expect(p['valid']).toBe(false);
    expect(p['member']).toBe('n2');
    expect(p['stage']).toBe('safety');
    expect(p['message']).toBe('boom: mvcc index out of range');
    expect(r.error).toMatch(/safety stage: member n2 threw .*boom/);
    expect(r.checkers['liveness']?.valid).toBe('unknown');
  });

  it('fails the run when a product invariant breaks, naming it', () => {
    const r = runScenario(scenario, 2, { buildCluster: throwingOn(1, 25, 'invariant consistent-index: planted') }).results;
    expect(r.valid).toBe(false);
    expect(r.checkers['product']?.summary).toMatch(/member n1 threw .*invariant consistent-index: planted/);
  });

  it('leaves the correct build without a product verdict', () => {
    const r = runScenario(scenario, 1).results;
    expect(r.valid).toBe(true);
    expect(r.checkers['product']).toBeUndefined();
  });
});
