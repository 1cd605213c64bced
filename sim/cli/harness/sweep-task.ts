// What one sweep worker does for one seed: the run, its report when it did not pass (or
// always, when asked), and a one-line summary back to the pool with the trace-hash checkpoints.
// Runs in a worker thread (sweep-worker.ts, compiled) or inline with --jobs 1.
import { relative, sep } from 'node:path';
import { summarizeRun } from '../../report/run-summary.ts';
import type { RunSummary } from '../../report/run-summary.ts';
import type { PlantedBug } from '../../bugs/planted-bugs.ts';
import { defaultReplay, runScenario } from '../../run/run.ts';
import type { Scenario } from '../../scenario/schema.ts';
import { executeRun } from './execute.ts';
import { detcdBuild } from './detcd-build.ts';

export interface SweepTask {
  scenario: Scenario;
  scenarioRef: string;
  seed: number;
  bug?: PlantedBug | undefined;
  /** Run reports go to <reportsDir>/<scenario>/<seed>; links are relative to sweepDir. */
  reportsDir: string;
  sweepDir: string;
  reportAll: boolean;
  /** The determinism re-run of a seed: nothing is written, only the trace hashes come back. */
  rerun?: boolean;
  /** Against real etcd processes (run inline, one at a time): the binary and whether known bugs are stepped around. */
  realEtcd?: { binary: string | undefined; mitigations: boolean } | undefined;
}

/** What a worker sends back: the run's summary and its trace-hash checkpoints (where traces part). */
export interface SweepOutcome {
  summary: RunSummary;
  checkpoints: [number, string][];
}

export async function runSweepTask(task: SweepTask): Promise<SweepOutcome> {
  if (task.realEtcd !== undefined) {
    // A real target records no trace: nothing to compare in a determinism re-run. Loaded only
    // here: it brings the whole report (vega, vega-lite, d3), which a simulated sweep's worker
    // would otherwise load and compile at its start for nothing.
    const { executeRealRun } = await import('../target-etcd/execute-real.ts');
    const real = await executeRealRun({
      scenario: task.scenario, scenarioRef: task.scenarioRef, seed: task.seed, binary: task.realEtcd.binary, mitigations: task.realEtcd.mitigations,
      reportsDir: task.reportsDir, reportOnlyOnFailure: !task.reportAll,
    });
    return { summary: summarizeRun(real.output.results, real.dir === undefined ? undefined : relative(task.sweepDir, real.dir).split(sep).join('/')), checkpoints: [] };
  }
  if (task.rerun === true) {
    const output = runScenario(task.scenario, task.seed, { bug: task.bug, replay: defaultReplay(task.scenarioRef, task.seed, task.bug), version: detcdBuild() });
    return { summary: summarizeRun(output.results), checkpoints: output.checkpoints };
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
  return { summary: summarizeRun(output.results, link), checkpoints: output.checkpoints };
}
