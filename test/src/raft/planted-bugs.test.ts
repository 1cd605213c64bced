// The raft bugs the harness can plant (sim/bugs/planted-bugs.ts), each at the raft level: the
// correct code keeps the rule, the planted mistake breaks it. The scenarios that find them
// end to end are in the registry; these tests pin down what each switch changes.
import { describe, expect, it } from 'vitest';
import { Cluster } from './cluster.ts';
import type { ConfChange } from '../../../src/raft/types.ts';

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
});
