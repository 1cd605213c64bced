// detcd report DIR: a run's or a sweep's report pages drawn again by this build from the data
// the directory holds, so that reports written by an older detcd show what this one shows (a
// real run's faults not run, settings not applied, the swarm's left-out draws...). A run: its
// index.html and junit.xml, from results.json, history.jsonl, watches.jsonl and scenario.json.
// A sweep: the run reports it links inside its directory (their rows refreshed from their
// results.json), then its index.html, junit.xml and summary.md, from sweep.json. Everything is
// read and checked before anything is written; a refusal is one line naming the file and the
// reason (exit 3). Only those pages are written, each replaced whole (a rename): the data files,
// sweep.json and everything else in the directory stay as they were.
import { existsSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { renderJunit, suitesFromRuns } from '../../report/junit.ts';
import { renderSweepMarkdown } from '../../report/markdown-summary.ts';
import { writeFileReplacing } from '../../report/report-dir.ts';
import { renderRunHtml, type RunReportInput } from '../../report/run-page.ts';
import { summarizeRun, verdictWord, type RunSummary } from '../../report/run-summary.ts';
import { renderSweepHtml } from '../../report/sweep-page.ts';
import { readSweep } from '../../report/sweep-report.ts';
import { directoryProblem } from '../../report/input-file.ts';
import { buildSweepSummary, type SweepSummary } from '../../report/sweep-summary.ts';
import { detcdBuild } from '../harness/detcd-build.ts';
import { exitCodeFor, UsageError } from '../errors.ts';
import { parseCommandArgs } from '../harness/args.ts';
import { readRunReportInput } from '../harness/report-input.ts';
import { checkRedrawDir } from '../harness/out-path.ts';
import { forTerminal } from '../harness/wrap.ts';
import { oneLine } from '../../errors/one-line.ts';
import { REPORT_PAGE } from '../harness/report-line.ts';

type Kind = 'run' | 'sweep';

/** The report directory named and what it holds: a run (results.json) or a sweep (sweep.json). */
function reportDirOf(target: string): { dir: string; kind: Kind } {
  if (!existsSync(target)) throw new UsageError(`detcd report: no such file or directory: ${target}`);
  if (!statSync(target).isDirectory()) {
    const name = basename(target);
    // The page every command prints (report: DIR/index.html) names its report as its directory does.
    if (name === REPORT_PAGE) return reportDirOf(dirname(target));
    if (name === 'results.json') return { dir: dirname(target), kind: 'run' };
    if (name === 'sweep.json') return { dir: dirname(target), kind: 'sweep' };
    throw new UsageError(`detcd report: ${target}: not a report directory, nor its results.json or sweep.json`);
  }
  const unreadable = directoryProblem(target);
  if (unreadable !== undefined) throw new UsageError(`detcd report: ${target}: ${unreadable}`);
  const run = existsSync(join(target, 'results.json'));
  const sweep = existsSync(join(target, 'sweep.json'));
  if (run && sweep) throw new UsageError(`detcd report: ${target}: holds both results.json and sweep.json: name the one to draw (${join(target, 'results.json')} or ${join(target, 'sweep.json')})`);
  // A checked history's report holds no copy of its history: it is drawn by checking it again.
  if (!run && !sweep && existsSync(join(target, 'check.json'))) throw new UsageError(`detcd report: ${target}: a checked history's report (check.json): draw it again with the check its check.json names (its "command", with --out ${target})`);
  if (!run && !sweep) throw new UsageError(`detcd report: ${target}: not a detcd report directory: no results.json (a run) or sweep.json (a sweep) there`);
  return { dir: target, kind: run ? 'run' : 'sweep' };
}

/** The run page, or a refusal naming results.json: every field the page reads was checked, so what still throws is a shape of the data this build cannot draw. */
async function runPage(dir: string, input: RunReportInput): Promise<string> {
  try {
    return await renderRunHtml(input);
  } catch (err) {
    throw new UsageError(`${join(dir, 'results.json')}: (file): this build cannot draw it: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** The pages report draws into a run's directory, and into a sweep's: nothing else there is written. */
const RUN_PAGES = ['index.html', 'junit.xml'] as const;
const SWEEP_PAGES = ['index.html', 'junit.xml', 'summary.md'] as const;

async function writeRunPages(dir: string, input: RunReportInput): Promise<void> {
  const html = await runPage(dir, input);
  const junit = renderJunit(suitesFromRuns([summarizeRun(input.results)]));
  writeFileReplacing(join(dir, RUN_PAGES[0]), html);
  writeFileReplacing(join(dir, RUN_PAGES[1]), junit);
}

/** A run report a sweep links, when it lies inside the sweep's directory (a merged sweep's may lie in its shards'). */
function linkedInside(sweepDir: string, run: RunSummary): string | undefined {
  if (run.report === undefined || isAbsolute(run.report)) return undefined;
  const dir = resolve(sweepDir, run.report);
  const rel = relative(resolve(sweepDir), dir);
  if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return undefined;
  return existsSync(join(dir, 'results.json')) ? dir : undefined;
}

async function readSweepOrRefuse(dir: string): Promise<SweepSummary> {
  try {
    return await readSweep(dir);
  } catch (err) {
    // readSweep's errors name the file and what is wrong with it.
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
}

async function sweepReport(dir: string): Promise<{ valid: SweepSummary['valid']; runPages: number; left: number }> {
  const recorded = await readSweepOrRefuse(dir);
  const linked = recorded.runs.map((run) => ({ run, runDir: linkedInside(dir, run) }));
  // First every linked run read and checked (nothing written yet); its row refreshed from its own results.
  const runs = linked.map(({ run, runDir }) => {
    if (runDir === undefined) return run;
    const { results } = readRunReportInput(runDir);
    if (results.scenario !== run.scenario || results.seed !== run.seed) {
      throw new UsageError(`${join(runDir, 'results.json')}: scenario, seed: ${results.scenario} seed ${results.seed}, but ${join(dir, 'sweep.json')} links it as ${run.scenario} seed ${run.seed}`);
    }
    return run.report === undefined ? summarizeRun(results) : summarizeRun(results, run.report);
  });
  const sweep = buildSweepSummary(runs, recorded.determinism, recorded.plan);
  const pages = { index: renderSweepHtml(sweep), junit: renderJunit(suitesFromRuns(sweep.runs), 'detcd sweep'), summary: renderSweepMarkdown(sweep) };
  // Every directory a page goes into checked before the first is written: no sweep half redrawn.
  for (const { runDir } of linked) if (runDir !== undefined) checkRedrawDir(runDir, RUN_PAGES);
  checkRedrawDir(dir, SWEEP_PAGES);
  // Then drawn and written, one run at a time (a sweep's histories are not all held at once).
  let runPages = 0;
  for (const { runDir } of linked) {
    if (runDir === undefined) continue;
    await writeRunPages(runDir, readRunReportInput(runDir));
    runPages++;
  }
  writeFileReplacing(join(dir, SWEEP_PAGES[0]), pages.index);
  writeFileReplacing(join(dir, SWEEP_PAGES[1]), pages.junit);
  writeFileReplacing(join(dir, SWEEP_PAGES[2]), pages.summary);
  return { valid: sweep.valid, runPages, left: linked.length - runPages };
}

export async function report(argv: string[]): Promise<number> {
  const { positionals } = parseCommandArgs('report', argv, {}, true);
  if (positionals.length !== 1) throw new UsageError(`detcd report: name one run or sweep report directory (or its results.json or sweep.json), got ${positionals.length} arguments`);
  const { dir, kind } = reportDirOf(positionals[0]!);
  if (kind === 'run') {
    const input = readRunReportInput(dir);
    checkRedrawDir(dir, RUN_PAGES);
    await writeRunPages(dir, input);
    console.log(forTerminal(`drawn again by ${detcdBuild()}: ${oneLine(join(dir, 'index.html'))}, junit.xml (the run's verdict as recorded: ${verdictWord(input.results.valid)})`));
    return exitCodeFor(input.results.valid);
  }
  const done = await sweepReport(dir);
  const left = done.left === 0 ? '' : `; ${done.left} run${done.left === 1 ? '' : 's'} without a report inside it kept as sweep.json recorded ${done.left === 1 ? 'it' : 'them'}`;
  console.log(forTerminal(`drawn again by ${detcdBuild()}: ${oneLine(join(dir, 'index.html'))}, junit.xml, summary.md and ${done.runPages} run report${done.runPages === 1 ? '' : 's'}${left} (the sweep's verdict as recorded: ${verdictWord(done.valid)})`));
  return exitCodeFor(done.valid);
}
