// detcd sweep [--scenario NAME|FILE|all] [--seeds A..B] [--jobs N] [--shard I/N] [--bug NAME]
//             [--stop-on-fail] [--out DIR] [--report-all]
// detcd sweep --merge DIR... [--out DIR]
// Many seeds over all cores (piscina worker threads), a progress bar, a table per scenario,
// the replay command of every failure, and a sweep report that CI shards can merge.
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import chalk from 'chalk';
import { mergeShards, readSweep, removeStagingOf, writeSweepReport } from '../../report/index.ts';
import { exitCodeFor, UsageError } from '../errors.ts';
import { bugOption, intOption, parseCommandArgs, seedsOption, shardOption } from '../harness/args.ts';
import { REPORTS_DIR_DEFAULT } from '../harness/execute.ts';
import { claimSweepDirOut } from '../harness/out-path.ts';
import { loadScenario, shippedScenarios } from '../harness/scenario-files.ts';
import type { ScenarioFile } from '../harness/scenario-files.ts';
import { defaultJobs, runTasks } from '../harness/sweep-engine.ts';
import { failureLines, rowsByScenario } from '../harness/sweep-summary-table.ts';
import type { SweepTask } from '../harness/sweep-task.ts';
import { sweepTable } from '../harness/table.ts';
import type { PlantedBug } from '../../bugs/planted-bugs.ts';

export interface SweepPlan {
  files: ScenarioFile[];
  seeds: [number, number];
  bug: PlantedBug | undefined;
  shard: { index: number; count: number };
  jobs: number;
  stopOnFail: boolean;
  outDir: string;
  reportAll: boolean;
  title: string;
}

/** The tasks of a sweep, in (scenario, seed) order, keeping this shard's share. */
export function planTasks(p: SweepPlan): SweepTask[] {
  const tasks: SweepTask[] = [];
  let i = 0;
  for (const f of p.files) {
    for (let seed = p.seeds[0]; seed <= p.seeds[1]; seed++, i++) {
      if (i % p.shard.count !== p.shard.index - 1) continue;
      tasks.push({ scenario: f.scenario, scenarioRef: f.ref, seed, bug: p.bug, reportsDir: join(p.outDir, 'runs'), sweepDir: p.outDir, reportAll: p.reportAll });
    }
  }
  return tasks;
}

/**
 * While the runs go on, an interrupt removes the staging folders the worker threads were
 * writing (they share this process's id) before the process exits.
 */
async function withInterruptCleanup<T>(outDir: string, work: () => Promise<T>): Promise<T> {
  const onSignal = (signal: NodeJS.Signals): void => {
    removeStagingOf(outDir, process.pid, 4);
    if (process.stderr.isTTY) process.stderr.write('\u001b[?25h\n');
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    return await work();
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

export async function executeSweep(p: SweepPlan): Promise<number> {
  claimSweepDirOut(p.title.replace(/^detcd /, ''), '--out', p.outDir);
  const tasks = planTasks(p);
  const shardNote = p.shard.count > 1 ? ` (shard ${p.shard.index}/${p.shard.count})` : '';
  console.error(`${p.title}: ${tasks.length} runs over ${p.files.length} scenario(s), seeds ${p.seeds[0]}..${p.seeds[1]}${shardNote}, ${p.jobs} worker(s)${p.bug === undefined ? '' : `, bug ${p.bug}`}`);
  const start = performance.now();
  const progress = process.stderr.isTTY || process.env['DETCD_PROGRESS'] === '1';
  const runs = await withInterruptCleanup(p.outDir, () => runTasks(tasks, { jobs: p.jobs, stopOnFail: p.stopOnFail, progress }));
  const wallMs = performance.now() - start;
  const sweep = await writeSweepReport(p.outDir, runs);
  console.log(sweepTable(rowsByScenario(runs)));
  for (const line of failureLines(runs)) console.log(chalk.red(line));
  const t = sweep.totals;
  console.log(`${t.runs} runs: ${chalk.green(`${t.valid} valid`)}, ${t.invalid > 0 ? chalk.red.bold(`${t.invalid} invalid`) : '0 invalid'}, ${t.unknown} unknown · ${(wallMs / 1000).toFixed(1)} s wall · ${(t.runs / (wallMs / 1000)).toFixed(2)} runs/s · report ${join(p.outDir, 'index.html')}`);
  return exitCodeFor(sweep.valid);
}

export async function sweep(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('sweep', argv, {
    scenario: { type: 'string' },
    seeds: { type: 'string' },
    jobs: { type: 'string' },
    shard: { type: 'string' },
    bug: { type: 'string' },
    'stop-on-fail': { type: 'boolean' },
    'report-all': { type: 'boolean' },
    out: { type: 'string' },
    merge: { type: 'boolean' },
  }, true);
  if (values.merge === true) {
    if (positionals.length === 0) throw new UsageError('detcd sweep --merge: name the shard directories to merge');
    const out = values.out ?? join(REPORTS_DIR_DEFAULT, 'sweep-merged');
    for (const dir of positionals) {
      try {
        await readSweep(dir);
      } catch (err) {
        throw new UsageError(`detcd sweep --merge: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    claimSweepDirOut('sweep', '--out', out);
    const merged = await mergeShards(positionals, out);
    console.log(sweepTable(rowsByScenario(merged.runs)));
    for (const line of failureLines(merged.runs)) console.log(chalk.red(line));
    console.log(`merged ${positionals.length} shard(s): ${merged.totals.runs} runs · report ${join(out, 'index.html')}`);
    return exitCodeFor(merged.valid);
  }
  if (positionals.length > 0) throw new UsageError(`detcd sweep: unexpected argument '${positionals[0]}'`);
  const ref = values.scenario ?? 'swarm';
  const files = ref === 'all' ? shippedScenarios() : [loadScenario(ref)];
  const shard = shardOption('sweep', values.shard);
  const name = ref === 'all' ? 'all' : (files[0]?.scenario.name ?? 'sweep');
  return executeSweep({
    files,
    seeds: seedsOption('sweep', values.seeds, [1, 20]),
    bug: bugOption('sweep', values.bug),
    shard,
    jobs: intOption('sweep', 'jobs', values.jobs, defaultJobs(), 1, 1024),
    stopOnFail: values['stop-on-fail'] === true,
    outDir: values.out ?? join(REPORTS_DIR_DEFAULT, `sweep-${name}${shard.count > 1 ? `-shard-${shard.index}-of-${shard.count}` : ''}`),
    reportAll: values['report-all'] === true,
    title: 'detcd sweep',
  });
}
