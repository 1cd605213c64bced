// The installed command runs the compiled dist/: --version must find package.json from there
// too (it is one folder further up than from the sources; it used to crash with ENOENT), and
// name the build as the sources do (dist/build-id.json, written by the build, read back).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { sourcesHash } from '../../sim/cli/harness/detcd-build.ts';

const ROOT = join(import.meta.dirname, '../..');

it('bin/detcd.js --version prints the package version and the build from the compiled build', () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
  const p = spawnSync(process.execPath, [join(ROOT, 'bin/detcd.js'), '--version'], { encoding: 'utf8', timeout: 120_000 });
  expect(p.stderr).not.toMatch(/ENOENT|at .*\.js:\d+/);
  expect(p.stdout.trim()).toBe(`detcd ${pkg.version}+${sourcesHash(ROOT)}`);
  expect(p.status).toBe(0);
});
