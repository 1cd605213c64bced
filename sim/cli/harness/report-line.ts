// The line every command prints after writing a report: `report: DIR/index.html`, the page to
// open. run printed its directory and sweep/check the page; replay, shrink and report take the
// page's path as they take its directory (run-dir.ts, commands/report.ts), so one form serves both.
import { join } from 'node:path';
import { oneLine } from '../../errors/one-line.ts';

export const REPORT_PAGE = 'index.html';

export function reportLine(dir: string): string {
  return `report: ${oneLine(join(dir, REPORT_PAGE))}`;
}
