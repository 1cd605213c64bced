// Membership changes through Raft on the simulated cluster: a member removed and added back
// with an empty disk (as a learner, then promoted) catches up and keeps every acknowledged
// write; removing the leader makes the rest elect a new one. The Raft invariant observer runs
// on every event throughout.
import { describe, expect, test } from 'vitest';
import { EtcdCluster } from '../../../sim/etcd/cluster.ts';
import type { CallResult, EtcdClient } from '../../../sim/etcd/client.ts';
import { RegisterStateMachine } from './register-state-machine.ts';

function cluster(seed: number): EtcdCluster {
  const c = new EtcdCluster({ seed, members: 3, makeStateMachine: () => new RegisterStateMachine() });
  c.start();
  c.observeRaftInvariants();
  expect(c.runUntilTrue(() => c.leader() !== undefined, 5_000_000)).toBe(true);
  return c;
}

function callSync(c: EtcdCluster, client: EtcdClient, path: string, body: unknown): CallResult {
  let result: CallResult | undefined;
  client.call({ path, body }, 0, (r) => { result = r; });
  c.runUntilTrue(() => result !== undefined, 30_000_000);
  if (result === undefined) throw new Error('no result');
  return result;
}

/** Puts key i = value i for each i, sequentially; returns the keys acknowledged. */
function writeAll(c: EtcdCluster, client: EtcdClient, from: number, to: number): string[] {
  const acked: string[] = [];
  for (let i = from; i < to; i++) {
    if (callSync(c, client, '/v3/kv/put', { key: `k${i}`, value: `v${i}` }).type === 'ok') acked.push(`k${i}`);
  }
  return acked;
}

function readValue(c: EtcdCluster, client: EtcdClient, key: string): string | undefined {
  const r = callSync(c, client, '/v3/kv/range', { key });
  expect(r.type).toBe('ok');
  return (r.body as { kvs: { value: string }[] }).kvs[0]?.value;
}

