// config-at-applied: members whose raft applied the same entries hold the same configuration,
// keyed on raft's applied index (a restarted member's state machine may be ahead of raft).
import { describe, expect, it } from 'vitest';
import { ConfigAtApplied } from '../../../sim/etcd/config-at-applied.ts';
import type { Snapshot } from '../../../src/raft/types.ts';
import { message } from '../../../src/raft/types.ts';
import { entsWithTerms, newStorage, newTestRaft } from '../../src/raft/helpers.ts';

function appliedRaft(id: number, learners: number[], applied: number) {
  const s = newStorage([1, 2, 3], learners);
  s.append(entsWithTerms(...Array.from({ length: applied }, () => 1)));
  const r = newTestRaft(id, 10, 1, s);
  r.loadState({ term: 1, vote: 0, commit: applied });
  r.raftLog.appliedTo(applied);
  return r;
}

describe('config-at-applied', () => {
  it('must fail: two members at one raft applied index with different configurations', () => {
    const check = new ConfigAtApplied();
    expect(check.check('n1', appliedRaft(1, [], 3))).toBeUndefined();
    expect(check.check('n2', appliedRaft(2, [4], 3))).toMatch(/raft applied up to index 3 with configuration voters=\(1 2 3\) learners=\(4\), where n1 at the same applied index had voters=\(1 2 3\)$/);
  });

  it('must pass: the same configuration, other indexes, nothing applied, or a received snapshot not yet applied', () => {
    const check = new ConfigAtApplied();
    expect(check.check('n1', appliedRaft(1, [4], 3))).toBeUndefined();
    expect(check.check('n2', appliedRaft(2, [4], 3))).toBeUndefined();
    expect(check.check('n3', appliedRaft(3, [], 2))).toBeUndefined();
    expect(check.check('n4', newTestRaft(4, 10, 1, newStorage([1, 2, 3], [5])))).toBeUndefined();
    // A follower at applied 3 that received a snapshot with another configuration: raft switched
    // to it on receipt, the host has not applied it yet.
    const r = appliedRaft(2, [4], 3);
    r.becomeFollower(1, 1);
    const snap: Snapshot = { data: 's', metadata: { index: 9, term: 1, confState: { voters: [1, 2, 3], learners: [], votersOutgoing: [], learnersNext: [], autoLeave: false } } };
    r.step(message({ type: 'MsgSnap', from: 1, to: 2, term: 1, snapshot: snap }));
    expect(r.raftLog.hasPendingSnapshot()).toBe(true);
    expect(check.check('n2', r)).toBeUndefined();
  });
});

describe("config-at-applied: the member's recorded configuration is raft's", () => {
  const cs = (voters: number[], learners: number[] = []) => ({ voters, learners, votersOutgoing: [], learnersNext: [], autoLeave: false });

  it('must fail: a member that records the configuration it had before an installed snapshot', () => {
    const check = new ConfigAtApplied();
    expect(check.checkMember(appliedRaft(2, [4], 3), cs([1, 2, 3]))).toMatch(/^the member records configuration voters=\(1 2 3\) outgoing=\(\) learners=\(\) learners_next=\(\) \(its snapshots carry it\) while its raft, applied up to index 3, holds voters=\(1 2 3\) outgoing=\(\) learners=\(4\) learners_next=\(\)$/);
  });

  it('must pass: the same configuration listed in another order, nothing applied, or a received snapshot not yet applied', () => {
    const check = new ConfigAtApplied();
    expect(check.checkMember(appliedRaft(2, [4], 3), cs([3, 1, 2], [4]))).toBeUndefined();
    expect(check.checkMember(newTestRaft(4, 10, 1, newStorage([1, 2, 3], [5])), cs([]))).toBeUndefined();
    const r = appliedRaft(2, [], 3);
    r.becomeFollower(1, 1);
    const snap: Snapshot = { data: 's', metadata: { index: 9, term: 1, confState: cs([1, 2, 3], [4]) } };
    r.step(message({ type: 'MsgSnap', from: 1, to: 2, term: 1, snapshot: snap }));
    expect(check.checkMember(r, cs([1, 2, 3]))).toBeUndefined();
  });
});
