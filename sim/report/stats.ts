// Statistics a person asks after a run with faults: how much work (messages, fsyncs), how many
// elections, how long the cluster took to have a leader again after each fault, and when no
// client got anything done (unavailability windows).
import type { FaultInterval, LeaderSpan, Results } from '../run/results.ts';
import { escapeHtml } from './escape.ts';
import type { PairedOp } from './paired-ops.ts';
import { formatUs } from './svg-kit.ts';
import { minOf } from '../array/stack-safe.ts';
import { grouped } from '../text/count.ts';

export interface FaultRecovery {
  fault: FaultInterval;
  leaderAtStart: LeaderSpan | undefined;
  /** The first leader elected at or after the fault began (a new term), if any. */
  nextLeader: LeaderSpan | undefined;
  /** µs from the start of the fault to that election; undefined when the leader stayed. */
  newLeaderAfterUs: number | undefined;
  /** µs from the heal until a leader existed again (0 when one did at the heal). */
  leaderAfterHealUs: number | undefined;
}

export interface Window {
  startUs: number;
  endUs: number;
}

function spanAt(leaders: readonly LeaderSpan[], us: number): LeaderSpan | undefined {
  let current: LeaderSpan | undefined;
  for (const span of leaders) {
    if (span.startUs > us) break;
    current = span;
  }
  return current;
}

export function faultRecoveries(faults: readonly FaultInterval[], leaders: readonly LeaderSpan[]): FaultRecovery[] {
  return faults.map((fault) => {
    const leaderAtStart = spanAt(leaders, fault.startUs);
    const nextLeader = leaders.find((s) => s.startUs >= fault.startUs && s.node !== null && (leaderAtStart === undefined || s.term > leaderAtStart.term));
    const healUs = fault.endUs;
    let leaderAfterHealUs: number | undefined;
    if (healUs !== undefined) {
      const atHeal = spanAt(leaders, healUs);
      if (atHeal !== undefined && atHeal.node !== null) leaderAfterHealUs = 0;
      else leaderAfterHealUs = leaders.find((s) => s.startUs > healUs && s.node !== null)?.startUs ?? undefined;
      if (leaderAfterHealUs !== undefined && leaderAfterHealUs !== 0) leaderAfterHealUs -= healUs;
    }
    return { fault, leaderAtStart, nextLeader, newLeaderAfterUs: nextLeader === undefined ? undefined : nextLeader.startUs - fault.startUs, leaderAfterHealUs };
  });
}

/** Spans with no leader, from the leader timeline. */
export function leaderlessWindows(leaders: readonly LeaderSpan[], endUs: number): Window[] {
  const out: Window[] = [];
  leaders.forEach((span, i) => {
    if (span.node === null) out.push({ startUs: span.startUs, endUs: leaders[i + 1]?.startUs ?? endUs });
  });
  return out;
}

/**
 * Gaps in which no operation completed ok for longer than `gapUsMin`: the threshold is the
 * larger of 250 ms and 20 times the median gap, so a slow workload is not called unavailable.
 */
export function unavailabilityWindows(ops: readonly PairedOp[], endUs: number): { windows: Window[]; gapUsMin: number } {
  const okEnds = ops.filter((op) => op.type === 'ok').map((op) => op.endUs).sort((a, b) => a - b);
  const gaps: number[] = [];
  for (let i = 1; i < okEnds.length; i++) gaps.push(okEnds[i]! - okEnds[i - 1]!);
  const median = [...gaps].sort((a, b) => a - b)[Math.floor(gaps.length / 2)] ?? 0;
  const gapUsMin = Math.max(250_000, 20 * median);
  const windows: Window[] = [];
  const firstStart = ops.length === 0 ? 0 : minOf(ops.slice(0, 1000).map((op) => op.startUs));
  const edges = [firstStart, ...okEnds, endUs];
  for (let i = 1; i < edges.length; i++) {
    if (edges[i]! - edges[i - 1]! > gapUsMin) windows.push({ startUs: edges[i - 1]!, endUs: edges[i]! });
  }
  return { windows, gapUsMin };
}

