// The linearizability counterexample, drawn as Porcupine draws it: per partition (key), the
// operations as bars per client, the longest linearizable prefix in order with its
// linearization points joined by a line, the operation that cannot follow in red, the
// operations concurrent with it in amber, and the model's state where the search stopped.
import { escapeHtml, truncate } from './escape.ts';
import { partitionName } from './partition-name.ts';
import { compactJson, fitLabel, opLabel, responseLabel } from './op-label.ts';
import type { PairedHistory, PairedOp } from './paired-ops.ts';
import { px } from './svg-kit.ts';
import { microseconds, opTooltip, type TimeLabels } from './timeline.ts';
import { minOf, pushAll } from '../array/stack-safe.ts';

/**
 * What the report expects from the linearizability checker, per partition that is not
 * linearizable. Operations are named by the history index of their invoke (the index of the
 * completion is accepted too).
 */
export interface LinearizabilityExplanation {
  /** The partition, e.g. the key (decoded text). */
  partition: string;
  /** The longest linearizable prefix, in linearization order. */
  prefix: number[];
  /** Optional: the model state after each prefix op (same length as prefix). */
  states?: unknown[];
  /** The operation that cannot be linearized after the prefix (absent if none could be named). */
  failed?: number;
  /** The model state at the end of the prefix, which `failed` cannot follow. */
  state: unknown;
  /** Operations concurrent with `failed` that are not in the prefix. */
  concurrent: number[];
  /** Why it cannot follow, e.g. "read saw 3 but the register holds 2". */
  reason?: string;
  /** The model's own one-line rendering of ops, by history index (shown instead of ours). */
  labels?: Record<number, string>;
  /** Prefix ops with an unknown outcome that the search linearized as never taking effect. */
  skipped?: number[];
  /** Concurrent ops the model would accept next in `state` (the rest it would not). */
  legal?: number[];
  /** The ops that cannot be placed after the prefix, each with why (the culprits, e.g. a stale read). */
  unplaceable?: UnplaceableExplained[];
  /** The partition's ops around the violation, drawn on the time axis too. */
  window?: number[];
  /** How many ops the failing partition has. */
  partitionOps?: number;
  /** An op whose answer contradicts the others outright, whatever the ops of unknown outcome did, and why. */
  contradiction?: { index: number; op: string; reason: string };
}

/** One op that cannot be placed: what it had to follow, the state there, expected vs returned. */
export interface UnplaceableExplained {
  index: number;
  /** History indices of the ops that completed before it was invoked (placed before it). */
  after: number[];
  stateBefore: string;
  expected?: unknown;
  returned?: unknown;
  differences: { path: string; expected: string; returned: string }[];
  reason: string;
}

function isUnplaceable(v: unknown): v is UnplaceableExplained {
  if (v === null || typeof v !== 'object') return false;
  const u = v as Record<string, unknown>;
  return typeof u['index'] === 'number' && Array.isArray(u['after']) && typeof u['stateBefore'] === 'string' && Array.isArray(u['differences']) && typeof u['reason'] === 'string';
}

interface CheckerExplainedOp {
  index: number;
  op: string;
}

function isExplainedOp(v: unknown): v is CheckerExplainedOp {
  return v !== null && typeof v === 'object' && typeof (v as Record<string, unknown>)['index'] === 'number' && typeof (v as Record<string, unknown>)['op'] === 'string';
}

/**
 * The checker in sim/check/linearizability names ops as objects ({index, process, op, unknown,
 * skipped|legal}) and the blocked op as `blocked`; this reads that shape structurally, so the
 * report does not depend on the checker's module.
 */
