// What the lease checker is told about a ground-truth history: its leaders (a new one restarts
// every TTL plus an election timeout, 1 s by default), clocks without error, lease answers
// served by the leader (its term in their header).
import type { LeaseCheckOptions } from '../../../../sim/check/lease.ts';
import { DEFAULT_MEMBER_CONFIG, electionTimeoutMs } from '../../../../src/server/member-config.ts';
import type { Generated } from './history.ts';

export function leaseOptions(g: Pick<Generated, 'leaders'>): LeaseCheckOptions {
  return {
    leaderChangesUs: g.leaders.slice(1).map((l) => l.startUs),
    electionTimeoutUs: electionTimeoutMs({ ...DEFAULT_MEMBER_CONFIG, id: 1, peers: [1] }) * 1000,
    leaders: g.leaders,
    clockDriftPpmMax: 0,
    clockJumpUsMax: 0,
    answersCarryLeaderTerm: true,
  };
}
