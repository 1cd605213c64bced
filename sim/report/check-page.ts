// index.html of a checked history (detcd check --out): the run page's pictures for a history
// that came from elsewhere (a Jepsen log, an etcd robustness-test run, a detcd report's
// history.jsonl). The header says what was checked (file, format, model) instead of a
// scenario and seed; there are no faults or leaders to show, its statistics are the history's
// own (ops by f, outcomes, latency quantiles), and a history that gave no times is drawn by
// position, without latency charts or latencies.
import type { CheckResult, Validity } from '../check/verdict.ts';
import type { Op, WatchRecord } from '../history/op.ts';
import { count } from '../text/count.ts';
import { chartWindow } from './charts.ts';
import { findExplanations } from './counterexample.ts';
import { escapeHtml } from './escape.ts';
import { historyStatsSection } from './history-stats.ts';
import { checkerCards, historySections, verdictBanner } from './history-sections.ts';
import { resolveLimits, type ReportLimits } from './limits.ts';
import { commandLine, htmlPage } from './page.ts';
import { pairOps } from './paired-ops.ts';
import { verdictWord } from './run-summary.ts';

export interface CheckReportInput {
  /** The file (or robustness-test report directory) checked, as named on the command line. */
  file: string;
  /** The history's format, as given or as detected. */
  format: string;
  model: string;
  valid: Validity;
  /** Each checker's verdict: linearizable, and watch, lease and auth where they ran. */
  checkers: Record<string, CheckResult>;
  /** The history's operations (an invoke and its completion are one), as the terminal counts them. */
  ops: number;
  /** The history as drawn (with its auth requests: their indices are the checkers'). */
  history: readonly Op[];
  /** The file gave no times: each op's time is its position. */
  untimed: boolean;
  watches?: readonly WatchRecord[];
  ms: number;
  /** The command that checks it again (without --out). */
  command: string;
  /** What else went into the verdict, each a sentence (watch files read, known bugs it may be). */
  notes: readonly string[];
  limits?: Partial<ReportLimits>;
}

/** The files a check report holds (report-dir.ts replaces only these). */
export const CHECK_REPORT_FILES: readonly string[] = ['index.html', 'check.json'];

export async function renderCheckHtml(input: CheckReportInput): Promise<string> {
  const limits = resolveLimits(input.limits);
  const history = pairOps(input.history);
  const explanations = findExplanations(input.checkers);
  const verdict = { valid: input.valid, checkers: input.checkers };
  // A history's clock starts anywhere (a Jepsen test's, an epoch): its pictures span its traffic, on the charts' grid.
  const startUs = input.untimed ? 0 : chartWindow(history.ops, history.endUs).startUs;
  const pictures = await historySections({ verdict, history, startUs, endUs: history.endUs, explanations, watches: input.watches ?? [], limits, untimed: input.untimed });
  const title = `detcd check ${input.file}: ${verdictWord(input.valid)}`;
  const toc = [['check-again', 'check again'], ['timeline', 'timeline'], ...(explanations.length > 0 ? [['counterexample', 'counterexample']] : []), ...(input.untimed ? [] : [['latency', 'latency'], ['throughput', 'throughput']]), ['statistics', 'statistics'], ['files', 'files']];
  const body = [
    `<h1>detcd check report</h1><p class="muted">checked history <b class="mono" style="overflow-wrap:anywhere">${escapeHtml(input.file)}</b> · format <b>${escapeHtml(input.format)}</b> · model <b>${escapeHtml(input.model)}</b> · ${count(input.ops, 'operation')} · checked in ${input.ms} ms</p>`,
    verdictBanner(verdict),
    checkerCards(input.checkers),
    `<nav class="toc">${toc.map(([id, label]) => `<a href="#${id}">${label}</a>`).join('')}</nav>`,
    `<section id="check-again"><h2>Check again</h2>${commandLine('cmd-check', 'check', input.command)}<p class="muted">from the directory it was run in; a check of the same file gives the same verdict.</p>${input.notes.map((n) => `<p class="muted">${escapeHtml(n)}</p>`).join('')}</section>`,
    ...pictures,
    historyStatsSection(history.ops, input.untimed, history.endUs, limits.statsRowsMax),
    `<section id="files"><h2>Files</h2><p><a href="check.json">check.json</a></p><p class="muted">check.json holds each checker's verdict in full; the history stays where it was: <span class="mono" style="overflow-wrap:anywhere">${escapeHtml(input.file)}</span></p></section>`,
  ];
  return htmlPage(title, body.join('\n'));
}
