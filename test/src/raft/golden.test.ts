// Golden interaction transcripts for tricky cases: every delivered message and role change, in
// order, compared with a text file beside this test (golden/*.txt). A change in behaviour shows
// up as a readable diff. Regenerate on purpose with `npx vitest run test/src/raft/golden.test.ts -u`.
import { describe, expect, it } from 'vitest';
import { Cluster } from './cluster.ts';
import type { ConfChange } from '../../../src/raft/types.ts';

function transcript(c: Cluster): string {
  return `${c.transcript.join('\n')}\nfinal: ${c.status()}\n`;
}

describe('golden transcripts', () => {
  it('prevote with a partitioned member: it never raises its term and rejoins without disruption', async () => {
    const c = new Cluster([1, 2, 3], () => ({ preVote: true }));
    c.campaign(1);
    c.propose(1, 'a');
    c.log('> partition 3 away; "b" commits without it');
    c.isolate(3);
    c.propose(1, 'b');
    c.log('> 3 times out twice (its pre-votes go nowhere)');
    c.tickNode(3, 40);
    c.log('> heal; 3 pre-campaigns at once, but its log is behind: refused, and no term changes');
    c.recover();
    c.campaign(3);
    c.log('> one heartbeat round brings 3 up to date');
    c.tickNode(1, 1);
    await expect(transcript(c)).toMatchFileSnapshot('./golden/prevote-partitioned.txt');
    expect(c.leader()).toBe(1);
    expect(c.node(3).raw.raft.term).toBe(1);
  });

  it('checkquorum step-down: an isolated leader steps down after an election timeout; the majority elects a new one', async () => {
    const c = new Cluster([1, 2, 3], () => ({ checkQuorum: true }));
    c.campaign(1);
    c.log('> isolate the leader 1');
    c.isolate(1);
    c.log('> 1 ticks through two election timeouts');
    c.tickNode(1, 20);
    c.log('> 2 and 3 tick until their leases run out and one of them is elected');
    for (let i = 0; i < 40 && c.node(2).raw.raft.state !== 'leader' && c.node(3).raw.raft.state !== 'leader'; i++) c.tick(1, [2, 3]);
    const leader = c.node(2).raw.raft.state === 'leader' ? 2 : 3;
    c.log('> heal; 1 hears from the new leader');
    c.recover();
    c.tickNode(leader, 1);
    await expect(transcript(c)).toMatchFileSnapshot('./golden/checkquorum-step-down.txt');
    expect(c.node(1).raw.raft.state).toBe('follower');
    expect(c.leader()).toBe(leader);
    expect(c.node(1).raw.raft.lead).toBe(leader);
  });

  it('snapshot to a lagging follower: the leader compacted the entries it needs', async () => {
    const c = new Cluster([1, 2, 3]);
    c.campaign(1);
    c.log('> 3 goes away; 3 entries commit without it');
    c.isolate(3);
    for (const v of ['a', 'b', 'c']) c.propose(1, v);
    const n1 = c.node(1);
    const applied = n1.raw.raft.raftLog.applied;
    c.log(`> 1 snapshots at ${applied} and compacts its log`);
    n1.storage.createSnapshot(applied, n1.confState, `state@${applied}`);
    n1.storage.compact(applied);
    c.log('> heal; a heartbeat reveals 3 is behind');
    c.recover();
    c.tickNode(1, 1);
    c.log('> the snapshot was delivered: 1 learns it applied');
    c.node(1).raw.reportSnapshot(3, false);
    c.propose(1, 'd');
    await expect(transcript(c)).toMatchFileSnapshot('./golden/snapshot-lagging-follower.txt');
    expect(c.node(3).storage.snapshot().metadata.index).toBe(applied);
  });

  it('joint-consensus replace of the leader: (1 2 3) -> (2 3 4) with 1 leading, then 1 steps down', async () => {
    const c = new Cluster([1, 2, 3]);
    c.campaign(1);
    c.add(4, { voters: [1, 2, 3], learners: [], votersOutgoing: [], learnersNext: [], autoLeave: false });
    const replace: ConfChange = { transition: 'joint-implicit', changes: [{ type: 'add-node', nodeId: 4 }, { type: 'remove-node', nodeId: 1 }], context: '' };
    c.proposeConfChange(1, replace);
    c.log('> heartbeats carry the commit of the auto-leave');
    c.tickNode(1, 1);
    c.log('> the remaining members time out');
    c.tick(25, [2, 3, 4]);
    await expect(transcript(c)).toMatchFileSnapshot('./golden/joint-replace-leader.txt');
    const leader = c.leader();
    expect(leader).toBeDefined();
    expect(leader).not.toBe(1);
    expect(c.node(leader!).confState.voters).toEqual([2, 3, 4]);
  });

  it('leadership transfer to a lagging follower: catch it up, then MsgTimeoutNow', async () => {
    const c = new Cluster([1, 2, 3], () => ({ checkQuorum: true, preVote: true }));
    c.campaign(1);
    c.log('> 3 misses two entries');
    c.isolate(3);
    c.propose(1, 'a');
    c.propose(1, 'b');
    c.recover();
    c.log('> 1 transfers leadership to 3');
    c.node(1).raw.transferLeadership(3);
    c.deliver();
    await expect(transcript(c)).toMatchFileSnapshot('./golden/transfer-to-lagging-follower.txt');
    expect(c.leader()).toBe(3);
  });

  it('learner catches up, then is promoted to voter', async () => {
    const c = new Cluster([1, 2, 3], () => ({}), [4]);
    c.campaign(1);
    c.propose(1, 'a');
    c.log('> promote 4');
    c.proposeConfChange(1, { transition: 'auto', changes: [{ type: 'add-node', nodeId: 4 }], context: '' });
    c.tickNode(1, 1);
    await expect(transcript(c)).toMatchFileSnapshot('./golden/learner-promotion.txt');
    expect(c.node(4).confState.voters).toEqual([1, 2, 3, 4]);
  });
});
