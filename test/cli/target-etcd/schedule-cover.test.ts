// A real run's traffic lasts until every fault of its schedule has come in force, and past the
// scenario's duration by as much as the latest came late, within a bound: before, it stopped
// at the duration and the faults still waiting for the ones before them to recover never ran
// (rolling-restart's three kills needed about 5 s of its 3).
import { describe, expect, it } from 'vitest';
import { coverSchedule, trafficEndUs } from '../../../sim/cli/target-etcd/schedule-cover.ts';
import type { ScheduleStarts } from '../../../sim/cli/target-etcd/schedule-cover.ts';

/** A clock whose sleeps advance it at once, and a schedule whose faults come in force at given times. */
function world(inForceUs: readonly number[], plannedUs: readonly number[]) {
  let nowUs = 0;
  const clock = { nowUs: () => nowUs, sleep: (ms: number) => { nowUs += ms * 1000; return Promise.resolve(); } };
  const starts = (): ScheduleStarts => {
    const started = inForceUs.flatMap((t, k) => (t <= nowUs ? [t - plannedUs[k]!] : []));
    return { done: started.length === inForceUs.length, lagUsMax: Math.max(0, ...started) };
  };
  return { clock, starts, setNow: (us: number) => void (nowUs = us) };
}

describe('a real run\'s traffic covers its schedule', () => {
  it('ends at the planned end when every fault came in force on time', () => {
    expect(trafficEndUs(3_000_000, { done: true, lagUsMax: 0 }, 60_000_000)).toBe(3_000_000);
  });

  it('runs on, up to its bound, while a fault has not come in force', () => {
    expect(trafficEndUs(3_000_000, { done: false, lagUsMax: 2_000_000 }, 60_000_000)).toBe(63_000_000);
  });

  it('once every fault is in force, ends as far past the planned end as the latest came late, within the bound', () => {
    expect(trafficEndUs(3_000_000, { done: true, lagUsMax: 3_900_000 }, 60_000_000)).toBe(6_900_000);
    expect(trafficEndUs(3_000_000, { done: true, lagUsMax: 90_000_000 }, 60_000_000)).toBe(63_000_000);
  });

  it('rolling-restart\'s kills, in force 0.3, 2.1 and 3.9 s late: the traffic runs 3.9 s past its 3 s', async () => {
    const w = world([300_000, 2_700_000, 5_100_000], [0, 600_000, 1_200_000]);
    w.setNow(3_000_000);
    const pastUs = await coverSchedule(w.clock, w.starts, 3_000_000);
    expect(pastUs).toBe(3_900_000);
    expect(w.clock.nowUs()).toBe(6_900_000);
  });

  it('a fault that never comes in force: the traffic ends at the bound', async () => {
    const w = world([300_000, Number.POSITIVE_INFINITY], [0, 600_000]);
    w.setNow(3_000_000);
    expect(await coverSchedule(w.clock, w.starts, 3_000_000, 10_000_000)).toBe(10_000_000);
  });

  it('a schedule on time leaves the traffic at its planned end', async () => {
    const w = world([100_000], [100_000]);
    w.setNow(3_000_000);
    expect(await coverSchedule(w.clock, w.starts, 3_000_000)).toBe(0);
  });
});
