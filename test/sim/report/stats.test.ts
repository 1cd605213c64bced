import { describe, expect, it } from 'vitest';
import type { PairedOp } from '../../../sim/report/paired-ops.ts';
import { pairOps } from '../../../sim/report/paired-ops.ts';
import { faultRecoveries, leaderlessWindows, unavailabilityWindows } from '../../../sim/report/stats.ts';

const ok = (startUs: number, endUs: number): PairedOp => ({ id: startUs, completionIndex: null, process: 0, f: 'put', type: 'ok', startUs, endUs, request: null, response: null });

describe('report statistics', () => {
  it('measures the time to a new leader after a fault and after its heal', () => {
    const leaders = [
      { node: 'n1', term: 2, startUs: 0 },
      { node: null, term: 3, startUs: 1_100_000 },
      { node: 'n2', term: 3, startUs: 1_400_000 },
    ];
    const [partition, clock] = faultRecoveries(
      [
        { kind: 'partition', startUs: 1_000_000, endUs: 1_200_000, description: 'p' },
        { kind: 'clock', startUs: 2_000_000, endUs: 2_100_000, description: 'c' },
      ],
      leaders,
    );
    expect(partition!.newLeaderAfterUs).toBe(400_000);
    expect(partition!.leaderAfterHealUs).toBe(200_000);
    expect(clock!.nextLeader).toBeUndefined();
    expect(clock!.leaderAfterHealUs).toBe(0);
    expect(leaderlessWindows(leaders, 3_000_000)).toEqual([{ startUs: 1_100_000, endUs: 1_400_000 }]);
  });

  it('finds the stretch in which nothing completed ok, and none in a steady run', () => {
    const steady = Array.from({ length: 100 }, (_, i) => ok(i * 10_000, i * 10_000 + 500));
    expect(unavailabilityWindows(steady, 1_000_000).windows).toEqual([]);
    const gap = steady.filter((op) => op.startUs < 300_000 || op.startUs > 800_000);
    expect(unavailabilityWindows(gap, 1_000_000).windows).toEqual([{ startUs: 290_500, endUs: 810_500 }]);
  });

  it('pairs invokes with completions per process, and leaves a never-completed op open to the end', () => {
    const paired = pairOps([
      { index: 0, time: 0, process: 0, type: 'invoke', f: 'put', value: 1 },
      { index: 1, time: 5, process: 1, type: 'invoke', f: 'get', value: null },
      { index: 2, time: 9, process: 0, type: 'ok', f: 'put', value: 1 },
      { index: 3, time: 20, process: 0, type: 'invoke', f: 'put', value: 2 },
      { index: 4, time: 30, process: 0, type: 'fail', f: 'put', value: 2, error: 'etcdserver: no leader' },
    ]);
    expect(paired.ops.map((op) => [op.id, op.type, op.startUs, op.endUs])).toEqual([
      [0, 'ok', 0, 9],
      [1, 'info', 5, 30],
      [3, 'fail', 20, 30],
    ]);
    expect(paired.byIndex.get(4)).toBe(paired.byIndex.get(3));
  });
});
