// One line of a sweep: what the sweep table, the merged junit.xml and summary.md need from a
// run, small enough that a sweep of thousands of seeds keeps it all in sweep.json.
import type { Validity } from '../check/verdict.ts';
import type { Results } from '../run/results.ts';
import { coverageCounts } from '../run/coverage.ts';
import type { CoverageCounts } from '../run/coverage.ts';
import { explanationLines } from './explanation-text.ts';
import { targetDifferencesOf, type RunTargetDifferences } from './target-differences.ts';

export interface CheckerSummary {
  valid: Validity;
  /** The checker had nothing to check (CheckResult.nothing): junit.xml skips its case. */
  nothing?: true;
  summary?: string;
  ms?: number;
  /** Text lines explaining a violation (the linearizability culprit, a broken invariant), for junit.xml. */
  detail?: string[];
}

export interface RunSummary {
  scenario: string;
  seed: number;
  valid: Validity;
  bug?: string;
  checkers: Record<string, CheckerSummary>;
  ops: { ok: number; fail: number; info: number };
  faults: number;
  wallMs: number;
  simulatedMs: number;
  traceHash: string;
  replay: string;
  shrink?: string;
  error?: string;
  /** BUGGIFY sites fired and rare events seen (only what is not zero). */
  coverage?: CoverageCounts;
  /** The run's report directory relative to the sweep's directory, with `/` separators. */
  report?: string;
  /**
   * A real-etcd run: what did not run as its scenario asked (faults not run, how far the traffic
   * ran past its duration, settings not applied, the swarm's left-out draws), for the sweep's
   * page, summary.md and junit.xml. Absent for a simulated run.
   */
  targetDifferences?: RunTargetDifferences;
}

export function summarizeRun(results: Results, report?: string): RunSummary {
  const checkers: Record<string, CheckerSummary> = {};
  for (const [name, c] of Object.entries(results.checkers)) {
    const entry: CheckerSummary = c.nothing === true ? { valid: c.valid, nothing: true } : { valid: c.valid };
    if (typeof c.summary === 'string') entry.summary = c.summary;
    if (typeof c['ms'] === 'number') entry.ms = c['ms'];
    const detail = explanationLines(c['explanation'], '');
    if (detail.length > 0) entry.detail = detail;
    checkers[name] = entry;
  }
  const out: RunSummary = {
    scenario: results.scenario,
    seed: results.seed,
    valid: results.valid,
    checkers,
    ops: { ...results.stats.ops },
    faults: results.stats.faults,
    wallMs: results.stats.wallMs,
    simulatedMs: results.stats.simulatedMs,
    traceHash: results.traceHash,
    replay: results.replay,
  };
  if (results.bug !== undefined) out.bug = results.bug;
  if (results.shrink !== undefined) out.shrink = results.shrink;
  if (results.error !== undefined) out.error = results.error;
  if (report !== undefined) out.report = report;
  if (results.coverage !== undefined) out.coverage = coverageCounts(results.coverage);
  const differences = targetDifferencesOf(results);
  if (differences !== undefined) out.targetDifferences = differences;
  return out;
}

const verdictRank: Record<string, number> = { false: 0, unknown: 1, true: 2 };

/** Failures first, then unknowns, then passes; within each, by scenario and seed. */
export function compareRunsFailuresFirst(a: RunSummary, b: RunSummary): number {
  const rank = (verdictRank[String(a.valid)] ?? 3) - (verdictRank[String(b.valid)] ?? 3);
  if (rank !== 0) return rank;
  if (a.scenario !== b.scenario) return a.scenario < b.scenario ? -1 : 1;
  return a.seed - b.seed;
}

export function verdictWord(valid: Validity): 'valid' | 'invalid' | 'unknown' {
  if (valid === true) return 'valid';
  if (valid === false) return 'invalid';
  return 'unknown';
}
