// A checked history's statistics (detcd check --out): what a reader of a history from elsewhere
// asks first: how many ops of each kind, how each ended, and, where the history has times, how
// long the ok ones took. A run's page has its own statistics (stats.ts), which need a run's results.
import { LATENCY_QUANTILES, quantileOf } from './charts.ts';
import { escapeHtml } from './escape.ts';
import type { Outcome, PairedOp } from './paired-ops.ts';
import { unavailabilityPart } from './stats.ts';
import { formatUs } from './svg-kit.ts';

export interface KindStats {
  f: string;
  outcomes: Record<Outcome, number>;
  /** Ascending latencies (µs) of the ok ops; empty for an untimed history. */
  okLatenciesUs: number[];
}

/** Ops by f (sorted by name), with their outcomes and their ok latencies where there are times. */
export function statsByKind(ops: readonly PairedOp[], untimed: boolean): KindStats[] {
  const byF = new Map<string, KindStats>();
  for (const op of ops) {
    let s = byF.get(op.f);
    if (s === undefined) {
      s = { f: op.f, outcomes: { ok: 0, fail: 0, info: 0 }, okLatenciesUs: [] };
      byF.set(op.f, s);
    }
    s.outcomes[op.type]++;
    // An op that never completed has no latency: it "ends" where the history ends.
    if (!untimed && op.type === 'ok') s.okLatenciesUs.push(op.endUs - op.startUs);
  }
  const out = [...byF.values()].sort((a, b) => (a.f < b.f ? -1 : a.f > b.f ? 1 : 0));
  for (const s of out) s.okLatenciesUs.sort((x, y) => x - y);
  return out;
}

function row(cells: string[]): string {
  return `<tr>${cells.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`;
}

/** `endUs`: where the history ends (a last stretch without an ok op is a window too). */
export function historyStatsSection(ops: readonly PairedOp[], untimed: boolean, endUs: number, rowsMax: number): string {
  const kinds = statsByKind(ops, untimed);
  const total = { f: 'all', outcomes: { ok: 0, fail: 0, info: 0 }, okLatenciesUs: [] as number[] };
  for (const k of kinds) {
    for (const o of ['ok', 'fail', 'info'] as const) total.outcomes[o] += k.outcomes[o];
    // One push per value: a spread of a long history's latencies overflows the stack.
    for (const us of k.okLatenciesUs) total.okLatenciesUs.push(us);
  }
  total.okLatenciesUs.sort((x, y) => x - y);
  const quantileHead = untimed ? [] : LATENCY_QUANTILES.map(([name]) => `ok ${name}`);
  const cells = (k: KindStats): string[] => [
    k.f,
    String(k.outcomes.ok + k.outcomes.fail + k.outcomes.info),
    String(k.outcomes.ok),
    String(k.outcomes.fail),
    String(k.outcomes.info),
    ...(untimed ? [] : LATENCY_QUANTILES.map(([, q]) => (k.okLatenciesUs.length === 0 ? '—' : formatUs(quantileOf(k.okLatenciesUs, q))))),
  ];
  const head = ['f', 'ops', 'ok', 'fail', 'info (outcome unknown)', ...quantileHead];
  const rows = [...kinds.map(cells), ...(kinds.length > 1 ? [cells(total)] : [])];
  const note = untimed ? '<p class="muted">The history gives no times: no latencies and no unavailability windows.</p>' : '<p class="muted">Latency from invoke to completion, over the ok operations of each f.</p>';
  // When no op succeeded for a while: what a reader of a history with faults asks next.
  const windows = untimed ? '' : unavailabilityPart(ops, endUs, rowsMax);
  return `<section id="statistics"><h2>Statistics</h2><div class="table-scroll"><table class="data"><thead><tr>${head.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>${rows.map(row).join('')}</tbody></table></div>${note}${windows}</section>`;
}
