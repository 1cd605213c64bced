// The parts of a report page drawn from a checked history, shared by a run's page and a checked
// history's (detcd check --out): the verdict banner and checker cards, then the timeline, the
// counterexample, the violations and the latency and throughput charts.
import type { CheckResult, Validity } from '../check/verdict.ts';
import type { WatchRecord } from '../history/op.ts';
import type { FaultInterval, LeaderSpan } from '../run/results.ts';
import type { RunStop } from '../run/run-stop.ts';
import { count } from '../text/count.ts';
import { chartWindow, latencyQuantilesSvg, latencySvg, throughputSvg } from './charts.ts';
import { counterexampleSection, explanationOpIds, type LinearizabilityExplanation } from './counterexample.ts';
import { decisiveCheckers } from './decisive-checkers.ts';
import { escapeHtml, truncate } from './escape.ts';
import { invariantSection, stopHeadline } from './invariant-section.ts';
import type { ReportLimits } from './limits.ts';
import { opLabel } from './op-label.ts';
import { zoomButtons } from './page.ts';
import type { PairedHistory, PairedOp } from './paired-ops.ts';
import { verdictWord } from './run-summary.ts';
import { formatUs, outcomeColor } from './svg-kit.ts';
import { thinLatency, thinTimeline } from './thin.ts';
import { faultLegendHtml, historyPositions, microseconds, timelineSvg, type TimeLabels, type TimelineMark } from './timeline.ts';
import { violationsSection } from './violations.ts';
import { maxOf, minOf } from '../array/stack-safe.ts';

/** What a verdict is told from: the checkers, and a run's stop and error where there are. */
export interface VerdictOf {
  valid: Validity;
  checkers: Record<string, CheckResult>;
  stop?: RunStop;
  error?: string;
}

/** Characters of one checker's reason in the verdict banner (the sections below have the rest). */
const BANNER_REASON_CHARS_MAX = 400;

export function verdictBanner(v: VerdictOf): string {
  const word = verdictWord(v.valid);
  const stop = v.stop;
  // The banner says why the verdict is what it is (decisive-checkers.ts); the table has the rest.
  const failing = decisiveCheckers(v.valid, v.checkers);
  const reason = (name: string, summary: string | undefined, valid: Validity): string =>
    stop !== undefined && stop.checker === name ? `${stopHeadline(stop)}: ${stop.detail}` : `${name}: ${summary ?? verdictWord(valid)}`;
  const why = failing.length === 0 ? 'every checker passed' : failing.map(([name, c]) => truncate(reason(name, c.summary, c.valid), BANNER_REASON_CHARS_MAX)).join(' · ');
  const headline = { valid: 'VALID', invalid: 'INVALID', unknown: 'UNKNOWN' }[word];
  // The run's error is shown when no checker already says it (a broken invariant is its checker's reason).
  const error = v.error === undefined || stop !== undefined ? '' : `<br>${escapeHtml(truncate(v.error, BANNER_REASON_CHARS_MAX))}`;
  return `<div class="verdict ${word}" id="verdict"><div class="word">${headline}</div><div class="why" style="overflow-wrap:anywhere;min-width:0">${escapeHtml(why)}${error}</div></div>`;
}

function badge(valid: Validity, nothing = false): string {
  const word = verdictWord(valid);
  return nothing ? `<span class="badge ${word} nothing">nothing to check</span>` : `<span class="badge ${word}">${word}</span>`;
}

/** Characters of a checker's summary on its card: a summary holding a whole answer made one card a page tall. */
const CARD_SUMMARY_CHARS_MAX = 300;

export function checkerCards(checkers: Record<string, CheckResult>): string {
  const cards = Object.entries(checkers).map(([name, c]) => `<div class="checker ${verdictWord(c.valid)}${c.nothing === true ? ' nothing' : ''}"><div class="name">${escapeHtml(name)}${badge(c.valid, c.nothing === true)}</div>${c.summary === undefined ? '' : `<div class="summary">${escapeHtml(truncate(c.summary, CARD_SUMMARY_CHARS_MAX))}</div>`}</div>`);
  return `<div class="checkers" id="checkers">${cards.join('')}</div>`;
}

