// Types of steady-state.mjs.
export interface SteadyRun {
  cpuS: number;
  ops: number;
  events: number;
  traceHash: string;
}

export interface SteadyBuild {
  label: string;
  run(seed: number): SteadyRun;
}

export interface SteadyOptions {
  seeds?: number[];
  warmupRoundsMin?: number;
  warmupRoundsMax?: number;
  /** A warm-up round within this share of the one before it ends the warm-up (0.05: 5 %). */
  tolerance?: number;
  measuredRounds?: number;
}

export interface SteadySummary {
  label: string;
  cpuSPerRun: number;
  opsPerCpuS: number;
  eventsPerCpuS: number;
  totalCpuS: number;
  perSeed: { seed: number; cpuS: number; ops: number; events: number; traceHash: string }[];
}

export interface SteadyResult {
  warmup: { rounds: number; stable: boolean; cpuS: number[][] };
  measuredRounds: number;
  summaries: SteadySummary[];
  against: { label: string; totalCpuRatio: number; medianPairedCpuRatio: number }[];
}

export declare const STEADY_DEFAULTS: Required<SteadyOptions>;
export declare function warmedUp(roundCpuS: readonly number[], min: number, tolerance: number): boolean;
export declare function steadyState(builds: readonly SteadyBuild[], options?: SteadyOptions): SteadyResult;
export declare function describeSteady(result: SteadyResult, i?: number): string;
