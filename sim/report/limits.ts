// Every bound the report keeps, in one place: a run of 100,000 ops must still give a page that
// opens quickly, so what is drawn is thinned, while every anomaly is kept.

export interface ReportLimits {
  /** Operations drawn on the timeline; fail/info and counterexample ops are always drawn. */
  timelineOpsMax: number;
  /** Time buckets for thinning the latency plot's ok points. */
  latencyBuckets: number;
  /** ok points kept per (f, bucket): the fastest, the slowest and evenly spaced others. */
  latencyPointsPerBucket: number;
  /** Time buckets of the throughput plot. */
  throughputBuckets: number;
  /** Characters of a request or response shown in a tooltip. */
  tooltipCharsMax: number;
  /** Steps of the linearizable prefix drawn before the op that cannot follow. */
  counterexampleStepsMax: number;
  /** Partitions shown in the counterexample view. */
  partitionsMax: number;
  /** Violations shown per checker. */
  violationsMax: number;
  /** Operations shown around one violation. */
  eventsAroundMax: number;
  /** Rows in the statistics tables (faults, unavailability windows). */
  statsRowsMax: number;
}

export const defaultReportLimits: ReportLimits = {
  timelineOpsMax: 4000,
  latencyBuckets: 300,
  latencyPointsPerBucket: 6,
  throughputBuckets: 120,
  tooltipCharsMax: 300,
  counterexampleStepsMax: 20,
  partitionsMax: 20,
  violationsMax: 25,
  eventsAroundMax: 16,
  statsRowsMax: 50,
};

/** The first limit of `partial` that is no positive whole number (its name), or undefined. */
export function limitsProblem(partial: Partial<ReportLimits> | undefined): string | undefined {
  const limits: Record<string, unknown> = { ...defaultReportLimits, ...partial };
  return Object.keys(limits).find((name) => !Number.isSafeInteger(limits[name]) || (limits[name] as number) < 1);
}

export function resolveLimits(partial: Partial<ReportLimits> | undefined): ReportLimits {
  const bad = limitsProblem(partial);
  if (bad !== undefined) throw new Error(`report limits: ${bad} must be a positive integer, got ${String((partial as Record<string, unknown>)[bad])}`);
  return { ...defaultReportLimits, ...partial };
}
