// The timeline: one row per client process, each operation a bar from invoke to completion in
// Jepsen's colours, fault intervals shaded behind, and the leader and its term along the top.
// Hovering a bar shows the request and response (the page's script reads data-tip).
import type { FaultInterval, LeaderSpan } from '../run/results.ts';
import { escapeHtml } from './escape.ts';
import { maxOf } from '../array/stack-safe.ts';
import { compactJson, opLabel, responseLabel } from './op-label.ts';
import type { PairedOp } from './paired-ops.ts';
import { ColorByName, faultColors, formatUs, outcomeColor, px, timeTicksUs } from './svg-kit.ts';

export interface TimelineInput {
  ops: readonly PairedOp[];
  /** The axis from startUs (default 0: a run's clock starts with it) to endUs. */
  startUs?: number;
  endUs: number;
  /** Undefined: a history alone, whose faults and leaders nobody recorded (no lanes for them). */
  faults?: readonly FaultInterval[];
  leaders?: readonly LeaderSpan[];
  /** How times read: µs of a clock (default), or positions in a history that gave no times. */
  clock?: TimeLabels;
  tooltipCharsMax: number;
  /** Every op before thinning: ok ops that are not drawn still shade where they happened. */
  allOps?: readonly PairedOp[];
  /** Ops a checker points at, drawn with a dark outline. */
  highlighted: ReadonlySet<number>;
  /** Moments a violation happened (the stale read's return, the invariant's break), drawn as red lines. */
  marks?: readonly TimelineMark[];
}

export interface TimelineMark {
  atUs: number;
  /** Short text at the top of the line, e.g. "✗ raft: election-safety". */
  label: string;
  /** Longer text on hover. */
  tip: string;
}

/** Times on axes and in tooltips: `at` a moment, `span` a duration, `tick` a moment after `t0`. */
export interface TimeLabels {
  at: (us: number) => string;
  span: (us: number) => string;
  tick: (us: number, t0: number) => string;
}

export const microseconds: TimeLabels = { at: formatUs, span: formatUs, tick: (us, t0) => `+${formatUs(us - t0)}` };

/** A history without times: each op at its position in it ("#12"), whole positions only on an axis. */
export const historyPositions: TimeLabels = {
  at: (p) => (Number.isInteger(p) ? `#${p}` : ''),
  span: (p) => `${Math.round(p)} history entries`,
  tick: (p) => (Number.isInteger(p) ? `#${p}` : ''),
};

/** Marks drawn at most (the rest are in the violations sections). */
const MARKS_MAX = 12;

function violationMarks(marks: readonly TimelineMark[], x: (us: number) => number, top: number, bottom: number, clock: TimeLabels): string {
  return marks.slice(0, MARKS_MAX).map((m) => {
    const at = px(x(m.atUs));
    const right = x(m.atUs) > layout.widthPx - 180;
    return `<g class="violation-mark" data-tip="${escapeHtml(`${m.label}\n${clock.at(m.atUs)}\n${m.tip}`)}"><line x1="${at}" x2="${at}" y1="${top}" y2="${bottom}" stroke="#c8102e" stroke-width="2" stroke-dasharray="4 2"/><rect x="${right ? px(x(m.atUs) - 8) : at}" y="${top}" width="8" height="8" fill="#c8102e"/><text x="${px(x(m.atUs) + (right ? -10 : 10))}" y="${top + 8}" font-size="11" font-weight="700" fill="#c8102e" text-anchor="${right ? 'end' : 'start'}">${escapeHtml(m.label)}</text></g>`;
  }).join('');
}

// labelPx holds a liveness probe's row label, "probe p2000024", at 11 px (64 cut its first letters).
const layout = { widthPx: 1160, labelPx: 96, leaderRowPx: 22, faultRowPx: 18, axisPx: 24, gapPx: 6 };
/** Rows shrink when there are many processes (Jepsen retires a process after an info op). */
const rowPxMax = 16;
const rowPxMin = 4;
const rowsHeightPxTarget = 900;

