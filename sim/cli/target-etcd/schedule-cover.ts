// How long a real run's traffic lasts. On real etcd a fault starts only once the faults before
// it have recovered (sim/nemesis/nemesis.ts), seconds after their planned times, and a run that
// stopped its traffic at the scenario's duration dropped the faults still waiting (45 of 100
// real swarm runs lost at least one). etcd's robustness tests run their traffic until the
// failpoint has been injected and the cluster is back, then a second more; here the traffic runs
// until every fault of the schedule has come in force, and past the scenario's duration by as
// much as the latest fault came late, so each keeps the time to the traffic's end the schedule
// gave it. Bounded: a schedule that cannot be covered within the bound loses its last faults,
// counted in results.json target.faultsNotRun.
import type { RealClock } from './real-clock.ts';

/** The most the traffic runs past the scenario's duration to cover its schedule. */
export const TRAFFIC_PAST_DURATION_MS_MAX = 60_000;

/** How often the schedule's progress is looked at while the traffic runs on. */
const COVER_POLL_MS = 50;

export interface ScheduleStarts {
  /** Every fault of the schedule has come in force (or found no target). */
  readonly done: boolean;
  /** The most a fault came in force after its planned start. */
  readonly lagUsMax: number;
}

/** When the traffic ends, on the run's clock: the planned end, later by the schedule's lag once it is done, never past the bound. */
export function trafficEndUs(plannedEndUs: number, starts: ScheduleStarts, pastUsMax: number): number {
  const boundUs = plannedEndUs + pastUsMax;
  if (!starts.done) return boundUs;
  return Math.min(boundUs, plannedEndUs + Math.max(0, starts.lagUsMax));
}

/**
 * Waits from the traffic's planned end until it may end (trafficEndUs, looked at again as
 * faults come in force); returns how long past the planned end that was, in µs.
 */
export async function coverSchedule(clock: Pick<RealClock, 'nowUs' | 'sleep'>, starts: () => ScheduleStarts, plannedEndUs: number, pastUsMax = TRAFFIC_PAST_DURATION_MS_MAX * 1000): Promise<number> {
  for (;;) {
    const nowUs = clock.nowUs();
    const endUs = trafficEndUs(plannedEndUs, starts(), pastUsMax);
    if (nowUs >= endUs) return Math.max(0, nowUs - plannedEndUs);
    await clock.sleep(Math.min(COVER_POLL_MS, Math.ceil((endUs - nowUs) / 1000)));
  }
}
