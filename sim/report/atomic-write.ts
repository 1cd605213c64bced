// Reports are written atomically: into a temporary sibling first, then renamed into place, so a
// crash or an error never leaves a half-written report where a reader (CI, a person) looks.
import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

function tempSibling(path: string, tag: string): string {
  return join(dirname(path), `.${basename(path)}.${tag}-${process.pid}-${randomBytes(4).toString('hex')}`);
}

export async function writeFileAtomic(path: string, content: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temp = tempSibling(path, 'tmp');
  try {
    await writeFile(temp, content);
    await rename(temp, path);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
}

/**
 * Fills a fresh temporary directory with `fill`, then swaps it in for `dir`. An existing `dir`
 * is moved aside first and removed after, so readers see the old report or the new one.
 */
export async function writeDirAtomic(dir: string, fill: (tempDir: string) => Promise<void>): Promise<void> {
  await mkdir(dirname(dir), { recursive: true });
  const temp = tempSibling(dir, 'tmp');
  await mkdir(temp);
  try {
    await fill(temp);
  } catch (err) {
    await rm(temp, { recursive: true, force: true });
    throw err;
  }
  const old = tempSibling(dir, 'old');
  let moved = false;
  try {
    await rename(dir, old);
    moved = true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
      await rm(temp, { recursive: true, force: true });
      throw err;
    }
  }
  await rename(temp, dir);
  if (moved) await rm(old, { recursive: true, force: true });
}

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
