// Lease-based reads trust clocks: an old leader cut off from its followers, whose clock runs
// slow, goes on serving reads from its own state after a new leader has committed newer writes
// (etcd#15247, Jepsen etcd 3.4.3). ReadIndex ('safe') never answers there.
import { describe, expect, it } from 'vitest';
import { RaftCluster } from '../../support/raft/raft-cluster.ts';
import type { ReadOnlyOption } from '../../../src/raft/read-only.ts';

function partitionedOldLeaderRead(readOnlyOption: ReadOnlyOption): { read: { ok: boolean; index: number } | undefined; newWriteIndex: number } {
  const c = new RaftCluster({ seed: 11, members: 3, host: { readOnlyOption } });
  const old = c.runUntilLeader(5_000_000)!;
  for (let i = 0; i < 3; i++) c.propose(old.id, `before${i}`);
  c.runForUs(500_000);
  c.world.clockSetDrift(old.id, -400_000); // the old leader's clock runs at 60% speed
  for (const id of c.ids) {
    if (id === old.id) continue;
    c.world.network.cut(old.id, id);
    c.world.network.cut(id, old.id);
  }
  let fresh = c.runUntilLeader(0);
  for (let i = 0; i < 500 && (fresh === undefined || fresh.id === old.id); i++) {
    c.runForUs(10_000);
    fresh = c.views().map((v) => c.host(v.id)!).find((h) => h.isLeader && h.id !== old.id);
  }
  expect(fresh).toBeDefined();
  const w = c.propose(fresh!.id, 'newer');
  c.runForUs(200_000);
  const written = c.proposals.get(w)!;
  expect(written.ok).toBe(true);
  const r = c.read(old.id);
  c.runForUs(50_000);
  return { read: c.reads.get(r), newWriteIndex: written.index! };
}

describe('lease-based reads', () => {
  it('a slow-clocked, partitioned old leader serves a stale lease read after a newer write committed elsewhere', () => {
    const { read, newWriteIndex } = partitionedOldLeaderRead('lease-based');
    expect(read?.ok).toBe(true);
    expect(read!.index).toBeLessThan(newWriteIndex);
  });

  it('with ReadIndex the same old leader does not answer', () => {
    const { read } = partitionedOldLeaderRead('safe');
    expect(read?.ok === true).toBe(false);
  });
});
