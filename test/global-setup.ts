// Before the tests: the compiled package in dist/ is rebuilt when the sources changed (see
// scripts/ensure-build.mjs), so that the tests that start the bin or the sweep's worker threads
// run today's code, not an older build.
//
// Every test run also gets a temporary folder of its own (TMPDIR, which os.tmpdir() and the
// processes the tests start read), removed when the run ends: tests make report folders, real
// etcd data folders (64 MB write-ahead logs each) and scratch files there, and a run must not
// leave hundreds of them behind on the machine (a day of test runs filled a 250 GB disk). Test
// files remove their own folders as they go (test/scratch-dir.ts); this is the net under them,
// for whatever a file or a process it starts leaves in the temp dir.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Set while a run's folder exists: vitest runs this setup for the root and again for each project. */
const RUN_TMP_ENV = 'DETCD_TEST_RUN_TMP';

export default function setup(): () => void {
  execFileSync(process.execPath, ['scripts/ensure-build.mjs'], { stdio: 'inherit' });
  // One folder per run, not one inside another per project: three nested folders made Chromium's
  // socket path (/tmp/detcd-test-run-X/detcd-test-run-Y/detcd-test-run-Z/org.chromium.../SingletonSocket)
  // longer than a Unix socket path may be, and the browser tests failed in every full run.
  if (process.env[RUN_TMP_ENV] !== undefined) return () => undefined;
  const runTmp = mkdtempSync(join(tmpdir(), 'detcd-test-run-'));
  const before = process.env['TMPDIR'];
  process.env['TMPDIR'] = runTmp;
  process.env[RUN_TMP_ENV] = runTmp;
  return () => {
    if (before === undefined) delete process.env['TMPDIR'];
    else process.env['TMPDIR'] = before;
    delete process.env[RUN_TMP_ENV];
    rmSync(runTmp, { recursive: true, force: true });
  };
}
