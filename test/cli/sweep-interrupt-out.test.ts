// A sweep interrupted (Ctrl-C, CI's SIGTERM) after it made its --out directory left that
// directory behind, empty but for detcd's marker: the next look at the reports found a sweep
// with nothing in it. A directory the sweep made and reported nothing in goes with the interrupt;
// one the user gave, or one holding a failed run's report, stays.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scratchDir } from '../scratch-dir.ts';
import { removeEmptyReportDir, REPORT_MARKER } from '../../sim/report/report-dir.ts';

/** Starts a long one-job sweep into `out` in a child process, sends SIGTERM once `out` is claimed, and returns its exit code. */
async function interruptedSweep(out: string): Promise<number | null> {
  const script = `
    import { main } from ${JSON.stringify(join(process.cwd(), 'sim/cli/main.ts'))};
    process.exitCode = await main(['sweep', '--scenario', 'kill-leader', '--seeds', '1..5000', '--jobs', '1', '--rerun-percent', '0', '--out', ${JSON.stringify(out)}]);`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'ignore', 'ignore'] });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  while (!existsSync(join(out, REPORT_MARKER)) && child.exitCode === null) await new Promise((r) => setTimeout(r, 50));
  child.kill('SIGTERM');
  return exited;
}

describe('an interrupted sweep', () => {
  it('removes the --out directory it made when nothing was reported in it', async () => {
    const out = join(scratchDir('detcd-sweep-interrupt-'), 'never');
    expect(await interruptedSweep(out)).toBe(143);
    expect(existsSync(out)).toBe(false);
  }, 120_000);

  it('keeps an --out directory the user made', async () => {
    const out = join(scratchDir('detcd-sweep-interrupt-'), 'given');
    mkdirSync(out);
    expect(await interruptedSweep(out)).toBe(143);
    expect(existsSync(out)).toBe(true);
  }, 120_000);

  it('keeps a directory holding a report, and removes one holding only the marker and empty folders', () => {
    const dir = scratchDir('detcd-sweep-interrupt-');
    const kept = join(dir, 'kept');
    mkdirSync(join(kept, 'runs', 'kill-leader-seed-3'), { recursive: true });
    writeFileSync(join(kept, REPORT_MARKER), '');
    writeFileSync(join(kept, 'runs', 'kill-leader-seed-3', 'results.json'), '{}');
    removeEmptyReportDir(kept);
    expect(existsSync(join(kept, 'runs', 'kill-leader-seed-3', 'results.json'))).toBe(true);
    const empty = join(dir, 'empty');
    mkdirSync(join(empty, 'runs'), { recursive: true });
    writeFileSync(join(empty, REPORT_MARKER), '');
    removeEmptyReportDir(empty);
    expect(existsSync(empty)).toBe(false);
  });
});
