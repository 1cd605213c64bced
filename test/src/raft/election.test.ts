// Leader election: randomized timeouts, PreVote, CheckQuorum and the leader lease.
import { describe, expect, it } from 'vitest';
import { Cluster } from './cluster.ts';

describe('election', () => {
  it('a member that campaigns with a quorum reachable becomes leader and every member learns it', () => {
    const c = new Cluster([1, 2, 3]);
    c.campaign(1);
    expect(c.leader()).toBe(1);
    for (const id of [2, 3]) expect(c.node(id).raw.raft.lead).toBe(1);
  });

  it('a candidate cut off from a quorum stays candidate and the others keep their leader', () => {
    const c = new Cluster([1, 2, 3]);
    c.campaign(1);
    c.isolate(3);
    c.campaign(3);
    expect(c.node(3).raw.raft.state).toBe('candidate');
    expect(c.node(1).raw.raft.state).toBe('leader');
  });

  it('with only randomized timeouts (no explicit campaign) a 5-member cluster elects exactly one leader within 3 election timeouts', () => {
    for (let seed = 0; seed < 20; seed++) {
      const c = new Cluster([1, 2, 3, 4, 5], (id) => ({ random: { int: (n: number) => (id * 7 + seed * 13) % n } }));
      let ticks = 0;
      while (c.leader() === undefined && ticks < 30) {
        c.tick(1);
        ticks++;
      }
      expect(c.leader()).toBeDefined();
      const leaders = [...c.nodes.values()].filter((n) => n.raw.raft.state === 'leader');
      expect(leaders.length).toBe(1);
    }
  });

  it('a restarted member keeps its term and vote from storage and does not vote twice in a term', () => {
    const c = new Cluster([1, 2, 3]);
    c.isolate(3);
    c.campaign(1); // 2 votes for 1 in term 1
    c.restart(2);
    const r2 = c.node(2).raw.raft;
    expect([r2.term, r2.vote]).toEqual([1, 1]);
    c.recover();
    c.cut(1, 2);
    c.cut(1, 3);
    // 3 campaigns in term 1? It is at term 0, so its term-1 request must be refused by 2's vote.
    c.node(3).raw.raft.becomeFollower(0, 0);
    c.node(3).raw.raft.becomeCandidate();
    c.node(3).raw.raft.msgs = [];
    c.send({ type: 'MsgVote', from: 3, to: 2, term: 1, index: 0, logTerm: 0 });
    expect(c.node(3).raw.raft.state).toBe('candidate');
  });
});

describe('PreVote', () => {
  it('a partitioned member does not raise its term, so rejoining does not depose the leader', () => {
    const c = new Cluster([1, 2, 3], () => ({ preVote: true }));
    c.campaign(1);
    c.isolate(3);
    c.tickNode(3, 100);
    expect(c.node(3).raw.raft.term).toBe(1);
    expect(c.node(3).raw.raft.state).toBe('pre-candidate');
    c.recover();
    c.tick(5);
    expect(c.leader()).toBe(1);
    expect(c.node(1).raw.raft.term).toBe(1);
  });

  it('without PreVote the same partition raises the term and the rejoining member deposes the leader', () => {
    const c = new Cluster([1, 2, 3]);
    c.campaign(1);
    c.isolate(3);
    c.tickNode(3, 100);
    expect(c.node(3).raw.raft.term).toBeGreaterThan(1);
    c.recover();
    c.tick(25); // 3 campaigns again at its high term, which forces 1 to step down
    expect(c.node(1).raw.raft.term).toBeGreaterThan(1);
  });

  it('a pre-candidate with a stale log is refused and nobody changes term', () => {
    const c = new Cluster([1, 2, 3], () => ({ preVote: true }));
    c.campaign(1);
    c.isolate(3);
    c.propose(1, 'x');
    c.recover();
    c.cut(1, 3);
    c.node(1).raw.raft.becomeFollower(1, 0); // no leader lease in play
    c.node(2).raw.raft.becomeFollower(1, 0);
    c.campaign(3);
    expect(c.node(3).raw.raft.state).not.toBe('leader');
    expect(c.node(2).raw.raft.term).toBe(1);
  });

  it('a pre-vote win is followed by a real election at term + 1', () => {
    const c = new Cluster([1, 2, 3], () => ({ preVote: true }));
    c.campaign(1);
    expect(c.leader()).toBe(1);
    expect(c.node(1).raw.raft.term).toBe(1);
  });
});

describe('CheckQuorum', () => {
  it('a leader that has not heard from a quorum for an election timeout steps down', () => {
    const c = new Cluster([1, 2, 3], () => ({ checkQuorum: true }));
    c.campaign(1);
    c.isolate(1);
    c.tickNode(1, 2 * 10 + 1);
    expect(c.node(1).raw.raft.state).toBe('follower');
  });

  it('without CheckQuorum the isolated leader goes on believing it leads', () => {
    const c = new Cluster([1, 2, 3]);
    c.campaign(1);
    c.isolate(1);
    c.tickNode(1, 50);
    expect(c.node(1).raw.raft.state).toBe('leader');
  });

  it('a member that heard from the leader within the election timeout ignores vote requests (leader lease)', () => {
    const c = new Cluster([1, 2, 3], () => ({ checkQuorum: true }));
    c.campaign(1);
    c.campaign(3);
    expect(c.leader()).toBe(1);
    expect(c.node(1).raw.raft.term).toBe(1);
  });

  it('PreVote with CheckQuorum does not leave the cluster without a leader after the leader is partitioned and returns (etcd#8243)', () => {
    const c = new Cluster([1, 2, 3], () => ({ checkQuorum: true, preVote: true }));
    c.campaign(1);
    c.isolate(1);
    let ticks = 0;
    while (ticks < 100 && (c.node(2).raw.raft.state !== 'leader' && c.node(3).raw.raft.state !== 'leader')) {
      c.tick(1, [2, 3]);
      ticks++;
    }
    expect(ticks).toBeLessThan(100);
    c.tickNode(1, 25); // the old leader steps down by CheckQuorum
    c.recover();
    c.tick(30);
    const leaders = [...c.nodes.values()].filter((n) => n.raw.raft.state === 'leader');
    expect(leaders.length).toBe(1);
    expect(c.node(1).raw.raft.lead).toBe(leaders[0]!.id);
  });
});
