// recovered-durable (sim/etcd/cluster-invariants.ts): a member restarted from its disk comes back
// with everything its previous incarnation had fsynced. A crash loses only unsynced writes; a
// recovery that loses more (holdout-8 mutants torn-tail-kept, restart-first-hard-state) let a
// member forget a vote or an entry it had acknowledged, and no checker looked.
import { describe, expect, test } from 'vitest';
import { EtcdCluster } from '../../../sim/etcd/cluster.ts';
import { WAL_FILE } from '../../../sim/etcd/member-storage.ts';
import { RegisterStateMachine } from './register-state-machine.ts';

function clusterWithWrites(seed: number): { c: EtcdCluster; follower: string } {
  const c = new EtcdCluster({ seed, members: 3, makeStateMachine: () => new RegisterStateMachine() });
  c.start();
  c.observeClusterInvariants();
  c.runUntilTrue(() => c.leader() !== undefined, 5_000_000);
  const client = c.client('c1');
  let done = 0;
  for (let i = 0; i < 5; i++) client.call({ path: '/v3/kv/put', body: { key: `k${i}`, value: 'v' } }, i, () => { done++; });
  c.runUntilTrue(() => done === 5, 30_000_000);
  c.runUntil(c.world.loop.now() + 500_000);
  const follower = c.names.find((n) => n !== c.leader()) as string;
  return { c, follower };
}

describe('recovered-durable', () => {
  test('a clean crash and restart recovers what was durable: no violation', () => {
    const { c, follower } = clusterWithWrites(4);
    c.world.crash(follower, false);
    c.world.restart(follower);
    expect(() => c.runUntil(c.world.loop.now() + 1_000_000)).not.toThrow();
  });

  test('a restart from a WAL that lost fsynced records (all but its first) is found', () => {
    const { c, follower } = clusterWithWrites(4);
    c.world.crash(follower, false);
    // As a recovery bug would: records that were durable are gone when the member reads its WAL.
    c.world.disk(follower).truncate(WAL_FILE, 1);
    expect(() => {
      c.world.restart(follower);
      c.runUntil(c.world.loop.now() + 1_000_000);
    }).toThrow(/recovered-durable.*commit 0 though its disk had made term 1, commit \d+ durable/);
  });
});
