// Groups sweep results by scenario for the terminal table, and lists the failures' replays.
import { isAbsolute, join, relative, resolve } from 'node:path';
import type { RunSummary } from '../../report/index.ts';
import type { SweepRow } from './table.ts';
import { stdoutColumns, wrapHanging } from './wrap.ts';
import { oneLine } from '../../errors/one-line.ts';
import { shellWord } from '../../text/shell-word.ts';
import { reportLine } from './report-line.ts';

export function rowsByScenario(runs: readonly RunSummary[]): SweepRow[] {
  const rows = new Map<string, SweepRow>();
  const sorted = [...runs].sort(compareScenarioSeed);
  for (const r of sorted) {
    const row = rows.get(r.scenario) ?? { scenario: r.scenario, seeds: 0, valid: 0, invalid: 0, unknown: 0, okOps: 0, wallMs: 0 };
    row.seeds++;
    if (r.valid === true) row.valid++;
    else if (r.valid === false) row.invalid++;
    else row.unknown++;
    row.okOps += r.ops.ok;
    row.wallMs += r.wallMs;
    if (r.valid !== true && row.firstFailure === undefined) row.firstFailure = `seed ${r.seed}: ${whatFailed(r)}`;
    rows.set(r.scenario, row);
  }
  return [...rows.values()];
}

/** Scenario, then seed: the order failures are listed in, the same on every run of a sweep. */
export function compareScenarioSeed(a: RunSummary, b: RunSummary): number {
  if (a.scenario !== b.scenario) return a.scenario < b.scenario ? -1 : 1;
  return a.seed - b.seed;
}

/** What failed in a run, in a few words: the error, or the checkers that did not pass. */
function whatFailed(r: RunSummary): string {
  return r.error ?? Object.entries(r.checkers).filter(([, c]) => c.valid !== true).map(([n]) => n).join(', ');
}

/**
 * Each run that did not pass, in seed order: what failed, its replay command and its report,
 * the report's path written from the current directory (`sweepDir` is where the links start).
 */
export function failureLines(runs: readonly RunSummary[], sweepDir: string, max = 20): string[] {
  const bad = runs.filter((r) => r.valid !== true).sort(compareScenarioSeed);
  const lines: string[] = [];
  const columns = stdoutColumns();
  for (const r of bad.slice(0, max)) {
    // What failed wraps between words on a terminal (one line in a pipe); the commands never wrap, to copy whole.
    const what = oneLine(`${r.valid === false ? 'FAIL' : 'UNKNOWN'} ${r.scenario} seed ${r.seed}: ${whatFailed(r)}`);
    lines.push(columns === undefined ? what : wrapHanging('', what, 2, columns));
    lines.push(`  replay: ${oneLine(r.replay)}`);
    if (r.report === undefined) continue;
    const report = fromCwd(join(sweepDir, r.report));
    lines.push(`  ${reportLine(report)}`);
    // The next step after a failure, as `detcd run` prints it: only a failing simulated run shrinks.
    if (r.valid === false && r.shrink !== undefined) lines.push(`  shrink: detcd shrink ${shellWord(report)}`);
  }
  if (bad.length > max) lines.push(`… and ${bad.length - max} more (see the sweep report)`);
  return lines;
}

function fromCwd(path: string): string {
  const rel = relative(process.cwd(), resolve(path));
  return rel === '' ? '.' : rel.startsWith('..') && isAbsolute(path) ? path : rel;
}
