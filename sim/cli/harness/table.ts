// The terminal summary of a run and of a sweep: cli-table3 tables that fit the terminal's width
// (80 columns when the output is not a terminal), verdicts in colour (none without a terminal
// or with NO_COLOR, see main.ts), headers plain: red is kept for failures.
import chalk from 'chalk';
import Table from 'cli-table3';
import type { Validity } from '../../check/verdict.ts';
import type { Results } from '../../run/results.ts';
import { targetDifferenceLines } from '../../report/target-differences.ts';
import { stdoutColumns, wrapHanging } from './wrap.ts';
import { oneLine } from '../../errors/one-line.ts';
import { maxOf, pushAll } from '../../array/stack-safe.ts';

/** The narrowest a table is drawn, however narrow the terminal. */
const TABLE_COLUMNS_MIN = 60;
/** Widest table drawn on a wide terminal: long lines are harder to read than wrapped ones. */
const TABLE_COLUMNS_MAX = 160;

/** The width tables are drawn for: the terminal's, else $COLUMNS, else 80. */
export function terminalColumns(): number {
  const fromEnv = Number(process.env['COLUMNS']);
  const columns = process.stdout.isTTY === true && process.stdout.columns > 0 ? process.stdout.columns : Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : 80;
  return Math.min(TABLE_COLUMNS_MAX, Math.max(TABLE_COLUMNS_MIN, columns));
}

export function verdictText(v: Validity): string {
  if (v === true) return chalk.green('valid');
  if (v === false) return chalk.red.bold('INVALID');
  return chalk.yellow('unknown');
}

/**
 * A checker's verdict in a run: a violation the scenario allows (expect: violation-allowed)
 * leaves the run valid, and is shown as allowed, not as a failure and not as valid.
 */
export function checkerVerdictText(checker: Validity, run: Validity, nothing = false): string {
  if (checker === false && run === true) return chalk.yellow('allowed');
  // Nothing to check: not a verdict the run waits on (verdict.ts composeJudged).
  if (nothing) return chalk.dim('nothing');
  return verdictText(checker);
}

function clip(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, width - 1)}…`;
}

/**
 * A table whose one flexible column (the `undefined` width) takes what the others leave of the
 * terminal's width, at least `flexibleMin` (cli-table3 adds one border per column, and one).
 */
function fittedTable(head: string[], widths: (number | undefined)[], flexibleMin: number): InstanceType<typeof Table> {
  const used = widths.reduce<number>((a, b) => a + (b ?? 0), 0) + head.length + 1;
  const flexible = Math.max(flexibleMin, terminalColumns() - used);
  return new Table({ head: head.map((h) => chalk.bold(h)), colWidths: widths.map((w) => w ?? flexible), wordWrap: true, style: { head: [], border: [] } });
}

export function runTable(results: Results): string {
  const table = fittedTable(['checker', 'verdict', 'summary'], [18, 10, undefined], 20);
  for (const [name, c] of Object.entries(results.checkers)) table.push([oneLine(name), checkerVerdictText(c.valid, results.valid, c.nothing === true), clip(oneLine(String(c.summary ?? '')), 300)]);
  const s = results.stats;
  const allowed = Object.entries(results.checkers).filter(([, c]) => c.valid === false && results.valid === true).map(([n]) => n);
  const lines = [
    `${chalk.bold(oneLine(results.scenario))} seed ${results.seed}${results.bug === undefined ? '' : chalk.magenta(` bug ${results.bug}`)}: ${verdictText(results.valid)}`,
    ...(allowed.length > 0 ? [chalk.yellow(`(violation allowed by the scenario: ${allowed.join(', ')})`)] : []),
    table.toString(),
    `ops ok ${s.ops.ok}, failed ${s.ops.fail}, outcome unknown ${s.ops.info} · faults ${s.faults} · leader changes ${s.leaderChanges}`,
    `${s.simulatedMs} ms simulated in ${s.wallMs} ms · ${s.events} events · ${s.messages} messages`,
    `trace hash ${results.traceHash}`,
  ];
  pushAll(lines, targetDifferenceText(results));
  // On a terminal the error wraps between words under its text (a 316-character line was cut
  // mid-word by an 80-column terminal); in a pipe it stays one line for grep.
  const columns = stdoutColumns();
  if (results.error !== undefined) lines.push(chalk.red(columns === undefined ? `error: ${oneLine(results.error)}` : wrapHanging('error: ', oneLine(results.error), 7, columns)));
  for (const [checker, ids] of Object.entries(results.mayBeKnownBug ?? {})) lines.push(chalk.yellow(`${checker}: may be ${ids.join(' or ')}, a known bug of etcd ${results.target?.kind === 'etcd' ? results.target.version : ''} (no client can step around it, or every violation has its shape: results.json mayBeKnownBug)`));
  return lines.join('\n');
}

/** A real run's faults not run, settings not applied and draws left out, wrapped to the terminal (between words). */
function targetDifferenceText(results: Results): string[] {
  const d = targetDifferenceLines(results);
  const width = terminalColumns();
  const out: string[] = [];
  if (d.faultsNotRun !== undefined && d.faultsNotRunCount !== 0) out.push(chalk.yellow(wrapHanging('', d.faultsNotRun, 2, width)));
  if (d.trafficPast !== undefined) out.push(wrapHanging('', d.trafficPast, 2, width));
  if (d.notApplied.length > 0) pushAll(out, ["not applied by real etcd (etcd's value ran):"].concat(d.notApplied.map((n) => wrapHanging('  ', n, 4, width))));
  if (d.leftOut.length > 0) out.push(wrapHanging('', `left out of the real swarm's draw: ${d.leftOut.join(', ')}`, 2, width));
  return out;
}

