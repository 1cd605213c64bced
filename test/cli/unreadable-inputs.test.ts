// A directory a user names that cannot be read (mode 000, another user's) is refused in one line
// saying so, exit 3. Looking for a file inside it found nothing: replay and report said "no
// results.json there", check "a directory with no client-N/operations.json", and a robustness
// report with one unreadable client-N directory was checked without that client's ops: INVALID,
// with no word of the file. Root reads every file whatever its mode, so as root the commands run
// without the two capabilities that let it (setpriv drops CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH
// from the bounding set): still root, so the bin and its folders need no change of mode wherever CI
// cloned them (as nobody, a clone under a 0700 temp folder could not even load the bin).
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scratchDir } from '../scratch-dir.ts';

const BIN = join(import.meta.dirname, '../../bin/detcd.js');
const ROBUSTNESS = join(import.meta.dirname, '../fixtures/check/etcd-robustness/real-etcd-3.4.23-kill-leader-3');
const isRoot = process.getuid?.() === 0;
const DROP_READ_OVERRIDE = ['setpriv', '--bounding-set=-dac_override,-dac_read_search'];
const canDropRoot = isRoot && (() => {
  try {
    execFileSync(DROP_READ_OVERRIDE[0]!, [...DROP_READ_OVERRIDE.slice(1), 'true']);
    return true;
  } catch {
    return false;
  }
})();

const root = scratchDir('detcd-unreadable-');

/** The bin as a user the file modes bind: this one, or root without its read override. */
function detcd(argv: string[]): Promise<{ code: number | null; err: string[] }> {
  const command = canDropRoot ? [...DROP_READ_OVERRIDE, process.execPath] : [process.execPath];
  return new Promise((resolve) => {
    const child = spawn(command[0]!, [...command.slice(1), BIN, ...argv], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('close', (code) => resolve({ code, err: err.split('\n').filter((l) => l.trim() !== '') }));
  });
}

async function refused(argv: string[], line: RegExp): Promise<void> {
  const r = await detcd(argv);
  expect(r.err, r.err.join('\n')).toHaveLength(1);
  expect(r.err[0]).toMatch(line);
  expect(r.code, r.err[0]).toBe(3);
}

/** A directory holding `files`, then made unreadable to all but root. */
function lockedDir(name: string, files: string[]): string {
  const dir = join(root, name);
  mkdirSync(dir);
  for (const f of files) writeFileSync(join(dir, f), '{}');
  chmodSync(dir, 0o000);
  return dir;
}

describe.skipIf(isRoot && !canDropRoot)('an unreadable directory', () => {
  it('replay, shrink and report say it cannot be read, not that it holds no report', async () => {
    const run = lockedDir('run', ['results.json', 'scenario.json']);
    await refused(['replay', run], /^detcd replay: .*\/run: cannot read: permission denied \(EACCES\)$/);
    await refused(['shrink', run, '--out', join(root, 'shrunk.json')], /^detcd shrink: .*\/run: cannot read: permission denied \(EACCES\)$/);
    await refused(['report', run], /^detcd report: .*\/run: cannot read: permission denied \(EACCES\)$/);
    const sweep = lockedDir('sweep', ['sweep.json']);
    await refused(['report', sweep], /^detcd report: .*\/sweep: cannot read: permission denied \(EACCES\)$/);
  }, 120_000);

  it('check says it cannot be read, not that it holds no client-N/operations.json', async () => {
    await refused(['check', '--model', 'etcd', lockedDir('robustness', [])], /^.*\/robustness: cannot read: permission denied \(EACCES\)$/);
  }, 60_000);

  it("check refuses a robustness report one of whose clients cannot be read, instead of judging the run without that client's ops", async () => {
    const report = join(root, 'report');
    cpSync(ROBUSTNESS, report, { recursive: true });
    execFileSync('chmod', ['-R', 'a+rX', report]);
    chmodSync(join(report, 'client-1'), 0o000);
    await refused(['check', '--model', 'etcd', report], /^.*\/report\/client-1\/operations\.json: cannot read: permission denied \(EACCES\)$/);
    await refused(['check', '--model', 'etcd', join(report, 'client-2', 'operations.json')], /client-1\/operations\.json: cannot read: permission denied \(EACCES\)$/);
  }, 60_000);
});
