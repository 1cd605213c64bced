// Leadership transfer: catch the target up, then MsgTimeoutNow makes it campaign at once.
import { describe, expect, it } from 'vitest';
import { Cluster } from './cluster.ts';
import { ErrProposalDropped } from '../../../src/raft/errors.ts';

describe('leadership transfer', () => {
  it('an up-to-date target is told to campaign at once and wins the next term', () => {
    const c = new Cluster([1, 2, 3], () => ({ checkQuorum: true }));
    c.campaign(1);
    c.node(1).raw.transferLeadership(2);
    c.deliver();
    expect(c.leader()).toBe(2);
    expect(c.node(2).raw.raft.term).toBe(2);
    expect(c.transcript.some((l) => l.includes('MsgTimeoutNow'))).toBe(true);
  });

  it('a lagging target is first brought up to date, then told to campaign', () => {
    const c = new Cluster([1, 2, 3]);
    c.campaign(1);
    c.isolate(3);
    for (let i = 0; i < 5; i++) c.propose(1, `v${i}`);
    c.recover();
    c.holdFilter = (m) => m.to === 3 && m.type === 'MsgApp';
    c.node(1).raw.transferLeadership(3);
    c.deliver();
    expect(c.leader()).toBe(1);
    expect(c.node(1).raw.raft.leadTransferee).toBe(3);
    c.holdFilter = undefined;
    c.tick(1);
    expect(c.leader()).toBe(3);
  });

  it('proposals are dropped while a transfer is under way', () => {
    const c = new Cluster([1, 2, 3]);
    c.campaign(1);
    c.isolate(3);
    c.node(1).raw.transferLeadership(3);
    expect(c.node(1).raw.propose('x')).toBe(ErrProposalDropped);
  });

  it('a transfer that does not finish within an election timeout is abandoned', () => {
    const c = new Cluster([1, 2, 3]);
    c.campaign(1);
    c.isolate(3);
    c.node(1).raw.transferLeadership(3);
    c.tickNode(1, 10);
    expect(c.node(1).raw.raft.leadTransferee).toBe(0);
    expect(c.node(1).raw.propose('x')).toBeUndefined();
  });

  it('a transfer request sent to a follower is forwarded to the leader', () => {
    const c = new Cluster([1, 2, 3]);
    c.campaign(1);
    c.node(2).raw.transferLeadership(2);
    c.deliver();
    expect(c.leader()).toBe(2);
  });
});
