// detcd run [--scenario NAME|FILE] [--seed N] [--out DIR] [--bug NAME]: one seeded run, its
// report in DIR, a summary table, and on failure the command that replays it.
import chalk from 'chalk';
import { exitCodeFor } from '../errors.ts';
import { bugOption, intOption, parseCommandArgs } from '../harness/args.ts';
import { runReportDir } from '../../report/index.ts';
import { executeRun, REPORTS_DIR_DEFAULT } from '../harness/execute.ts';
import { checkReportDirOut } from '../harness/out-path.ts';
import { loadScenario } from '../harness/scenario-files.ts';
import { runTable } from '../harness/table.ts';

export const DEFAULT_SCENARIO = 'swarm';

export async function run(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs('run', argv, {
    scenario: { type: 'string' },
    seed: { type: 'string' },
    out: { type: 'string' },
    bug: { type: 'string' },
    quiet: { type: 'boolean' },
  });
  const file = loadScenario(values.scenario ?? DEFAULT_SCENARIO);
  // Without --seed a run picks one (and prints it): every run is replayable from its seed.
  const seed = intOption('run', 'seed', values.seed, Math.floor(Math.random() * 1_000_000) + 1, 0, 2 ** 31 - 1);
  const bug = bugOption('run', values.bug);
  const outDir = values.out ?? runReportDir(REPORTS_DIR_DEFAULT, file.scenario.name, seed);
  checkReportDirOut('run', values.out === undefined ? 'report directory' : '--out', outDir);
  const { output, dir } = await executeRun({ scenario: file.scenario, scenarioRef: file.ref, seed, bug, outDir });
  const r = output.results;
  if (values.quiet !== true) console.log(runTable(r));
  console.log(`report: ${dir ?? ''}`);
  if (r.valid !== true) {
    console.log(chalk.bold(`replay: ${r.replay}`));
    console.log(`shrink: detcd shrink ${dir ?? ''}`);
  }
  return exitCodeFor(r.valid);
}