export interface SweepRow {
  scenario: string;
  seeds: number;
  valid: number;
  invalid: number;
  unknown: number;
  okOps: number;
  /** The runs' own times, summed (runs overlap on several workers: not the sweep's wall time). */
  wallMs: number;
  firstFailure?: string;
}

/** The sweep table's columns after the scenario's, and their widths (cli-table3's include a space each side). */
const SWEEP_HEAD = ['seeds', 'valid', 'invalid', 'unknown', 'run time'];
const SWEEP_WIDTHS = [7, 7, 9, 9, 10];

export function sweepTable(rows: readonly SweepRow[]): string {
  // The failures are listed below the table, each with its replay command, in seed order. The
  // scenario column is as wide as the longest name (a terminal's width left over made a
  // 33-column cell for "kill-leader"), and wraps only where the terminal is narrower.
  const fixed = SWEEP_WIDTHS.reduce((a, b) => a + b, 0) + SWEEP_HEAD.length + 2;
  const longest = maxOf(rows.map((r) => oneLine(r.scenario).length), 'scenario'.length);
  const scenarioWidth = Math.max(12, Math.min(longest + 2, terminalColumns() - fixed));
  // No rule between rows (npm start's 69 scenarios drew 141 lines, twice a screen): one under
  // the header alone, drawn from the top border as cli-table3 rules rows all or none.
  const table = new Table({ head: ['scenario', ...SWEEP_HEAD].map((h) => chalk.bold(h)), colWidths: [scenarioWidth, ...SWEEP_WIDTHS], wordWrap: true, chars: NO_ROW_RULES, style: { head: [], border: [] } });
  for (const r of rows) {
    table.push([oneLine(r.scenario), r.seeds, r.valid, r.invalid > 0 ? chalk.red.bold(r.invalid) : '0', r.unknown > 0 ? chalk.yellow(r.unknown) : '0', `${(r.wallMs / 1000).toFixed(1)} s`]);
  }
  const lines = table.toString().split('\n');
  const headRule = lines[0]!.replace('┌', '├').replaceAll('┬', '┼').replace('┐', '┤');
  return [lines[0]!, lines[1]!, headRule, ...lines.slice(2)].join('\n');
}

const NO_ROW_RULES = { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' };
