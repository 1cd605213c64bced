// Temporary directories for tests, removed when the test file's tests are done. A test that
// leaves its mkdtemp folder behind fills the disk over many suite runs: a real-etcd run leaves
// 368 MB (three members' WALs), an npm pack 95 MB; 90 GB had piled up in /tmp on the shared
// machine when a full `npm test` failed with ENOSPC (2026-12-05).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const made: string[] = [];

/** Removes every folder scratchDir made so far (test/scratch-dir-cleanup.ts, after each test file). */
export function removeScratchDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** A new empty directory under the system's temp dir, named `${prefix}XXXXXX`; gone after the file's tests. */
export function scratchDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}
