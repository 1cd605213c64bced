// One run from the command line: the scenario file, the seed, the bug; the report written to
// disk with the scenario as given (scenario.json) and the trace-hash checkpoints, so that
// `detcd replay DIR` needs nothing but the directory.
import { performance } from 'node:perf_hooks';
import { join } from 'node:path';
import { pathSegment } from '../../report/escape.ts';
import type { PlantedBug } from '../../bugs/planted-bugs.ts';
import { defaultReplay, runScenario } from '../../run/run.ts';
import type { RunOutput } from '../../run/run.ts';
import type { Scenario } from '../../scenario/schema.ts';
import { detcdBuild } from './detcd-build.ts';
import { shellWord } from '../../text/shell-word.ts';
import { LEADER_TIMELINE_FILE, leaderTimelineLines } from '../../history/leader-timeline-file.ts';

export interface ExecuteOptions {
  scenario: Scenario;
  /** How `--scenario` finds it again (a shipped name or a file). */
  scenarioRef: string;
  seed: number;
  bug?: PlantedBug | undefined;
  /** Exactly this directory; otherwise <reportsDir>/<scenario>/<seed>. */
  outDir?: string | undefined;
  reportsDir?: string;
  /** Write the report only when the run did not pass (sweeps). */
  reportOnlyOnFailure?: boolean;
  traceLog?: boolean;
}

export interface Executed {
  output: RunOutput;
  dir: string | undefined;
}

export const REPORTS_DIR_DEFAULT = 'reports';

/**
 * runReportDir of report/run-report.ts (a test holds them equal), without loading the report's
 * renderers: a sweep worker loads those only when a run fails (they cost each thread ~0.2 s CPU).
 */
export function reportDirOf(reportsDir: string, scenario: string, seed: number): string {
  return join(reportsDir, pathSegment(scenario), String(seed));
}

export async function executeRun(o: ExecuteOptions): Promise<Executed> {
  const dir = o.outDir ?? reportDirOf(o.reportsDir ?? REPORTS_DIR_DEFAULT, o.scenario.name, o.seed);
  const output = runScenario(o.scenario, o.seed, {
    bug: o.bug,
    traceLog: o.traceLog ?? true,
    wallNowMs: () => performance.now(),
    replay: defaultReplay(o.scenarioRef, o.seed, o.bug),
    // Quoted as the terminal's shrink line is: the report page's command box is pasted too.
    shrink: `detcd shrink ${shellWord(dir)}`,
    version: detcdBuild(),
  });
  if (o.reportOnlyOnFailure === true && output.results.valid === true) return { output, dir: undefined };
  const { writeRunReportTo } = await import('../../report/run-report.ts');
  await writeRunReportTo(dir, {
    results: output.results,
    history: output.history,
    watches: output.watches,
    trace: output.trace,
    scenario: output.scenario,
    extraFiles: {
      'scenario.json': `${JSON.stringify(o.scenario, null, 2)}\n`,
      'checkpoints.json': `${JSON.stringify(output.checkpoints)}\n`,
      ...(output.lockHistory === undefined ? {} : { 'lock-history.jsonl': output.lockHistory.map((op) => JSON.stringify(op)).join('\n') + '\n' }),
      ...(output.leaderTimeline === undefined ? {} : { [LEADER_TIMELINE_FILE]: `${leaderTimelineLines(output.leaderTimeline).join('\n')}\n` }),
    },
  });
  return { output, dir };
}
