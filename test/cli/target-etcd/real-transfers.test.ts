// A real run's leader transfers reach the lease checker (its leader-timeline.jsonl too): without
// them a revoke a failed transfer dropped, proposed again 3 s later, was judged a lease outliving
// its TTL (real etcd 3.4.23, lease-failed-transfer seed 1 at load 9.8 per core).
import { describe, expect, it } from 'vitest';
import { transfersOf } from '../../../sim/cli/target-etcd/real-transfers.ts';
import { leaseCheckOptions } from '../../../sim/run/history-checkers.ts';
import { leaderTimelineLines, parseLeaderTimeline } from '../../../sim/history/leader-timeline-file.ts';
import { shippedScenarios } from '../../../sim/cli/harness/scenario-files.ts';

const S = 1_000_000;
const move = (askedUs: number, startUs: number, endUs?: number) => ({ kind: 'move-leader', askedUs, startUs, ...(endUs === undefined ? {} : { endUs }), description: 'move' });

describe('a real run\'s leader transfers', () => {
  it('span from when each was asked to the later of its heal and an election timeout after it came in force', () => {
    const t = transfersOf([move(4.6 * S, 4.7 * S, 6.1 * S), { kind: 'partition', startUs: 5 * S, description: 'p' }, move(39.8 * S, 39.9 * S, 40.2 * S), move(50 * S, 50.1 * S)], S, 55 * S);
    expect(t).toEqual({ transfersUs: [4.6 * S, 39.8 * S, 50 * S], transferEndsUs: [6.1 * S, 40.9 * S, 55 * S] });
  });

  it('reach the lease checker\'s options sorted, each with its end, and its report\'s leader timeline', () => {
    const scenario = shippedScenarios().find((s) => s.ref === 'lease-failed-transfer')!.scenario;
    const o = leaseCheckOptions({ scenario, leaderChangesUs: [], transfersUs: [9 * S, 2 * S], transferEndsUs: [11 * S, 3 * S] });
    expect(o.transfersUs).toEqual([2 * S, 9 * S]);
    expect(o.transferEndsUs).toEqual([3 * S, 11 * S]);
    expect(o.revokeRetryUs).toBeGreaterThan(0);
    const file = { members: ['n1'], samples: [], stopped: [], samplesTruncated: false, lease: { leaderChangesUs: [], transfersUs: o.transfersUs!, transferEndsUs: o.transferEndsUs! } };
    expect(parseLeaderTimeline(leaderTimelineLines(file).join('\n')).lease.transferEndsUs).toEqual([3 * S, 11 * S]);
    expect(() => parseLeaderTimeline(leaderTimelineLines({ ...file, lease: { ...file.lease, transferEndsUs: [3 * S] } }).join('\n'))).toThrow(/lease.transferEndsUs has 1 entries for 2 transfer/);
  });
});
