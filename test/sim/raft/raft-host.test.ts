// The Raft host in the simulated world: election, replication with fsync-before-send,
// crash recovery from durable state only, snapshots and compaction.
import { describe, expect, it } from 'vitest';
import { RaftCluster } from '../../support/raft/raft-cluster.ts';

function proposeMany(c: RaftCluster, n: number, prefix: string): void {
  for (let i = 0; i < n; i++) {
    const l = c.leader();
    c.propose(l?.id ?? 'n1', `${prefix}${i}`);
    c.runForUs(5_000);
  }
}

describe('RaftHost on the simulated world', () => {
  it('a 3-member cluster elects a leader within a few election timeouts and commits proposals on every member', () => {
    const c = new RaftCluster({ seed: 1, members: 3 });
    const l = c.runUntilLeader(5_000_000);
    expect(l).toBeDefined();
    proposeMany(c, 20, 'v');
    c.runForUs(1_000_000);
    const acked = [...c.proposals.values()].filter((p) => p.ok === true);
    expect(acked.length).toBe(20);
    const digests = c.views().map((v) => JSON.stringify((v as ReturnType<RaftCluster['leader']> & object).stateDigest()));
    expect(new Set(digests).size).toBe(1);
    expect(c.invariants.checks).toBeGreaterThan(100);
  });

  it('a crashed member recovers term, vote and log from its disk and catches up', () => {
    const c = new RaftCluster({ seed: 2, members: 3 });
    c.runUntilLeader(5_000_000);
    proposeMany(c, 10, 'a');
    const follower = c.ids.find((id) => id !== c.leader()!.id)!;
    const before = c.host(follower)!;
    const termBefore = before.durableTerm;
    c.world.crash(follower);
    proposeMany(c, 10, 'b');
    c.world.restart(follower);
    const after = c.host(follower)!;
    expect(after.term).toBeGreaterThanOrEqual(termBefore);
    c.runForUs(2_000_000);
    expect(after.stateDigest()).toEqual(c.leader()!.stateDigest());
  });

  it('members snapshot and compact, and a member that was down long gets the leader\'s snapshot', () => {
    const c = new RaftCluster({ seed: 3, members: 3, host: { snapshotEveryEntries: 20, catchUpEntries: 5 } });
    c.runUntilLeader(5_000_000);
    const follower = c.ids.find((id) => id !== c.leader()!.id)!;
    c.world.crash(follower);
    proposeMany(c, 60, 'x');
    c.runForUs(500_000);
    expect(c.leader()!.firstIndex).toBeGreaterThan(1);
    c.world.restart(follower);
    c.runForUs(3_000_000);
    const h = c.host(follower)!;
    expect(h.firstIndex).toBeGreaterThan(1);
    expect(h.stateDigest()).toEqual(c.leader()!.stateDigest());
  });

  it('after a whole-cluster crash every acknowledged proposal is still committed (durability)', () => {
    const c = new RaftCluster({ seed: 4, members: 3 });
    c.runUntilLeader(5_000_000);
    proposeMany(c, 15, 'd');
    c.runForUs(200_000);
    const acked = [...c.proposals.values()].filter((p) => p.ok === true);
    expect(acked.length).toBeGreaterThan(0);
    for (const id of c.ids) c.world.crash(id);
    for (const id of c.ids) c.world.restart(id);
    c.runUntilLeader(5_000_000);
    c.runForUs(1_000_000);
    const l = c.leader()!;
    for (const p of acked) expect(l.entry(p.index!)?.term).toBe(p.term);
  });

  it('a single member acknowledges a write only after it is durable, and keeps it across a crash (etcd#14370)', () => {
    const c = new RaftCluster({ seed: 6, members: 1, world: { disk: { fsyncLatencyUsMin: 50_000, fsyncLatencyUsMax: 50_000 } } });
    c.runUntilLeader(5_000_000);
    c.runForUs(500_000);
    const reqId = c.propose('n1', 'solo');
    c.runForUs(45_000);
    expect(c.proposals.get(reqId)!.ok).toBeUndefined(); // the fsync has not completed yet
    c.runForUs(60_000);
    const p = c.proposals.get(reqId)!;
    expect(p.ok).toBe(true);
    c.world.crash('n1');
    c.world.restart('n1');
    expect(c.host('n1')!.entry(p.index!)?.term).toBe(p.term);
  });
});
