// Before the tests: the compiled package in dist/ is rebuilt when the sources changed (see
// scripts/ensure-build.mjs), so that the tests that start the bin or the sweep's worker threads
// run today's code, not an older build.
import { execFileSync } from 'node:child_process';

export default function setup(): void {
  execFileSync(process.execPath, ['scripts/ensure-build.mjs'], { stdio: 'inherit' });
}
