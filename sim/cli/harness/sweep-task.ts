// What one sweep worker does for one seed: the run, its report when it did not pass (or
// always, when asked), and a one-line summary back to the pool. Runs in a piscina worker
// thread (bin/sweep-worker.mjs registers tsx first) or inline with --jobs 1.
import { relative, sep } from 'node:path';
import { summarizeRun } from '../../report/index.ts';
import type { RunSummary } from '../../report/index.ts';
import type { PlantedBug } from '../../bugs/planted-bugs.ts';
import type { Scenario } from '../../scenario/schema.ts';
import { executeRealRun } from '../target-etcd/execute-real.ts';
import { executeRun } from './execute.ts';

export interface SweepTask {
  scenario: Scenario;
  scenarioRef: string;
  seed: number;
  bug?: PlantedBug | undefined;
  /** Run reports go to <reportsDir>/<scenario>/<seed>; links are relative to sweepDir. */
  reportsDir: string;
  sweepDir: string;
  reportAll: boolean;
  /** Against real etcd processes (run inline, one at a time): the binary and whether known bugs are stepped around. */
  realEtcd?: { binary: string | undefined; mitigations: boolean } | undefined;
}

export async function runSweepTask(task: SweepTask): Promise<RunSummary> {
  if (task.realEtcd !== undefined) {
    const real = await executeRealRun({
      scenario: task.scenario, scenarioRef: task.scenarioRef, seed: task.seed, binary: task.realEtcd.binary, mitigations: task.realEtcd.mitigations,
      reportsDir: task.reportsDir, reportOnlyOnFailure: !task.reportAll,
    });
    return summarizeRun(real.output.results, real.dir === undefined ? undefined : relative(task.sweepDir, real.dir).split(sep).join('/'));
  }
  const { output, dir } = await executeRun({
    scenario: task.scenario,
    scenarioRef: task.scenarioRef,
    seed: task.seed,
    bug: task.bug,
    reportsDir: task.reportsDir,
    reportOnlyOnFailure: !task.reportAll,
    traceLog: true,
  });
  const link = dir === undefined ? undefined : relative(task.sweepDir, dir).split(sep).join('/');
  return summarizeRun(output.results, link);
}

export default runSweepTask;
