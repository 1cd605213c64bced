// Linearizable reads: ReadIndex (safe) and lease-based reads.
import { describe, expect, it } from 'vitest';
import { Cluster } from './cluster.ts';
import { newStorage, newTestRaft } from './helpers.ts';
import { message } from '../../../src/raft/types.ts';
import { bcastHeartbeatWithCtx } from '../../../src/raft/replication.ts';

function readStatesOf(c: Cluster, id: number): { index: number; requestCtx: string }[] {
  c.drain(id);
  const n = c.node(id);
  const out = n.readStates;
  n.readStates = [];
  return out;
}

describe('ReadIndex', () => {
  it('the leader answers only after a quorum acknowledged a heartbeat carrying the request', () => {
    const c = new Cluster([1, 2, 3]);
    c.campaign(1);
    c.propose(1, 'x');
    c.ignore('MsgHeartbeatResp');
    c.node(1).raw.readIndex('ctx1');
    c.deliver();
    expect(readStatesOf(c, 1)).toEqual([]);
    c.recover();
    c.node(1).raw.raft.step(message({ type: 'MsgBeat', from: 1, to: 1 }));
    c.node(1).raw.readIndex('ctx2');
    c.deliver();
    // ctx1 is released together with ctx2 by the later heartbeat quorum.
    const rs = readStatesOf(c, 1);
    expect(rs.map((r) => r.requestCtx)).toEqual(['ctx1', 'ctx2']);
    expect(rs[0]!.index).toBe(c.node(1).raw.raft.raftLog.committed);
  });

  it('a follower\'s read is forwarded to the leader and answered with the leader\'s commit index', () => {
    const c = new Cluster([1, 2, 3]);
    c.campaign(1);
    c.propose(1, 'x');
    c.node(2).raw.readIndex('f');
    c.deliver();
    const rs = readStatesOf(c, 2);
    expect(rs).toEqual([{ index: c.node(1).raw.raft.raftLog.committed, requestCtx: 'f' }]);
  });

  it('a new leader holds reads until it has committed an entry of its own term', () => {
    const c = new Cluster([1, 2, 3]);
    c.campaign(1);
    c.ignore('MsgAppResp');
    c.campaign(2);
    expect(c.node(2).raw.raft.state).toBe('leader');
    expect(c.node(2).raw.raft.committedEntryInCurrentTerm()).toBe(false);
    c.node(2).raw.readIndex('early');
    c.deliver();
    expect(readStatesOf(c, 2)).toEqual([]);
    expect(c.node(2).raw.raft.pendingReadIndexMessages.length).toBe(1);
    c.recover();
    c.tick(1);
    const rs = readStatesOf(c, 2);
    expect(rs.map((r) => r.requestCtx)).toEqual(['early']);
    expect(rs[0]!.index).toBe(c.node(2).raw.raft.raftLog.lastIndex());
  });

  it('a partitioned leader never answers a read (it cannot confirm leadership)', () => {
    const c = new Cluster([1, 2, 3]);
    c.campaign(1);
    c.isolate(1);
    c.node(1).raw.readIndex('stale?');
    c.tick(5);
    expect(readStatesOf(c, 1)).toEqual([]);
  });

  it('a single-member cluster answers at once', () => {
    const c = new Cluster([1]);
    c.campaign(1);
    c.node(1).raw.readIndex('solo');
    expect(readStatesOf(c, 1).map((r) => r.requestCtx)).toEqual(['solo']);
  });

  it('lease-based reads are answered without a heartbeat round', () => {
    const c = new Cluster([1, 2, 3], () => ({ checkQuorum: true, readOnlyOption: 'lease-based' }));
    c.campaign(1);
    c.isolate(1); // even cut off: the lease trusts clocks, which is its known risk
    c.node(1).raw.readIndex('lease');
    expect(readStatesOf(c, 1).map((r) => r.requestCtx)).toEqual(['lease']);
  });

  it('lease-based reads require CheckQuorum', () => {
    expect(() => newTestRaft(1, 10, 1, newStorage([1, 2, 3]), { readOnlyOption: 'lease-based' })).toThrow(/config-lease-needs-checkquorum/);
  });
});

describe('heartbeat-carries-newest-read', () => {
  it('a read whose own heartbeat round was lost is confirmed by the next periodic heartbeat', () => {
    const c = new Cluster([1, 2, 3]);
    c.campaign(1);
    c.propose(1, 'x');
    c.ignore('MsgHeartbeat');
    c.node(1).raw.readIndex('lost-round');
    c.deliver();
    expect(readStatesOf(c, 1)).toEqual([]);
    c.recover();
    c.node(1).raw.raft.step(message({ type: 'MsgBeat', from: 1, to: 1 }));
    c.deliver();
    expect(readStatesOf(c, 1).map((r) => r.requestCtx)).toEqual(['lost-round']);
  });

  it('a heartbeat round without the newest waiting read\'s context is a broken invariant', () => {
    const c = new Cluster([1, 2, 3]);
    c.campaign(1);
    c.propose(1, 'x');
    c.ignore('MsgHeartbeatResp');
    c.node(1).raw.readIndex('waiting');
    c.deliver();
    expect(() => bcastHeartbeatWithCtx(c.node(1).raw.raft, '')).toThrow(/heartbeat-carries-newest-read/);
    expect(() => bcastHeartbeatWithCtx(c.node(1).raw.raft, 'waiting')).not.toThrow();
  });
});
