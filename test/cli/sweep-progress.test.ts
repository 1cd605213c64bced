// DETCD_PROGRESS=1 promises a progress bar when stderr is not a terminal (a CI log): cli-progress
// draws nothing on such a stream unless told to, so the promise was silently broken.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { scratchDir } from '../scratch-dir.ts';

const ROOT = join(import.meta.dirname, '../..');

it('DETCD_PROGRESS=1 writes progress lines to a stderr that is not a terminal; without it, none', () => {
  const dir = scratchDir('detcd-progress-');
  const sweep = (env: Record<string, string>, out: string) =>
    spawnSync(process.execPath, [join(ROOT, 'bin/detcd.js'), 'sweep', '--scenario', 'kill-leader', '--seeds', '1..2', '--jobs', '1', '--out', join(dir, out)], { encoding: 'utf8', timeout: 120_000, env: { ...process.env, ...env } });
  const withBar = sweep({ DETCD_PROGRESS: '1' }, 'a');
  expect(withBar.status, withBar.stderr).toBe(0);
  expect(withBar.stderr).toMatch(/sweep \[.*\] 2\/2 runs · 0 failed/);
  const without = sweep({ DETCD_PROGRESS: '0' }, 'b');
  expect(without.status).toBe(0);
  expect(without.stderr).not.toMatch(/sweep \[/);
});
