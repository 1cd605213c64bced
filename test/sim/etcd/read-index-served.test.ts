// read-index-served (sim/etcd/read-index-served.ts): a leader releases a ReadIndex read once a
// majority of its voters, itself included, answered a heartbeat carrying it. learner-partition seed
// 15 was a false alarm: member 5 was removed while the read waited, then its answer arrived; the
// invariant counted it (a quorum of the new voters 1 2 4 with 2's earlier answer) although etcd-raft
// drops an answer from a member it has no Progress for, unread. swarm 913 was another: a read
// served, then queued again under its context by a late copy of the follower's MsgReadIndex, had
// the answers to its first round counted for the second. Unit-level with a stand-in leader.
import { describe, expect, test } from 'vitest';
import { ReadIndexServed } from '../../../sim/etcd/read-index-served.ts';
import type { MemberHost } from '../../../sim/etcd/member-host.ts';
import { ReadOnly } from '../../../src/raft/read-only.ts';
import { message, type NodeId } from '../../../src/raft/types.ts';

const ctx = 'read-1';

/** A leader of term 5 (member 1) with `voters` and a pending read `ctx` it acked itself. */
function leader(voters: NodeId[]) {
  const readOnly = new ReadOnly('safe', 16);
  readOnly.addRequest(7, message({ type: 'MsgReadIndex', from: 0, to: 1, term: 5, context: ctx }));
  readOnly.recvAck(1, ctx);
  const raft = {
    id: 1, term: 5, state: 'leader', readOnly,
    cfg: { voters },
    prs: {
      progress: new Map<NodeId, unknown>(),
      confState() {
        return { voters: raft.cfg.voters, votersOutgoing: [], learners: [], learnersNext: [], autoLeave: false };
      },
    },
  };
  const setVoters = (ids: NodeId[]): void => {
    raft.cfg.voters = ids;
    raft.prs.progress = new Map(ids.map((id) => [id, {}]));
  };
  setVoters(voters);
  const host = { id: 'n1', recovered: { raft: { node: { raft } } } } as unknown as MemberHost;
  return { host, setVoters, readOnly };
}

const answer = (from: NodeId) => message({ type: 'MsgHeartbeatResp', from, to: 1, term: 5, context: ctx });

describe('read-index-served', () => {
  test('an answer from a member removed while the read waited confirms nothing (learner-partition seed 15)', () => {
    const { host, setVoters } = leader([1, 2, 4, 5]);
    const inv = new ReadIndexServed();
    expect(inv.onStepped(host, answer(2))).toBeUndefined(); // 1 and 2 of four: no quorum
    setVoters([1, 2, 4]); // 5 removed: raft drops its answers unread
    expect(inv.onStepped(host, answer(5))).toBeUndefined();
  });

  test('an answer of a tracked voter that completes the quorum under the new configuration must release', () => {
    const { host, setVoters } = leader([1, 2, 4, 5]);
    const inv = new ReadIndexServed();
    expect(inv.onStepped(host, answer(2))).toBeUndefined();
    setVoters([1, 2, 4]);
    expect(inv.onStepped(host, answer(5))).toBeUndefined();
    expect(inv.onStepped(host, answer(2))).toMatch(/leader of term 5 still holds read "read-1" after members 1, 2 .*a quorum of voters \(1 2 4\)/);
  });

  test('a read queued again under a context already served counts only the answers since (swarm 913)', () => {
    // A late copy of a follower's MsgReadIndex: etcd-raft's addRequest takes a served context as a
    // new read, which waits for answers of its own. Answers to the first round must not count.
    const { host, readOnly } = leader([1, 2, 3, 4, 5]);
    const inv = new ReadIndexServed();
    expect(inv.onStepped(host, answer(2))).toBeUndefined(); // 1 and 2 of five
    readOnly.advance(ctx); // served (by a later read's answers, say): no answer with ctx seen since
    readOnly.addRequest(9, message({ type: 'MsgReadIndex', from: 2, to: 1, term: 5, context: ctx }));
    readOnly.recvAck(1, ctx);
    expect(inv.onStepped(host, answer(4))).toBeUndefined(); // 1 and 4 of five for the new read: no quorum
    // Must fail: a third answer to the new read makes its quorum, and the leader still holds it.
    expect(inv.onStepped(host, answer(3))).toMatch(/still holds read "read-1" after members 1, 4, 3 .*\(1 2 3 4 5\)/);
  });

  test('a leader that holds a read a voter quorum confirmed is found; one that released it is not', () => {
    const held = leader([1, 2, 3]);
    expect(new ReadIndexServed().onStepped(held.host, answer(3))).toMatch(/still holds read "read-1" after members 1, 3/);
    const released = leader([1, 2, 3]);
    released.readOnly.advance(ctx);
    expect(new ReadIndexServed().onStepped(released.host, answer(3))).toBeUndefined();
  });
});
