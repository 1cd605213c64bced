// What a real-etcd run did not run as its scenario asked: faults of the schedule that never
// started (results.json target.faultsNotRun), member settings real etcd does not take, each
// with the value that ran (target.notApplied), and what a real swarm's draw left out
// (options.leftOut). A reader must not take the scenario's settings or fault count for what ran.
// Every entry is user-supplied text (a scenario file, a results.json): escaped here.
import type { Results } from '../run/results.ts';
import { escapeHtml } from './escape.ts';

export interface TargetDifferences {
  faultsNotRun: string | undefined;
  faultsNotRunCount: number | undefined;
  /** How far the traffic ran past the scenario's duration to cover its schedule, in words (absent when it did not). */
  trafficPast: string | undefined;
  notApplied: string[];
  leftOut: string[];
}

/** The plain-text lines, shared by the page and the terminal: empty for a simulated run. */
export function targetDifferenceLines(results: Results): TargetDifferences {
  const t = results.target;
  if (t?.kind !== 'etcd') return { faultsNotRun: undefined, faultsNotRunCount: undefined, trafficPast: undefined, notApplied: [], leftOut: [] };
  const n = t.faultsNotRun;
  const faultsNotRun = n === undefined ? undefined
    : n === 0 ? 'every fault of the schedule ran'
    : `${n} fault${n === 1 ? '' : 's'} of the schedule did not run: each waits until the faults before it have recovered (restarted members serving), and the traffic ended first${t.trafficPastDurationMs === undefined ? '' : ' (lengthened to its bound)'}`;
  const past = t.trafficPastDurationMs;
  const trafficPast = past === undefined || past <= 0 ? undefined
    : `the traffic ran ${past} ms past the scenario's duration: until every fault of the schedule had started, each waiting for the faults before it to recover, as far past as the latest started late`;
  const leftOutValue = results.options?.['leftOut'];
  const leftOut = Array.isArray(leftOutValue) ? leftOutValue.map((v) => (typeof v === 'string' ? v : JSON.stringify(v) ?? String(v))) : [];
  return { faultsNotRun, faultsNotRunCount: n, trafficPast, notApplied: (t.notApplied ?? []).map(String), leftOut };
}

function list(title: string, id: string, items: readonly string[]): string {
  if (items.length === 0) return '';
  return `<div id="${id}"><p><b>${title}</b> (${items.length})</p><ul>${items.map((i) => `<li class="mono">${escapeHtml(i)}</li>`).join('')}</ul></div>`;
}

/** The page's block under the target line: empty for a simulated run. */
export function targetDifferencesHtml(results: Results): string {
  if (results.target?.kind !== 'etcd') return '';
  const d = targetDifferenceLines(results);
  const faults = d.faultsNotRun === undefined ? '' : `<p id="faults-not-run">${d.faultsNotRunCount === 0 ? '' : '<b>faults not run:</b> '}${escapeHtml(d.faultsNotRun)}</p>`;
  const past = d.trafficPast === undefined ? '' : `<p id="traffic-past">${escapeHtml(d.trafficPast)}</p>`;
  return `<div id="target-differences">${faults}${past}${list("scenario settings real etcd did not apply (etcd's value ran)", 'not-applied', d.notApplied)}${list("drawn by the real swarm but not run (fault packages not injected, settings at etcd's own)", 'left-out', d.leftOut)}</div>`;
}
