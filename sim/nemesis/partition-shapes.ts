// The partition shapes of a `partition` fault as cuts: who is cut off from whom, resolved when
// the fault starts from the current leader and the nemesis stream.
import { violated } from '../../src/invariant-violation.ts';
import type { Target } from '../scenario/fault.ts';
import type { Cut } from '../world/partitions.ts';
import { bridgeCuts, groupsToCuts, majorityRingCuts } from '../world/partitions.ts';
import type { NemesisContext } from './fault-effects.ts';

/** The members a shape cuts off (the fault's targets) and its cuts. */
export function partitionCuts(ctx: NemesisContext, shape: string, target: Target | undefined): [string[], Cut[]] {
  const members = ctx.world.members();
  const leader = ctx.world.leader();
  const shuffled = ctx.prng.shuffle(members);
  const majority = Math.floor(members.length / 2) + 1;
  const minority = members.length - majority;
  switch (shape) {
    case 'isolate-leader': {
      const alone = leader ?? ctx.prng.pick(members);
      return [[alone], groupsToCuts([[alone], members.filter((m) => m !== alone)])];
    }
    case 'isolate-one': {
      const alone = ctx.resolve(target ?? 'random', new Set())[0] ?? ctx.prng.pick(members);
      return [[alone], groupsToCuts([[alone], members.filter((m) => m !== alone)])];
    }
    case 'leader-minority': {
      const withLeader = leader === undefined ? shuffled.slice(0, minority) : [leader, ...shuffled.filter((m) => m !== leader)].slice(0, Math.max(1, minority));
      return [withLeader, groupsToCuts([withLeader, members.filter((m) => !withLeader.includes(m))])];
    }
    case 'follower-minority': {
      const followers = shuffled.filter((m) => m !== leader).slice(0, Math.max(1, minority));
      return [followers, groupsToCuts([followers, members.filter((m) => !followers.includes(m))])];
    }
    case 'leader-with-learners': {
      // The leader and every learner against the other voters: a read quorum that counted
      // learners' heartbeat answers would let the old leader serve reads the voters' new leader
      // has overwritten. Without a leader or learners it is isolate-leader.
      const alone = leader ?? ctx.prng.pick(members);
      const learners = (ctx.world.learners?.() ?? []).filter((m) => m !== alone && members.includes(m));
      const side = [alone, ...learners];
      return [side, groupsToCuts([side, members.filter((m) => !side.includes(m))])];
    }
    case 'halves': {
      const side = shuffled.slice(0, Math.floor(members.length / 2));
      return [side, groupsToCuts([side, shuffled.slice(side.length)])];
    }
    case 'ring':
      return [shuffled, majorityRingCuts(shuffled)];
    case 'bridge':
      return members.length < 3 ? [[], []] : [[shuffled[Math.floor(members.length / 2)] as string], bridgeCuts(shuffled)];
    default:
      throw violated('harness', 'partition-shape-known', `unknown partition shape ${shape}`);
  }
}
