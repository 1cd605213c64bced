// `detcd run --target etcd`: one real-etcd run from the command line, its report written like a
// simulated run's, with the members' logs under etcd/ in the report, and their data directories
// too when the run did not pass (the evidence; about 370 MB for three members, mostly
// preallocated WAL files, so a passing run does not keep them).
import { cpSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runReportDir, writeRunReportTo } from '../../report/index.ts';
import type { Scenario } from '../../scenario/schema.ts';
import type { RealRunOutput } from './real-run.ts';
import { runRealEtcd } from './real-run.ts';
import { shellWord } from '../../text/shell-word.ts';
import { LEADER_TIMELINE_FILE, leaderTimelineLines } from '../../history/leader-timeline-file.ts';

export interface ExecuteRealOptions {
  scenario: Scenario;
  scenarioRef: string;
  seed: number;
  binary: string | undefined;
  mitigations?: boolean;
  outDir?: string | undefined;
  reportsDir?: string;
  /** Write the report only when the run did not pass (sweeps). */
  reportOnlyOnFailure?: boolean;
  log?: (line: string) => void;
}

export function realReplay(scenarioRef: string, seed: number, binary: string | undefined): string {
  return `detcd run --target etcd${binary === undefined ? '' : ` --etcd ${shellWord(binary)}`} --scenario ${shellWord(scenarioRef)} --seed ${seed}`;
}

export async function executeRealRun(o: ExecuteRealOptions): Promise<{ output: RealRunOutput; dir: string | undefined }> {
  const dir = o.outDir ?? runReportDir(o.reportsDir ?? 'reports', o.scenario.name, o.seed);
  const output = await runRealEtcd(o.scenario, o.seed, { binary: o.binary, replay: realReplay(o.scenarioRef, o.seed, o.binary) + (o.mitigations === false ? ' --no-mitigations' : ''), log: o.log, mitigations: o.mitigations });
  if (o.reportOnlyOnFailure === true && output.results.valid === true) {
    rmSync(output.workDir, { recursive: true, force: true });
    return { output, dir: undefined };
  }
  await writeRunReportTo(dir, { results: output.results, history: output.history, watches: output.watches, trace: [], scenario: output.scenario });
  writeFileSync(join(dir, 'scenario.json'), `${JSON.stringify(o.scenario, null, 2)}\n`);
  writeFileSync(join(dir, LEADER_TIMELINE_FILE), `${leaderTimelineLines(output.leaderTimeline).join('\n')}\n`);
  if (output.lockHistory !== undefined) writeFileSync(join(dir, 'lock-history.jsonl'), output.lockHistory.map((op) => JSON.stringify(op)).join('\n') + '\n');
  if (output.results.valid === true) removeDataDirs(output.workDir);
  moveInto(output.workDir, join(dir, 'etcd'));
  return { output, dir };
}

/** Removes the members' data directories from the run's folder and keeps their logs (files). */
function removeDataDirs(workDir: string): void {
  for (const entry of readdirSync(workDir, { withFileTypes: true })) {
    if (entry.isDirectory()) rmSync(join(workDir, entry.name), { recursive: true, force: true });
  }
}

/** Moves the members' folder into the report (a copy when they are on different file systems). */
function moveInto(from: string, to: string): void {
  try {
    renameSync(from, to);
  } catch {
    cpSync(from, to, { recursive: true });
    rmSync(from, { recursive: true, force: true });
  }
}
