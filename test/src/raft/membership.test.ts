// Membership changes: joint consensus, learners and their promotion, removing the leader.
import { describe, expect, it } from 'vitest';
import { Cluster } from './cluster.ts';
import type { ConfChange } from '../../../src/raft/types.ts';
import { ErrProposalDropped } from '../../../src/raft/errors.ts';
import { Changer } from '../../../src/raft/confchange/changer.ts';

function cc(transition: ConfChange['transition'], ...changes: [ConfChange['changes'][number]['type'], number][]): ConfChange {
  return { transition, changes: changes.map(([type, nodeId]) => ({ type, nodeId })), context: '' };
}

/** Adds a fresh, empty member that knows only the current voters (it learns the rest by replication). */
function addBlankNode(c: Cluster, id: number, voters: number[]): void {
  c.add(id, { voters, learners: [], votersOutgoing: [], learnersNext: [], autoLeave: false });
}

describe('membership', () => {
  it('a single voter is added by a simple change and then counts towards the quorum', () => {
    const c = new Cluster([1, 2, 3]);
    c.campaign(1);
    addBlankNode(c, 4, [1, 2, 3]);
    c.proposeConfChange(1, cc('auto', ['add-node', 4]));
    c.tick(2);
    for (const id of [1, 2, 3, 4]) expect(c.node(id).confState.voters).toEqual([1, 2, 3, 4]);
    expect(c.node(4).raw.raft.raftLog.committed).toBe(c.node(1).raw.raft.raftLog.committed);
  });

  it('a simple change of two voters at once is refused: that needs joint consensus', () => {
    const c = new Cluster([1, 2, 3]);
    c.campaign(1);
    const changer = new Changer(c.node(1).raw.raft.prs, c.node(1).raw.raft.raftLog.lastIndex());
    const res = changer.simple(cc('auto', ['add-node', 4], ['remove-node', 3]).changes);
    expect(res.ok).toBe(false);
    expect(res.ok ? '' : res.reason).toMatch(/more than one voter changed/);
    expect(changer.simple(cc('auto', ['add-node', 4]).changes).ok).toBe(true);
  });

  it('joint consensus replaces a member: enter (1 2 3)&&..., then leave automatically to (1 2 4)', () => {
    const c = new Cluster([1, 2, 3]);
    c.campaign(1);
    addBlankNode(c, 4, [1, 2, 3]);
    c.proposeConfChange(1, cc('joint-implicit', ['add-node', 4], ['remove-node', 3]));
    c.tick(3);
    for (const id of [1, 2, 4]) {
      expect(c.node(id).confState.voters).toEqual([1, 2, 4]);
      expect(c.node(id).confState.votersOutgoing).toEqual([]);
    }
    expect(c.transcript.some((l) => l.includes('&&(1 2 3)'))).toBe(true);
  });

  it('an explicit joint config stays joint until an empty ConfChange leaves it', () => {
    const c = new Cluster([1, 2, 3]);
    c.campaign(1);
    addBlankNode(c, 4, [1, 2, 3]);
    c.proposeConfChange(1, cc('joint-explicit', ['add-node', 4]));
    c.tick(3);
    expect(c.node(1).confState.votersOutgoing).toEqual([1, 2, 3]);
    c.proposeConfChange(1, cc('auto'));
    c.tick(2);
    expect(c.node(1).confState.voters).toEqual([1, 2, 3, 4]);
    expect(c.node(1).confState.votersOutgoing).toEqual([]);
  });

  it('in a joint config a decision needs a majority of both halves', () => {
    const c = new Cluster([1, 2, 3]);
    c.campaign(1);
    addBlankNode(c, 4, [1, 2, 3]);
    addBlankNode(c, 5, [1, 2, 3]);
    c.proposeConfChange(1, cc('joint-explicit', ['add-node', 4], ['add-node', 5], ['remove-node', 2], ['remove-node', 3]));
    c.tick(3);
    expect(c.node(1).confState.votersOutgoing).toEqual([1, 2, 3]);
    // The old half (1 2 3) has only 1 reachable: nothing commits even though (1 4 5) is a majority of the new half.
    c.cut(1, 2);
    c.cut(1, 3);
    const before = c.node(1).raw.raft.raftLog.committed;
    c.propose(1, 'needs-both');
    expect(c.node(1).raw.raft.raftLog.committed).toBe(before);
    c.recover();
    c.tick(1);
    expect(c.node(1).raw.raft.raftLog.committed).toBeGreaterThan(before);
  });

  it('only one conf change may be pending: a second one is replaced by an empty entry', () => {
    const c = new Cluster([1, 2, 3]);
    c.campaign(1);
    c.cut(1, 2);
    c.cut(1, 3); // nothing commits, so the first stays pending
    c.proposeConfChange(1, cc('auto', ['add-learner-node', 4]));
    c.proposeConfChange(1, cc('auto', ['add-learner-node', 5]));
    const ents = c.node(1).raw.raft.raftLog.allEntries();
    expect(ents.filter((e) => e.type === 'conf-change').length).toBe(1);
  });

  it('a new leader proposes no conf change until its own empty entry is applied', () => {
    const c = new Cluster([1, 2, 3]);
    c.cut(1, 2);
    c.cut(1, 3);
    c.node(1).raw.raft.becomeCandidate();
    c.node(1).raw.raft.becomeLeader();
    c.proposeConfChange(1, cc('auto', ['add-learner-node', 4]));
    expect(c.node(1).raw.raft.raftLog.allEntries().some((e) => e.type === 'conf-change')).toBe(false);
  });

  it('a learner receives the log but does not vote or campaign, and is promoted to voter later', () => {
    const c = new Cluster([1, 2, 3], () => ({}), [4]);
    c.campaign(1);
    c.propose(1, 'x');
    c.tick(1);
    expect([...c.node(4).applied.values()]).toContain('x');
    c.tickNode(4, 100);
    expect(c.node(4).raw.raft.state).toBe('follower');
    expect(c.node(4).raw.raft.term).toBe(1);
    expect(c.node(1).raw.transferLeadership(4)).toBeUndefined();
    c.deliver();
    expect(c.leader()).toBe(1); // a learner cannot be a transfer target
    c.proposeConfChange(1, cc('auto', ['add-node', 4]));
    c.tick(2);
    expect(c.node(4).confState.voters).toEqual([1, 2, 3, 4]);
    expect(c.node(4).raw.raft.isLearner).toBe(false);
  });

  it('the leader can be removed: it leaves via a joint config, steps down, and the rest elect a new leader', () => {
    const c = new Cluster([1, 2, 3]);
    c.campaign(1);
    c.proposeConfChange(1, cc('joint-implicit', ['remove-node', 1]));
    c.tick(3);
    expect(c.node(1).raw.raft.state).toBe('follower');
    c.tick(30, [2, 3]);
    const leader = c.leader();
    expect(leader === 2 || leader === 3).toBe(true);
    expect(c.node(leader!).confState.voters).toEqual([2, 3]);
    expect(c.node(1).raw.propose('from removed')).toBe(ErrProposalDropped);
  });
});