export function fromCheckerExplanation(v: unknown): LinearizabilityExplanation | undefined {
  if (v === null || typeof v !== 'object') return undefined;
  const e = v as Record<string, unknown>;
  const prefix = e['prefix'];
  const concurrent = e['concurrent'];
  if (typeof e['partition'] !== 'string' || !Array.isArray(prefix) || !Array.isArray(concurrent)) return undefined;
  if (!prefix.every(isExplainedOp) || !concurrent.every(isExplainedOp)) return undefined;
  const blocked = isExplainedOp(e['blocked']) ? e['blocked'] : undefined;
  const labels: Record<number, string> = {};
  for (const op of [...prefix, ...concurrent, ...(blocked === undefined ? [] : [blocked])]) labels[op.index] = op.op;
  const out: LinearizabilityExplanation = {
    partition: e['partition'],
    prefix: prefix.map((op) => op.index),
    state: e['state'],
    concurrent: concurrent.map((op) => op.index).filter((i) => i !== blocked?.index),
    labels,
    skipped: prefix.filter((op) => (op as unknown as Record<string, unknown>)['skipped'] === true).map((op) => op.index),
    legal: concurrent.filter((op) => (op as unknown as Record<string, unknown>)['legal'] === true).map((op) => op.index),
  };
  if (blocked !== undefined) out.failed = blocked.index;
  const unplaceable = e['unplaceable'];
  if (Array.isArray(unplaceable)) {
    out.unplaceable = unplaceable.filter(isUnplaceable);
    for (const u of unplaceable) if (isExplainedOp(u)) labels[u.index] = u.op;
  }
  if (isNumberArray(e['window'])) out.window = e['window'];
  if (typeof e['partitionOps'] === 'number') out.partitionOps = e['partitionOps'];
  const c = e['contradiction'];
  if (isExplainedOp(c) && typeof (c as unknown as Record<string, unknown>)['reason'] === 'string') {
    out.contradiction = { index: c.index, op: c.op, reason: (c as unknown as Record<string, string>)['reason']! };
    labels[c.index] = c.op;
  }
  return out;
}

function isNumberArray(v: unknown): v is number[] {
  return Array.isArray(v) && v.every((n) => typeof n === 'number');
}

export function isLinearizabilityExplanation(v: unknown): v is LinearizabilityExplanation {
  if (v === null || typeof v !== 'object') return false;
  const e = v as Record<string, unknown>;
  return typeof e['partition'] === 'string' && isNumberArray(e['prefix']) && (e['failed'] === undefined || typeof e['failed'] === 'number') && isNumberArray(e['concurrent']) && 'state' in e;
}

function asExplanation(v: unknown): LinearizabilityExplanation | undefined {
  return isLinearizabilityExplanation(v) ? v : fromCheckerExplanation(v);
}

/**
 * Finds explanations in checker results: an `explanation` field or an `explanations` (or
 * `counterexamples`) array, in either this module's shape or the checker's.
 */
export function findExplanations(checkers: Record<string, unknown>): LinearizabilityExplanation[] {
  const out: LinearizabilityExplanation[] = [];
  for (const result of Object.values(checkers)) {
    if (result === null || typeof result !== 'object') continue;
    const r = result as Record<string, unknown>;
    const candidates: unknown[] = [r['explanation']];
    for (const field of ['explanations', 'counterexamples']) {
      const list = r[field];
      if (Array.isArray(list)) pushAll(candidates, list as unknown[]);
    }
    for (const c of candidates) {
      const e = asExplanation(c);
      if (e !== undefined) out.push(e);
    }
  }
  return out;
}

/** Ops of an explanation that must stay visible everywhere (timeline thinning keeps them). */
export function explanationOpIds(e: LinearizabilityExplanation, history: PairedHistory, stepsMax: number): number[] {
  const culprits = (e.unplaceable ?? []).flatMap((u) => [u.index, ...u.after]);
  const ids = [...e.prefix.slice(-stepsMax), ...(e.failed === undefined ? [] : [e.failed]), ...e.concurrent, ...culprits];
  return ids.map((i) => history.byIndex.get(i)?.id).filter((id): id is number => id !== undefined);
}

interface Drawn {
  op: PairedOp;
  /** prefix: linearized; failed: cannot be placed; before: had to precede it; concurrent: could come next; other: the partition's other ops nearby. */
  role: 'prefix' | 'failed' | 'before' | 'concurrent' | 'other';
  step?: number;
}

/** The ops that cannot be placed: the checker's culprits, else the op the search stopped at. */
function failedIndices(e: LinearizabilityExplanation): number[] {
  const culprits = [...(e.contradiction === undefined ? [] : [e.contradiction.index]), ...(e.unplaceable ?? []).map((u) => u.index)];
  if (culprits.length > 0) return culprits;
  return e.failed === undefined ? [] : [e.failed];
}

