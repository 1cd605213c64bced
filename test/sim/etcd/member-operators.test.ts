// Operators on the member API (sim/etcd/member-operators.ts), several at once and none waiting
// for another: the leader receives a second, different change while one is unapplied, and a new
// leader one while the old leader's change is uncommitted in its log. The correct build refuses
// both (etcd-raft's pending check), so the conf-change-pending invariant holds; a leader that
// skips the check breaks it. Seeds are fixed: deterministic.
import { describe, expect, test } from 'vitest';
import { EtcdCluster } from '../../../sim/etcd/cluster.ts';
import type { PlantedBug } from '../../../sim/bugs/planted-bugs.ts';
import { MEMBER_OPERATOR_DEFAULTS } from '../../../sim/etcd/member-operators.ts';
import type { MemberOperators } from '../../../sim/etcd/member-operators.ts';
import { Prng } from '../../../sim/world/prng.ts';
import { RegisterStateMachine } from './register-state-machine.ts';

const RUN_US = 3_000_000;

/** Three members, two operators for RUN_US; the leader is cut off once, half-way. */
function race(seed: number, bug?: PlantedBug): { c: EtcdCluster; ops: MemberOperators; error: string | undefined } {
  const c = new EtcdCluster({ seed, members: 3, settings: { tickMs: 10, electionTicks: 10 }, ...(bug === undefined ? {} : { bug }), makeStateMachine: () => new RegisterStateMachine() });
  c.start();
  c.observeClusterInvariants();
  expect(c.runUntilTrue(() => c.leader() !== undefined, 5_000_000)).toBe(true);
  const ops = c.startMemberOperators({ ...MEMBER_OPERATOR_DEFAULTS, operators: 2 }, new Prng(seed));
  let error: string | undefined;
  try {
    c.runUntilTrue(() => false, RUN_US / 2);
    const leader = c.leader() as string;
    c.world.network.isolate(leader);
    c.runUntilTrue(() => false, RUN_US / 2);
  } catch (e) {
    error = (e as Error).message;
  }
  ops.stop();
  return { c, ops, error };
}

describe('member API operators', () => {
  test('racing operators get changes applied and leave some unknown; the correct build keeps one conf change at a time', () => {
    for (const seed of [1, 2]) {
      const { c, ops, error } = race(seed);
      expect(error, `seed ${seed}`).toBeUndefined();
      expect(ops.counts.applied, `seed ${seed}`).toBeGreaterThanOrEqual(20);
      // The second operator's change, refused behind the first, is one whose outcome it never learns.
      expect(ops.counts.unknown, `seed ${seed}`).toBeGreaterThanOrEqual(1);
      const learners = c.leaderHost()?.member.membership.learners ?? [];
      expect(learners.length, `seed ${seed}`).toBeLessThanOrEqual(MEMBER_OPERATOR_DEFAULTS.learnersMax + 2);
      expect(c.leaderHost()?.member.membership.voters.length, `seed ${seed}`).toBe(3);
    }
  });

  test('a leader without the pending check breaks conf-change-pending', () => {
    for (const seed of [1, 2]) {
      const { error } = race(seed, 'conf-change-while-pending');
      expect(error, `seed ${seed}`).toMatch(/conf-change-pending/);
    }
  });
});
