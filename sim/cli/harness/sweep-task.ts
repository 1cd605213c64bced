// What one sweep worker does for one seed: the run, its report when it did not pass (or
// always, when asked), and a one-line summary back to the pool. Runs in a piscina worker
// thread (bin/sweep-worker.mjs registers tsx first) or inline with --jobs 1.
import { relative, sep } from 'node:path';
import { summarizeRun } from '../../report/index.ts';
import type { RunSummary } from '../../report/index.ts';
import type { PlantedBug } from '../../bugs/planted-bugs.ts';
import type { Scenario } from '../../scenario/schema.ts';
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
}

export async function runSweepTask(task: SweepTask): Promise<RunSummary> {
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
