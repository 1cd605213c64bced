// What the real-etcd runs of a sweep did not run as their scenarios asked, added up for the
// sweep's page and summary.md (target-differences.ts has one run's): how many runs lost faults
// and how many faults, how many ran their traffic past the scenario's duration to cover the
// schedule, and each setting not applied or draw left out with the number of runs it concerns.
// Before, only a run's own page said so, and a real sweep writes no page for a passing run.
import type { RunSummary } from './run-summary.ts';
import { maxOf } from '../array/stack-safe.ts';

/** Distinct entries listed in each table; the rest are counted. */
export const DIFFERENCE_ENTRIES_MAX = 50;

export interface EntryRuns {
  entry: string;
  runs: number;
}

export interface SweepTargetDifferences {
  /** Runs that recorded their differences (real-etcd runs), and the others (simulated, or written before they were kept). */
  runs: number;
  unrecorded: number;
  faultsNotRunRuns: number;
  faultsNotRun: number;
  /** Runs whose traffic ran past the scenario's duration, and the furthest past. */
  lengthenedRuns: number;
  pastMsMax: number;
  /** Most runs first, then by text; at most DIFFERENCE_ENTRIES_MAX each, the rest counted in `more`. */
  notApplied: EntryRuns[];
  leftOut: EntryRuns[];
  more: { notApplied: number; leftOut: number };
}

function tally(lists: readonly (readonly string[])[]): EntryRuns[] {
  const counts = new Map<string, number>();
  for (const list of lists) for (const entry of new Set(list)) counts.set(entry, (counts.get(entry) ?? 0) + 1);
  return [...counts.entries()].map(([entry, runs]) => ({ entry, runs })).sort((a, b) => b.runs - a.runs || (a.entry < b.entry ? -1 : a.entry > b.entry ? 1 : 0));
}

/** The sweep's differences, or undefined when no run recorded any (a simulated sweep). */
export function sweepTargetDifferences(runs: readonly RunSummary[]): SweepTargetDifferences | undefined {
  const ds = runs.flatMap((r) => (r.targetDifferences === undefined ? [] : [r.targetDifferences]));
  if (ds.length === 0) return undefined;
  const notApplied = tally(ds.map((d) => d.notApplied));
  const leftOut = tally(ds.map((d) => d.leftOut));
  return {
    runs: ds.length,
    unrecorded: runs.length - ds.length,
    faultsNotRunRuns: ds.filter((d) => (d.faultsNotRun ?? 0) > 0).length,
    faultsNotRun: ds.reduce((n, d) => n + (d.faultsNotRun ?? 0), 0),
    lengthenedRuns: ds.filter((d) => (d.trafficPastDurationMs ?? 0) > 0).length,
    pastMsMax: maxOf(ds.map((d) => d.trafficPastDurationMs ?? 0), 0),
    notApplied: notApplied.slice(0, DIFFERENCE_ENTRIES_MAX),
    leftOut: leftOut.slice(0, DIFFERENCE_ENTRIES_MAX),
    more: { notApplied: Math.max(0, notApplied.length - DIFFERENCE_ENTRIES_MAX), leftOut: Math.max(0, leftOut.length - DIFFERENCE_ENTRIES_MAX) },
  };
}

/** The two headline sentences, plain text (escaped where shown). */
export function sweepDifferenceSentences(d: SweepTargetDifferences): string[] {
  const of = `of ${d.runs} real-etcd run${d.runs === 1 ? '' : 's'}`;
  const faults = d.faultsNotRunRuns === 0
    ? `every fault of every schedule ran (${d.runs} real-etcd run${d.runs === 1 ? '' : 's'})`
    : `${d.faultsNotRunRuns} ${of} did not run every fault of their schedule: ${d.faultsNotRun} fault${d.faultsNotRun === 1 ? '' : 's'} in all (each waits until the faults before it have recovered, and the traffic ended first)`;
  const past = d.lengthenedRuns === 0 ? [] : [`${d.lengthenedRuns} ${of} ran their traffic past the scenario's duration until every fault had started, up to ${d.pastMsMax} ms past`];
  const unrecorded = d.unrecorded === 0 ? [] : [`${d.unrecorded} other run${d.unrecorded === 1 ? '' : 's'} of the sweep recorded none of this (simulated, or written by a detcd from before it was kept): not counted here`];
  return [faults, ...past, ...unrecorded];
}

/** A run's faults cell addition: "(N not run)" where some did not run. */
export function faultsNotRunNote(run: RunSummary): string {
  const n = run.targetDifferences?.faultsNotRun ?? 0;
  return n > 0 ? ` (${n} not run)` : '';
}
