// index.html of one run: the verdict first, then how to reproduce it, then the pictures
// (timeline, latency, throughput), the counterexample and violations, statistics, and the
// scenario with every option the seed drew.
import type { Validity } from '../check/verdict.ts';
import type { Op, WatchRecord } from '../history/op.ts';
import type { Results } from '../run/results.ts';
import { chartWindow, latencyQuantilesSvg, latencySvg, throughputSvg } from './charts.ts';
import { counterexampleSection, explanationOpIds, findExplanations, type LinearizabilityExplanation } from './counterexample.ts';
import { escapeHtml, truncate } from './escape.ts';
import { invariantSection, stopHeadline } from './invariant-section.ts';
import { resolveLimits, type ReportLimits } from './limits.ts';
import { commandLine, htmlPage, zoomButtons } from './page.ts';
import { pairOps, type PairedHistory } from './paired-ops.ts';
import { verdictWord } from './run-summary.ts';
import { statsSection } from './stats.ts';
import { outcomeColor } from './svg-kit.ts';
import { thinLatency, thinTimeline } from './thin.ts';
import { faultLegendHtml, timelineSvg, type TimelineMark } from './timeline.ts';
import { opLabel } from './op-label.ts';
import { targetDifferencesHtml } from './target-differences.ts';
import { violationsSection } from './violations.ts';
import { count } from '../text/count.ts';
import { decisiveCheckers } from './decisive-checkers.ts';

export interface RunReportInput {
  results: Results;
  history: readonly Op[];
  watches?: readonly WatchRecord[];
  /** Trace events, one JSON line each in trace.jsonl (written as they come, never all held). */
  trace?: Iterable<unknown>;
  /** The scenario as run (validated, defaults filled). */
  scenario?: unknown;
  /** What `scenario` is, where it is not the scenario as run (a re-rendered report holds the scenario as given). */
  scenarioLabel?: string;
  /** Counterexamples; when absent they are looked for in the checker results. */
  explanations?: readonly LinearizabilityExplanation[];
  limits?: Partial<ReportLimits>;
  /**
   * More files to write into the run's directory in the same atomic step (scenario.json,
   * checkpoints.json, ...): name (no directories) to content.
   */
  extraFiles?: Record<string, string>;
}

/** Characters of one checker's reason in the verdict banner (the sections below have the rest). */
const BANNER_REASON_CHARS_MAX = 400;

function verdictBanner(results: Results): string {
  const word = verdictWord(results.valid);
  const stop = results.stop;
  // The banner says why the verdict is what it is (decisive-checkers.ts); the table has the rest.
  const failing = decisiveCheckers(results.valid, results.checkers);
  const reason = (name: string, summary: string | undefined, valid: Validity): string =>
    stop !== undefined && stop.checker === name ? `${stopHeadline(stop)}: ${stop.detail}` : `${name}: ${summary ?? verdictWord(valid)}`;
  const why = failing.length === 0 ? 'every checker passed' : failing.map(([name, c]) => truncate(reason(name, c.summary, c.valid), BANNER_REASON_CHARS_MAX)).join(' · ');
  const headline = { valid: 'VALID', invalid: 'INVALID', unknown: 'UNKNOWN' }[word];
  // The run's error is shown when no checker already says it (a broken invariant is its checker's reason).
  const error = results.error === undefined || stop !== undefined ? '' : `<br>${escapeHtml(truncate(results.error, BANNER_REASON_CHARS_MAX))}`;
  return `<div class="verdict ${word}" id="verdict"><div class="word">${headline}</div><div class="why" style="overflow-wrap:anywhere;min-width:0">${escapeHtml(why)}${error}</div></div>`;
}

function badge(valid: Validity, nothing = false): string {
  const word = verdictWord(valid);
  return nothing ? `<span class="badge ${word} nothing">nothing to check</span>` : `<span class="badge ${word}">${word}</span>`;
}

function checkerCards(results: Results): string {
  const cards = Object.entries(results.checkers).map(([name, c]) => `<div class="checker ${verdictWord(c.valid)}${c.nothing === true ? ' nothing' : ''}"><div class="name">${escapeHtml(name)}${badge(c.valid, c.nothing === true)}</div>${c.summary === undefined ? '' : `<div class="summary">${escapeHtml(c.summary)}</div>`}</div>`);
  return `<div class="checkers" id="checkers">${cards.join('')}</div>`;
}

