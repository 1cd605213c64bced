// writeCheckReport: a checked history's report directory (detcd check --out DIR): index.html
// (self-contained) and check.json (each checker's verdict in full), written through
// report-dir.ts: only into a new, empty or detcd check report directory, replacing only those
// two files. The history itself is not copied: the page names the file it came from.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CHECK_REPORT_FILES, renderCheckHtml, type CheckReportInput } from './check-page.ts';
import { writeReportDir } from './report-dir.ts';

/** check.json's `format`: what tells a check report from a run's or a sweep's. */
export const CHECK_REPORT_FORMAT = 'detcd-check';

export async function writeCheckReport(dir: string, input: CheckReportInput, version: string): Promise<void> {
  const html = await renderCheckHtml(input);
  const json = { format: CHECK_REPORT_FORMAT, version, file: input.file, historyFormat: input.format, model: input.model, valid: input.valid, ops: input.ops, ms: input.ms, command: input.command, notes: input.notes, checkers: input.checkers };
  await writeReportDir(dir, { ownFiles: CHECK_REPORT_FILES, lastFile: 'check.json' }, async (temp) => {
    await writeFile(join(temp, 'index.html'), html);
    await writeFile(join(temp, 'check.json'), `${JSON.stringify(json, null, 2)}\n`);
  });
}
