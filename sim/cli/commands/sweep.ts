// detcd sweep [--scenario NAME|FILE|all] [--seeds A..B] [--jobs N] [--shard I/N] [--bug NAME]
//             [--stop-on-fail] [--out DIR] [--report-all] [--rerun-percent P]
// detcd sweep --merge DIR... [--out DIR]
// Many seeds over all cores (workers started once and reused: processes or threads, lane-policy.ts), a progress bar, a table
// per scenario, the replay command of every failure, a determinism re-run of a share of the seeds
// in another worker (exit 4 when trace hashes differ), and a sweep report that CI shards can merge.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import chalk from 'chalk';
import { mergeShards, readSweep, removeEmptyReportDir, shardConflict, shardPlanConflict, writeSweepReport } from '../../report/index.ts';
// Not in detcd/report: it removes another process's staging folders, a step of sweep's own clean-up.
import { removeStagingOf } from '../../report/report-dir.ts';
import type { SweepPlanSummary } from '../../report/index.ts';
import { EXIT_INTERNAL, exitCodeFor, UsageError } from '../errors.ts';
import { targetOption } from './run.ts';
import { bugOption, intOption, parseCommandArgs, refuseIgnored, seedsOption, shardOption } from '../harness/args.ts';
import { REPORTS_DIR_DEFAULT } from '../harness/execute.ts';
import { claimSweepDirOut, samePath } from '../harness/out-path.ts';
import { loadScenario, shippedScenarios, STDIN_SCENARIO } from '../harness/scenario-files.ts';
import type { ScenarioFile } from '../harness/scenario-files.ts';
import { defaultJobs, RERUN_PERCENT_DEFAULT, runTasks, sweepLanes } from '../harness/sweep-engine.ts';
import type { DeterminismMismatch, TaskRunner } from '../harness/sweep-engine.ts';
import { failureLines, rowsByScenario } from '../harness/sweep-summary-table.ts';
import type { SweepTask } from '../harness/sweep-task.ts';
import { sweepTable, terminalColumns } from '../harness/table.ts';
import { mergeSizeRefusal, sweepSizeRefusal } from '../harness/sweep-size.ts';
import { forTerminalErr, wrapHanging } from '../harness/wrap.ts';
import { sweepDifferenceSentences, sweepTargetDifferences } from '../../report/sweep-differences.ts';
import type { PlantedBug } from '../../bugs/planted-bugs.ts';
import { uncaughtBugHint } from '../harness/bug-hint.ts';
import { detcdBuild } from '../harness/detcd-build.ts';
import { count as countNoun } from '../../text/count.ts';
import { reportDirOfPage, reportLine } from '../harness/report-line.ts';
import { oneLine } from '../../errors/one-line.ts';

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
  /** Percent of the seeds re-run in another worker to check determinism (default 5; 0: none). */
  rerunPercent?: number;
  /** Where the tasks run: tests inject a runner; by default inline for one job, workers (lane-policy.ts) otherwise. */
  runner?: ((jobs: number) => TaskRunner) | undefined;
  /** Against real etcd processes: one run at a time, in this process. */
  realEtcd?: { binary: string | undefined; mitigations: boolean } | undefined;
}

/** How many runs this shard of the sweep holds (without listing them). */
export function countTasks(p: SweepPlan): number {
  const total = p.files.length * (p.seeds[1] - p.seeds[0] + 1);
  const k = p.shard.index - 1;
  return total <= k ? 0 : Math.floor((total - 1 - k) / p.shard.count) + 1;
}

/** The tasks of a sweep, in (scenario, seed) order, keeping this shard's share; made one at a time, as the workers ask. */
export function* planTasks(p: SweepPlan): Generator<SweepTask, void, undefined> {
  let i = 0;
  for (const f of p.files) {
    for (let seed = p.seeds[0]; seed <= p.seeds[1]; seed++, i++) {
      if (i % p.shard.count !== p.shard.index - 1) continue;
      yield { scenario: f.scenario, scenarioRef: f.ref, seed, bug: p.bug, reportsDir: join(p.outDir, 'runs'), sweepDir: p.outDir, reportAll: p.reportAll, realEtcd: p.realEtcd };
    }
  }
}

function printMismatches(mismatches: readonly DeterminismMismatch[]): void {
  for (const m of mismatches) {
    console.log(chalk.red.bold(oneLine(`nondeterminism: ${m.scenario} seed ${m.seed} gave trace hash ${m.traceHashes[0]} on worker ${m.workers[0]} and ${m.traceHashes[1]} on worker ${m.workers[1]}; ${m.where}`)));
    console.log(chalk.red(`  replay: ${oneLine(m.replay)}`));
  }
}