function drawnOps(e: LinearizabilityExplanation, history: PairedHistory, stepsMax: number): Drawn[] {
  const out: Drawn[] = [];
  const seen = new Set<PairedOp>();
  const add = (index: number, role: Drawn['role'], step?: number): void => {
    const op = history.byIndex.get(index);
    if (op === undefined || seen.has(op)) return;
    seen.add(op);
    out.push(step === undefined ? { op, role } : { op, role, step });
  };
  for (const index of failedIndices(e)) add(index, 'failed');
  const first = Math.max(0, e.prefix.length - stepsMax);
  e.prefix.slice(first).forEach((index, i) => add(index, 'prefix', first + i + 1));
  for (const u of e.unplaceable ?? []) for (const index of u.after) add(index, 'before');
  if (e.failed !== undefined) add(e.failed, 'concurrent');
  for (const index of e.concurrent) add(index, 'concurrent');
  for (const index of e.window ?? []) add(index, 'other');
  // Prefix first (in order), then the rest: the linearization line is drawn through the prefix.
  const rank = { prefix: 0, before: 1, concurrent: 2, other: 3, failed: 4 } as const;
  return out.sort((a, b) => rank[a.role] - rank[b.role] || (a.step ?? 0) - (b.step ?? 0) || a.op.startUs - b.op.startUs);
}

const roleColor = { prefix: '#8CD790', failed: '#F2617A', before: '#7FB2F0', concurrent: '#FFC247', other: '#D5D9E0' } as const;