export function opTooltip(op: PairedOp, charsMax: number, clock: TimeLabels = microseconds): string {
  const lines = [
    `process ${String(op.process)} · ${opLabel(op.f, op.request, 80)} · ${op.type}`,
    `${clock.at(op.startUs)} → ${clock.at(op.endUs)} (${clock.span(op.endUs - op.startUs)})${op.node === undefined ? '' : ` · ${op.node}`}`,
    `f: ${op.f}`,
    `request: ${compactJson(op.request, charsMax)}`,
  ];
  if (op.response !== undefined) lines.push(`response: ${responseLabel(op.response, charsMax)}`);
  if (op.error !== undefined) lines.push(`error: ${op.error}`);
  lines.push(`history index ${op.id}${op.completionIndex === null ? '' : ` → ${op.completionIndex}`}`);
  return lines.join('\n');
}

/** A liveness probe of the run's liveness phase: a put of `liveness/<i>` (see sim/run/liveness.ts). */
function isLivenessProbe(op: PairedOp): boolean {
  const key = (op.request as { key?: unknown } | null | undefined)?.key;
  return op.f === 'kv/put' && typeof key === 'string' && Buffer.from(key, 'base64').toString('utf8').startsWith('liveness/');
}

/** The processes whose every operation is a liveness probe: labelled "probe" on the timeline. */
function probeProcesses(ops: readonly PairedOp[]): Set<number | string> {
  const probes = new Set<number | string>();
  const other = new Set<number | string>();
  for (const op of ops) (isLivenessProbe(op) ? probes : other).add(op.process);
  for (const p of other) probes.delete(p);
  return probes;
}

function processOrder(ops: readonly PairedOp[]): (number | string)[] {
  const set = new Set<number | string>();
  for (const op of ops) set.add(op.process);
  return [...set].sort((a, b) => (typeof a === typeof b ? (a < b ? -1 : a > b ? 1 : 0) : typeof a === 'number' ? -1 : 1));
}

function leaderStrip(leaders: readonly LeaderSpan[], startUs: number, endUs: number, x: (us: number) => number, y: number): string {
  const nodes = new ColorByName();
  const parts: string[] = [`<text class="lane" x="${layout.labelPx - 6}" y="${y + 15}" text-anchor="end">leader</text>`];
  leaders.forEach((span, i) => {
    const until = leaders[i + 1]?.startUs ?? endUs;
    // A view that starts after the run's start (at its first request) cuts the spans before it at its left edge.
    if (until <= startUs) return;
    const x0 = x(Math.max(span.startUs, startUs));
    const w = Math.max(1, x(until) - x0);
    const label = span.node === null ? `no leader (term ${span.term})` : `${span.node} · term ${span.term}`;
    const tip = `${label}\n${formatUs(span.startUs)} → ${formatUs(until)}`;
    const fill = span.node === null ? 'url(#noleader)' : nodes.get(span.node);
    parts.push(`<rect class="leader" x="${px(x0)}" y="${y}" width="${px(w)}" height="${layout.leaderRowPx - 2}" fill="${fill}" data-tip="${escapeHtml(tip)}"/>`);
    if (w > label.length * 6.5 + 6) parts.push(`<text class="leader-label${span.node === null ? ' none' : ''}" x="${px(x0 + 4)}" y="${y + 14}">${escapeHtml(label)}</text>`);
  });
  return parts.join('');
}

