// When a real run's successful traffic is too thin for its verdict to mean anything. A real
// cluster that spends a run's few seconds without a serving leader answers most requests with
// timeouts: the checkers then judge a few dozen ops, and "valid" would claim what was not
// exercised. The simulated target's bound (workload.okOpsMin, 20 by default) is for runs
// whose traffic flows as scheduled; a real run must also have served a tenth of what the
// workload offered while the cluster could serve: its rate over the time a quorum of members
// was up, serving and connected (quorum-time.ts). A run whose members were down, restarting
// or cut off most of the time could serve little, and is judged on what it could (its
// okOpsMin still holds); a run whose quorum stood and that served little is unknown, saying so.
import type { Scenario } from '../../scenario/schema.ts';

/** The share of the offered ops a real run must have served (ok) for a verdict. */
export const REAL_OK_SHARE_MIN = 0.1;

export interface OpCounts {
  readonly ok: number;
  readonly fail: number;
  readonly info: number;
}

/**
 * How long the run's traffic lasted; how much of it a quorum of members was up, serving and
 * connected; and how much of that with an elected leader at its centre (undefined: not known).
 */
export interface ServableTime {
  readonly trafficUs: number;
  readonly quorumUs: number | undefined;
  readonly ledUs: number | undefined;
  /** The machine's 1-minute load average per core while the traffic ran (the higher of its start and end), where known. */
  readonly loadPerCore?: number | undefined;
}

/** A load per core above this starves real etcd members of CPU: requests took 0.3-1.3 s with no fault in force (load 15 per core). */
export const LOAD_PER_CORE_SLOW = 2;

/** The offered ops: the workload's rate over `durationMs` (its own by default), what the generator would send with every worker free. */
export function offeredOps(scenario: Scenario, durationMs = scenario.workload.durationMs): number {
  return Math.round((scenario.workload.rateOpsPerSecond * durationMs) / 1000);
}

/** Why the run's ok ops are too few for a verdict, or undefined when they are enough. */
export function thinTraffic(scenario: Scenario, ops: OpCounts, servable?: ServableTime): string | undefined {
  const ms = (us: number | undefined): number | undefined => (us === undefined ? undefined : Math.round(us / 1000));
  const servableMs = ms(servable?.ledUs) ?? ms(servable?.quorumUs);
  const offered = offeredOps(scenario, servableMs ?? scenario.workload.durationMs);
  const min = Math.max(scenario.workload.okOpsMin, Math.ceil(offered * REAL_OK_SHARE_MIN));
  if (ops.ok >= min) return undefined;
  const outcome = `${ops.info} outcome unknown (timeouts), ${ops.fail} failed`;
  const why = servable === undefined || servableMs === undefined ? '' : `; ${couldServe(servable)}`;
  if (ops.ok < scenario.workload.okOpsMin) return `too little successful traffic to mean anything: ${ops.ok} ok ops < workload.okOpsMin ${scenario.workload.okOpsMin} (${outcome}${why})`;
  if (servableMs === undefined) return `too little successful traffic to mean anything: ${ops.ok} ok ops, under a tenth of the ${offered} the workload offered (${scenario.workload.rateOpsPerSecond}/s for ${scenario.workload.durationMs} ms; ${outcome}): the real cluster served too little of the run for its verdict to count`;
  return `too little successful traffic to mean anything: ${ops.ok} ok ops, under a tenth of the ${offered} the workload offered while the cluster could serve (${scenario.workload.rateOpsPerSecond}/s for ${servableMs} ms; ${outcome}${why}): the real cluster could serve and served too little for its verdict to count`;
}

/** The figures the threshold came from, in words. */
function couldServe(s: ServableTime): string {
  const ms = (us: number): number => Math.round(us / 1000);
  const quorum = s.quorumUs === undefined ? 'the time a quorum stood is not known' : `a quorum of members was up, serving and connected ${ms(s.quorumUs)} of the traffic's ${ms(s.trafficUs)} ms`;
  const led = s.ledUs === undefined ? quorum : `${quorum}, with an elected leader ${ms(s.ledUs)} ms`;
  return s.loadPerCore !== undefined && s.loadPerCore > LOAD_PER_CORE_SLOW ? `${led}; the machine's load average was ${s.loadPerCore.toFixed(1)} per core: its members answered slowly` : led;
}
