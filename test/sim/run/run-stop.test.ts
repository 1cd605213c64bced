// A run's verdict on a broken invariant comes from the typed error's fields (layer, name), not
// from its message: rewording a message keeps the verdict, the exit code and the checker blamed;
// an untyped error that merely mentions "invariant" is a harness bug and propagates.
import { describe, expect, it } from 'vitest';
import { InvariantViolation, violated } from '../../../src/invariant-violation.ts';
import { scenarioCluster } from '../../../sim/run/scenario-cluster.ts';
import { runScenario } from '../../../sim/run/run.ts';
import { runStopOf } from '../../../sim/run/run-stop.ts';
import { exitCodeFor } from '../../../sim/cli/errors.ts';
import type { ClusterBuilder } from '../../../sim/run/scenario-cluster.ts';
import { defineScenario } from '../../../sim/scenario/parse.ts';

const small = defineScenario({
  name: 'small',
  clients: { count: 3, watchers: false },
  workload: { kind: 'etcd', durationMs: 400, rateOpsPerSecond: 100 },
  nemesis: { packages: [] },
});

/** The etcd cluster, with `fault` thrown out of the event loop once, after 200 simulated ms. */
function throwingAt(fault: () => Error): ClusterBuilder {
  return (o) => {
    const cluster = scenarioCluster(o);
    let thrown = false;
    cluster.world.onEvent(() => {
      if (thrown || cluster.world.loop.now() < 200_000) return;
      thrown = true;
      throw fault();
    });
    return cluster;
  };
}

describe('runStopOf', () => {
  it('judges a typed violation by its layer: raft blames the raft checker, any other layer the invariants checker', () => {
    const raft = runStopOf(new InvariantViolation({ layer: 'raft', invariant: 'election-safety', detail: 'two leaders', member: 'n2' }, 'reworded: nothing to match here'), 7);
    expect(raft).toMatchObject({ kind: 'invariant', layer: 'raft', invariant: 'election-safety', member: 'n2', timeUs: 7, checker: 'raft' });
    expect(runStopOf(violated('mvcc', 'key-index', 'revisions strictly increase'), 1)?.checker).toBe('invariants');
  });

  it('lets harness violations and untyped errors propagate, whatever their message says', () => {
    expect(runStopOf(violated('harness', 'time-monotonic', 'time went backwards'), 1)).toBeUndefined();
    expect(runStopOf(new Error('invariant election-safety violated on member n1'), 1)).toBeUndefined();
  });
});

describe('a run stopped by a broken invariant', () => {
  const messages = ['invariant apply-once: entry 9 at or below consistent index 9', 'the store applied an entry twice'];
  for (const message of messages) {
    it(`fails with exit 1, blames "invariants", and records layer, name and time (message "${message}")`, () => {
      const fault = (): Error => new InvariantViolation({ layer: 'server', invariant: 'apply-once', detail: 'entry 9 applied twice', member: 'n1' }, message);
      const r = runScenario(small, 5, { buildCluster: throwingAt(fault) }).results;
      expect(r.valid).toBe(false);
      expect(exitCodeFor(r.valid)).toBe(1);
      expect(r.checkers['invariants']?.valid).toBe(false);
      expect(r.checkers['raft']?.valid).toBe(true);
      expect(r.stop).toMatchObject({ layer: 'server', invariant: 'apply-once', member: 'n1', message });
      expect(r.stop?.timeUs).toBeGreaterThan(0);
    });
  }

  it('a raft-layer violation blames the raft checker even when its message never says "invariant"', () => {
    const r = runScenario(small, 5, { buildCluster: throwingAt(() => violated('raft', 'log-matching', 'two entries at index 4 of term 2')) }).results;
    expect(r.valid).toBe(false);
    expect(r.checkers['raft']?.valid).toBe(false);
    expect(r.checkers['invariants']).toBeUndefined();
  });

  it('an untyped error mentioning "invariant" is a harness bug: the run throws (exit 4), blaming no checker', () => {
    expect(() => runScenario(small, 5, { buildCluster: throwingAt(() => new Error('invariant election-safety broken')) })).toThrow(/election-safety/);
  });
});
