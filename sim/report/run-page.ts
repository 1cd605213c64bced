// index.html of one run: the verdict first, then how to reproduce it, then the pictures
// (timeline, latency, throughput), the counterexample and violations, statistics, and the
// scenario with every option the seed drew.
import type { Op, WatchRecord } from '../history/op.ts';
import type { FaultInterval, Results } from '../run/results.ts';
import { findExplanations, type LinearizabilityExplanation } from './counterexample.ts';
import { escapeHtml } from './escape.ts';
import { checkerCards, historySections, verdictBanner } from './history-sections.ts';
import { resolveLimits, type ReportLimits } from './limits.ts';
import { commandLine, htmlPage } from './page.ts';
import { pairOps, type PairedOp } from './paired-ops.ts';
import { niceStepUs } from './svg-kit.ts';
import { verdictWord } from './run-summary.ts';
import { statsSection } from './stats.ts';
import { targetDifferencesHtml } from './target-differences.ts';
import { count } from '../text/count.ts';
import { maxOf, minOf } from '../array/stack-safe.ts';

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

/**
 * Where the timeline starts: at the first request or fault, on a grid of a tenth of what follows
 * (at most the charts' 100 ms). From 0, a short failing run drew 1.5 s of the cluster starting
 * and its ops squeezed at the right edge; on the 100 ms grid an 8 ms run still took half the width.
 */
function viewStartUs(ops: readonly PairedOp[], faults: readonly FaultInterval[], endUs: number): number {
  const firstUs = minOf(faults.map((f) => f.startUs), minOf(ops.map((op) => op.startUs), endUs));
  const gridUs = Math.min(100_000, niceStepUs(Math.max(endUs - firstUs, 10) / 10));
  return Math.max(0, Math.floor(firstUs / gridUs) * gridUs);
}

export async function renderRunHtml(input: RunReportInput): Promise<string> {
  const { results } = input;
  const limits = resolveLimits(input.limits);
  const history = pairOps(input.history);
  const endUs = maxOf((results.faults ?? []).map((f) => f.endUs ?? f.startUs), Math.max(history.endUs, results.stats.simulatedMs * 1000));
  const explanations = input.explanations ?? findExplanations(results.checkers);
  const pictures = await historySections({ verdict: results, history, startUs: viewStartUs(history.ops, results.faults ?? [], endUs), endUs, explanations, watches: input.watches ?? [], limits, run: { faults: results.faults ?? [], leaders: results.leaders ?? [] } });
  const title = `detcd ${results.scenario} seed ${results.seed}: ${verdictWord(results.valid)}`;
  const body = [
    `<h1>detcd run report${results.target?.kind === 'etcd' ? ` — real etcd ${escapeHtml(results.target.version)}` : ''}</h1><p class="muted">scenario <b>${escapeHtml(results.scenario)}</b> · seed <b>${results.seed}</b> · ${count(history.ops.length, 'operation')} · ${count(results.stats.faults, 'fault')}</p>`,
    verdictBanner(results),
    checkerCards(results.checkers),
    '<nav class="toc"><a href="#reproduce">reproduce</a><a href="#timeline">timeline</a><a href="#latency">latency</a><a href="#throughput">throughput</a>' +
      (results.stop !== undefined ? '<a href="#invariant">broken invariant</a>' : '') +
      (explanations.length > 0 ? '<a href="#counterexample">counterexample</a>' : '') + '<a href="#stats">statistics</a><a href="#scenario">scenario and options</a><a href="#files">files</a></nav>',
    reproduce(results),
    ...pictures,
    statsSection(results, history.ops, endUs, limits.statsRowsMax),
    optionsSection(results, input.scenario, input.scenarioLabel),
    files(input),
  ];
  return htmlPage(title, body.join('\n'));
}