function faultBands(faults: readonly FaultInterval[], startUs: number, endUs: number, x: (us: number) => number, laneY: number, bottomY: number): string {
  const kinds = faultColors(faults.map((f) => f.kind));
  const parts: string[] = [`<text class="lane" x="${layout.labelPx - 6}" y="${laneY + 13}" text-anchor="end">faults</text>`];
  for (const fault of faults) {
    if ((fault.endUs ?? endUs) < startUs) continue;
    const x0 = x(Math.max(fault.startUs, startUs));
    const w = Math.max(2, x(fault.endUs ?? endUs) - x0);
    const color = kinds.get(fault.kind) ?? '#999';
    const tip = `${fault.kind}: ${fault.description}\n${formatUs(fault.startUs)} → ${fault.endUs === undefined ? 'end of run' : formatUs(fault.endUs)}${fault.targets === undefined ? '' : `\ntargets: ${fault.targets.join(', ')}`}`;
    parts.push(`<rect class="fault-band" x="${px(x0)}" y="${laneY}" width="${px(w)}" height="${px(bottomY - laneY)}" fill="${color}" fill-opacity="0.13"/>`);
    parts.push(`<rect class="fault" x="${px(x0)}" y="${laneY}" width="${px(w)}" height="${layout.faultRowPx - 4}" fill="${color}" fill-opacity="0.75" data-tip="${escapeHtml(tip)}"/>`);
    const label = fault.targets === undefined || fault.targets.length === 0 ? fault.kind : `${fault.kind} ${fault.targets.join(',')}`;
    if (w > label.length * 6.5 + 6) parts.push(`<text class="fault-label" x="${px(x0 + 3)}" y="${laneY + 11}">${escapeHtml(label)}</text>`);
    else if (w > fault.kind.length * 6.5 + 6) parts.push(`<text class="fault-label" x="${px(x0 + 3)}" y="${laneY + 11}">${escapeHtml(fault.kind)}</text>`);
  }
  return parts.join('');
}

function axis(startUs: number, endUs: number, x: (us: number) => number, top: number, bottom: number, clock: TimeLabels): string {
  return timeTicksUs(endUs - startUs, 12)
    .map((t) => t + startUs)
    .filter((t) => clock.at(t) !== '')
    // A tick at the right edge ends there: centred on it, its label ran past the picture ("1.518" of "1.518 s").
    .map((t) => `<line class="grid" x1="${px(x(t))}" x2="${px(x(t))}" y1="${top}" y2="${bottom}"/><text class="tick" x="${px(x(t))}" y="${bottom + 14}" text-anchor="${x(t) > layout.widthPx - 40 ? 'end' : 'middle'}">${escapeHtml(clock.at(t))}</text>`)
    .join('');
}

/**
 * Where each process had ok operations, as merged runs of pixel columns: thinning drops most ok
 * bars of a big run, and without this band the kept fail bars would look like the majority.
 */
function okCoverage(ops: readonly PairedOp[], processes: readonly (number | string)[], x: (us: number) => number, yOf: (p: number | string) => number, heightPx: number): string {
  const columns = new Map<number | string, Set<number>>(processes.map((p) => [p, new Set<number>()]));
  for (const op of ops) {
    if (op.type !== 'ok') continue;
    const set = columns.get(op.process);
    if (set === undefined) continue;
    const last = Math.floor(x(op.endUs));
    for (let c = Math.floor(x(op.startUs)); c <= last; c++) set.add(c);
  }
  const parts: string[] = [];
  for (const [process, set] of columns) {
    const sorted = [...set].sort((a, b) => a - b);
    let i = 0;
    while (i < sorted.length) {
      let j = i;
      while (j + 1 < sorted.length && sorted[j + 1]! <= sorted[j]! + 1) j++;
      parts.push(`<rect class="ok-cover" x="${sorted[i]!}" y="${px(yOf(process))}" width="${sorted[j]! - sorted[i]! + 1}" height="${px(heightPx)}"/>`);
      i = j + 1;
    }
  }
  return parts.join('');
}

/** The fault bands' key: each kind's colour, what it hit and when (the bands are too thin to say it). */
export function faultLegendHtml(faults: readonly FaultInterval[]): string {
  if (faults.length === 0) return '';
  const kinds = faultColors(faults.map((f) => f.kind));
  const items = faults.map((f) => {
    const color = kinds.get(f.kind) ?? '#999';
    const targets = f.targets === undefined || f.targets.length === 0 ? '' : ` on ${f.targets.join(', ')}`;
    return `<li><span class="sw" style="background:${color}"></span>${escapeHtml(f.description)}${escapeHtml(targets)}: ${escapeHtml(formatUs(f.startUs))} → ${f.endUs === undefined ? 'end of run' : escapeHtml(formatUs(f.endUs))}</li>`;
  });
  return `<div class="legend fault-legend"><b>faults</b> (shaded bands; rows labelled "probe" are the liveness phase's probes)<ul>${items.join('')}</ul></div>`;
}