describe('membership change', () => {
  test('a follower removed and re-added with an empty disk converges and keeps every acknowledged write', () => {
    for (const seed of [11, 12, 13]) {
      const c = cluster(seed);
      const leader = c.leader() as string;
      const follower = c.names.find((n) => n !== leader) as string;
      const oldId = c.raftIdOf(follower) as number;
      const writer = c.client('w');
      const acked = writeAll(c, writer, 0, 10);
      expect(c.changeMembership('remove-add', follower)).toBe(true);
      expect(c.changeMembership('remove-add', leader)).toBe(false); // one change at a time
      acked.push(...writeAll(c, writer, 10, 30));
      const r = c.reconfigurations[0];
      expect(c.runUntilTrue(() => r?.finished === true, 30_000_000)).toBe(true);
      expect(r?.phase).toBe('done');
      const newId = c.raftIdOf(follower) as number;
      expect(newId).not.toBe(oldId);
      const membership = c.leaderHost()?.member.membership;
      expect(membership?.voters).toContain(newId);
      expect(membership?.voters).not.toContain(oldId);
      expect(membership?.learners).toEqual([]);
      expect(c.members()).toEqual(c.names);
      acked.push(...writeAll(c, writer, 30, 35));
      expect(c.runUntilTrue(() => c.converged(), 10_000_000)).toBe(true);
      expect(acked.length).toBeGreaterThan(25);
      const reader = c.client('r', { members: [follower], followLeader: false });
      for (const k of acked) expect(readValue(c, reader, k)).toBe(`v${k.slice(1)}`);
      expect(c.status(follower)?.revision).toBe(c.status(leader)?.revision);
    }
  });

  test('removing the leader makes the remaining members elect a new leader, then it is added back', () => {
    for (const seed of [21, 22]) {
      const c = cluster(seed);
      const oldLeader = c.leader() as string;
      const writer = c.client('w');
      const acked = writeAll(c, writer, 0, 5);
      expect(c.changeMembership('replace', oldLeader)).toBe(true);
      const r = c.reconfigurations[0];
      expect(c.runUntilTrue(() => r?.phase !== 'remove', 10_000_000)).toBe(true);
      expect(c.world.isUp(oldLeader)).toBe(false);
      expect(c.runUntilTrue(() => c.leader() !== undefined, 10_000_000)).toBe(true);
      const newLeader = c.leader() as string;
      expect(newLeader).not.toBe(oldLeader);
      expect(c.members()).not.toContain(oldLeader);
      acked.push(...writeAll(c, writer, 5, 15));
      expect(c.runUntilTrue(() => r?.finished === true, 30_000_000)).toBe(true);
      expect(r?.phase).toBe('done');
      expect(c.runUntilTrue(() => c.converged(), 10_000_000)).toBe(true);
      const reader = c.client('r', { members: [oldLeader], followLeader: false });
      for (const k of acked) expect(readValue(c, reader, k)).toBe(`v${k.slice(1)}`);
    }
  });

  test('requestSnapshot compacts the whole log even when a snapshot at the applied index already exists', () => {
    // A periodic snapshot every 5 entries keeps 100 catch-up entries: the log still starts at 1.
    const c = new EtcdCluster({ seed: 51, members: 3, makeStateMachine: () => new RegisterStateMachine(), settings: { snapshotCount: 5, snapshotCatchUpEntries: 100 } });
    c.start();
    expect(c.runUntilTrue(() => c.leader() !== undefined, 5_000_000)).toBe(true);
    const writer = c.client('w');
    const host = c.leaderHost();
    if (host === undefined) throw new Error('no leader');
    const storage = host.recovered.storage;
    // Write one key at a time until a periodic snapshot sits at the last (applied) index.
    for (let i = 0; i < 10 && storage.snapshot().metadata.index !== storage.lastIndex(); i++) {
      writeAll(c, writer, i, i + 1);
      c.runUntil(c.world.loop.now() + 50_000);
    }
    expect(storage.snapshot().metadata.index).toBe(storage.lastIndex());
    expect(storage.firstIndex()).toBe(1);
    const snapshotIndex = storage.snapshot().metadata.index;
    host.member.requestSnapshot();
    c.runUntil(c.world.loop.now() + 100_000);
    expect(storage.firstIndex()).toBe(snapshotIndex + 1);
    expect(storage.snapshot().metadata.index).toBe(snapshotIndex);
  });

  test('after a membership change every member, the re-added one included, recovers the new membership from its disk', () => {
    const c = cluster(41);
    const leader = c.leader() as string;
    const follower = c.names.find((n) => n !== leader) as string;
    const oldId = c.raftIdOf(follower) as number;
    const writer = c.client('w');
    const acked = writeAll(c, writer, 0, 10);
    expect(c.changeMembership('remove-add', follower)).toBe(true);
    expect(c.runUntilTrue(() => c.reconfigurations[0]?.finished === true, 30_000_000)).toBe(true);
    const newId = c.raftIdOf(follower) as number;
    acked.push(...writeAll(c, writer, 10, 15));
    expect(c.runUntilTrue(() => c.converged(), 10_000_000)).toBe(true);
    c.runUntil(c.world.loop.now() + 200_000); // let the last fsyncs finish
    for (const n of c.names) c.world.crash(n, false);
    for (const n of c.names) c.world.restart(n);
    expect(c.runUntilTrue(() => c.leader() !== undefined, 10_000_000)).toBe(true);
    for (const n of c.names) {
      const m = c.hosts.get(n)?.member.membership;
      expect(m?.voters.slice().sort()).toEqual([...c.names.filter((x) => x !== follower).map((x) => c.raftIdOf(x) as number), newId].sort());
      expect(m?.voters).not.toContain(oldId);
    }
    acked.push(...writeAll(c, writer, 15, 20));
    expect(c.runUntilTrue(() => c.converged(), 10_000_000)).toBe(true);
    const reader = c.client('r', { members: [follower], followLeader: false });
    for (const k of acked) expect(readValue(c, reader, k)).toBe(`v${k.slice(1)}`);
  });
});