/**
 * While the runs go on, an interrupt removes the staging folders the worker threads were
 * writing (they share this process's id) before the process exits, then the --out directory
 * itself when this sweep made it and nothing was reported in it (no failed run's report).
 */
async function withInterruptCleanup<T>(outDir: string, madeOut: boolean, work: () => Promise<T>): Promise<T> {
  const onSignal = (signal: NodeJS.Signals): void => {
    removeStagingOf(outDir, process.pid, 4);
    if (madeOut) removeEmptyReportDir(outDir);
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

/** What this sweep set out to run, kept in sweep.json so that a merge can check its shards. */
function sweepPlan(p: SweepPlan): SweepPlanSummary {
  const plan: SweepPlanSummary = { scenarios: p.files.map((f) => f.scenario.name), seeds: p.seeds, shard: p.shard, detcd: detcdBuild() };
  return p.bug === undefined ? plan : { ...plan, bug: p.bug };
}

export async function executeSweep(p: SweepPlan): Promise<number> {
  const count = countTasks(p);
  const tooBig = sweepSizeRefusal(p.title.replace(/^detcd /, ''), p.seeds, p.files.length, p.shard.count, count);
  if (tooBig !== undefined) throw new UsageError(tooBig);
  const madeOut = !existsSync(p.outDir);
  const jobs = Math.max(1, Math.min(p.jobs, count));
  const shardNote = p.shard.count > 1 ? ` (shard ${p.shard.index}/${p.shard.count})` : '';
  const progress = process.stderr.isTTY || process.env['DETCD_PROGRESS'] === '1';
  let start = 0;
  // The interrupt's cleanup is in place before --out is claimed: a SIGTERM between the claim and
  // the handler (CI under load hit it) killed the process with the marked, empty directory left.
  const result = await withInterruptCleanup(p.outDir, madeOut, () => {
    claimSweepDirOut(p.title.replace(/^detcd /, ''), '--out', p.outDir);
    // npm start's line ran to 128 columns (its workers' V8 flags): wrapped between words on a terminal.
    console.error(forTerminalErr(`${p.title}: ${countNoun(count, 'run')} over ${countNoun(p.files.length, 'scenario')}, seeds ${p.seeds[0]}..${p.seeds[1]}${shardNote}, ${countNoun(jobs, 'worker')}${jobs > 1 && p.runner === undefined ? ` (${sweepLanes(jobs).describe})` : ''}${p.bug === undefined ? '' : `, bug ${p.bug}`}`));
    start = performance.now();
    return runTasks(planTasks(p), count, { jobs, stopOnFail: p.stopOnFail, progress, rerunPercent: p.rerunPercent ?? RERUN_PERCENT_DEFAULT, runner: p.runner });
  });
  const wallMs = performance.now() - start;
  const runs = result.runs;
  const rerunIn = jobs > 1 ? 'another worker' : 'the same thread';
  const determinism = result.reruns === 0 && result.mismatches.length === 0 ? undefined : { reruns: result.reruns, rerunIn, mismatches: result.mismatches };
  const sweep = await writeSweepReport(p.outDir, runs, determinism, sweepPlan(p));
  writeFileSync(join(p.outDir, 'determinism.json'), `${JSON.stringify({ reruns: result.reruns, mismatches: result.mismatches }, null, 2)}\n`);
  console.log(sweepTable(rowsByScenario(runs)));
  for (const line of failureLines(runs, p.outDir)) console.log(line.startsWith(' ') ? line : chalk.red(line));
  printMismatches(result.mismatches);
  const t = sweep.totals;
  const rerunNote = `${countNoun(result.reruns, 'seed')} re-run in ${rerunIn}: ${result.mismatches.length === 0 ? 'same trace hashes' : chalk.red.bold(`${result.mismatches.length} differ`)}`;
  console.log(`${countNoun(t.runs, 'run')}: ${chalk.green(`${t.valid} valid`)}, ${t.invalid > 0 ? chalk.red.bold(`${t.invalid} invalid`) : '0 invalid'}, ${t.unknown} unknown · ${(wallMs / 1000).toFixed(1)} s wall time (${(t.runs / (wallMs / 1000)).toFixed(2)} runs/s)`);
  console.log(`determinism: ${rerunNote}`);
  const differences = sweepTargetDifferences(runs);
  // A real sweep writes no page for a passing run: the faults its runs did not run are said here too.
  if (differences !== undefined) for (const line of sweepDifferenceSentences(differences)) console.log(wrapHanging('real etcd: ', line, 2, terminalColumns()));
  if (p.bug !== undefined && t.invalid === 0) console.log(uncaughtBugHint(p.bug, 'this sweep'));
  console.log(reportLine(p.outDir));
  return result.mismatches.length > 0 ? EXIT_INTERNAL : exitCodeFor(sweep.valid);
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
    'rerun-percent': { type: 'string' },
    target: { type: 'string' },
    etcd: { type: 'string' },
    'no-mitigations': { type: 'boolean' },
  }, true);
  if (values.merge === true) {
    refuseIgnored('sweep', values, ['scenario', 'seeds', 'jobs', 'shard', 'bug', 'stop-on-fail', 'report-all', 'rerun-percent', 'target', 'etcd', 'no-mitigations'], 'does nothing with --merge (a merge runs no seeds)');
    if (positionals.length === 0) throw new UsageError('detcd sweep --merge: name the shard directories to merge');
    const out = values.out ?? join(REPORTS_DIR_DEFAULT, 'sweep-merged');
    const shardDirs = positionals.map(reportDirOfPage);
    const shards = [];
    for (const dir of shardDirs) {
      try {
        const { runs, plan } = await readSweep(dir);
        shards.push({ dir, runs, plan });
      } catch (err) {
        throw new UsageError(`detcd sweep --merge: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    // A merge into one of its shards would replace that shard's own sweep.json with the merge.
    const into = shardDirs.find((dir) => samePath(dir, out));
    if (into !== undefined) throw new UsageError(`detcd sweep --merge: --out ${out} is one of the shards to merge: its sweep.json would be replaced (give a new directory)`);
    const conflict = mergeSizeRefusal(shards.reduce((n, s) => n + s.runs.length, 0), shards.length) ?? shardPlanConflict(shards) ?? shardConflict(shards);
    if (conflict !== undefined) throw new UsageError(`detcd sweep --merge: ${conflict}`);
    claimSweepDirOut('sweep', '--out', out);
    const merged = await mergeShards(shardDirs, out);
    console.log(sweepTable(rowsByScenario(merged.runs)));
    for (const line of failureLines(merged.runs, out)) console.log(line.startsWith(' ') ? line : chalk.red(line));
    console.log(`merged ${countNoun(positionals.length, 'shard')}: ${countNoun(merged.totals.runs, 'run')}`);
    const d = merged.determinism;
    if (d !== undefined) {
      printMismatches(d.mismatches);
      console.log(`determinism: ${countNoun(d.reruns, 'seed')} re-run in ${d.rerunIn}: ${d.mismatches.length === 0 ? 'same trace hashes' : chalk.red.bold(`${d.mismatches.length} differ`)}`);
    }
    console.log(reportLine(out));
    return d !== undefined && d.mismatches.length > 0 ? EXIT_INTERNAL : exitCodeFor(merged.valid);
  }
  if (positionals.length > 0) throw new UsageError(`detcd sweep: unexpected argument '${positionals[0]}'`);
  const ref = values.scenario ?? 'swarm';
  if (ref === STDIN_SCENARIO) throw new UsageError('detcd sweep: --scenario - (stdin) is for run only: save the scenario to a file');
  const files = ref === 'all' ? shippedScenarios() : [loadScenario(ref)];
  const shard = shardOption('sweep', values.shard);
  const name = ref === 'all' ? 'all' : (files[0]?.scenario.name ?? 'sweep');
  const target = targetOption('sweep', values.target ?? (ref === 'all' ? undefined : files[0]?.scenario.target), values);
  if (target === 'etcd' && values.bug !== undefined) throw new UsageError('sweep: --bug plants a bug in the simulated product; it cannot be used with --target etcd');
  // Real processes share this machine's network and ports: their runs go one at a time.
  const realEtcd = target === 'etcd' ? { binary: values.etcd, mitigations: values['no-mitigations'] !== true } : undefined;
  // An --etcd that does not run is refused before the sweep's header, as a run refuses it: one line.
  if (realEtcd !== undefined) {
    const { etcdVersion, DEFAULT_ETCD_BINARY } = await import('../target-etcd/real-run.ts');
    etcdVersion(realEtcd.binary ?? DEFAULT_ETCD_BINARY);
  }
  return executeSweep({
    files,
    seeds: seedsOption('sweep', values.seeds, [1, 20]),
    bug: bugOption('sweep', values.bug),
    shard,
    jobs: realEtcd !== undefined ? 1 : intOption('sweep', 'jobs', values.jobs, defaultJobs(), 1, 1024),
    realEtcd,
    stopOnFail: values['stop-on-fail'] === true,
    outDir: values.out ?? join(REPORTS_DIR_DEFAULT, `sweep-${name}${shard.count > 1 ? `-shard-${shard.index}-of-${shard.count}` : ''}`),
    reportAll: values['report-all'] === true,
    title: 'detcd sweep',
    // A real target records no trace: there is no determinism to re-check.
    rerunPercent: realEtcd !== undefined ? 0 : intOption('sweep', 'rerun-percent', values['rerun-percent'], RERUN_PERCENT_DEFAULT, 0, 100),
  });
}
