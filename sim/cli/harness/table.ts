// The terminal summary of a run and of a sweep: cli-table3 tables, verdicts in colour.
import chalk from 'chalk';
import Table from 'cli-table3';
import type { Validity } from '../../check/verdict.ts';
import type { Results } from '../../run/results.ts';

export function verdictText(v: Validity): string {
  if (v === true) return chalk.green('valid');
  if (v === false) return chalk.red.bold('INVALID');
  return chalk.yellow('unknown');
}

function clip(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, width - 1)}…`;
}

export function runTable(results: Results): string {
  const table = new Table({ head: ['checker', 'verdict', 'summary'], colWidths: [14, 10, 80], wordWrap: true });
  for (const [name, c] of Object.entries(results.checkers)) table.push([name, verdictText(c.valid), clip(String(c.summary ?? ''), 300)]);
  const s = results.stats;
  const lines = [
    `${chalk.bold(results.scenario)} seed ${results.seed}${results.bug === undefined ? '' : chalk.magenta(` bug ${results.bug}`)}: ${verdictText(results.valid)}`,
    table.toString(),
    `ops ok ${s.ops.ok} fail ${s.ops.fail} info ${s.ops.info} · faults ${s.faults} · leader changes ${s.leaderChanges} · ${s.simulatedMs} ms simulated in ${s.wallMs} ms · ${s.events} events · ${s.messages} messages · trace ${results.traceHash}`,
  ];
  if (results.error !== undefined) lines.push(chalk.red(`error: ${results.error}`));
  return lines.join('\n');
}

export interface SweepRow {
  scenario: string;
  seeds: number;
  valid: number;
  invalid: number;
  unknown: number;
  okOps: number;
  wallMs: number;
  firstFailure?: string;
}

export function sweepTable(rows: readonly SweepRow[]): string {
  const table = new Table({ head: ['scenario', 'seeds', 'valid', 'invalid', 'unknown', 'ok ops', 'wall s', 'first failure'], colWidths: [30, 7, 7, 9, 9, 9, 8, 50], wordWrap: true });
  for (const r of rows) {
    table.push([r.scenario, r.seeds, chalk.green(r.valid), r.invalid > 0 ? chalk.red.bold(r.invalid) : '0', r.unknown > 0 ? chalk.yellow(r.unknown) : '0', r.okOps, (r.wallMs / 1000).toFixed(1), r.firstFailure ?? '']);
  }
  return table.toString();
}
