// sweep.json: the on-disk summary of a sweep (or of one shard of it). Shards of a CI matrix
// each write one; mergeShards reads them all and writes the same report for the whole sweep.
import type { Validity } from '../check/verdict.ts';
import { compareRunsFailuresFirst, type RunSummary } from './run-summary.ts';
import { sweepCoverage } from '../run/coverage.ts';
import type { SweepCoverage } from '../run/coverage.ts';

export const SWEEP_FORMAT = 'detcd-sweep';
export const SWEEP_VERSION = 1;

export interface SweepTotals {
  runs: number;
  valid: number;
  invalid: number;
  unknown: number;
  ops: number;
  wallMs: number;
}

export interface SweepSummary {
  format: typeof SWEEP_FORMAT;
  version: typeof SWEEP_VERSION;
  /** The verdict of the whole sweep: false beats unknown beats true. */
  valid: Validity;
  totals: SweepTotals;
  /** BUGGIFY sites and rare events over all runs, and what no run reached. */
  coverage: SweepCoverage;
  /** Failures first, then unknowns, then passes. */
  runs: RunSummary[];
}

export function sweepTotals(runs: readonly RunSummary[]): SweepTotals {
  const totals: SweepTotals = { runs: runs.length, valid: 0, invalid: 0, unknown: 0, ops: 0, wallMs: 0 };
  for (const run of runs) {
    if (run.valid === true) totals.valid += 1;
    else if (run.valid === false) totals.invalid += 1;
    else totals.unknown += 1;
    totals.ops += run.ops.ok + run.ops.fail + run.ops.info;
    totals.wallMs += run.wallMs;
  }
  return totals;
}

export function buildSweepSummary(runs: readonly RunSummary[]): SweepSummary {
  const totals = sweepTotals(runs);
  const valid: Validity = totals.invalid > 0 ? false : totals.unknown > 0 ? 'unknown' : true;
  return { format: SWEEP_FORMAT, version: SWEEP_VERSION, valid, totals, coverage: sweepCoverage(runs.map((r) => r.coverage)), runs: [...runs].sort(compareRunsFailuresFirst) };
}

function isRunSummary(v: unknown): v is RunSummary {
  if (v === null || typeof v !== 'object') return false;
  const r = v as Record<string, unknown>;
  const ops = r['ops'] as Record<string, unknown> | undefined;
  return typeof r['scenario'] === 'string' && typeof r['seed'] === 'number' && (r['valid'] === true || r['valid'] === false || r['valid'] === 'unknown') &&
    typeof r['checkers'] === 'object' && r['checkers'] !== null && typeof ops?.['ok'] === 'number' && typeof r['replay'] === 'string';
}

/** Validates a parsed sweep.json; the error names the file and what is wrong. */
export function parseSweepSummary(json: unknown, file: string): SweepSummary {
  if (json === null || typeof json !== 'object') throw new Error(`${file}: not a JSON object`);
  const s = json as Record<string, unknown>;
  if (s['format'] !== SWEEP_FORMAT) throw new Error(`${file}: format is not '${SWEEP_FORMAT}'`);
  if (s['version'] !== SWEEP_VERSION) throw new Error(`${file}: version ${String(s['version'])} is not ${SWEEP_VERSION}`);
  const runs = s['runs'];
  if (!Array.isArray(runs)) throw new Error(`${file}: runs is not an array`);
  const bad = runs.findIndex((r) => !isRunSummary(r));
  if (bad >= 0) throw new Error(`${file}: runs[${bad}] is not a run summary`);
  return buildSweepSummary(runs as RunSummary[]);
}