export function timelineSvg(input: TimelineInput): string {
  const clock = input.clock ?? microseconds;
  const processes = processOrder(input.allOps ?? input.ops);
  const startUs = input.startUs ?? 0;
  // A run's end is whole ms of simulated time; the mark of a violation that stopped it may fall in that ms after it (past the picture).
  const endUs = maxOf((input.marks ?? []).map((m) => m.atUs), Math.max(input.endUs, startUs + 1));
  const plotPx = layout.widthPx - layout.labelPx - 8;
  const x = (us: number): number => layout.labelPx + ((us - startUs) / (endUs - startUs)) * plotPx;
  const leaderY = 0;
  // A history alone has no leader row; the fault row's height stays for the violation marks' labels.
  const faultY = input.leaders === undefined ? 0 : layout.leaderRowPx + 2;
  const rowsY = faultY + layout.faultRowPx + layout.gapPx;
  const rowPx = Math.max(rowPxMin, Math.min(rowPxMax, Math.floor(rowsHeightPxTarget / Math.max(processes.length, 1))));
  const labelEvery = Math.ceil(12 / rowPx);
  const rowsBottom = rowsY + processes.length * rowPx;
  const height = rowsBottom + layout.axisPx;
  const rowOf = new Map(processes.map((p, i) => [p, i]));
  const probes = probeProcesses(input.allOps ?? input.ops);
  const rowLabel = (p: number | string): string => `${probes.has(p) ? 'probe ' : ''}${typeof p === 'number' ? `p${p}` : p}`;
  const rows = processes.map((p, i) => (i % labelEvery !== 0 ? '' : `<text class="lane" x="${layout.labelPx - 6}" y="${rowsY + i * rowPx + Math.min(12, rowPx)}" text-anchor="end">${escapeHtml(rowLabel(p))}</text>`));
  const barY = (p: number | string): number => rowsY + (rowOf.get(p) ?? 0) * rowPx + (rowPx > 8 ? 2 : 0.5);
  const barHeightPx = rowPx > 8 ? rowPx - 4 : rowPx - 1;
  const cover = okCoverage(input.allOps ?? [], processes, x, barY, barHeightPx);
  const bars = input.ops.map((op) => {
    const x0 = x(op.startUs);
    const w = Math.max(2, x(op.endUs) - x0);
    const y = barY(op.process);
    const mark = input.highlighted.has(op.id) ? ' mark' : '';
    return `<rect class="op ${op.type}${mark}" x="${px(x0)}" y="${y}" width="${px(w)}" height="${barHeightPx}" data-tip="${escapeHtml(opTooltip(op, input.tooltipCharsMax, clock))}"/>`;
  });
  return [
    `<svg class="timeline" id="timeline-svg" data-left="${layout.labelPx}" data-width="${layout.widthPx}" xmlns="http://www.w3.org/2000/svg" width="${layout.widthPx}" height="${height}" viewBox="0 0 ${layout.widthPx} ${height}" role="img" aria-label="timeline of operations per client">`,
    '<defs><pattern id="noleader" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#eee"/><line x1="0" y1="0" x2="0" y2="6" stroke="#bbb" stroke-width="3"/></pattern></defs>',
    `<style>.op.ok{fill:${outcomeColor.ok}}.op.info{fill:${outcomeColor.info}}.op.fail{fill:${outcomeColor.fail}}.op.mark{stroke:#222;stroke-width:1.5}.ok-cover{fill:${outcomeColor.ok};fill-opacity:.35}</style>`,
    axis(startUs, endUs, x, faultY, rowsBottom, clock),
    input.leaders === undefined ? '' : leaderStrip(input.leaders, startUs, endUs, x, leaderY),
    input.faults === undefined ? '' : faultBands(input.faults, startUs, endUs, x, faultY, rowsBottom),
    ...rows,
    cover,
    ...bars,
    violationMarks(input.marks ?? [], x, faultY, rowsBottom, clock),
    '</svg>',
  ].join('');
}
