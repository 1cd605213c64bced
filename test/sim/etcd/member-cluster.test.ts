// The member, its host and the simulated client working together over the simulated world:
// election, replication, linearizable and serializable reads, leader hints, client timeouts.
import { describe, expect, test } from 'vitest';
import { EtcdCluster } from '../../../sim/etcd/cluster.ts';
import type { CallResult } from '../../../sim/etcd/client.ts';
import { RegisterStateMachine } from './register-state-machine.ts';

function cluster(seed: number, members = 3): EtcdCluster {
  const c = new EtcdCluster({ seed, members, makeStateMachine: () => new RegisterStateMachine() });
  c.start();
  return c;
}

function callSync(c: EtcdCluster, client: ReturnType<EtcdCluster['client']>, path: string, body: unknown, process = 0): CallResult {
  let result: CallResult | undefined;
  client.call({ path, body }, process, (r) => { result = r; });
  c.runUntilTrue(() => result !== undefined, 30_000_000);
  if (result === undefined) throw new Error('no result');
  return result;
}

describe('member cluster', () => {
  test('three members elect a leader within a few election timeouts', () => {
    const c = cluster(1);
    expect(c.runUntilTrue(() => c.leader() !== undefined, 5_000_000)).toBe(true);
  });

  test('a put is acknowledged once committed and every member applies it', () => {
    const c = cluster(2);
    c.runUntilTrue(() => c.leader() !== undefined, 5_000_000);
    const client = c.client('c1');
    const put = callSync(c, client, '/v3/kv/put', { key: 'a', value: '1' });
    expect(put.type).toBe('ok');
    c.runUntil(c.world.loop.now() + 1_000_000);
    expect(c.converged()).toBe(true);
    for (const n of c.names) expect(c.status(n)?.revision).toBe(2);
  });

  test('a paused leader is no leader, and a cluster with a member paused or down has not converged', () => {
    const c = cluster(5);
    c.runUntilTrue(() => c.leader() !== undefined, 5_000_000);
    c.runUntil(c.world.loop.now() + 500_000);
    expect(c.converged()).toBe(true);
    const leader = c.leader()!;
    expect(c.status(leader)).toMatchObject({ up: true, isLeader: true });
    c.world.pause(leader);
    expect(c.leader()).toBeUndefined();
    expect(c.status(leader)).toBeUndefined();
    expect(c.converged()).toBe(false);
    c.world.resume(leader);
    expect(c.leader()).toBe(leader);
    expect(c.converged()).toBe(true);
    const follower = c.names.find((n) => n !== leader)!;
    c.world.crash(follower);
    expect(c.converged()).toBe(false);
  });

  test('a linearizable read on a follower sees a write acknowledged before it', () => {
    const c = cluster(3);
    c.runUntilTrue(() => c.leader() !== undefined, 5_000_000);
    const leader = c.leader()!;
    const follower = c.names.find((n) => n !== leader)!;
    const w = c.client('w', { members: [leader] });
    const r = c.client('r', { members: [follower], followLeader: false });
    expect(callSync(c, w, '/v3/kv/put', { key: 'k', value: 'v1' }).type).toBe('ok');
    const read = callSync(c, r, '/v3/kv/range', { key: 'k' });
    expect(read.type).toBe('ok');
    expect((read.body as { kvs: { value: string }[] }).kvs[0]?.value).toBe('v1');
    expect(read.node).toBe(follower);
  });

  test('a write to a crashed member times out as info, and is never retried', () => {
    const c = cluster(4);
    c.runUntilTrue(() => c.leader() !== undefined, 5_000_000);
    const client = c.client('c', { members: ['n1'], requestTimeoutUs: 500_000 });
    c.world.crash('n1');
    const r = callSync(c, client, '/v3/kv/put', { key: 'x', value: 'y' });
    expect(r.type).toBe('info');
    expect(r.error).toBe('timeout');
    const ops = c.history.ops.filter((o) => o.f === 'kv/put');
    expect(ops.map((o) => o.type)).toEqual(['invoke', 'info']);
  });

  test('the history records requests and responses in wire form with the serving member', () => {
    const c = cluster(5, 1);
    c.runUntilTrue(() => c.leader() !== undefined, 5_000_000);
    const client = c.client('c');
    callSync(c, client, '/v3/kv/put', { key: 'a', value: 'b' }, 7);
    const [inv, ok] = c.history.ops;
    expect(inv).toMatchObject({ process: 7, type: 'invoke', f: 'kv/put', value: { key: 'a', value: 'b' } });
    expect(ok).toMatchObject({ process: 7, type: 'ok', f: 'kv/put', value: { header: { revision: '2' } }, node: 'n1' });
  });
});

describe('member host applied entries (the invariant observers read them)', () => {
  test('every entry a member applied is there by index, the same as its log holds, and nothing past the last applied', () => {
    const c = cluster(11);
    c.runUntilTrue(() => c.leader() !== undefined, 5_000_000);
    const client = c.client('c1');
    for (let k = 0; k < 20; k++) expect(callSync(c, client, '/v3/kv/put', { key: `k${k % 3}`, value: String(k) }).type).toBe('ok');
    c.runUntil(c.world.loop.now() + 1_000_000);
    for (const name of c.names) {
      const host = c.hosts.get(name)!;
      const applied = host.applied;
      expect(applied).toBeGreaterThan(20);
      const storage = host.recovered.storage;
      for (let i = Math.max(1, storage.firstIndex()); i <= applied; i++) {
        const e = host.appliedEntry(i);
        const stored = storage.entries(i, i + 1, Number.MAX_SAFE_INTEGER);
        expect(typeof stored).not.toBe('string');
        expect(e).toBe((stored as readonly unknown[])[0]);
      }
      expect(host.appliedEntry(applied + 1)).toBeUndefined();
      expect(host.appliedEntry(0)).toBeUndefined();
    }
  });
});
