// A sweep's report in reports/: index.html (table of runs, failures first), junit.xml (all
// runs merged), summary.md (for a CI job summary) and sweep.json (what mergeShards reads), each
// with the determinism re-runs' result when the sweep made any.
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { writeFile } from 'node:fs/promises';
import { renderJunit, suitesFromRuns } from './junit.ts';
import { renderSweepMarkdown } from './markdown-summary.ts';
import { readInputText } from './input-file.ts';
import { PathError } from './path-error.ts';
import { SWEEP_REPORT_FILES, writeReportDir } from './report-dir.ts';
import type { RunSummary } from './run-summary.ts';
import { buildSweepSummary, mergeDeterminism, parseSweepSummary, type SweepDeterminism, type SweepSummary } from './sweep-summary.ts';
import { mergedPlan, type SweepPlanSummary } from './sweep-plan.ts';
import { renderSweepHtml } from './sweep-page.ts';
import { jsonNestingRefusal } from '../text/json-nesting.ts';

export async function writeSweepReport(dir: string, runs: readonly RunSummary[], determinism?: SweepDeterminism, plan?: SweepPlanSummary): Promise<SweepSummary> {
  const sweep = buildSweepSummary(runs, determinism, plan);
  // sweep.json last: a merge that finds it can trust the other files are complete.
  // Into a new, empty or detcd report directory (or one holding only the sweep's run reports).
  await writeReportDir(dir, { ownFiles: SWEEP_REPORT_FILES, lastFile: 'sweep.json', acceptSubdirs: true }, async (staging) => {
    await writeFile(join(staging, 'index.html'), renderSweepHtml(sweep));
    await writeFile(join(staging, 'junit.xml'), renderJunit(suitesFromRuns(sweep.runs), 'detcd sweep'));
    await writeFile(join(staging, 'summary.md'), renderSweepMarkdown(sweep));
    await writeFile(join(staging, 'sweep.json'), `${JSON.stringify(sweep, null, 1)}\n`);
  });
  return sweep;
}

// Async for its callers, which await it; the read itself is bounded and synchronous.
// eslint-disable-next-line @typescript-eslint/require-await
export async function readSweep(dir: string): Promise<SweepSummary> {
  const file = join(dir, 'sweep.json');
  let text: string;
  try {
    text = readInputText(file);
  } catch (err) {
    if (err instanceof PathError) throw new Error(`${file}: ${err.reason}`, { cause: err });
    throw err;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new Error(`${file}: not valid JSON (${err instanceof Error ? err.message : String(err)})`, { cause: err });
  }
  const deep = jsonNestingRefusal(text);
  if (deep !== undefined) throw new Error(`${file}: ${deep}`);
  return parseSweepSummary(json, file);
}

function rebase(report: string | undefined, fromDir: string, toDir: string): string | undefined {
  if (report === undefined) return undefined;
  const absolute = isAbsolute(report) ? report : resolve(fromDir, report);
  return relative(resolve(toDir), absolute).split(sep).join('/');
}

/**
 * Two shards that ran the same (scenario, seed) and got different trace hashes ran different
 * builds or different scenario files: a merge would keep one of them silently. Returns a line
 * naming both, or undefined when every repeated run agrees.
 */
export function shardConflict(shards: readonly { dir: string; runs: readonly RunSummary[] }[]): string | undefined {
  const first = new Map<string, { dir: string; hash: string }>();
  for (const { dir, runs } of shards) {
    for (const run of runs) {
      const key = `${run.scenario}\u0000${run.seed}`;
      const hash = run.traceHash ?? '';
      const seen = first.get(key);
      if (seen === undefined) first.set(key, { dir, hash });
      else if (seen.hash !== hash) {
        return `${run.scenario} seed ${run.seed} has trace hash ${seen.hash || '(none)'} in ${seen.dir} but ${hash || '(none)'} in ${dir}: the shards ran different builds or scenario files`;
      }
    }
  }
  return undefined;
}

/**
 * Merges the sweep.json of each shard directory into one sweep report in `outDir`, with report
 * links rebased onto `outDir`. A (scenario, seed) seen in two shards is kept once, the first.
 */
export async function mergeShards(shardDirs: readonly string[], outDir: string): Promise<SweepSummary> {
  const seen = new Set<string>();
  const runs: RunSummary[] = [];
  const determinism: (SweepDeterminism | undefined)[] = [];
  const plans: { dir: string; plan: SweepPlanSummary | undefined; runs: RunSummary[] }[] = [];
  for (const dir of shardDirs) {
    const shard = await readSweep(dir);
    plans.push({ dir, plan: shard.plan, runs: shard.runs });
    determinism.push(shard.determinism);
    for (const run of shard.runs) {
      const key = `${run.scenario}\u0000${run.seed}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const report = rebase(run.report, dir, outDir);
      const { report: _dropped, ...rest } = run;
      runs.push(report === undefined ? rest : { ...rest, report });
    }
  }
  return writeSweepReport(outDir, runs, mergeDeterminism(determinism), mergedPlan(plans));
}