function explanationSvg(e: LinearizabilityExplanation, drawn: readonly Drawn[], charsMax: number, clock: TimeLabels): string {
  if (drawn.length === 0) return '<p class="muted">The operations named by the checker are not in the history.</p>';
  const t0 = minOf(drawn.map((d) => d.op.startUs));
  const processes = [...new Set(drawn.map((d) => d.op.process))].sort((a, b) => String(a).localeCompare(String(b), 'en', { numeric: true }));
  const row = new Map(processes.map((p, i) => [p, i]));
  // Time is drawn as Porcupine draws it: ordinal, one slot per distinct invoke or completion
  // instant, so overlap (what linearizability is about) is visible however short the ops are.
  const instants = [...new Set(drawn.flatMap((d) => [d.op.startUs, d.op.endUs]))].sort((a, b) => a - b);
  const slot = new Map(instants.map((t, i) => [t, i]));
  const labelPx = 64;
  const rowPx = 30;
  const slotPx = Math.max(10, Math.min(80, 1040 / Math.max(instants.length - 1, 1)));
  const widthPx = Math.max(600, labelPx + (instants.length - 1) * slotPx + 30);
  const x = (us: number): number => labelPx + 8 + (slot.get(us) ?? 0) * slotPx;
  const height = processes.length * rowPx + 30;
  const parts: string[] = [];
  const tickEvery = Math.max(1, Math.ceil(instants.length / 8));
  const lastIndex = instants.length - 1;
  instants.forEach((t, i) => {
    // The last instant gets a tick of its own only when it does not crowd the previous one.
    const regular = i % tickEvery === 0;
    const last = i === lastIndex && (lastIndex % tickEvery) * slotPx >= 70;
    if (!regular && !last) return;
    parts.push(`<line class="grid" x1="${px(x(t))}" x2="${px(x(t))}" y1="0" y2="${height - 24}"/><text class="tick" x="${px(x(t))}" y="${height - 8}" text-anchor="middle">${escapeHtml(clock.tick(t, t0))}</text>`);
  });
  processes.forEach((p, i) => parts.push(`<text class="lane" x="${labelPx - 6}" y="${i * rowPx + 19}" text-anchor="end">${escapeHtml(typeof p === 'number' ? `p${p}` : p)}</text>`));
  const points: string[] = [];
  let lastPointUs = t0;
  for (const d of drawn) {
    const y = (row.get(d.op.process) ?? 0) * rowPx + 4;
    const x0 = x(d.op.startUs);
    const w = Math.max(3, x(d.op.endUs) - x0);
    const tip = `${roleText(e, d)}\nmodel: ${label(e, d.op, charsMax)}\n${opTooltip(d.op, charsMax, clock)}`;
    parts.push(`<rect class="cx ${d.role}" x="${px(x0)}" y="${y}" width="${px(w)}" height="${rowPx - 8}" rx="3" fill="${roleColor[d.role]}" data-tip="${escapeHtml(tip)}"/>`);
    // Bars carry our short label; the model's own rendering (with the response) is in the tooltip.
    const text = d.role === 'prefix' ? `${d.step ?? 0}. ${opLabel(d.op.f, d.op.request, 40)}` : d.role === 'failed' ? `✗ ${opLabel(d.op.f, d.op.request, 40)}` : opLabel(d.op.f, d.op.request, 40);
    if (d.role === 'failed' && w < text.length * 6.2 + 8) {
      // The culprit's name is the one label a reader must see: beside its bar when it does not fit in it.
      const left = x0 > widthPx / 2;
      parts.push(`<text class="cx-label cx-failed-label" x="${px(left ? x0 - 4 : x0 + w + 4)}" y="${y + 15}" text-anchor="${left ? 'end' : 'start'}" font-weight="700" fill="#7a0019">${escapeHtml(text)}</text>`);
    } else if (w > 24) parts.push(`<text class="cx-label" x="${px(x0 + (d.role === 'prefix' ? 9 : 4))}" y="${y + 15}">${escapeHtml(fitLabel(text, Math.floor((w - 6) / 6.2)))}</text>`);
    if (d.role === 'prefix') {
      // A linearization point no earlier than the previous one and inside the op's interval.
      lastPointUs = Math.min(Math.max(lastPointUs, d.op.startUs), d.op.endUs);
      const pointX = d.op.startUs === d.op.endUs ? x0 + w / 2 : Math.min(Math.max(x(lastPointUs), x0 + 2), x0 + w - 2);
      points.push(`${px(pointX)},${y + (rowPx - 8) / 2}`);
    }
  }
  if (points.length > 1) parts.push(`<polyline class="lin-path" points="${points.join(' ')}"/>`);
  for (const p of points) {
    const [cx, cy] = p.split(',');
    parts.push(`<circle class="lin-point" cx="${cx}" cy="${cy}" r="3"/>`);
  }
  return `<svg class="counterexample" xmlns="http://www.w3.org/2000/svg" width="${widthPx}" height="${height}" viewBox="0 0 ${widthPx} ${height}" role="img" aria-label="linearizability counterexample">${parts.join('')}</svg>`;
}

function modelView(e: LinearizabilityExplanation, op: PairedOp, charsMax: number): string {
  const own = e.labels?.[op.id];
  return own === undefined ? '' : `<div class="muted mono">model: ${escapeHtml(truncate(own, charsMax))}</div>`;
}

function roleText(e: LinearizabilityExplanation, d: Drawn): string {
  if (d.role === 'prefix') return `step ${d.step ?? 0}${e.skipped?.includes(d.op.id) ? ' (unknown outcome: never took effect)' : ''}`;
  if (d.role === 'failed') return '✗ cannot be placed';
  if (d.role === 'before') return 'completed before it was invoked';
  if (d.role === 'other') return 'same partition, nearby';
  if (e.legal === undefined) return 'concurrent';
  return e.legal.includes(d.op.id) ? 'concurrent (legal next)' : 'concurrent (illegal next)';
}

