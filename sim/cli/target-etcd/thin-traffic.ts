// When a real run's successful traffic is too thin for its verdict to mean anything. A real
// cluster that spends a run's few seconds without a serving leader answers most requests with
// timeouts: the checkers then judge a few dozen ops, and "valid" would claim what was not
// exercised. The simulated target's bound (workload.okOpsMin, 20 by default) is for runs
// whose traffic flows as scheduled; a real run must also have served a tenth of what the
// workload offered (its rate over its duration), or its verdict is unknown, saying why.
import type { Scenario } from '../../scenario/schema.ts';

/** The share of the offered ops a real run must have served (ok) for a verdict. */
export const REAL_OK_SHARE_MIN = 0.1;

export interface OpCounts {
  readonly ok: number;
  readonly fail: number;
  readonly info: number;
}

/** The offered ops: the workload's rate over its duration (what the generator would send with every worker free). */
export function offeredOps(scenario: Scenario): number {
  return Math.round((scenario.workload.rateOpsPerSecond * scenario.workload.durationMs) / 1000);
}

/** Why the run's ok ops are too few for a verdict, or undefined when they are enough. */
export function thinTraffic(scenario: Scenario, ops: OpCounts): string | undefined {
  const offered = offeredOps(scenario);
  const shareMin = Math.ceil(offered * REAL_OK_SHARE_MIN);
  const min = Math.max(scenario.workload.okOpsMin, shareMin);
  if (ops.ok >= min) return undefined;
  const outcome = `${ops.info} outcome unknown (timeouts), ${ops.fail} failed`;
  if (ops.ok < scenario.workload.okOpsMin) return `too little successful traffic to mean anything: ${ops.ok} ok ops < workload.okOpsMin ${scenario.workload.okOpsMin} (${outcome})`;
  return `too little successful traffic to mean anything: ${ops.ok} ok ops, under a tenth of the ${offered} the workload offered (${scenario.workload.rateOpsPerSecond}/s for ${scenario.workload.durationMs} ms; ${outcome}): the real cluster served too little of the run for its verdict to count`;
}