function reproduce(results: Results): string {
  const lines = [commandLine('cmd-replay', 'replay', results.replay)];
  // detcd shrink refuses a valid or unknown run (no failure to keep): offer it, as the terminal
  // does, only for a run that failed.
  if (results.shrink !== undefined && results.valid === false) lines.push(commandLine('cmd-shrink', 'shrink', results.shrink));
  const t = results.target;
  if (t?.kind === 'etcd') {
    // A real target's interleaving is the machine's: say what a replay gives back and what was not checked.
    const notes = [
      `target: real etcd ${escapeHtml(t.version)} (<span class="mono">${escapeHtml(t.binary)}</span>), network ${t.network === 'netns' ? 'one namespace per member' : 'loopback'}`,
      `a replay re-runs ${escapeHtml(t.replayable)}: it is not exact`,
      ...(t.mitigations ?? []).map((m) => `stepped around a known bug: ${escapeHtml(m)}`),
      ...(t.exposed ?? []).map((m) => `not stepped around: ${escapeHtml(m)}`),
      ...(t.unmitigable ?? []).map((m) => `a known bug no client can step around: ${escapeHtml(m)}`),
      ...(t.networkFaults !== undefined ? [`network faults: ${escapeHtml(t.networkFaults)}`] : []),
      ...t.notChecked.map((m) => `not checked: ${escapeHtml(m)}`),
    ];
    return `<section id="reproduce"><h2>Reproduce</h2>${lines.join('')}${notes.map((n) => `<p class="muted">${n}</p>`).join('')}${targetDifferencesHtml(results)}</section>`;
  }
  return `<section id="reproduce"><h2>Reproduce</h2>${lines.join('')}<p class="muted">trace hash <span class="mono">${escapeHtml(results.traceHash)}</span>: a replay must give the same.</p></section>`;
}

function optionsSection(results: Results, scenario: unknown, label = 'scenario as run'): string {
  const options = Object.entries(results.options ?? {}).map(([name, value]) => `<tr><td class="mono">${escapeHtml(name)}</td><td class="mono">${escapeHtml(typeof value === 'string' ? value : JSON.stringify(value) ?? 'undefined')}</td></tr>`);
  const table = options.length === 0 ? '<p class="muted">The run recorded no drawn options.</p>' : `<table class="data"><thead><tr><th>option drawn from the seed</th><th>value</th></tr></thead><tbody>${options.join('')}</tbody></table>`;
  const scenarioJson = scenario === undefined ? '' : `<details open><summary>${escapeHtml(label)}</summary><pre class="json">${escapeHtml(JSON.stringify(scenario, null, 2) ?? '')}</pre></details>`;
  return `<section id="scenario"><h2>Scenario and options</h2><p>scenario <b>${escapeHtml(results.scenario)}</b>, seed <b>${results.seed}</b>${results.bug === undefined ? '' : `, planted bug <b class="bad">${escapeHtml(results.bug)}</b>`}</p>${table}${scenarioJson}</section>`;
}

function files(input: RunReportInput): string {
  const names = ['results.json', 'history.jsonl', 'history.edn', 'trace.jsonl', 'junit.xml', ...(input.watches === undefined ? [] : ['watches.jsonl']), ...Object.keys(input.extraFiles ?? {})];
  return `<section id="files"><h2>Files</h2><p>${names.map((n) => `<a href="${escapeHtml(encodeURIComponent(n))}">${escapeHtml(n)}</a>`).join(' · ')}</p><p class="muted">history.edn is Jepsen's format (time in ns) for Jepsen's own tools.</p></section>`;
}