function forcedOps(checkers: Record<string, CheckResult>, history: PairedHistory, explanations: readonly LinearizabilityExplanation[], limits: ReportLimits): Set<number> {
  const forced = new Set<number>();
  for (const e of explanations) for (const id of explanationOpIds(e, history, limits.counterexampleStepsMax)) forced.add(id);
  for (const c of Object.values(checkers)) {
    const list = c['violations'];
    if (!Array.isArray(list)) continue;
    for (const v of list as unknown[]) {
      const ops = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)['ops'] : undefined;
      if (Array.isArray(ops)) for (const i of ops) if (typeof i === 'number') forced.add(history.byIndex.get(i)?.id ?? -1);
    }
  }
  forced.delete(-1);
  return forced;
}

/** Where each violation happened on the run's clock: a culprit op's return, a watch or lease violation, an invariant's break. */
function violationMarksOf(checkers: Record<string, CheckResult>, stop: RunStop | undefined, explanations: readonly LinearizabilityExplanation[], history: PairedHistory): TimelineMark[] {
  const marks: TimelineMark[] = [];
  for (const e of explanations) {
    for (const u of e.unplaceable ?? (e.failed === undefined ? [] : [{ index: e.failed, reason: 'cannot follow the longest linearizable prefix' }])) {
      const op = history.byIndex.get(u.index);
      if (op !== undefined) marks.push({ atUs: op.endUs, label: `✗ ${opLabel(op.f, op.request, 30)}`, tip: u.reason });
    }
  }
  for (const [name, c] of Object.entries(checkers)) {
    const list = c['violations'];
    if (!Array.isArray(list)) continue;
    for (const v of list as unknown[]) {
      const r = v !== null && typeof v === 'object' ? (v as Record<string, unknown>) : {};
      const kind = typeof r['kind'] === 'string' ? r['kind'] : name;
      if (typeof r['timeUs'] === 'number') marks.push({ atUs: r['timeUs'], label: `✗ ${truncate(kind, 40)}`, tip: typeof r['message'] === 'string' ? r['message'] : kind });
    }
  }
  if (stop !== undefined) marks.push({ atUs: stop.timeUs, label: `✗ ${stop.layer}: ${stop.invariant ?? stop.kind}${stop.member === undefined ? '' : ` on ${stop.member}`}`, tip: stop.detail });
  return marks;
}

function legend(run: boolean): string {
  const lanes = run ? ' · shaded: faults · top: leader and term' : '';
  return `<div class="legend"><span class="sw" style="background:${outcomeColor.ok}"></span>ok (pale band: ok ops not drawn one by one)<span class="sw" style="background:${outcomeColor.fail}"></span>fail<span class="sw" style="background:${outcomeColor.info}"></span>info (outcome unknown)${lanes} · hover a bar for its request and response</div>`;
}

function thinNote(label: string, drawn: number, total: number): string {
  return drawn === total ? '' : `<p class="muted">${escapeHtml(label)}: ${drawn} of ${total} ok operations drawn (thinned); every fail, info and flagged operation is drawn.</p>`;
}

/**
 * Ops a throughput chart needs: with fewer, each is alone in its bucket and reads as a rate it never
 * had (a run stopped 8 ms into its traffic drew one op in a 10 ms bucket as a 100 ops/s spike).
 */
const RATE_OPS_MIN = 10;

/** Instead of a rate, what the few ops were: how many of each f and outcome, over how long. */
function tooFewForRate(ops: readonly PairedOp[]): string {
  const counts = new Map<string, Map<string, number>>();
  for (const op of ops) {
    const byOutcome = counts.get(op.f) ?? new Map<string, number>();
    byOutcome.set(op.type, (byOutcome.get(op.type) ?? 0) + 1);
    counts.set(op.f, byOutcome);
  }
  const kinds = [...counts.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([f, byOutcome]) => `${f}: ${(['ok', 'fail', 'info'] as const).filter((o) => byOutcome.has(o)).map((o) => `${byOutcome.get(o)} ${o}`).join(', ')}`);
  const spanUs = ops.length === 0 ? 0 : maxOf(ops.map((op) => op.endUs)) - minOf(ops.map((op) => op.startUs));
  const what = ops.length === 0 ? 'no operations' : `${count(ops.length, 'operation')} in ${formatUs(spanUs)} of traffic (${kinds.join('; ')})`;
  return `<p class="muted">Too few operations for a rate over time: ${escapeHtml(what)}.</p>`;
}