function stepsTable(e: LinearizabilityExplanation, drawn: readonly Drawn[], charsMax: number): string {
  const rows = drawn.map((d) => {
    const stateAfter = d.role === 'prefix' && d.step !== undefined && e.states !== undefined ? compactJson(e.states[d.step - 1], charsMax) : '';
    return `<tr class="${d.role}"><td>${escapeHtml(roleText(e, d))}</td><td>${escapeHtml(String(d.op.process))}</td><td>${escapeHtml(opLabel(d.op.f, d.op.request, 80))}${modelView(e, d.op, charsMax)}</td><td>${escapeHtml(d.op.type)}</td><td class="mono">${escapeHtml(d.op.error ?? responseLabel(d.op.response, charsMax))}</td><td class="mono">${escapeHtml(stateAfter)}</td></tr>`;
  });
  return `<table class="data"><thead><tr><th>step</th><th>process</th><th>operation</th><th>outcome</th><th>response</th><th>state after</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function label(e: LinearizabilityExplanation, op: PairedOp, charsMax: number): string {
  const own = e.labels?.[op.id] ?? (op.completionIndex === null ? undefined : e.labels?.[op.completionIndex]);
  return own ?? opLabel(op.f, op.request, charsMax);
}

function failedText(e: LinearizabilityExplanation, failed: PairedOp | undefined): string {
  if (failed !== undefined) return `${opLabel(failed.f, failed.request, 80)} by process ${String(failed.process)}`;
  if (e.failed === undefined) return 'no further operation';
  return e.labels?.[e.failed] ?? `op #${e.failed}`;
}

/**
 * The checker names the op that must be linearized next (earliest completion). When the model
 * would accept that op on its own, the trouble is the overlapping ops together: say so.
 */
function stuckText(e: LinearizabilityExplanation, failed: PairedOp | undefined): string {
  const name = `<b class="bad">${escapeHtml(failedText(e, failed))}</b>`;
  if (e.failed !== undefined && e.legal?.includes(e.failed) === true) {
    return `then no order of the overlapping operations fits the model: ${name} must take effect by its completion, and whichever way it is ordered with the ops concurrent with it, one of them is illegal.`;
  }
  return `then ${name} cannot follow.`;
}

/** "the history" (one partition) or "key x". */

function opWhen(op: PairedOp, clock: TimeLabels): string {
  return `invoked at ${clock.at(op.startUs)}, ${op.type === 'info' ? 'outcome unknown' : `returned at ${clock.at(op.endUs)}`}`;
}

