// reports/index.html of a sweep: the verdict, the totals, the determinism re-runs, the runs that
// did not pass, a row per scenario, and a table of all runs (failures first) linking to each run's report.
import { escapeHtml, truncate } from './escape.ts';
import { htmlPage } from './page.ts';
import { verdictWord, type RunSummary } from './run-summary.ts';
import { formatUs } from './svg-kit.ts';
import type { SweepSummary } from './sweep-summary.ts';
import type { SweepPlanSummary } from './sweep-plan.ts';
import { faultsNotRunNote, sweepDifferenceSentences, sweepTargetDifferences, type EntryRuns } from './sweep-differences.ts';
import { LEFT_OUT_TITLE, NOT_APPLIED_TITLE } from './target-differences.ts';
import { count, countGrouped } from '../text/count.ts';
import { whatFailedParts } from './decisive-checkers.ts';
import { coverageView } from './coverage-view.ts';
import { failuresHtml, scenariosHtml, seedLink } from './sweep-scenarios.ts';

/** Up to this many runs, the table of all runs is open; a campaign's (~276 rows) starts folded. */
const RUNS_OPEN_MAX = 20;

function failingCheckers(run: RunSummary): string {
  return whatFailedParts(run).join(' · ');
}

/** A run that did not pass shows its replay command where its failure is told, as the terminal
 *  and summary.md do: a sweep's reader should not have to open the run report to reproduce it. */
function replayLine(run: RunSummary): string {
  return run.valid === true ? '' : `<br><span class="muted">replay:</span> <code>${escapeHtml(run.replay)}</code>`;
}

function runRow(run: RunSummary): string {
  const word = verdictWord(run.valid);
  const link = seedLink(run);
  return `<tr class="${word}"><td class="scenario">${escapeHtml(run.scenario)}${run.bug === undefined ? '' : ` <span class="muted">(bug ${escapeHtml(run.bug)})</span>`}</td><td class="nowrap">${link}</td><td class="verdict-cell nowrap">${word}</td><td class="nowrap">${run.ops.ok} / ${run.ops.fail} / ${run.ops.info}</td><td class="nowrap">${run.faults}${faultsNotRunNote(run) === '' ? '' : `<span class="bad">${faultsNotRunNote(run)}</span>`}</td><td class="nowrap">${escapeHtml(formatUs(run.wallMs * 1000))}</td><td class="what">${escapeHtml(truncate(failingCheckers(run), 400))}${replayLine(run)}</td></tr>`;
}

function entryTable(title: string, id: string, entries: readonly EntryRuns[], more: number): string {
  if (entries.length === 0) return '';
  const rows = entries.map((e) => `<tr><td class="mono">${escapeHtml(e.entry)}</td><td class="nowrap">${e.runs}</td></tr>`).join('');
  return `<table class="data" id="${id}"><thead><tr><th>${escapeHtml(title)}</th><th class="nowrap">runs</th></tr></thead><tbody>${rows}</tbody></table>${more === 0 ? '' : `<p class="muted">…and ${more} more in the runs' results.json.</p>`}`;
}

/** What the real-etcd runs did not run as their scenarios asked: nothing for a simulated sweep. */
function targetDifferencesHtml(sweep: SweepSummary): string {
  const d = sweepTargetDifferences(sweep.runs);
  if (d === undefined) return '';
  const sentences = sweepDifferenceSentences(d).map((t, i) => `<p${i === 0 ? ` id="faults-not-run"${d.faultsNotRunRuns > 0 ? ' class="bad"' : ''}` : ''}>${escapeHtml(t)}</p>`).join('');
  return `<h2 id="target-differences">Real etcd: what did not run as asked</h2>${sentences}${entryTable(NOT_APPLIED_TITLE, 'not-applied', d.notApplied, d.more.notApplied)}${entryTable(LEFT_OUT_TITLE, 'left-out', d.leftOut, d.more.leftOut)}`;
}

/** What the sweep reached: buggify sites fired and rare events, with what was never reached named. */
function coverageHtml(sweep: SweepSummary): string {
  const c = sweep.coverage;
  const view = coverageView(c);
  const never = view.never.map((u) => `${u.kind} ${u.name}`);
  const siteRows = Object.entries(c.sites).map(([n, s]) => `<tr${s.fired === 0 ? ' class="unreached"' : ''}><td>${escapeHtml(n)}</td><td>${s.runsFired}</td><td>${s.fired}</td></tr>`).join('');
  const eventRows = Object.entries(c.events).map(([n, e]) => `<tr${e.total === 0 ? ' class="unreached"' : ''}><td>${escapeHtml(n)}</td><td>${e.runs}</td><td>${e.total}</td></tr>`).join('');
  const siteTable = view.sitesShown ? `\n<table class="data"><thead><tr><th>buggify site</th><th>runs fired</th><th>times fired</th></tr></thead><tbody>${siteRows}</tbody></table>` : '';
  return `<h2 id="coverage">Coverage</h2>
<p>${escapeHtml(view.sentence)}. <strong>Never reached:</strong> <span id="unreached">${never.length === 0 ? 'nothing' : escapeHtml(never.join(', '))}</span></p>${siteTable}
<table class="data"><thead><tr><th>event</th><th>runs</th><th>total</th></tr></thead><tbody>${eventRows}</tbody></table>`;
}

