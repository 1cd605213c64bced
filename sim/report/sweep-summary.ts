// sweep.json: the on-disk summary of a sweep (or of one shard of it). Shards of a CI matrix
// each write one; mergeShards reads them all and writes the same report for the whole sweep.
import type { Validity } from '../check/verdict.ts';
import { compareRunsFailuresFirst, type RunSummary } from './run-summary.ts';
import { sweepCoverage } from '../run/coverage.ts';
import type { SweepCoverage } from '../run/coverage.ts';
import { planProblem, type SweepPlanSummary } from './sweep-plan.ts';

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

/** One seed whose determinism re-run gave another trace hash than its first run. */
export interface DeterminismMismatchSummary {
  scenario: string;
  seed: number;
  replay: string;
  traceHashes: [string, string];
  workers: [number, number];
  /** Where the traces part (the first differing trace-hash checkpoint). */
  where: string;
}

/** The sweep's determinism check: how many seeds ran twice, where, and which disagreed. */
export interface SweepDeterminism {
  reruns: number;
  /** 'another worker' (jobs > 1) or 'the same thread' (one job), as the re-runs were made. */
  rerunIn: string;
  mismatches: DeterminismMismatchSummary[];
}

export interface SweepSummary {
  format: typeof SWEEP_FORMAT;
  version: typeof SWEEP_VERSION;
  /** The verdict of the whole sweep: false beats unknown beats true. */
  valid: Validity;
  totals: SweepTotals;
  /** BUGGIFY sites and rare events over all runs, and what no run reached. */
  coverage: SweepCoverage;
  /** Absent when the sweep re-ran no seed (--rerun-percent 0, a real target) or was written before re-runs existed. */
  determinism?: SweepDeterminism;
  /** What the sweep set out to run (absent in sweeps written before it was kept): a merge checks its shards with it. */
  plan?: SweepPlanSummary;
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

export function buildSweepSummary(runs: readonly RunSummary[], determinism?: SweepDeterminism, plan?: SweepPlanSummary): SweepSummary {
  const totals = sweepTotals(runs);
  const valid: Validity = totals.invalid > 0 ? false : totals.unknown > 0 ? 'unknown' : true;
  return {
    format: SWEEP_FORMAT, version: SWEEP_VERSION, valid, totals, coverage: sweepCoverage(runs.map((r) => r.coverage)),
    ...(determinism === undefined ? {} : { determinism }),
    ...(plan === undefined ? {} : { plan }),
    runs: [...runs].sort(compareRunsFailuresFirst),
  };
}

/** The determinism checks of several shards as one: re-runs added up, mismatches listed together. */
export function mergeDeterminism(parts: readonly (SweepDeterminism | undefined)[]): SweepDeterminism | undefined {
  const present = parts.filter((d): d is SweepDeterminism => d !== undefined);
  if (present.length === 0) return undefined;
  const places = [...new Set(present.map((d) => d.rerunIn))];
  return { reruns: present.reduce((n, d) => n + d.reruns, 0), rerunIn: places.join(' / '), mismatches: present.flatMap((d) => d.mismatches) };
}

function isMismatch(v: unknown): v is DeterminismMismatchSummary {
  if (v === null || typeof v !== 'object') return false;
  const m = v as Record<string, unknown>;
  const pair = (x: unknown, kind: 'string' | 'number'): boolean => Array.isArray(x) && x.length === 2 && x.every((e) => typeof e === kind);
  return typeof m['scenario'] === 'string' && typeof m['seed'] === 'number' && typeof m['replay'] === 'string' && typeof m['where'] === 'string' &&
    pair(m['traceHashes'], 'string') && pair(m['workers'], 'number');
}

export function parseDeterminism(v: unknown, file: string): SweepDeterminism | undefined {
  if (v === undefined) return undefined;
  const d = v as Record<string, unknown> | null;
  if (d === null || typeof d !== 'object') throw new Error(`${file}: determinism is not an object`);
  if (typeof d['reruns'] !== 'number' || !Number.isInteger(d['reruns']) || d['reruns'] < 0) throw new Error(`${file}: determinism.reruns is not a non-negative integer`);
  if (typeof d['rerunIn'] !== 'string') throw new Error(`${file}: determinism.rerunIn is not a string`);
  const ms = d['mismatches'];
  if (!Array.isArray(ms)) throw new Error(`${file}: determinism.mismatches is not an array`);
  const bad = ms.findIndex((m) => !isMismatch(m));
  if (bad >= 0) throw new Error(`${file}: determinism.mismatches[${bad}] is not a mismatch (scenario, seed, replay, traceHashes, workers, where)`);
  return { reruns: d['reruns'], rerunIn: d['rerunIn'], mismatches: ms as DeterminismMismatchSummary[] };
}

const isCount = (x: unknown): boolean => typeof x === 'number' && Number.isFinite(x);
const isCountMap = (x: unknown): boolean => typeof x === 'object' && x !== null && !Array.isArray(x) && Object.values(x).every(isCount);

function checkerProblem(name: string, v: unknown): string | undefined {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return `checkers.${name} is not an object`;
  const c = v as Record<string, unknown>;
  if (c['valid'] !== true && c['valid'] !== false && c['valid'] !== 'unknown') return `checkers.${name}.valid is not true, false or "unknown"`;
  if (c['summary'] !== undefined && typeof c['summary'] !== 'string') return `checkers.${name}.summary is not a string`;
  if (c['ms'] !== undefined && !isCount(c['ms'])) return `checkers.${name}.ms is not a number`;
  if (c['nothing'] !== undefined && !(c['nothing'] === true && c['valid'] === 'unknown')) return `checkers.${name}.nothing is not true beside valid "unknown"`;
  if (c['detail'] !== undefined && !(Array.isArray(c['detail']) && c['detail'].every((l) => typeof l === 'string'))) return `checkers.${name}.detail is not a list of strings`;
  return undefined;
}

const isTextList = (x: unknown): boolean => Array.isArray(x) && x.every((e) => typeof e === 'string');

/** What is wrong with a run summary's targetDifferences (absent: a simulated run, or a sweep from before it was kept). */
function targetDifferencesProblem(v: unknown): string | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return 'targetDifferences is not an object';
  const d = v as Record<string, unknown>;
  for (const key of ['faultsNotRun', 'trafficPastDurationMs']) {
    const n = d[key];
    if (n !== undefined && !(typeof n === 'number' && Number.isSafeInteger(n) && n >= 0)) return `targetDifferences.${key} is not a whole number from 0 up`;
  }
  for (const key of ['notApplied', 'leftOut']) if (!isTextList(d[key])) return `targetDifferences.${key} is not a list of strings`;
  return undefined;
}

