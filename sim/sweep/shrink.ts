// Shrinking a failing run (delta debugging, as Jepsen users do by hand and fast-check does for
// values): with the seed fixed, find a smaller scenario that still fails — fewer faults
// (ddmin over the explicit schedule), shorter faults, fewer clients, a shorter safety phase and
// a lower rate. Every candidate is a whole scenario with an explicit schedule, so the result is
// a file that `detcd run` replays. The predicate runs the simulation; the search is bounded.
import type { TimedFault } from '../scenario/fault.ts';
import type { Scenario } from '../scenario/schema.ts';
import { withFields } from '../../src/object/with-fields.ts';
import { maxOf } from '../array/stack-safe.ts';

export interface ShrinkOptions {
  /** True when the candidate still fails. */
  fails: (candidate: Scenario) => boolean;
  /** Bound on predicate calls. */
  runsMax: number;
  onStep?: (message: string, candidate: Scenario) => void;
}

export interface ShrinkResult {
  scenario: Scenario;
  runs: number;
  steps: string[];
}

function withSchedule(s: Scenario, schedule: TimedFault[]): Scenario {
  return withFields(s, { schedule });
}

/** The scenario of a run as it ran: swarm draws baked in, the drawn schedule made explicit. */
export function bakeScenario(ran: Scenario, schedule: readonly TimedFault[]): Scenario {
  return withFields(ran, { swarm: withFields(ran.swarm, { enabled: false }), schedule: schedule.map((f) => withFields(f, { fault: { ...f.fault } })) });
}

/**
 * Faults as the user reads them in the scenario: by kind and start ("removed faults 0..0 (1 left)"
 * twice in a row named two different faults by the index each had in a list that had shrunk).
 */
function faultNames(faults: readonly TimedFault[]): string {
  const named = faults.slice(0, 3).map((f) => `${f.fault.kind} at ${f.atMs} ms`);
  return faults.length > 3 ? `${named.join(', ')} and ${faults.length - 3} more` : named.join(', ');
}

export function shrinkScenario(start: Scenario, o: ShrinkOptions): ShrinkResult {
  let runs = 0;
  const steps: string[] = [];
  let best = start;
  const attempt = (candidate: Scenario, what: string): boolean => {
    if (runs >= o.runsMax) return false;
    runs++;
    if (!o.fails(candidate)) return false;
    best = candidate;
    steps.push(what);
    o.onStep?.(what, candidate);
    return true;
  };
  // 1. Fewer faults: remove chunks of the schedule, halving the chunk size (ddmin).
  let chunk = Math.max(1, Math.ceil((best.schedule ?? []).length / 2));
  while (chunk >= 1 && runs < o.runsMax) {
    let removedAny = false;
    for (let i = 0; i < (best.schedule ?? []).length && runs < o.runsMax; ) {
      const schedule = best.schedule ?? [];
      const candidate = [...schedule.slice(0, i), ...schedule.slice(i + chunk)];
      const removed = schedule.slice(i, i + chunk);
      if (attempt(withSchedule(best, candidate), `removed ${removed.length === 1 ? 'fault' : `${removed.length} faults:`} ${faultNames(removed)} (${candidate.length} left)`)) removedAny = true;
      else i += chunk;
    }
    if (!removedAny) chunk = Math.floor(chunk / 2);
  }
  // 2. Shorter faults: halve each duration while the run still fails.
  for (let i = 0; i < (best.schedule ?? []).length && runs < o.runsMax; i++) {
    for (;;) {
      const schedule = best.schedule ?? [];
      const f = schedule[i] as TimedFault;
      if (f.durationMs <= 1) break;
      const shorter = [...schedule];
      shorter[i] = withFields(f, { durationMs: Math.max(1, Math.floor(f.durationMs / 2)) });
      if (!attempt(withSchedule(best, shorter), `fault ${faultNames([f])} lasts ${shorter[i]?.durationMs} ms`)) break;
    }
  }
  // 3. Fewer clients.
  while (best.clients.count > 1 && runs < o.runsMax) {
    const count = Math.max(1, Math.floor(best.clients.count / 2));
    if (!attempt(withFields(best, { clients: withFields(best.clients, { count }) }), `${count} clients`)) break;
  }
  // 4. A shorter safety phase: just past the last fault's start, then halves.
  const lastStartMs = maxOf((best.schedule ?? []).map((f) => f.atMs), 0);
  for (;;) {
    const durationMs = Math.max(lastStartMs + 1, Math.floor(best.workload.durationMs / 2));
    if (durationMs >= best.workload.durationMs || runs >= o.runsMax) break;
    if (!attempt(withFields(best, { workload: withFields(best.workload, { durationMs }) }), `safety phase ${durationMs} ms`)) break;
  }
  // 5. A lower request rate, keeping enough traffic for the run to mean something (twice the
  // okOpsMin floor), so that the shrunk scenario without the bug still passes rather than
  // saying "unknown".
  const enoughTraffic = (rate: number): boolean => (rate * best.workload.durationMs) / 1000 >= 2 * best.workload.okOpsMin;
  while (best.workload.rateOpsPerSecond > 1 && runs < o.runsMax) {
    const rateOpsPerSecond = Math.max(1, Math.floor(best.workload.rateOpsPerSecond / 2));
    if (!enoughTraffic(rateOpsPerSecond)) break;
    if (!attempt(withFields(best, { workload: withFields(best.workload, { rateOpsPerSecond }) }), `${rateOpsPerSecond} ops/s`)) break;
  }
  return { scenario: best, runs, steps };
}
