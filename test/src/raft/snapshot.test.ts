// Log compaction and snapshots: a lagging follower receives the leader's snapshot.
import { describe, expect, it } from 'vitest';
import { Cluster } from './cluster.ts';
import { configString } from '../../../src/raft/tracker/tracker.ts';
import { message } from '../../../src/raft/types.ts';
import type { Snapshot } from '../../../src/raft/types.ts';
import { entsWithTerms, newStorage, newTestRaft, readMessages } from './helpers.ts';

function compactLeader(c: Cluster, id: number): number {
  const n = c.node(id);
  const applied = n.raw.raft.raftLog.applied;
  n.storage.createSnapshot(applied, n.confState, `state@${applied}`);
  n.storage.compact(applied);
  return applied;
}

/** A 3-member cluster whose leader n1 compacted its log past `proposals` entries n3 (isolated) never got. */
function followerBehindCompaction(proposals: number): { c: Cluster; snapIndex: number } {
  const c = new Cluster([1, 2, 3]);
  c.campaign(1);
  c.isolate(3);
  for (let i = 0; i < proposals; i++) c.propose(1, `v${i}`);
  return { c, snapIndex: compactLeader(c, 1) };
}

describe('snapshots', () => {
  it('a follower that is behind the leader\'s compacted log gets a snapshot, installs it and catches up', () => {
    const { c, snapIndex } = followerBehindCompaction(5);
    c.recover();
    c.tick(1);
    const r3 = c.node(3).raw.raft;
    expect(c.node(3).storage.snapshot().metadata.index).toBe(snapIndex);
    expect(r3.raftLog.committed).toBe(c.node(1).raw.raft.raftLog.committed);
    c.propose(1, 'after');
    c.tick(1);
    expect([...c.node(3).applied.values()]).toContain('after');
    expect(c.node(1).raw.raft.prs.progress.get(3)!.state).toBe('replicate');
  });

  it('a follower that installed a snapshot has applied up to its index once the Ready is advanced (etcd appliedCursor)', () => {
    // Before: raft's applied index stayed where it was until the next committed entries, below the
    // log's first index: a restarted member's raft applied 95 while it held the snapshot at 202.
    const { c, snapIndex } = followerBehindCompaction(5);
    const before = c.node(3).raw.raft.raftLog.applied;
    c.recover();
    c.tick(1);
    const log3 = c.node(3).raw.raft.raftLog;
    expect(before).toBeLessThan(snapIndex);
    expect(log3.firstIndex()).toBe(snapIndex + 1);
    expect(log3.applied).toBe(snapIndex);
  });

  it('a follower ignores a snapshot older than its commit index (never installs an older snapshot, etcd#2808)', () => {
    const s = newStorage([1, 2]);
    s.append(entsWithTerms(1, 1, 1));
    const r = newTestRaft(2, 10, 1, s);
    r.loadState({ term: 1, vote: 0, commit: 3 });
    r.becomeFollower(1, 1);
    const old: Snapshot = { data: 'old', metadata: { index: 2, term: 1, confState: { voters: [1, 2], learners: [], votersOutgoing: [], learnersNext: [], autoLeave: false } } };
    r.step(message({ type: 'MsgSnap', from: 1, to: 2, term: 1, snapshot: old }));
    expect(r.raftLog.hasPendingSnapshot()).toBe(false);
    expect(r.raftLog.lastIndex()).toBe(3);
    expect(readMessages(r).map((m) => [m.type, m.index])).toEqual([['MsgAppResp', 3]]);
  });

  it('a snapshot whose last entry matches our log only fast-forwards the commit index', () => {
    const s = newStorage([1, 2]);
    s.append(entsWithTerms(1, 1, 1));
    const r = newTestRaft(2, 10, 1, s);
    r.becomeFollower(1, 1);
    const snap: Snapshot = { data: 's', metadata: { index: 2, term: 1, confState: { voters: [1, 2], learners: [], votersOutgoing: [], learnersNext: [], autoLeave: false } } };
    r.step(message({ type: 'MsgSnap', from: 1, to: 2, term: 1, snapshot: snap }));
    expect(r.raftLog.hasPendingSnapshot()).toBe(false);
    expect(r.raftLog.committed).toBe(2);
    expect(r.raftLog.lastIndex()).toBe(3);
  });

  it('a conf change the host applies after raft restored a newer snapshot leaves the snapshot\'s configuration as it is (swarm seed 108)', () => {
    // The host applies the committed entries of a Ready it holds while raft steps the leader's
    // snapshot: raft switched to the snapshot's configuration, which already follows every entry
    // handed out before it. Before: the conf change (add learner 4, removed again before the
    // snapshot's index) was applied on top of it, a configuration no member had at any index.
    const s = newStorage([1, 2, 3]);
    s.append(entsWithTerms(1, 1));
    const r = newTestRaft(2, 10, 1, s);
    r.becomeFollower(1, 1);
    const cc = { transition: 'auto' as const, changes: [{ type: 'add-learner-node' as const, nodeId: 4 }], context: '' };
    r.step(message({ type: 'MsgApp', from: 1, to: 2, term: 1, index: 2, logTerm: 1, commit: 3, entries: [{ term: 1, index: 3, type: 'conf-change', data: JSON.stringify(cc) }] }));
    expect(r.raftLog.nextEnts().map((e) => e.index)).toEqual([1, 2, 3]); // handed to the host
    const snap: Snapshot = { data: 's', metadata: { index: 9, term: 1, confState: { voters: [1, 2, 3], learners: [], votersOutgoing: [], learnersNext: [], autoLeave: false } } };
    r.step(message({ type: 'MsgSnap', from: 1, to: 2, term: 1, snapshot: snap }));
    expect(r.raftLog.hasPendingSnapshot()).toBe(true);
    r.applyConfChange(cc); // the host applies entry 3 of the Ready it held
    expect(configString(r.prs.config)).toBe('voters=(1 2 3)');
  });

  it('the leader sends no entries to a follower in snapshot state until the snapshot is reported', () => {
    const { c } = followerBehindCompaction(3);
    c.holdFilter = (m) => m.type === 'MsgSnap';
    c.recover();
    c.tick(1);
    expect(c.held.length).toBe(1);
    const pr = c.node(1).raw.raft.prs.progress.get(3)!;
    expect(pr.state).toBe('snapshot');
    c.propose(1, 'more');
    expect(pr.isPaused()).toBe(true);
    c.node(1).raw.reportSnapshot(3, true); // the transport failed
    expect(pr.state).toBe('probe');
  });
});