export function counterRows(results: Results): [string, string][] {
  const s = results.stats;
  const rows: [string, string][] = [
    ['operations succeeded / failed / outcome unknown', `${s.ops.ok} / ${s.ops.fail} / ${s.ops.info}`],
    ['messages between members and clients', grouped(s.messages)],
    ['disk syncs (fsync)', s.fsyncs === undefined ? '—' : grouped(s.fsyncs)],
    ['leader changes', String(s.leaderChanges)],
    ['faults injected', String(s.faults)],
    ['simulation events', grouped(s.events)],
    ['simulated time', formatUs(s.simulatedMs * 1000)],
    ['real time the run took', formatUs(s.wallMs * 1000)],
  ];
  const known = new Set(['ops', 'opsByF', 'simulatedMs', 'wallMs', 'events', 'messages', 'fsyncs', 'leaderChanges', 'faults']);
  for (const [name, value] of Object.entries(s)) {
    if (!known.has(name) && (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean')) rows.push([STAT_WORDS[name] ?? inWords(name), String(value)]);
  }
  return rows;
}

/** Statistics by the words a reader knows, not by their field names. */
const STAT_WORDS: Record<string, string> = {
  worldFaults: 'faults the world applied (cuts, crashes, pauses, …)',
  crashes: 'member crashes',
  historyOps: 'history entries (invocations and completions)',
  historyTruncated: 'history cut short at its bound',
};

/** `someFieldName` as "some field name". */
function inWords(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
}

function table(head: string[], rows: string[][]): string {
  const body = rows.map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`).join('');
  return `<table class="data"><thead><tr>${head.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>${body}</tbody></table>`;
}

function leaderName(span: LeaderSpan | undefined): string {
  if (span === undefined) return '—';
  return span.node === null ? `none (term ${span.term})` : `${span.node} (term ${span.term})`;
}

function capped(rows: string[][], rowsMax: number): string[][] {
  return rows.length <= rowsMax ? rows : [...rows.slice(0, rowsMax), [`… ${rows.length - rowsMax} more`]];
}

/** A window's from, to and length, on the history's clock as the page's time axis reads it. */
function windowCells(w: Window): string[] {
  return [formatUs(w.startUs), formatUs(w.endUs), formatUs(w.endUs - w.startUs)];
}

/** The window from 0 is the cluster starting (its first election), not an outage: said, as it read as one. */
function leaderlessCells(w: Window): string[] {
  const cells = windowCells(w);
  return w.startUs === 0 ? [`${cells[0]!} (the cluster starting: its first election)`, ...cells.slice(1)] : cells;
}

/**
 * The unavailability windows' heading, threshold and table: a run's statistics and a checked
 * history's (only a history with times: positions are not time) show the same.
 */
export function unavailabilityPart(ops: readonly PairedOp[], endUs: number, rowsMax: number): string {
  const unavailable = unavailabilityWindows(ops, endUs);
  return `<h3>Unavailability windows</h3>
<p class="muted">Stretches longer than ${escapeHtml(formatUs(unavailable.gapUsMin))} in which no operation completed ok.</p>
${unavailable.windows.length === 0 ? '<p>None.</p>' : table(['from', 'to', 'length'], capped(unavailable.windows.map(windowCells), rowsMax))}`;
}

export function statsSection(results: Results, ops: readonly PairedOp[], endUs: number, rowsMax: number): string {
  const faults = results.faults ?? [];
  const leaders = results.leaders ?? [];
  const byF = Object.entries(results.stats.opsByF ?? {}).map(([f, c]) => [f, String(c.ok), String(c.fail), String(c.info)]);
  const recoveries = faultRecoveries(faults, leaders).map((r) => [
    `${r.fault.kind}: ${r.fault.description}`,
    formatUs(r.fault.startUs),
    r.fault.endUs === undefined ? 'never healed' : formatUs(r.fault.endUs),
    leaderName(r.leaderAtStart),
    r.nextLeader === undefined ? 'kept (no new term)' : `${leaderName(r.nextLeader)} after ${formatUs(r.newLeaderAfterUs ?? 0)}`,
    r.leaderAfterHealUs === undefined ? (r.fault.endUs === undefined ? '—' : 'no leader by the end') : r.leaderAfterHealUs === 0 ? 'had a leader' : formatUs(r.leaderAfterHealUs),
  ]);
  const leaderless = leaderlessWindows(leaders, endUs);
  return `<section id="stats"><h2>Statistics</h2>
<div class="grid2"><div>${table(['counter', 'value'], counterRows(results))}</div>
<div>${byF.length === 0 ? '' : table(['f', 'ok', 'fail', 'info'], byF)}</div></div>
<h3>Time to a leader after each fault</h3>
${recoveries.length === 0 ? '<p class="muted">No faults were injected.</p>' : table(['fault', 'start', 'healed', 'leader at start', 'new leader', 'leader after heal'], capped(recoveries, rowsMax))}
${unavailabilityPart(ops, endUs, rowsMax)}
<h3>Leaderless windows</h3>
${leaderless.length === 0 ? '<p>None recorded.</p>' : table(['from', 'to', 'length'], capped(leaderless.map(leaderlessCells), rowsMax))}
</section>`;
}
