// workload.mix and workload.compactionRevision: the knobs the compaction scenarios
// (watch-compaction-churn, compaction-restore) use to make a delete at the newest revision and
// a compaction there common (etcd#19179, #17780).
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../sim/cli/errors.ts';
import { parseScenario } from '../../../sim/scenario/parse.ts';
import { ETCD_TRAFFIC_MIX, withWeights } from '../../../sim/workload/etcd-op-names.ts';
import { TrafficState, compactionRevision } from '../../../sim/workload/traffic-state.ts';
import { Prng } from '../../../sim/world/prng.ts';

function errorOf(raw: unknown): string {
  try {
    parseScenario(raw, 'scenarios/x.json');
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return (err as Error).message;
  }
  throw new Error('expected the scenario to be rejected');
}

describe('workload mix and compaction aim', () => {
  it('reweights only the ops a mix names', () => {
    const table = withWeights(ETCD_TRAFFIC_MIX, { delete: 30, 'multi-op-txn': 0 });
    expect(table.find(([n]) => n === 'delete')?.[1]).toBe(30);
    expect(table.find(([n]) => n === 'multi-op-txn')?.[1]).toBe(0);
    expect(table.find(([n]) => n === 'put')?.[1]).toBe(20);
    expect(withWeights(ETCD_TRAFFIC_MIX, undefined)).toBe(ETCD_TRAFFIC_MIX);
  });

  it('refuses an unknown op, a mix outside the etcd workload and a mix with nothing left, in one line', () => {
    expect(errorOf({ name: 'x', workload: { mix: { delet: 3 } } })).toMatch(/^scenarios\/x\.json: workload\.mix\.delet: no etcd workload op 'delet'/);
    expect(errorOf({ name: 'x', workload: { kind: 'kv', mix: { delete: 3 } } })).toMatch(/workload\.mix: a mix is for the etcd and lease workloads only/);
    // The lease workload's mix names its own ops (keepalive-late is 0 unless a scenario asks for it).
    expect(errorOf({ name: 'x', workload: { kind: 'lease', mix: { delete: 3 } } })).toMatch(/workload\.mix\.delete: no lease workload op 'delete' \(ops: grant, .*keepalive-late, grant-with-id\)/);
    expect(parseScenario({ name: 'x', workload: { kind: 'lease', mix: { 'keepalive-late': 30 } } }, 'scenarios/x.json').workload.mix).toEqual({ 'keepalive-late': 30 });
    const all = Object.fromEntries(ETCD_TRAFFIC_MIX.map(([n]) => [n, 0]));
    expect(errorOf({ name: 'x', workload: { mix: all } })).toMatch(/workload\.mix: the mix leaves no op/);
    for (const m of [errorOf({ name: 'x', workload: { mix: { delet: 3 } } })]) expect(m).not.toContain('\n');
  });

  it('"newest" compacts at the newest revision seen, "recent" within 5 of it', () => {
    const state = new TrafficState();
    state.observe({ header: { revision: '40' } });
    const prng = new Prng(7);
    const recent = Array.from({ length: 50 }, () => compactionRevision(state, prng, 'recent'));
    expect(recent.every((r) => r >= 35 && r <= 45)).toBe(true);
    expect(new Set(recent).size).toBeGreaterThan(1);
    expect(Array.from({ length: 5 }, () => compactionRevision(state, prng, 'newest'))).toEqual([40, 40, 40, 40, 40]);
  });
});
