// Writing big report files: lines in batches, so a history of millions of lines is never held
// as one string. Where a report goes and what it may replace is in report-dir.ts.
import { open } from 'node:fs/promises';

/** Writes lines in batches, so a history of millions of lines is never held as one string. */
export async function writeLines(path: string, lines: Iterable<string>): Promise<void> {
  const file = await open(path, 'w');
  const batchLinesMax = 2000;
  try {
    let batch: string[] = [];
    for (const line of lines) {
      batch.push(line);
      if (batch.length >= batchLinesMax) {
        await file.write(`${batch.join('\n')}\n`);
        batch = [];
      }
    }
    if (batch.length > 0) await file.write(`${batch.join('\n')}\n`);
  } finally {
    await file.close();
  }
}
