// Joint changes of several voters at once (sim/etcd/joint-swap.ts): two followers demoted in one
// ConfChangeV2, one promoted while another is demoted, all promoted again. Each step goes
// through a joint configuration whose incoming majority is not one of the outgoing voters; the
// cluster keeps every acknowledged write and ends with the voters it began with. The Raft
// invariant observer runs on every event throughout.
import { describe, expect, test } from 'vitest';
import { EtcdCluster } from '../../../sim/etcd/cluster.ts';
import type { JointSwap } from '../../../sim/etcd/joint-swap.ts';
import type { CallResult, EtcdClient } from '../../../sim/etcd/client.ts';
import type { ConfState } from '../../../src/raft/types.ts';
import { RegisterStateMachine } from './register-state-machine.ts';

function cluster(seed: number, members: number): EtcdCluster {
  const c = new EtcdCluster({ seed, members, makeStateMachine: () => new RegisterStateMachine() });
  c.start();
  c.observeRaftInvariants();
  expect(c.runUntilTrue(() => c.leader() !== undefined, 5_000_000)).toBe(true);
  return c;
}

function put(c: EtcdCluster, client: EtcdClient, i: number): boolean {
  let result: CallResult | undefined;
  client.call({ path: '/v3/kv/put', body: { key: `k${i}`, value: `v${i}` } }, 0, (r) => { result = r; });
  c.runUntilTrue(() => result !== undefined, 30_000_000);
  return result?.type === 'ok';
}

/** The joint configurations the leader went through, as "incoming | outgoing". */
function watchJointConfigs(c: EtcdCluster): string[] {
  const seen: string[] = [];
  c.world.onEvent(() => {
    const cs: ConfState | undefined = c.leaderHost()?.member.membership;
    if (cs === undefined || cs.votersOutgoing.length === 0) return;
    const s = `${cs.voters.join(',')} | ${cs.votersOutgoing.join(',')}`;
    if (seen.at(-1) !== s) seen.push(s);
  });
  return seen;
}

describe('joint swap', () => {
  test('3 voters: two followers demoted at once (the incoming voters are the leader alone), then promoted again', () => {
    for (const seed of [31, 32]) {
      const c = cluster(seed, 3);
      const joints = watchJointConfigs(c);
      const leaderId = c.raftIdOf(c.leader() as string) as number;
      const follower = c.names.find((n) => n !== c.leader()) as string;
      expect(c.changeMembership('joint-swap', follower)).toBe(true);
      expect(c.changeMembership('joint-swap', follower)).toBe(false); // one change at a time
      const s = c.reconfigurations[0] as JointSwap;
      const writer = c.client('w');
      const acked: number[] = [];
      for (let i = 0; i < 40 && !s.finished; i++) if (put(c, writer, i)) acked.push(i);
      expect(c.runUntilTrue(() => s.finished, 30_000_000)).toBe(true);
      expect(s.phase).toBe('done');
      expect(s.steps.map((x) => x.phase)).toEqual(['shrink', 'grow', 'done']);
      expect(joints[0]).toBe(`${leaderId} | 1,2,3`);
      expect(joints.some((j) => j.startsWith('1,2,3 | '))).toBe(true);
      expect(c.leaderHost()?.member.membership.voters).toEqual([1, 2, 3]);
      expect(c.leaderHost()?.member.membership.learners).toEqual([]);
      expect(c.runUntilTrue(() => c.converged(), 10_000_000)).toBe(true);
      expect(acked.length).toBeGreaterThan(0);
    }
  });

  test('5 voters: shrink to 3, swap one demoted member in for a follower in one change, grow back to 5', () => {
    const c = cluster(41, 5);
    const joints = watchJointConfigs(c);
    const follower = c.names.find((n) => n !== c.leader()) as string;
    const followerId = c.raftIdOf(follower) as number;
    expect(c.changeMembership('joint-swap', follower)).toBe(true);
    const s = c.reconfigurations[0] as JointSwap;
    expect(c.runUntilTrue(() => s.finished, 30_000_000)).toBe(true);
    expect(s.phase).toBe('done');
    expect(s.steps.map((x) => x.phase)).toEqual(['shrink', 'swap', 'grow', 'done']);
    // shrink: 3 incoming of 5 outgoing, the named follower demoted; swap: 3 and 3, one apart.
    const [shrink, swap] = joints;
    expect(shrink?.split(' | ').map((h) => h.split(',').length)).toEqual([3, 5]);
    expect(shrink?.split(' | ')[0]?.split(',')).not.toContain(String(followerId));
    const [incoming, outgoing] = (swap ?? '').split(' | ').map((h) => h.split(','));
    expect(incoming?.length).toBe(3);
    expect(outgoing?.length).toBe(3);
    expect(incoming?.filter((id) => !(outgoing ?? []).includes(id))).toHaveLength(1);
    expect(c.leaderHost()?.member.membership.voters).toEqual([1, 2, 3, 4, 5]);
    expect(c.runUntilTrue(() => c.converged(), 10_000_000)).toBe(true);
  });

  test('refused with fewer than 3 voters', () => {
    const c = cluster(51, 2);
    expect(c.changeMembership('joint-swap', c.leader() as string)).toBe(false);
  });
});