/** The determinism re-runs: how many seeds ran twice and, for each that disagreed, both hashes, where the traces part and the replay. */
function determinismHtml(sweep: SweepSummary): string {
  const d = sweep.determinism;
  if (d === undefined) return '<p id="determinism" class="muted">Determinism: no seed was re-run.</p>';
  const head = `Determinism: ${d.reruns} seed${d.reruns === 1 ? '' : 's'} re-run in ${escapeHtml(d.rerunIn)}`;
  if (d.mismatches.length === 0) return `<p id="determinism">${head}: the same trace hashes.</p>`;
  const rows = d.mismatches.map((m) => `<tr class="invalid"><td class="scenario">${escapeHtml(m.scenario)}</td><td class="nowrap">${m.seed}</td><td class="nowrap"><code>${escapeHtml(m.traceHashes[0])}</code> (worker ${m.workers[0]})<br><code>${escapeHtml(m.traceHashes[1])}</code> (worker ${m.workers[1]})</td><td>${escapeHtml(truncate(m.where, 400))}</td><td><code>${escapeHtml(m.replay)}</code></td></tr>`);
  return `<h2 id="determinism" class="bad">${head}: ${d.mismatches.length} gave different trace hashes (nondeterminism; the sweep exits 4)</h2>
<table class="data"><thead><tr><th>scenario</th><th class="nowrap">seed</th><th class="nowrap">trace hashes</th><th>where the traces part</th><th>replay</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

/** What the sweep set out to run, under the title: the page said only "detcd sweep report" (a campaign's too). */
function planHtml(plan: SweepPlanSummary | undefined): string {
  if (plan === undefined) return '';
  const seeds = plan.seeds[0] === plan.seeds[1] ? `seed ${plan.seeds[0]}` : `seeds ${plan.seeds[0]}..${plan.seeds[1]}`;
  const scenarios = plan.scenarios.length === 1 ? `scenario ${plan.scenarios[0]!}` : count(plan.scenarios.length, 'scenario');
  const parts = [`${scenarios}, ${seeds}`, ...(plan.bug === undefined ? [] : [`planted bug ${plan.bug}`]), ...(plan.shard.count > 1 ? [`shard ${plan.shard.index} of ${plan.shard.count}`] : []), plan.detcd];
  return `<p class="muted" id="plan">${escapeHtml(parts.join(' · '))}</p>`;
}

export function renderSweepHtml(sweep: SweepSummary, rowsMax = 5000): string {
  const word = verdictWord(sweep.valid);
  const t = sweep.totals;
  const rows = sweep.runs.slice(0, rowsMax).map(runRow);
  const more = sweep.runs.length > rowsMax ? `<p class="muted">${sweep.runs.length - rowsMax} more runs (all passing or later in order) are in sweep.json.</p>` : '';
  const body = `<h1>detcd sweep report</h1>${planHtml(sweep.plan)}
<div class="verdict ${word}" id="verdict"><div class="word">${word.toUpperCase()}</div><div class="why">${count(t.runs, 'run')}: ${t.valid} valid, ${t.invalid} invalid, ${t.unknown} unknown · ${countGrouped(t.ops, 'operation')} · ${escapeHtml(formatUs(t.wallMs * 1000))} of run time</div></div>
${determinismHtml(sweep)}
<p><a href="summary.md">summary.md</a> · <a href="junit.xml">junit.xml</a> · <a href="sweep.json">sweep.json</a></p>
${failuresHtml(sweep.runs)}
${scenariosHtml(sweep.runs)}
<details id="runs"${sweep.runs.length <= RUNS_OPEN_MAX ? ' open' : ''}><summary>All ${count(t.runs, 'run')}, failures first</summary>
<div class="table-scroll"><table class="data runs"><thead><tr><th>scenario</th><th class="nowrap">seed</th><th class="nowrap">verdict</th><th class="nowrap">ops ok / fail / info</th><th class="nowrap">faults</th><th class="nowrap">wall time</th><th>what failed</th></tr></thead><tbody>${rows.join('')}</tbody></table></div>${more}</details>
${targetDifferencesHtml(sweep)}
${coverageHtml(sweep)}`;
  return htmlPage(`detcd sweep: ${word}`, body);
}