/**
 * The first field of a run summary whose type is wrong, or undefined: every field the sweep
 * table, the pages, junit.xml and summary.md read is checked, since a shard's sweep.json is a
 * file a user may have edited (a number where text goes stopped a merge with exit 4).
 */
export function runSummaryProblem(v: unknown): string | undefined {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return 'is not an object';
  const r = v as Record<string, unknown>;
  if (typeof r['scenario'] !== 'string') return 'scenario is not a string';
  if (typeof r['seed'] !== 'number' || !Number.isSafeInteger(r['seed'])) return 'seed is not an integer';
  if (r['valid'] !== true && r['valid'] !== false && r['valid'] !== 'unknown') return 'valid is not true, false or "unknown"';
  if (typeof r['checkers'] !== 'object' || r['checkers'] === null || Array.isArray(r['checkers'])) return 'checkers is not an object';
  for (const [name, c] of Object.entries(r['checkers'])) {
    const problem = checkerProblem(name, c);
    if (problem !== undefined) return problem;
  }
  const ops = r['ops'] as Record<string, unknown> | undefined;
  if (typeof ops !== 'object' || ops === null || !isCount(ops['ok']) || !isCount(ops['fail']) || !isCount(ops['info'])) return 'ops is not {ok, fail, info} counts';
  for (const key of ['faults', 'wallMs', 'simulatedMs']) if (!isCount(r[key])) return `${key} is not a number`;
  for (const key of ['traceHash', 'replay']) if (typeof r[key] !== 'string') return `${key} is not a string`;
  for (const key of ['bug', 'shrink', 'error', 'report']) if (r[key] !== undefined && typeof r[key] !== 'string') return `${key} is not a string`;
  const differences = targetDifferencesProblem(r['targetDifferences']);
  if (differences !== undefined) return differences;
  const coverage = r['coverage'] as Record<string, unknown> | undefined;
  if (coverage !== undefined && (typeof coverage !== 'object' || coverage === null || typeof coverage['buggify'] !== 'boolean' || !isCountMap(coverage['fired']) || !isCountMap(coverage['events']))) return 'coverage is not {buggify, fired, events}';
  return undefined;
}

/** Validates a parsed sweep.json; the error names the file and what is wrong. */
export function parseSweepSummary(json: unknown, file: string): SweepSummary {
  if (json === null || typeof json !== 'object') throw new Error(`${file}: not a JSON object`);
  const s = json as Record<string, unknown>;
  if (s['format'] !== SWEEP_FORMAT) throw new Error(`${file}: format is not '${SWEEP_FORMAT}'`);
  if (s['version'] !== SWEEP_VERSION) throw new Error(`${file}: version ${String(s['version'])} is not ${SWEEP_VERSION}`);
  const runs = s['runs'];
  if (!Array.isArray(runs)) throw new Error(`${file}: runs is not an array`);
  for (const [i, r] of runs.entries()) {
    const problem = runSummaryProblem(r);
    if (problem !== undefined) throw new Error(`${file}: runs[${i}]: ${problem}`);
  }
  const plan = s['plan'];
  const problem = plan === undefined ? undefined : planProblem(plan);
  if (problem !== undefined) throw new Error(`${file}: ${problem}`);
  return buildSweepSummary(runs as RunSummary[], parseDeterminism(s['determinism'], file), plan as SweepPlanSummary | undefined);
}
