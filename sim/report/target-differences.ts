// What a real-etcd run did not run as its scenario asked: faults of the schedule that never
// started (results.json target.faultsNotRun), how far the traffic ran past the scenario's
// duration to let them start (target.trafficPastDurationMs), member settings real etcd does not
// take, each with the value that ran (target.notApplied), and what a real swarm's draw left out
// (options.leftOut). A reader must not take the scenario's settings or fault count for what ran,
// on the run page, the terminal, or a sweep's page, summary.md and junit.xml (sweep-differences.ts).
// Every entry is user-supplied text (a scenario file, a results.json): escaped where it is shown.
import type { Results } from '../run/results.ts';
import { escapeHtml } from './escape.ts';

/** The differences as a run summary keeps them (run-summary.ts): absent for a simulated run. */
export interface RunTargetDifferences {
  faultsNotRun?: number;
  trafficPastDurationMs?: number;
  notApplied: string[];
  leftOut: string[];
}

/** What of a run's results differs from its scenario on a real target; undefined for a simulated run. */
export function targetDifferencesOf(results: Results): RunTargetDifferences | undefined {
  const t = results.target;
  if (t?.kind !== 'etcd') return undefined;
  const leftOutValue = results.options?.['leftOut'];
  const leftOut = Array.isArray(leftOutValue) ? leftOutValue.map((v) => (typeof v === 'string' ? v : JSON.stringify(v) ?? String(v))) : [];
  const out: RunTargetDifferences = { notApplied: (t.notApplied ?? []).map(String), leftOut };
  if (typeof t.faultsNotRun === 'number') out.faultsNotRun = t.faultsNotRun;
  if (typeof t.trafficPastDurationMs === 'number') out.trafficPastDurationMs = t.trafficPastDurationMs;
  return out;
}

export interface TargetDifferences {
  faultsNotRun: string | undefined;
  faultsNotRunCount: number | undefined;
  /** How far the traffic ran past the scenario's duration to cover its schedule, in words (absent when it did not). */
  trafficPast: string | undefined;
  notApplied: string[];
  leftOut: string[];
}

/** The faults not run, in words: undefined where not recorded. */
export function faultsNotRunText(n: number | undefined, lengthened: boolean): string | undefined {
  if (n === undefined) return undefined;
  if (n === 0) return 'every fault of the schedule ran';
  return `${n} fault${n === 1 ? '' : 's'} of the schedule did not run: each waits until the faults before it have recovered (restarted members serving), and the traffic ended first${lengthened ? ' (lengthened to its bound)' : ''}`;
}

/** How far the traffic ran past the scenario's duration, in words: undefined when it did not. */
export function trafficPastText(pastMs: number | undefined): string | undefined {
  if (pastMs === undefined || pastMs <= 0) return undefined;
  return `the traffic ran ${pastMs} ms past the scenario's duration: until every fault of the schedule had started, each waiting for the faults before it to recover, as far past as the latest started late`;
}

/** The plain-text lines of a summary's differences, shared by the page, the terminal and junit.xml. */
export function differenceLines(d: RunTargetDifferences | undefined): TargetDifferences {
  if (d === undefined) return { faultsNotRun: undefined, faultsNotRunCount: undefined, trafficPast: undefined, notApplied: [], leftOut: [] };
  return {
    faultsNotRun: faultsNotRunText(d.faultsNotRun, d.trafficPastDurationMs !== undefined),
    faultsNotRunCount: d.faultsNotRun,
    trafficPast: trafficPastText(d.trafficPastDurationMs),
    notApplied: d.notApplied,
    leftOut: d.leftOut,
  };
}

/** The plain-text lines of a run's results: empty for a simulated run. */
export function targetDifferenceLines(results: Results): TargetDifferences {
  return differenceLines(targetDifferencesOf(results));
}

function list(title: string, id: string, items: readonly string[]): string {
  if (items.length === 0) return '';
  return `<div id="${id}"><p><b>${title}</b> (${items.length})</p><ul>${items.map((i) => `<li class="mono">${escapeHtml(i)}</li>`).join('')}</ul></div>`;
}

export const NOT_APPLIED_TITLE = "scenario settings real etcd did not apply (etcd's value ran)";
export const LEFT_OUT_TITLE = "drawn by the real swarm but not run (fault packages not injected, settings at etcd's own)";

/** The page's block under the target line: empty for a simulated run. */
export function targetDifferencesHtml(results: Results): string {
  if (results.target?.kind !== 'etcd') return '';
  const d = targetDifferenceLines(results);
  const faults = d.faultsNotRun === undefined ? '' : `<p id="faults-not-run">${d.faultsNotRunCount === 0 ? '' : '<b>faults not run:</b> '}${escapeHtml(d.faultsNotRun)}</p>`;
  const past = d.trafficPast === undefined ? '' : `<p id="traffic-past">${escapeHtml(d.trafficPast)}</p>`;
  return `<div id="target-differences">${faults}${past}${list(NOT_APPLIED_TITLE, 'not-applied', d.notApplied)}${list(LEFT_OUT_TITLE, 'left-out', d.leftOut)}</div>`;
}

/** The lines of one run for junit.xml's system-out: empty for a simulated run. */
export function differenceTextLines(d: RunTargetDifferences | undefined): string[] {
  const l = differenceLines(d);
  const out: string[] = [];
  if (l.faultsNotRun !== undefined) out.push(`real etcd: ${l.faultsNotRun}`);
  if (l.trafficPast !== undefined) out.push(`real etcd: ${l.trafficPast}`);
  for (const n of l.notApplied) out.push(`not applied by real etcd (etcd's value ran): ${n}`);
  if (l.leftOut.length > 0) out.push(`left out of the real swarm's draw: ${l.leftOut.join(', ')}`);
  return out;
}