function forcedOps(results: Results, history: PairedHistory, explanations: readonly LinearizabilityExplanation[], limits: ReportLimits): Set<number> {
  const forced = new Set<number>();
  for (const e of explanations) for (const id of explanationOpIds(e, history, limits.counterexampleStepsMax)) forced.add(id);
  for (const c of Object.values(results.checkers)) {
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
function violationMarksOf(results: Results, explanations: readonly LinearizabilityExplanation[], history: PairedHistory): TimelineMark[] {
  const marks: TimelineMark[] = [];
  for (const e of explanations) {
    for (const u of e.unplaceable ?? (e.failed === undefined ? [] : [{ index: e.failed, reason: 'cannot follow the longest linearizable prefix' }])) {
      const op = history.byIndex.get(u.index);
      if (op !== undefined) marks.push({ atUs: op.endUs, label: `✗ ${opLabel(op.f, op.request, 30)}`, tip: u.reason });
    }
  }
  for (const [name, c] of Object.entries(results.checkers)) {
    const list = c['violations'];
    if (!Array.isArray(list)) continue;
    for (const v of list as unknown[]) {
      const r = v !== null && typeof v === 'object' ? (v as Record<string, unknown>) : {};
      const kind = typeof r['kind'] === 'string' ? r['kind'] : name;
      if (typeof r['timeUs'] === 'number') marks.push({ atUs: r['timeUs'], label: `✗ ${truncate(kind, 40)}`, tip: typeof r['message'] === 'string' ? r['message'] : kind });
    }
  }
  const stop = results.stop;
  if (stop !== undefined) marks.push({ atUs: stop.timeUs, label: `✗ ${stop.layer}: ${stop.invariant ?? stop.kind}${stop.member === undefined ? '' : ` on ${stop.member}`}`, tip: stop.detail });
  return marks;
}

function legend(): string {
  return `<div class="legend"><span class="sw" style="background:${outcomeColor.ok}"></span>ok (pale band: ok ops not drawn one by one)<span class="sw" style="background:${outcomeColor.fail}"></span>fail<span class="sw" style="background:${outcomeColor.info}"></span>info (outcome unknown) · shaded: faults · top: leader and term · hover a bar for its request and response</div>`;
}

function thinNote(label: string, drawn: number, total: number): string {
  return drawn === total ? '' : `<p class="muted">${escapeHtml(label)}: ${drawn} of ${total} ok operations drawn (thinned); every fail, info and flagged operation is drawn.</p>`;
}

export async function renderRunHtml(input: RunReportInput): Promise<string> {
  const { results } = input;
  const limits = resolveLimits(input.limits);
  const history = pairOps(input.history);
  const endUs = Math.max(history.endUs, results.stats.simulatedMs * 1000, ...(results.faults ?? []).map((f) => f.endUs ?? f.startUs));
  const explanations = input.explanations ?? findExplanations(results.checkers);
  const forced = forcedOps(results, history, explanations, limits);
  const faults = results.faults ?? [];
  const timeline = thinTimeline(history.ops, endUs, 1100, limits.timelineOpsMax, forced);
  const latency = thinLatency(history.ops, endUs, limits.latencyBuckets, limits.latencyPointsPerBucket, forced);
  const span = chartWindow(history.ops, endUs);
  const [latencyChart, quantileChart, throughputChart] = await Promise.all([
    latencySvg(latency.ops, faults, span),
    latencyQuantilesSvg(history.ops, faults, span, limits.throughputBuckets),
    throughputSvg(history.ops, faults, span, limits.throughputBuckets),
  ]);
  const title = `detcd ${results.scenario} seed ${results.seed}: ${verdictWord(results.valid)}`;
  const body = [
    `<h1>detcd run report${results.target?.kind === 'etcd' ? ` — real etcd ${escapeHtml(results.target.version)}` : ''}</h1><p class="muted">scenario <b>${escapeHtml(results.scenario)}</b> · seed <b>${results.seed}</b> · ${count(history.ops.length, 'operation')} · ${count(results.stats.faults, 'fault')}</p>`,
    verdictBanner(results),
    checkerCards(results),
    '<nav class="toc"><a href="#reproduce">reproduce</a><a href="#timeline">timeline</a><a href="#latency">latency</a><a href="#throughput">throughput</a>' +
      (results.stop !== undefined ? '<a href="#invariant">broken invariant</a>' : '') +
      (explanations.length > 0 ? '<a href="#counterexample">counterexample</a>' : '') + '<a href="#stats">statistics</a><a href="#scenario">scenario and options</a><a href="#files">files</a></nav>',
    reproduce(results),
    `<section id="timeline"><h2>Timeline</h2>${zoomButtons('timeline-svg', [1, 2, 4, 8, 16])}${legend()}<div class="scroll">${timelineSvg({ ops: timeline.ops, allOps: history.ops, endUs, faults, leaders: results.leaders ?? [], tooltipCharsMax: limits.tooltipCharsMax, highlighted: forced, marks: violationMarksOf(results, explanations, history) })}</div>${faultLegendHtml(faults)}${thinNote('timeline', timeline.okDrawn, timeline.okTotal)}</section>`,
    invariantSection(results.stop),
    counterexampleSection(explanations, history, limits),
    violationsSection(results.checkers, history, input.watches ?? [], limits),
    `<section id="latency"><h2>Latency over time</h2><div class="scroll chart">${latencyChart}</div>${thinNote('latency', latency.okDrawn, latency.okTotal)}<h3>Latency quantiles (every ok operation)</h3><div class="scroll chart">${quantileChart}</div></section>`,
    `<section id="throughput"><h2>Throughput over time</h2><div class="scroll chart">${throughputChart}</div></section>`,
    statsSection(results, history.ops, endUs, limits.statsRowsMax),
    optionsSection(results, input.scenario, input.scenarioLabel),
    files(input),
  ];
  return htmlPage(title, body.join('\n'));
}
