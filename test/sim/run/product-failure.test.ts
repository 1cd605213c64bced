// A bug in the product that throws is a failed run with the stage, the member and the message,
// never an internal error of the harness (exit 4): a state machine that throws on one member's
// 40th apply, and one that breaks a product invariant during recovery.
import { describe, expect, it } from 'vitest';
import { violated } from '../../../src/invariant-violation.ts';
import type { MemberConfig } from '../../../src/server/member-config.ts';
import type { StateMachinePort } from '../../../src/server/state-machine-port.ts';
import { scenarioCluster } from '../../../sim/run/scenario-cluster.ts';
import type { ClusterOptions } from '../../../sim/run/scenario-cluster.ts';
import { runScenario } from '../../../sim/run/run.ts';
import type { RunStop } from '../../../sim/run/run-stop.ts';
import { makeEtcdStateMachine } from '../../../sim/run/state-machine.ts';
import { defineScenario } from '../../../sim/scenario/parse.ts';

const scenario = defineScenario({
  name: 'product-throws',
  clients: { count: 3, watchers: false },
  workload: { kind: 'etcd', durationMs: 800, rateOpsPerSecond: 150 },
  nemesis: { packages: ['kill-follower'], startMs: 100, faultDurationMs: { min: 100, max: 200 }, intervalMs: 100 },
});

/** The etcd state machine, except that member `id`'s applies throw once `throwAt` were applied. */
function throwingOn(id: number, throwAt: number, error: string | Error) {
  return (o: ClusterOptions) => scenarioCluster(o, (config: MemberConfig): StateMachinePort => {
    const sm = makeEtcdStateMachine(config);
    if (config.id !== id) return sm;
    let applied = 0;
    const apply = sm.apply.bind(sm);
    sm.apply = (index, term, data, nowMs) => {
      if (++applied >= throwAt) throw typeof error === 'string' ? new Error(error) : error;
      return apply(index, term, data, nowMs);
    };
    return sm;
  });
}

describe('a product exception', () => {
  it('fails the run with the stage, the member and the message instead of crashing the harness', () => {
    const r = runScenario(scenario, 1, { buildCluster: throwingOn(2, 40, 'boom: mvcc index out of range') }).results;
    expect(r.valid).toBe(false);
    const c = r.checkers['invariants'] as { valid: unknown; stop: RunStop };
    expect(c.valid).toBe(false);
    expect(c.stop.kind).toBe('exception');
    expect(c.stop.member).toBe('n2');
    expect(c.stop.phase).toBe('safety');
    expect(c.stop.stage).toBe('callback');
    expect(c.stop.detail).toBe('boom: mvcc index out of range');
    expect(r.error).toMatch(/safety phase: member n2 .*threw .*boom/);
    expect(r.checkers['liveness']?.valid).toBe('unknown');
  });

  it('fails the run when a product invariant breaks, naming the invariant and the member', () => {
    const r = runScenario(scenario, 2, { buildCluster: throwingOn(1, 25, violated('server', 'consistent-index', 'planted')) }).results;
    expect(r.valid).toBe(false);
    const stop = (r.checkers['invariants'] as unknown as { stop: RunStop }).stop;
    expect(stop.kind).toBe('invariant');
    expect(stop.invariant).toBe('consistent-index');
    expect(stop.member).toBe('n1');
  });

  it('leaves the correct build without a product verdict', () => {
    const r = runScenario(scenario, 1).results;
    expect(r.valid).toBe(true);
    expect(r.checkers['invariants']).toBeUndefined();
  });
});
