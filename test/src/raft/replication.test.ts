// Log replication: commit, forwarding, batching, flow control, fast backtracking, restarts.
import { describe, expect, it } from 'vitest';
import { Cluster } from './cluster.ts';
import { ErrProposalDropped } from '../../../src/raft/errors.ts';
import { message } from '../../../src/raft/types.ts';
import { becomeLeaderByVotes, commitNoopEntry, entsWithTerms, hup, newNet, newStorage, newTestRaft, prop, readMessages, votedWithLog } from './helpers.ts';

describe('replication', () => {
  it('proposals on the leader commit on every member and are applied in the same order everywhere', () => {
    const c = new Cluster([1, 2, 3]);
    c.campaign(1);
    for (let i = 0; i < 10; i++) c.propose(1, `v${i}`);
    c.tick(1); // a heartbeat carries the final commit index to the followers
    const want = [...c.node(1).applied.entries()].filter(([, d]) => d !== '');
    expect(want.map(([, d]) => d)).toEqual(Array.from({ length: 10 }, (_, i) => `v${i}`));
    for (const id of [2, 3]) expect([...c.node(id).applied.entries()].filter(([, d]) => d !== '')).toEqual(want);
  });

  it('a follower forwards proposals to the leader', () => {
    const c = new Cluster([1, 2, 3]);
    c.campaign(1);
    expect(c.propose(2, 'fwd')).toBeUndefined();
    expect([...c.node(1).applied.values()]).toContain('fwd');
  });

  it('proposals are dropped when no leader is known or forwarding is disabled', () => {
    const c = new Cluster([1, 2, 3], () => ({ disableProposalForwarding: true }));
    expect(c.propose(2, 'x')).toBe(ErrProposalDropped);
    c.campaign(1);
    expect(c.propose(2, 'x')).toBe(ErrProposalDropped);
    expect(c.propose(1, 'y')).toBeUndefined();
  });

  it('entries that pile up while a follower is paused go out batched, each MsgApp within maxSizePerMsg', () => {
    const s = newStorage([1, 2]);
    const r = newTestRaft(1, 10, 1, s, { maxSizePerMsgBytes: 5 * (16 + 10) });
    becomeLeaderByVotes(r);
    commitNoopEntry(r, s);
    const pr = r.prs.progress.get(2)!;
    pr.becomeProbe();
    pr.probeSent = true; // paused: waiting for a probe answer
    for (let i = 0; i < 20; i++) r.step(prop(1, '0123456789'));
    expect(readMessages(r)).toEqual([]);
    r.step(message({ type: 'MsgHeartbeatResp', from: 2, to: 1, term: r.term }));
    const msgs = readMessages(r);
    expect(msgs.length).toBe(1); // probe state: one batch, then wait
    expect(msgs[0]!.entries.length).toBe(5);
    // Accepting moves the follower to replicate and streams the rest in batches of 5.
    r.step(message({ type: 'MsgAppResp', from: 2, to: 1, term: r.term, index: msgs[0]!.index + 5 }));
    const rest = readMessages(r).filter((m) => m.type === 'MsgApp' && m.entries.length > 0);
    expect(rest.map((m) => m.entries.length)).toEqual([5, 5, 5]);
  });

  it('the inflight window bounds unacknowledged MsgApps per follower in replicate state', () => {
    const s = newStorage([1, 2]);
    const r = newTestRaft(1, 10, 1, s, { maxInflightMsgs: 3 });
    becomeLeaderByVotes(r);
    commitNoopEntry(r, s);
    expect(r.prs.progress.get(2)!.state).toBe('replicate');
    for (let i = 0; i < 10; i++) r.step(prop(1, `d${i}`));
    const sent = readMessages(r).filter((m) => m.type === 'MsgApp');
    expect(sent.length).toBe(3);
    expect(r.prs.progress.get(2)!.inflights.full()).toBe(true);
    r.step(message({ type: 'MsgAppResp', from: 2, to: 1, term: r.term, index: sent[0]!.index + 1 }));
    // One slot freed: the next message carries every entry still unsent, in one batch.
    const more = readMessages(r).filter((m) => m.type === 'MsgApp' && m.entries.length > 0);
    expect(more.length).toBe(1);
    expect(more[0]!.entries.length).toBe(7);
  });

  it('a heartbeat answer from a slow follower frees one inflight slot', () => {
    const s = newStorage([1, 2]);
    const r = newTestRaft(1, 10, 1, s, { maxInflightMsgs: 2 });
    becomeLeaderByVotes(r);
    commitNoopEntry(r, s);
    for (let i = 0; i < 3; i++) r.step(prop(1));
    readMessages(r);
    expect(r.prs.progress.get(2)!.inflights.full()).toBe(true);
    r.step(message({ type: 'MsgHeartbeatResp', from: 2, to: 1, term: r.term }));
    expect(r.prs.progress.get(2)!.inflights.count).toBe(2); // freed one, sent one
  });

  it('fast backtracking: the follower\'s hint lets the leader skip a whole divergent term in one round trip', () => {
    const leaderTerms = [1, 1, 1, 4, 4, 5, 5, 6, 6, 6];
    const followerTerms = [1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 3];
    const net = newNet([1, 2], {}, (id) => votedWithLog(id, [1, 2], id === 1 ? leaderTerms : followerTerms));
    net.r(1).loadState({ term: 8, vote: 0, commit: 0 });
    net.r(2).loadState({ term: 7, vote: 0, commit: 0 });
    let rejections = 0;
    const orig = net.r(1).step.bind(net.r(1));
    net.r(1).step = (m) => {
      if (m.type === 'MsgAppResp' && m.reject) rejections++;
      return orig(m);
    };
    net.send(hup(1));
    expect(net.r(1).state).toBe('leader');
    expect(net.r(2).raftLog.allEntries().map((e) => e.term)).toEqual([...leaderTerms, 9]);
    // Without hints the leader would step back once per entry (8 times).
    expect(rejections).toBeLessThanOrEqual(2);
  });

  it('a stale MsgApp whose entries are all present truncates nothing (etcd#1811)', () => {
    const s = newStorage([1, 2]);
    s.append(entsWithTerms(1, 1, 1, 1));
    const r = newTestRaft(2, 10, 1, s);
    r.becomeFollower(1, 1);
    r.step(message({ type: 'MsgApp', from: 1, to: 2, term: 1, index: 1, logTerm: 1, entries: entsWithTerms(1, 1).slice(1) }));
    expect(r.raftLog.lastIndex()).toBe(4);
  });

  it('a follower acknowledges only up to what the message covered, so the leader does not over-count', () => {
    const s = newStorage([1, 2]);
    s.append(entsWithTerms(1, 1, 1, 1));
    const r = newTestRaft(2, 10, 1, s);
    r.becomeFollower(1, 1);
    r.step(message({ type: 'MsgApp', from: 1, to: 2, term: 1, index: 1, logTerm: 1, entries: [] }));
    expect(readMessages(r).map((m) => m.index)).toEqual([1]);
  });

  it('a member restarted from its storage recovers term, log and commit index and rejoins', () => {
    const c = new Cluster([1, 2, 3]);
    c.campaign(1);
    for (let i = 0; i < 5; i++) c.propose(1, `v${i}`);
    c.tick(1);
    const before = c.node(2).raw.raft.raftLog.committed;
    c.restart(2);
    const r2 = c.node(2).raw.raft;
    expect(r2.term).toBe(1);
    expect(r2.raftLog.committed).toBe(before);
    expect(r2.raftLog.lastIndex()).toBe(c.node(1).raw.raft.raftLog.lastIndex());
    c.drain(2);
    expect([...c.node(2).applied.values()].filter((d) => d !== '')).toEqual(['v0', 'v1', 'v2', 'v3', 'v4']);
    c.propose(1, 'after');
    c.tick(1);
    expect([...c.node(2).applied.values()]).toContain('after');
  });

  it('the uncommitted-size limit drops proposals beyond it on the leader', () => {
    const s = newStorage([1, 2]);
    const r = newTestRaft(1, 10, 1, s, { maxUncommittedEntriesSizeBytes: 20 });
    becomeLeaderByVotes(r);
    expect(r.step(prop(1, '0123456789'))).toBeUndefined();
    expect(r.step(prop(1, '0123456789'))).toBeUndefined();
    expect(r.step(prop(1, '0123456789'))).toBe(ErrProposalDropped);
  });
});
