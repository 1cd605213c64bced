// writeRunReport: everything a run leaves behind, in reports/<scenario>/<seed>/:
// index.html (self-contained), results.json, history.jsonl, history.edn (Jepsen's format),
// trace.jsonl and junit.xml. Written through report-dir.ts: only into a new, empty or detcd
// report directory, replacing only detcd's own files.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeLines } from './atomic-write.ts';
import { opToEdn } from './edn.ts';
import { pathSegment } from './escape.ts';
import { renderJunit, suitesFromRuns } from './junit.ts';
import { RUN_REPORT_FILES, writeReportDir } from './report-dir.ts';
import { renderRunHtml, type RunReportInput } from './run-page.ts';
import { summarizeRun } from './run-summary.ts';

function* jsonLines(items: Iterable<unknown>): Generator<string> {
  for (const item of items) yield JSON.stringify(item);
}

function* ednLines(input: RunReportInput): Generator<string> {
  for (const op of input.history) yield opToEdn(op);
}

const reserved = new Set(['index.html', 'results.json', 'history.jsonl', 'history.edn', 'trace.jsonl', 'watches.jsonl', 'junit.xml']);

/** Whether `name` may be an extra file of a run report: a plain file name none of the report's own files has. */
export function isExtraFileName(name: string): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name) && !reserved.has(name);
}

/** The directory a run's report goes to under a reports root: <root>/<scenario>/<seed>. */
export function runReportDir(reportsDir: string, scenario: string, seed: number): string {
  return join(reportsDir, pathSegment(scenario), String(seed));
}

/** Writes the report of one run into exactly `runDir`, replacing only a previous detcd report's files. */
export async function writeRunReportTo(runDir: string, input: RunReportInput): Promise<void> {
  const html = await renderRunHtml(input);
  await writeReportDir(runDir, { ownFiles: RUN_REPORT_FILES, lastFile: 'results.json' }, async (temp) => {
    await writeFile(join(temp, 'index.html'), html);
    await writeFile(join(temp, 'results.json'), `${JSON.stringify(input.results, null, 2)}\n`);
    await writeLines(join(temp, 'history.jsonl'), jsonLines(input.history));
    await writeLines(join(temp, 'history.edn'), ednLines(input));
    await writeLines(join(temp, 'trace.jsonl'), jsonLines(input.trace ?? []));
    if (input.watches !== undefined) await writeLines(join(temp, 'watches.jsonl'), jsonLines(input.watches));
    await writeFile(join(temp, 'junit.xml'), renderJunit(suitesFromRuns([summarizeRun(input.results)])));
    for (const [name, content] of Object.entries(input.extraFiles ?? {})) {
      if (!isExtraFileName(name)) throw new Error(`writeRunReport: extra file name '${name}' is not a plain, unreserved file name`);
      await writeFile(join(temp, name), content);
    }
  });
}

/** Writes the report of one run into <reportsDir>/<scenario>/<seed>/ and returns that path. */
export async function writeRunReport(reportsDir: string, input: RunReportInput): Promise<string> {
  const runDir = runReportDir(reportsDir, input.results.scenario, input.results.seed);
  await writeRunReportTo(runDir, input);
  return runDir;
}
