// workload.api "full": the etcd workload sends the rest of the KV API (prev_kv, ignore_value /
// ignore_lease, every compare target and result, nested txns, txn ranges at past revisions),
// the members answer most of it ok, and the checkers decide the run (the correct build is valid).
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../../sim/cli/harness/scenario-files.ts';
import { runScenario } from '../../../sim/run/run.ts';
import { drawCompare } from '../../../sim/workload/etcd-api-ops.ts';
import { TrafficState } from '../../../sim/workload/traffic-state.ts';
import { Prng } from '../../../sim/world/prng.ts';

describe('the full KV API workload', () => {
  it('kv-api seed 1: every API feature is sent and answered ok, and the correct build is valid', () => {
    const out = runScenario(loadScenario('kv-api').scenario, 1);
    expect(out.results.valid).toBe(true);
    const invokes = new Map<number | string, string>();
    const okFeatures = new Set<string>();
    const features = ['prev_kv', 'ignore_value', 'ignore_lease', 'request_txn', 'NOT_EQUAL', 'GREATER', 'LESS', '"LEASE"', '"VERSION"', '"CREATE"', '"VALUE"', '"revision"'];
    for (const op of out.history) {
      if (op.type === 'invoke') invokes.set(op.process, JSON.stringify(op.value));
      else if (op.type === 'ok') for (const f of features) if (invokes.get(op.process)?.includes(f) === true) okFeatures.add(f);
    }
    expect([...okFeatures].sort()).toEqual([...features].sort());
    expect(out.history.some((op) => op.type === 'ok' && JSON.stringify(op.value).includes('"prev_kv"'))).toBe(true);
  });

  it('draws compares of every target and result against what the client last read', () => {
    const state = new TrafficState();
    state.observe({ header: { revision: '9' }, kvs: [{ key: 'a2V5MQ==', value: 'dg==', create_revision: '3', mod_revision: '7', version: '2', lease: '5' }] });
    const prng = new Prng(7);
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const c = drawCompare('key1', { prng, state, value: 'x', otherKey: () => 'key2', prefix: 'key' });
      seen.add(`${c.target}/${c.result ?? 'EQUAL'}`);
      if (c.target === 'MOD') expect(c.revision).toBe(7);
      if (c.target === 'CREATE') expect(c.revision).toBe(3);
      if (c.target === 'VERSION') expect(c.revision).toBe(2);
      if (c.target === 'LEASE') expect(c.lease).toBe('5');
      if (c.target === 'VALUE') expect(c.value).toBe('v');
    }
    expect(seen.size).toBe(20);
  });
});
