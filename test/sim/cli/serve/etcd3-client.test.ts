// An application's view of `detcd serve`: the `etcd3` npm package (gRPC through its own
// grpc-js) against a three-member serve with every member's endpoint — puts and gets, a watch,
// a lease with keys, a lock held by one client at a time, and an election whose leader resigns
// and hands over. Typed errors arrive as etcd3's own error classes.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Etcd3, EtcdLeaseInvalidError } from 'etcd3';
import { startServe, type ServeHandle } from '../../../../sim/cli/serve/serve-cluster.ts';

describe('the etcd3 npm client against detcd serve --nodes 3', () => {
  let serve: ServeHandle;
  let client: Etcd3;
  beforeAll(async () => {
    serve = await startServe({ port: 0, nodes: 3, seed: 21 });
    client = new Etcd3({ hosts: serve.endpoints.map((e) => e.url) });
  }, 60_000);
  afterAll(async () => {
    client.close();
    await serve.close();
  });

  test('puts, a prefix get and a delete', async () => {
    await client.put('app/a').value('1');
    await client.put('app/b').value('2');
    expect(await client.get('app/a').string()).toBe('1');
    expect(await client.getAll().prefix('app/').strings()).toEqual({ 'app/a': '1', 'app/b': '2' });
    const deleted = await client.delete().key('app/a').exec();
    expect(deleted.deleted).toBe('1');
    expect(await client.get('app/a').string()).toBeNull();
  });

  test('a watch sees puts and deletes with their previous values', async () => {
    const watcher = await client.watch().prefix('watched/').withPreviousKV().create();
    const seen: string[] = [];
    const done = new Promise<void>((resolve) => {
      watcher.on('put', (kv, prev) => {
        seen.push(`put ${kv.key.toString()}=${kv.value.toString()} prev=${prev?.value.toString() ?? '-'}`);
      });
      watcher.on('delete', (kv, prev) => {
        seen.push(`delete ${kv.key.toString()} prev=${prev?.value.toString() ?? '-'}`);
        resolve();
      });
    });
    await client.put('watched/x').value('1');
    await client.put('watched/x').value('2');
    await client.delete().key('watched/x');
    await done;
    await watcher.cancel();
    expect(seen).toEqual(['put watched/x=1 prev=-', 'put watched/x=2 prev=1', 'delete watched/x prev=2']);
  });

  test('a lease carries keys, keeps alive, and its revoke deletes them', async () => {
    const lease = client.lease(30, { autoKeepAlive: false });
    await lease.put('leased/k').value('v');
    const ttl = await client.leaseClient.leaseTimeToLive({ ID: await lease.grant(), keys: true });
    expect(Number(ttl.TTL)).toBeGreaterThan(25);
    expect(ttl.keys.map((k) => k.toString())).toEqual(['leased/k']);
    expect((await lease.keepaliveOnce()).TTL).toBe('30');
    expect(await client.get('leased/k').string()).toBe('v');
    await lease.revoke();
    expect(await client.get('leased/k').string()).toBeNull();
    const gone = client.lease(30, { autoKeepAlive: false });
    const id = await gone.grant();
    await client.leaseClient.leaseRevoke({ ID: id });
    await expect(client.leaseClient.leaseRevoke({ ID: id })).rejects.toBeInstanceOf(EtcdLeaseInvalidError);
  });

  test('a lock admits one holder at a time', async () => {
    const events: string[] = [];
    let entered: () => void = () => undefined;
    const aIn = new Promise<void>((resolve) => {
      entered = resolve;
    });
    const contender = new Etcd3({ hosts: [serve.endpoints[2]!.url] });
    try {
      const first = client.lock('locks/one').ttl(10).do(async () => {
        events.push('a in');
        entered();
        await new Promise((resolve) => setTimeout(resolve, 200));
        events.push('a out');
      });
      await aIn;
      // The second holder retries until the first releases (etcd3's lock fails fast when taken).
      let second: Promise<void> | undefined;
      // Bounded by time, not by a count of tries: a loaded machine may hold the first for long.
      const deadline = Date.now() + 30_000;
      while (second === undefined && Date.now() < deadline) {
        try {
          await contender.lock('locks/one').ttl(10).do(() => {
            events.push('b in');
            events.push('b out');
          });
          second = Promise.resolve();
        } catch {
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      }
      await first;
      await second;
    } finally {
      contender.close();
    }
    expect(events).toEqual(['a in', 'a out', 'b in', 'b out']);
  });

  test('an election: the first campaigner leads, resigns, and the second takes over', async () => {
    const other = new Etcd3({ hosts: [serve.endpoints[1]!.url] });
    try {
      const alice = client.election('elections/app', 10).campaign('alice');
      await alice.wait();
      const observer = await client.election('elections/app').observe();
      expect(observer.leader()).toBe('alice');
      const bob = other.election('elections/app', 10).campaign('bob');
      const bobElected = new Promise<void>((resolve) => bob.on('elected', () => resolve()));
      // The observer may report "no leader" for a moment between alice's key going and bob's showing.
      const changed = new Promise<string | undefined>((resolve) => observer.on('change', (v) => {
        if (v !== undefined) resolve(v);
      }));
      await alice.resign();
      await bobElected;
      expect(await changed).toBe('bob');
      await bob.resign();
      await observer.cancel();
    } finally {
      other.close();
    }
  });
});