export interface HistorySectionsInput {
  verdict: VerdictOf;
  history: PairedHistory;
  /** The timeline from startUs (default 0: a run's clock) to endUs. */
  startUs?: number;
  endUs: number;
  explanations: readonly LinearizabilityExplanation[];
  watches: readonly WatchRecord[];
  limits: ReportLimits;
  /** A run's faults and leaders; undefined for a history alone (no lanes, no bands). */
  run?: { faults: readonly FaultInterval[]; leaders: readonly LeaderSpan[] };
  /** The history gave no times: ops are placed by position and no latency is drawn. */
  untimed?: boolean;
}

/** The sections drawn from the history, in page order: timeline, broken invariant, counterexample, violations, latency, throughput. */
export async function historySections(input: HistorySectionsInput): Promise<string[]> {
  const { history, endUs, explanations, limits, verdict } = input;
  const faults = input.run?.faults ?? [];
  const forced = forcedOps(verdict.checkers, history, explanations, limits);
  const clock: TimeLabels = input.untimed === true ? historyPositions : microseconds;
  const startUs = input.startUs ?? 0;
  const timeline = thinTimeline(history.ops, endUs - startUs, 1100, limits.timelineOpsMax, forced);
  const lanes = input.run === undefined ? {} : { faults, leaders: input.run.leaders };
  const timelineHtml = `<section id="timeline"><h2>Timeline</h2>${zoomButtons('timeline-svg', [1, 2, 4, 8, 16])}${legend(input.run !== undefined)}${input.run !== undefined && startUs > 0 ? `<p class="muted" id="timeline-from">Drawn from ${escapeHtml(formatUs(startUs))}, just before the first request or fault: the cluster's start before it is left out (its leader span is cut at the left edge; hover it for its times).</p>` : ''}${input.untimed === true ? '<p class="muted">The history gives no times: each operation is drawn from its invoke to its completion by their positions in the history (#N).</p>' : ''}<div class="scroll">${timelineSvg({ ops: timeline.ops, allOps: history.ops, startUs, endUs, ...lanes, clock, tooltipCharsMax: limits.tooltipCharsMax, highlighted: forced, marks: violationMarksOf(verdict.checkers, verdict.stop, explanations, history) })}</div>${faultLegendHtml(faults)}${thinNote('timeline', timeline.okDrawn, timeline.okTotal)}</section>`;
  const judged = [invariantSection(verdict.stop), counterexampleSection(explanations, history, limits, clock), violationsSection(verdict.checkers, history, input.watches, limits)];
  if (input.untimed === true) return [timelineHtml, ...judged];
  const latency = thinLatency(history.ops, endUs, limits.latencyBuckets, limits.latencyPointsPerBucket, forced);
  const span = chartWindow(history.ops, endUs);
  const fewOps = history.ops.length < RATE_OPS_MIN;
  const [latencyChart, quantileChart, throughputChart] = await Promise.all([
    latencySvg(latency.ops, faults, span),
    latencyQuantilesSvg(history.ops, faults, span, limits.throughputBuckets),
    fewOps ? tooFewForRate(history.ops) : throughputSvg(history.ops, faults, span, limits.throughputBuckets),
  ]);
  return [
    timelineHtml,
    ...judged,
    `<section id="latency"><h2>Latency over time</h2><div class="scroll chart">${latencyChart}</div>${thinNote('latency', latency.okDrawn, latency.okTotal)}<h3>Latency quantiles (every ok operation)</h3><div class="scroll chart">${quantileChart}</div></section>`,
    `<section id="throughput"><h2>Throughput over time</h2>${fewOps ? throughputChart : `<div class="scroll chart">${throughputChart}</div>`}</section>`,
  ];
}
