// cluster.etcd.progressNotifyIntervalMs (etcd's --experimental-watch-progress-notify-interval):
// every interval, a watch that asked for progress_notify and saw no event since the last tick
// gets a progress notification for its own watch id (a requested one carries watch id -1). With
// etcd's default, 10 min, none comes within a run; with 100 ms they are common, and the watch
// checker judges each (a notification at R promises every event <= R was delivered).
import { describe, expect, test } from 'vitest';
import { defineScenario } from '../../../sim/scenario/parse.ts';
import { runScenario } from '../../../sim/run/run.ts';
import type { RunOutput } from '../../../sim/run/run.ts';

/** Progress notifications from the ticker: no events, not created or cancelled, not an answer to a request (watch id -1). */
function tickerProgress(out: RunOutput): number {
  return out.watches.filter((w) => {
    const r = w.response as { events?: unknown[]; created?: boolean; canceled?: boolean; watch_id?: string; header?: { revision?: string } };
    return (r.events ?? []).length === 0 && r.created !== true && r.canceled !== true && r.watch_id !== '-1' && Number(r.header?.revision ?? 0) > 0;
  }).length;
}

const base = { name: 'progress', clients: { count: 2 }, workload: { kind: 'etcd' as const, durationMs: 1500, rateOpsPerSecond: 20, okOpsMin: 0 } };

describe('the progress-notify interval', () => {
  test("defaults to etcd's 10 minutes: no progress notification from the ticker in a run", () => {
    const scenario = defineScenario(base);
    expect(scenario.cluster.etcd.progressNotifyIntervalMs).toBe(600_000);
    const out = runScenario(scenario, 1);
    expect(tickerProgress(out)).toBe(0);
    expect(out.results.valid).toBe(true);
  });

  test('at 100 ms idle watchers get progress notifications, and the run stays valid', () => {
    const out = runScenario(defineScenario({ ...base, cluster: { etcd: { progressNotifyIntervalMs: 100 } } }), 1);
    expect(tickerProgress(out)).toBeGreaterThan(10);
    expect(out.results.checkers['watch']?.valid).toBe(true);
    expect(out.results.valid).toBe(true);
  });
});
