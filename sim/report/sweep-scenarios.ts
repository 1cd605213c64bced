// The sweep page's first tables: the runs that did not pass (with their replay and shrink
// commands) and one row per scenario, as the terminal prints it. A campaign is ~276 runs: its
// per-run table (9,100 px, an empty "what failed" column when all pass) comes after these.
import { escapeHtml, relativeHref, truncate } from './escape.ts';
import { compareRunsFailuresFirst, verdictWord, type RunSummary } from './run-summary.ts';
import { formatUs } from './svg-kit.ts';
import { whatFailedParts } from './decisive-checkers.ts';
import { count } from '../text/count.ts';

/** Failing runs listed before the by-scenario table; the rest are in the runs table below. */
const FAILURES_SHOWN_MAX = 12;

export function seedLink(run: RunSummary, text = String(run.seed)): string {
  return run.report === undefined ? escapeHtml(text) : `<a href="${escapeHtml(relativeHref(`${run.report}/index.html`))}">${escapeHtml(text)}</a>`;
}

function scenarioCell(run: RunSummary): string {
  return `${escapeHtml(run.scenario)}${run.bug === undefined ? '' : ` <span class="muted">(bug ${escapeHtml(run.bug)})</span>`}`;
}

/** The next steps after a failure, as `detcd run` prints them: replay, and shrink for a failing simulated run. */
function commandsCell(run: RunSummary): string {
  const shrink = run.valid === false && run.shrink !== undefined ? `<br><span class="muted">shrink:</span> <code>${escapeHtml(run.shrink)}</code>` : '';
  return `<span class="muted">replay:</span> <code>${escapeHtml(run.replay)}</code>${shrink}`;
}

/** The runs that did not pass, failures first, at the top of the page: what failed and how to reproduce it. */
export function failuresHtml(runs: readonly RunSummary[]): string {
  const bad = runs.filter((r) => r.valid !== true);
  if (bad.length === 0) return '';
  const invalid = bad.filter((r) => r.valid === false).length;
  const rows = bad.slice(0, FAILURES_SHOWN_MAX).map((r) => {
    const word = verdictWord(r.valid);
    return `<tr class="${word}"><td class="scenario">${scenarioCell(r)}</td><td class="nowrap seed">${seedLink(r)}</td><td class="verdict-cell nowrap">${word}</td><td class="what">${escapeHtml(truncate(whatFailedParts(r).join(' · '), 400))}</td><td class="commands">${commandsCell(r)}</td></tr>`;
  });
  const more = bad.length > FAILURES_SHOWN_MAX ? `<p class="muted">…and ${bad.length - FAILURES_SHOWN_MAX} more: each scenario's worst seed is in the table below, every run in the table of all runs.</p>` : '';
  const head = invalid === bad.length ? `${count(bad.length, 'run')} failed` : invalid === 0 ? `${count(bad.length, 'run')} unknown` : `${count(bad.length, 'run')} did not pass (${invalid} invalid, ${bad.length - invalid} unknown)`;
  return `<h2 id="failures" class="${invalid > 0 ? 'bad' : ''}">${head}</h2>
<div class="table-scroll"><table class="data failures"><thead><tr><th>scenario</th><th class="nowrap">seed</th><th class="nowrap">verdict</th><th>what failed</th><th>reproduce</th></tr></thead><tbody>${rows.join('')}</tbody></table></div>${more}`;
}

interface ScenarioRow {
  scenario: string;
  runs: number;
  valid: number;
  invalid: number;
  unknown: number;
  wallMs: number;
  /** Its worst run: the first failing seed, else the first unknown, else the first seed. */
  worst: RunSummary;
}

function scenarioRows(runs: readonly RunSummary[]): ScenarioRow[] {
  const rows = new Map<string, ScenarioRow>();
  for (const r of runs) {
    const row = rows.get(r.scenario) ?? { scenario: r.scenario, runs: 0, valid: 0, invalid: 0, unknown: 0, wallMs: 0, worst: r };
    row.runs += 1;
    if (r.valid === true) row.valid += 1;
    else if (r.valid === false) row.invalid += 1;
    else row.unknown += 1;
    row.wallMs += r.wallMs;
    if (compareRunsFailuresFirst(r, row.worst) < 0) row.worst = r;
    rows.set(r.scenario, row);
  }
  return [...rows.values()].sort((a, b) => (a.scenario < b.scenario ? -1 : a.scenario > b.scenario ? 1 : 0));
}

/** One row per scenario (the terminal's table) with its worst seed's link (what failed is told in the failures above). */
export function scenariosHtml(runs: readonly RunSummary[]): string {
  const rows = scenarioRows(runs).map((s) => {
    const word = verdictWord(s.worst.valid);
    const cls = s.invalid > 0 ? 'invalid' : s.unknown > 0 ? 'unknown' : 'valid';
    return `<tr class="${cls}"><td class="scenario">${escapeHtml(s.scenario)}</td><td class="nowrap">${s.runs}</td><td class="nowrap">${s.valid}</td><td class="nowrap${s.invalid > 0 ? ' bad' : ''}">${s.invalid}</td><td class="nowrap">${s.unknown}</td><td class="nowrap">${escapeHtml(formatUs(s.wallMs * 1000))}</td><td class="worst"><span class="nowrap">seed ${seedLink(s.worst)} <span class="verdict-word">${word}</span></span></td></tr>`;
  });
  return `<h2 id="by-scenario">By scenario</h2>
<div class="table-scroll"><table class="data scenarios"><thead><tr><th>scenario</th><th class="nowrap">runs</th><th class="nowrap">valid</th><th class="nowrap">invalid</th><th class="nowrap">unknown</th><th class="nowrap">run time</th><th>worst seed</th></tr></thead><tbody>${rows.join('')}</tbody></table></div>`;
}