function culpritCard(e: LinearizabilityExplanation, u: UnplaceableExplained, history: PairedHistory, charsMax: number, clock: TimeLabels): string {
  const op = history.byIndex.get(u.index);
  const name = op === undefined ? (e.labels?.[u.index] ?? `op #${u.index}`) : `${opLabel(op.f, op.request, 80)} → ${op.error ?? responseLabel(op.response, 80)}`;
  const who = op === undefined ? `history index ${u.index}` : `process ${String(op.process)}, history index ${u.index}, ${opWhen(op, clock)}`;
  const afterOps = u.after.map((i) => history.byIndex.get(i)).filter((o): o is PairedOp => o !== undefined);
  const shown = afterOps.slice(-3);
  const follow = afterOps.length === 0
    ? 'It cannot follow the linearizable prefix.'
    : `It was invoked after ${shown.map((o) => `<b>${escapeHtml(opLabel(o.f, o.request, 60))}</b> (process ${escapeHtml(String(o.process))}, returned at ${escapeHtml(clock.at(o.endUs))})`).join(', ')}${afterOps.length > shown.length ? ` and ${afterOps.length - shown.length} more` : ''} completed, so it must follow ${afterOps.length === 1 ? 'it' : 'them'}.`;
  const rows = u.differences.map((d) => `<tr><td class="mono">${escapeHtml(d.path === '' ? '(answer)' : d.path)}</td><td class="mono">${escapeHtml(truncate(d.expected, charsMax))}</td><td class="mono bad">${escapeHtml(truncate(d.returned, charsMax))}</td></tr>`);
  const table = rows.length === 0 ? '' : `<table class="data why"><thead><tr><th>field</th><th>the model expected</th><th>the op returned</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
  const full = u.expected === undefined && u.returned === undefined ? '' : `<details><summary>whole answers</summary><p>expected <code class="state">${escapeHtml(compactJson(u.expected, 2000))}</code></p><p>returned <code class="state">${escapeHtml(compactJson(u.returned, 2000))}</code></p></details>`;
  return `<div class="culprit"><p class="reason"><b class="bad">✗ ${escapeHtml(name)}</b> cannot be placed <span class="muted">(${escapeHtml(who)})</span></p>
<p>${follow} There the model is in state <code class="state">${escapeHtml(truncate(u.stateBefore, 600))}</code></p>${table}${full}</div>`;
}

function contradictionCard(c: { index: number; op: string; reason: string }, history: PairedHistory, clock: TimeLabels): string {
  const op = history.byIndex.get(c.index);
  const who = op === undefined ? `history index ${c.index}` : `process ${String(op.process)}, history index ${c.index}, ${opWhen(op, clock)}`;
  return `<div class="culprit"><p class="reason"><b class="bad">✗ ${escapeHtml(c.op)}</b> cannot be placed <span class="muted">(${escapeHtml(who)})</span></p>
<p>${escapeHtml(c.reason)}. No order of the other operations, whatever those of unknown outcome did, can explain this answer.</p></div>`;
}

/** `clock`: how the history's times read (positions, for a history that gave none). */
export function counterexampleSection(explanations: readonly LinearizabilityExplanation[], history: PairedHistory, limits: { counterexampleStepsMax: number; partitionsMax: number; tooltipCharsMax: number }, clock: TimeLabels = microseconds): string {
  if (explanations.length === 0) return '';
  const cards = explanations.slice(0, limits.partitionsMax).map((e) => {
    const drawn = drawnOps(e, history, limits.counterexampleStepsMax);
    const failed = e.failed === undefined ? undefined : history.byIndex.get(e.failed);
    const shown = Math.min(e.prefix.length, limits.counterexampleStepsMax);
    const culprits = e.unplaceable ?? [];
    const title = partitionName(e.partition);
    const c = e.contradiction;
    const verdict = c !== undefined ? ': an answer contradicts the others' : culprits.length === 0 ? '' : `: ${culprits.length} operation${culprits.length === 1 ? '' : 's'} cannot be placed`;
    const heading = `${title.charAt(0).toUpperCase()}${title.slice(1)} is not linearizable${verdict}`;
    const why = culprits.length > 0
      ? culprits.map((u) => culpritCard(e, u, history, limits.tooltipCharsMax, clock)).join('')
      : `<p class="reason">${stuckText(e, failed)}${failed === undefined ? '' : modelView(e, failed, 300)}</p>`;
    // A contradiction names the op to blame outright; the search's culprits are only where it
    // stopped looking for a prefix to show, so they come after it.
    const cHtml = c === undefined ? '' : contradictionCard(c, history, clock);
    return `<div class="card cx-card">
<h3>${escapeHtml(heading)}</h3>
${cHtml}${c === undefined ? '' : '<p class="muted">Where the search for a linearizable prefix to show stopped:</p>'}
${why}
${e.reason === undefined ? '' : `<p class="reason">${escapeHtml(e.reason)}</p>`}
<p>The longest linearizable prefix has <b>${e.prefix.length}</b> operation${e.prefix.length === 1 ? '' : 's'}${e.partitionOps === undefined ? '' : ` of the ${e.partitionOps} in ${escapeHtml(title)}`}${shown < e.prefix.length ? ` (the last ${shown} are drawn)` : ''}; the model state after it: <code class="state">${escapeHtml(typeof e.state === 'string' ? e.state : compactJson(e.state, 600))}</code></p>
<div class="legend"><span class="sw" style="background:${roleColor.prefix}"></span>linearizable prefix (numbered, dots at linearization points) <span class="sw" style="background:${roleColor.failed}"></span>cannot be placed <span class="sw" style="background:${roleColor.before}"></span>completed before it was invoked <span class="sw" style="background:${roleColor.concurrent}"></span>could come next <span class="sw" style="background:${roleColor.other}"></span>other ops nearby</div>
<div class="scroll">${explanationSvg(e, drawn, limits.tooltipCharsMax, clock)}</div>
<details><summary>steps, responses and states</summary>${stepsTable(e, drawn, limits.tooltipCharsMax)}</details>
</div>`;
  });
  const more = explanations.length > limits.partitionsMax ? `<p class="muted">${explanations.length - limits.partitionsMax} more partitions are not shown.</p>` : '';
  return `<section id="counterexample"><h2>Linearizability counterexample</h2>${cards.join('\n')}${more}</section>`;
}
