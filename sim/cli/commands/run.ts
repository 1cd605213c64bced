// detcd run [--scenario NAME|FILE] [--seed N] [--out DIR] [--bug NAME]: one seeded run, its
// report in DIR, a summary table, and on failure the command that replays it.
import { join } from 'node:path';
import chalk from 'chalk';
import { exitCodeFor, UsageError } from '../errors.ts';
import { executeRealRun } from '../target-etcd/execute-real.ts';
import { uncaughtBugHint } from '../harness/bug-hint.ts';
import { bugOption, intOption, parseCommandArgs, SEED_MAX } from '../harness/args.ts';
import { runReportDir } from '../../report/index.ts';
import { executeRun, REPORTS_DIR_DEFAULT } from '../harness/execute.ts';
import { checkReportDirOut } from '../harness/out-path.ts';
import { loadScenario, STDIN_SCENARIO } from '../harness/scenario-files.ts';
import { runTable } from '../harness/table.ts';
import { reportLine } from '../harness/report-line.ts';
import { lowerInliningBudget } from '../harness/worker-jit.ts';
import { oneLine } from '../../errors/one-line.ts';
import { shellWord } from '../../text/shell-word.ts';

export const DEFAULT_SCENARIO = 'swarm';

export async function run(argv: string[]): Promise<number> {
  // One run in a fresh process runs much of its code while TurboFan still compiles it: the
  // sweep workers' smaller inlining budget (worker-jit.ts) costs less compile CPU; same hashes.
  lowerInliningBudget();
  const { values } = parseCommandArgs('run', argv, {
    scenario: { type: 'string' },
    seed: { type: 'string' },
    out: { type: 'string' },
    bug: { type: 'string' },
    quiet: { type: 'boolean' },
    target: { type: 'string' },
    etcd: { type: 'string' },
    'no-mitigations': { type: 'boolean' },
  });
  const file = loadScenario(values.scenario ?? DEFAULT_SCENARIO);
  const target = targetOption('run', values.target ?? file.scenario.target, values);
  // Without --seed a run picks one (and prints it): every run is replayable from its seed.
  const seed = intOption('run', 'seed', values.seed, Math.floor(Math.random() * 1_000_000) + 1, 0, SEED_MAX);
  const bug = bugOption('run', values.bug);
  const outDir = values.out ?? runReportDir(REPORTS_DIR_DEFAULT, file.scenario.name, seed);
  checkReportDirOut('run', values.out === undefined ? 'report directory' : '--out', outDir);
  if (target === 'etcd') {
    if (bug !== undefined) throw new UsageError('run: --bug plants a bug in the simulated product; it cannot be used with --target etcd');
    const real = await executeRealRun({ scenario: file.scenario, scenarioRef: file.ref, seed, binary: values.etcd, mitigations: values['no-mitigations'] !== true, outDir, log: (line) => console.error(line) });
    if (values.quiet !== true) console.log(runTable(real.output.results));
    console.log(reportLine(real.dir ?? ''));
    if (real.output.results.valid !== true) console.log(chalk.bold(`replay (re-runs the schedule; not exact on a real target): ${oneLine(real.output.results.replay)}`));
    return exitCodeFor(real.output.results.valid);
  }
  // A scenario read from stdin is replayed from the copy the report keeps.
  const scenarioRef = file.ref === STDIN_SCENARIO ? join(outDir, 'scenario.json') : file.ref;
  const { output, dir } = await executeRun({ scenario: file.scenario, scenarioRef, seed, bug, outDir });
  const r = output.results;
  if (values.quiet !== true) console.log(runTable(r));
  console.log(reportLine(dir ?? ''));
  if (r.valid !== true) {
    console.log(chalk.bold(`replay: ${oneLine(r.replay)}`));
    // An unknown run has no failure to keep: shrink refuses it (exit 3), so it is not offered.
    if (r.valid === false) console.log(`shrink: detcd shrink ${shellWord(dir ?? '')}`);
  } else if (bug !== undefined) {
    console.log(uncaughtBugHint(bug, 'this run', { scenario: file.scenario.name, seed }));
  }
  return exitCodeFor(r.valid);
}


/** `--target simulation|etcd` (the scenario's `target`, else simulation); `--etcd PATH` and `--no-mitigations` only with the etcd target. */
export function targetOption(command: string, target: string | undefined, values: { etcd?: string | undefined; 'no-mitigations'?: boolean | undefined }): 'simulation' | 'etcd' {
  const t = target ?? 'simulation';
  if (t !== 'simulation' && t !== 'etcd') throw new UsageError(`${command}: --target must be simulation or etcd, got '${t}'`);
  if (values.etcd !== undefined && t !== 'etcd') throw new UsageError(`${command}: --etcd PATH needs --target etcd`);
  if (values['no-mitigations'] !== undefined && t !== 'etcd') throw new UsageError(`${command}: --no-mitigations needs --target etcd`);
  return t;
}
