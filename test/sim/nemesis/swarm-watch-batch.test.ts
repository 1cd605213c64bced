// etcd's watch catch-up batch (watchBatchMaxRevs, 1,000 revisions) as a scenario setting the swarm
// draws small: at 1,000 no watcher of any run fell a whole batch behind, so holdout 9's
// synced-after-partial-batch (a watcher moved to the synced group after one partial batch) was
// never judged. These prove the setting reaches the members' watchable stores, that a small batch
// catches a watcher up over several rounds without losing or repeating a revision, and that the
// swarm draws it with a liveness budget that covers the catch-up.
import { describe, expect, it } from 'vitest';
import { MvccStore } from '../../../src/mvcc/store.ts';
import type { EtcdStateMachine } from '../../../src/server/etcd-state-machine.ts';
import type { StoreWatchResponse } from '../../../src/watch/watcher.ts';
import { WatchableStore } from '../../../src/watch/watchable-store.ts';
import { drawSwarm } from '../../../sim/nemesis/swarm.ts';
import { scenarioCluster } from '../../../sim/run/scenario-cluster.ts';
import { defineScenario } from '../../../sim/scenario/parse.ts';
import { Prng } from '../../../sim/world/prng.ts';

describe('watch catch-up batch limit (watchBatchMaxRevs)', () => {
  it('a scenario\'s cluster.etcd.watchBatchMaxRevs reaches every member\'s watchable store', () => {
    const scenario = defineScenario({ name: 'batch', cluster: { etcd: { watchBatchMaxRevs: 7 } } });
    const c = scenarioCluster({ scenario, seed: 1, clients: [], buggify: false, tornWrites: false, traceLog: false });
    expect(c.hosts.size).toBe(3);
    for (const host of c.hosts.values()) expect((host.member.stateMachine as EtcdStateMachine).applier.watchable.batchMaxRevs).toBe(7);
  });

  it('a watcher 20 revisions behind catches up 3 revisions a round, each revision once and in order', () => {
    const store = new MvccStore();
    const ws = new WatchableStore(store);
    ws.batchMaxRevs = 3;
    for (let i = 0; i < 20; i++) {
      const t = store.write();
      t.put('k', `v${i}`, 0n);
      t.end();
    }
    const got: StoreWatchResponse[] = [];
    ws.watch('k', undefined, 1, 1, { noPut: false, noDelete: false }, { deliver: (r) => (got.push(r), true) });
    let rounds = 0;
    while (!got.some((r) => r.events.at(-1)?.kv.mod_revision === 21) && rounds < 20) {
      ws.syncWatchers();
      rounds++;
    }
    const revs = got.flatMap((r) => r.events.map((e) => e.kv.mod_revision));
    // The store starts at revision 1: the writes made revisions 2..21.
    expect(revs).toEqual(Array.from({ length: 20 }, (_, i) => i + 2));
    expect(got.every((r) => new Set(r.events.map((e) => e.kv.mod_revision)).size <= 3)).toBe(true);
    expect(rounds).toBe(7);
    expect(ws.isSynced(ws.watchers()[0]!)).toBe(true);
  });

  it('the swarm draws small batches in some runs, each with a liveness budget for twice the catch-up of its whole history', () => {
    const swarm = defineScenario({ name: 's', swarm: { enabled: true } });
    const drawn = Array.from({ length: 200 }, (_, i) => drawSwarm(swarm, new Prng(i + 1)));
    const small = drawn.filter((d) => d.scenario.cluster.etcd.watchBatchMaxRevs < 1000);
    expect(small.length).toBeGreaterThan(20);
    expect(small.length).toBeLessThan(100);
    for (const d of small) {
      const s = d.scenario;
      expect(d.options['watchBatchMaxRevs']).toBe(s.cluster.etcd.watchBatchMaxRevs);
      const revisions = Math.ceil((s.workload.rateOpsPerSecond * s.workload.durationMs) / 1000);
      expect(s.liveness.budgetMs).toBeGreaterThanOrEqual(2 * Math.ceil(revisions / s.cluster.etcd.watchBatchMaxRevs) * 100);
    }
    expect(drawn.filter((d) => d.options['watchBatchMaxRevs'] !== undefined).length).toBe(small.length);
  });
});
