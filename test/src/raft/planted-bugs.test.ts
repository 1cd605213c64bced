// The raft bugs the harness can plant (sim/bugs/planted-bugs.ts), each at the raft level: the
// correct code keeps the rule, the planted mistake breaks it. The scenarios that find them
// end to end are in the registry; these tests pin down what each switch changes.
import { describe, expect, it } from 'vitest';
import { Cluster } from './cluster.ts';
import type { ConfChange, Snapshot } from '../../../src/raft/types.ts';
import { message } from '../../../src/raft/types.ts';
import { Unstable } from '../../../src/raft/log-unstable.ts';
import { entsWithTerms, newStorage, newTestRaft, readMessages } from './helpers.ts';

const CS = { voters: [1, 2], learners: [], votersOutgoing: [], learnersNext: [], autoLeave: false };
const snapAt = (index: number): Snapshot => ({ data: `s${index}`, metadata: { index, term: 1, confState: CS } });

function addLearner(id: number): ConfChange {
  return { transition: 'auto', changes: [{ type: 'add-learner-node', nodeId: id }] } as unknown as ConfChange;
}

describe('planted raft bugs', () => {
  it('conf-change-before-term-commit: a new leader accepts a conf change before its own entry commits', () => {
    for (const planted of [false, true]) {
      const c = new Cluster([1, 2, 3], () => (planted ? { unsafe: { confChangeBeforeTermCommit: true } } : {}));
      c.cut(1, 2);
      c.cut(1, 3);
      c.node(1).raw.raft.becomeCandidate();
      c.node(1).raw.raft.becomeLeader();
      c.node(1).raw.proposeConfChange(addLearner(4));
      expect(c.node(1).raw.raft.raftLog.allEntries().some((e) => e.type === 'conf-change'), `planted ${planted}`).toBe(planted);
    }
  });

  it('conf-change-before-term-commit as our reconfiguration driver can meet it is benign: a re-proposed change applies as a no-op', () => {
    // The driver (sim/etcd/reconfiguration.ts) proposes a step only once the previous one applied
    // on the current leader, and after a leader change re-proposes the same step. So the race it
    // can reach is: the old leader left "add learner 4" uncommitted in the new leader's log, and
    // the new leader, before its own entry commits, is asked for "add learner 4" again.
    for (const planted of [false, true]) {
      const c = new Cluster([1, 2, 3], () => (planted ? { unsafe: { confChangeBeforeTermCommit: true } } : {}));
      c.campaign(1);
      c.cutOneWay(2, 1);
      c.cut(1, 3);
      c.proposeConfChange(1, addLearner(4)); // on 1 and 2 only, never acknowledged
      c.recover();
      c.isolate(1);
      c.holdFilter = (m) => m.type === 'MsgAppResp' && m.from === 3; // 2's term entry stays uncommitted
      c.campaign(2);
      c.holdFilter = undefined;
      expect(c.node(2).raw.raft.state).toBe('leader');
      c.proposeConfChange(2, addLearner(4));
      const confChanges = c.node(2).raw.raft.raftLog.allEntries().filter((e) => e.type === 'conf-change').length;
      // The correct leader drops the second copy; the planted one appends it behind the first.
      expect(confChanges, `planted ${planted}`).toBe(planted ? 2 : 1);
      const held = c.held;
      c.held = [];
      for (const m of held) c.send(m);
      c.recover();
      c.tick(30);
      // Both copies commit and apply in log order; the second changes nothing.
      for (const id of [1, 2, 3]) {
        expect(c.node(id).confState.voters, `planted ${planted} node ${id}`).toEqual([1, 2, 3]);
        expect(c.node(id).confState.learners, `planted ${planted} node ${id}`).toEqual([4]);
      }
    }
  });

  it('conf-change-before-term-commit is unsafe with two different changes: the cluster splits and two members apply different entries at one index', () => {
    // Leader 1 leaves C1 (remove 3) uncommitted on 2; 2 wins term 2 with 3's vote and, before its
    // own entry commits, accepts C2 (remove 1). 1 acknowledges C1 and C2 but never learns they
    // committed, so it still counts the old configuration {1,2,3}: cut off from 2, it wins term 3
    // with 3 and commits on {1,3}, while 2, alone in {2}, commits on its own.
    const removeNode = (id: number): ConfChange => ({ transition: 'auto', changes: [{ type: 'remove-node', nodeId: id }] }) as unknown as ConfChange;
    const divergent = (c: Cluster): number[] => {
      const out: number[] = [];
      for (const [index, data] of c.node(2).applied) {
        const other = c.node(1).applied.get(index);
        if (other !== undefined && other !== data) out.push(index);
      }
      return out;
    };
    for (const planted of [false, true]) {
      const c = new Cluster([1, 2, 3], () => (planted ? { unsafe: { confChangeBeforeTermCommit: true } } : {}));
      c.campaign(1);
      c.cutOneWay(2, 1);
      c.cut(1, 3);
      c.proposeConfChange(1, removeNode(3));
      c.recover();
      c.isolate(1);
      c.holdFilter = (m) => m.type === 'MsgAppResp' && m.from === 3;
      c.campaign(2);
      c.holdFilter = undefined;
      c.held = [];
      c.node(2).raw.proposeConfChange(removeNode(1));
      c.recover();
      c.cut(2, 3);
      let acked = false;
      c.holdFilter = (m) => {
        if (m.type === 'MsgAppResp' && m.from === 1 && m.to === 2) {
          acked = true;
          return false;
        }
        return acked && m.from === 2 && m.to === 1;
      };
      c.deliver();
      c.tick(3, [2]);
      c.propose(2, 'two-alone');
      c.holdFilter = undefined;
      c.held = [];
      c.recover();
      c.isolate(2);
      c.campaign(1);
      c.tick(5, [1, 3]);
      expect(divergent(c).length > 0, `planted ${planted}: ${c.status()}`).toBe(planted);
    }
  });

  it('check-quorum-never-steps-down: an isolated leader stays leader past the election timeout', () => {
    for (const planted of [false, true]) {
      const c = new Cluster([1, 2, 3], () => ({ checkQuorum: true, ...(planted ? { unsafe: { checkQuorumNeverStepsDown: true } } : {}) }));
      c.campaign(1);
      c.isolate(1);
      c.tickNode(1, 2 * 10 + 1);
      expect(c.node(1).raw.raft.state, `planted ${planted}`).toBe(planted ? 'leader' : 'follower');
    }
  });

  it('lease-never-expires: once the leader is gone the others never elect a new one', () => {
    for (const planted of [false, true]) {
      const c = new Cluster([1, 2, 3], () => ({ checkQuorum: true, preVote: true, ...(planted ? { unsafe: { leaseNeverExpires: true } } : {}) }));
      c.campaign(1);
      c.isolate(1);
      c.tick(60, [2, 3]);
      const elected = c.node(2).raw.raft.state === 'leader' || c.node(3).raw.raft.state === 'leader';
      expect(elected, `planted ${planted}`).toBe(!planted);
    }
  });

  it('install-older-snapshot: a follower installs a snapshot older than its commit index, its log going backwards', () => {
    for (const planted of [false, true]) {
      const s = newStorage([1, 2]);
      s.append(entsWithTerms(1, 1, 1));
      const r = newTestRaft(2, 10, 1, s, planted ? { unsafe: { installOlderSnapshot: true } } : {});
      r.loadState({ term: 1, vote: 0, commit: 3 });
      r.becomeFollower(1, 1);
      r.step(message({ type: 'MsgSnap', from: 1, to: 2, term: 1, snapshot: snapAt(2) }));
      expect(r.raftLog.committed, `planted ${planted}`).toBe(planted ? 2 : 3);
    }
  });

  it('up-to-date-index-only: a voter grants a longer log whose last term is older than its own', () => {
    for (const planted of [false, true]) {
      const s = newStorage([1, 2, 3]);
      s.append(entsWithTerms(1, 1, 3));
      const r = newTestRaft(2, 10, 1, s, planted ? { unsafe: { upToDateCheck: 'index-only' } } : {});
      r.loadState({ term: 3, vote: 0, commit: 3 });
      r.becomeFollower(3, 0);
      // Candidate 1 has four entries of term 2: longer, but its last term (2) is older than ours (3).
      r.step(message({ type: 'MsgVote', from: 1, to: 2, term: 4, index: 4, logTerm: 2 }));
      const reply = readMessages(r).find((m) => m.type === 'MsgVoteResp');
      expect(reply?.reject, `planted ${planted}`).toBe(!planted);
    }
  });

  it('two-snapshots-forgotten: persisting one snapshot forgets a newer one restored meanwhile', () => {
    for (const planted of [false, true]) {
      const u = new Unstable(1);
      u.forgetNewerSnapshot = planted;
      u.restore(snapAt(5)); // handed to the host in a Ready
      u.restore(snapAt(9)); // a second snapshot arrives before the first is persisted
      u.stableSnapTo(5); // the first one is on disk
      expect(u.snapshot?.metadata.index, `planted ${planted}`).toBe(planted ? undefined : 9);
    }
  });
});
