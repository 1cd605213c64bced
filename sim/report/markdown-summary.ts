// summary.md: a sweep in Markdown for a CI job summary ($GITHUB_STEP_SUMMARY and the like):
// the verdict and totals, the determinism re-runs, then the failing runs with the command that
// replays each.
import { relativeHref } from './escape.ts';
import { verdictWord, type RunSummary } from './run-summary.ts';
import type { SweepSummary } from './sweep-summary.ts';
import { sweepDifferenceSentences, sweepTargetDifferences, type EntryRuns } from './sweep-differences.ts';
import { LEFT_OUT_TITLE, NOT_APPLIED_TITLE } from './target-differences.ts';
import { count, countGrouped } from '../text/count.ts';
import { whatFailedParts } from './decisive-checkers.ts';
import { coverageView } from './coverage-view.ts';
import { pushAll } from '../array/stack-safe.ts';

/**
 * Text as itself in a table cell: no pipe or newline may break the row, no backtick open a code
 * span, no < > make HTML or & an entity, and no [ ] ! ( ) * _ ~ make a link, an image (a scenario
 * named "![x](http://host/pixel)" loaded a pixel in a CI job summary) or emphasis: that
 * punctuation is backslash-escaped, which CommonMark shows as the character itself.
 */
function cell(text: string): string {
  return text.replace(/[\r\n]+/g, ' ').replace(/`/g, "'").replace(/[\\|[\]!()*_~#]/g, '\\$&').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function code(text: string): string {
  return `\`${text.replace(/`/g, "'").replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ')}\``;
}

const icon = { valid: '✅', invalid: '❌', unknown: '❓' } as const;

function failingRow(run: RunSummary): string {
  const what = whatFailedParts(run);
  const report = run.report === undefined ? '' : `[report](${relativeHref(`${run.report}/index.html`)})`;
  return `| ${icon[verdictWord(run.valid)]} | ${cell(run.scenario)} | ${run.seed} | ${cell(what.join('; '))} | ${code(run.replay)} | ${report} |`;
}

export function renderSweepMarkdown(sweep: SweepSummary, rowsMax = 50): string {
  const t = sweep.totals;
  const word = verdictWord(sweep.valid);
  const lines = [
    `## ${icon[word]} detcd sweep: ${word}`,
    '',
    `${count(t.runs, 'run')}: **${t.valid} valid**, **${t.invalid} invalid**, **${t.unknown} unknown** · ${countGrouped(t.ops, 'operation')}`,
    '',
    ...determinismMarkdown(sweep),
  ];
  const bad = sweep.runs.filter((r) => r.valid !== true);
  if (bad.length > 0) {
    lines.push('| | scenario | seed | what failed | replay | |', '|---|---|---|---|---|---|');
    pushAll(lines, bad.slice(0, rowsMax).map(failingRow));
    if (bad.length > rowsMax) lines.push('', `…and ${bad.length - rowsMax} more in sweep.json.`);
    lines.push('');
  }
  const byScenario = new Map<string, { runs: number; bad: number }>();
  for (const r of sweep.runs) {
    const s = byScenario.get(r.scenario) ?? { runs: 0, bad: 0 };
    s.runs += 1;
    if (r.valid !== true) s.bad += 1;
    byScenario.set(r.scenario, s);
  }
  lines.push('| scenario | runs | not valid |', '|---|---|---|');
  for (const [name, s] of [...byScenario.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) lines.push(`| ${cell(name)} | ${s.runs} | ${s.bad} |`);
  lines.push('');
  pushAll(pushAll(lines, targetDifferencesMarkdown(sweep)), coverageMarkdown(sweep));
  return `${lines.join('\n')}\n`;
}

/** The determinism re-runs: a line, and a table of the seeds whose two runs disagreed. */
export function determinismMarkdown(sweep: SweepSummary): string[] {
  const d = sweep.determinism;
  if (d === undefined) return ['Determinism: no seed was re-run.', ''];
  const head = `${d.reruns} seed${d.reruns === 1 ? '' : 's'} re-run in ${cell(d.rerunIn)}`;
  if (d.mismatches.length === 0) return [`✅ **Determinism:** ${head}: the same trace hashes.`, ''];
  return [
    `❌ **Determinism:** ${head}: **${d.mismatches.length} gave different trace hashes** (nondeterminism; the sweep exits 4).`,
    '',
    '| scenario | seed | trace hashes (worker) | where the traces part | replay |',
    '|---|---|---|---|---|',
    ...d.mismatches.map((m) => `| ${cell(m.scenario)} | ${m.seed} | ${code(m.traceHashes[0])} (${m.workers[0]}), ${code(m.traceHashes[1])} (${m.workers[1]}) | ${cell(m.where)} | ${code(m.replay)} |`),
    '',
  ];
}

function entryRows(title: string, entries: readonly EntryRuns[], more: number): string[] {
  if (entries.length === 0) return [];
  return [`| ${cell(title)} | runs |`, '|---|---|', ...entries.map((e) => `| ${cell(e.entry)} | ${e.runs} |`), ...(more === 0 ? [] : ['', `…and ${more} more in the runs' results.json.`]), ''];
}

/** What the real-etcd runs did not run as their scenarios asked: nothing for a simulated sweep. */
export function targetDifferencesMarkdown(sweep: SweepSummary): string[] {
  const d = sweepTargetDifferences(sweep.runs);
  if (d === undefined) return [];
  return [
    '### Real etcd: what did not run as asked',
    '',
    ...sweepDifferenceSentences(d).map((t, i) => `${i === 0 && d.faultsNotRunRuns > 0 ? '⚠️ ' : ''}${cell(t)}`).flatMap((l) => [l, '']),
    ...entryRows(NOT_APPLIED_TITLE, d.notApplied, d.more.notApplied),
    ...entryRows(LEFT_OUT_TITLE, d.leftOut, d.more.leftOut),
  ];
}

/** Coverage: what the sweep reached, and by name what it never did. */
export function coverageMarkdown(sweep: SweepSummary): string[] {
  const c = sweep.coverage;
  const view = coverageView(c);
  const lines = [`### Coverage (${view.sentence})`, ''];
  lines.push(`**Never reached:** ${view.never.length === 0 ? 'nothing' : view.never.map((u) => `${u.kind} ${code(u.name)}`).join(', ')}`, '');
  if (view.sitesShown) {
    lines.push('| buggify site | runs fired | times fired |', '|---|---|---|');
    for (const [name, s] of Object.entries(c.sites)) lines.push(`| ${code(name)} | ${s.runsFired} | ${s.fired} |`);
    lines.push('');
  }
  lines.push('| event | runs | total |', '|---|---|---|');
  for (const [name, e] of Object.entries(c.events)) lines.push(`| ${code(name)} | ${e.runs} | ${e.total} |`);
  return lines;
}
