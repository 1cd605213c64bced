// higher-term-adopted (sim/etcd/cluster-invariants.ts): a member that steps a message of a term
// above its own moves to that term, and a leader steps down, before it acts on the message (Raft
// §5.1). Holdout-9's heartbeat-resp-higher-term-ignored (a leader that keeps its term on a
// higher-term MsgHeartbeatResp and counts it as a ReadIndex acknowledgement) went unjudged: no
// checker looked at what a member did with a newer term.
import { describe, expect, test } from 'vitest';
import { EtcdCluster } from '../../../sim/etcd/cluster.ts';
import type { MemberHost } from '../../../sim/etcd/member-host.ts';
import { message } from '../../../src/raft/types.ts';
import { RegisterStateMachine } from './register-state-machine.ts';

function clusterWithLeader(seed: number): { c: EtcdCluster; leader: MemberHost; leaderName: string; follower: string } {
  const c = new EtcdCluster({ seed, members: 3, makeStateMachine: () => new RegisterStateMachine() });
  c.start();
  c.observeClusterInvariants();
  c.runUntilTrue(() => c.leader() !== undefined, 5_000_000);
  const leaderName = c.leader() as string;
  const leader = c.leaderHost() as MemberHost;
  const follower = c.names.find((n) => n !== leaderName) as string;
  return { c, leader, leaderName, follower };
}

/** A heartbeat answer from `follower` of a term one above the leader's, as a member that moved on would send. */
function higherTermHeartbeatResp(c: EtcdCluster, leader: MemberHost, leaderName: string, follower: string): void {
  const to = c.raftIdOf(leaderName) as number;
  const from = c.raftIdOf(follower) as number;
  leader.receive(follower, message({ type: 'MsgHeartbeatResp', to, from, term: leader.term + 1 }));
}

describe('higher-term-adopted', () => {
  test('a leader that gets a heartbeat answer of a newer term steps down to it: no violation', () => {
    const { c, leader, leaderName, follower } = clusterWithLeader(3);
    const term = leader.term;
    higherTermHeartbeatResp(c, leader, leaderName, follower);
    expect(leader.term).toBe(term + 1);
    expect(leader.isLeader).toBe(false);
    expect(() => c.runUntil(c.world.loop.now() + 1_000_000)).not.toThrow();
  });

  test('a leader whose raft ignores the newer term of a heartbeat answer is found', () => {
    const { c, leader, leaderName, follower } = clusterWithLeader(3);
    // As the mutant does: a heartbeat answer's term is taken for the leader's own.
    const raft = leader.recovered.raft.node.raft;
    const step = raft.step.bind(raft);
    raft.step = (m) => step(m.type === 'MsgHeartbeatResp' && m.term > raft.term ? { ...m, term: raft.term } : m);
    higherTermHeartbeatResp(c, leader, leaderName, follower);
    expect(() => c.runUntil(c.world.loop.now() + 1_000_000)).toThrow(/higher-term-adopted.*MsgHeartbeatResp of term \d+ .* and stayed in term \d+ and still leads/);
  });
});
