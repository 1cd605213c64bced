// A directory a user names that cannot be read (mode 000, another user's) is refused in one line
// saying so, exit 3. Looking for a file inside it found nothing: replay and report said "no
// results.json there", check "a directory with no client-N/operations.json", and a robustness
// report with one unreadable client-N directory was checked without that client's ops: INVALID,
// with no word of the file. Root reads every file whatever its mode, so as root the commands run
// as nobody (setpriv); the bin runs in its own process for that.
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scratchDir } from '../scratch-dir.ts';

const BIN = join(import.meta.dirname, '../../bin/detcd.js');
const ROBUSTNESS = join(import.meta.dirname, '../fixtures/check/etcd-robustness/real-etcd-3.4.23-kill-leader-3');
const isRoot = process.getuid?.() === 0;
const canDropRoot = isRoot && (() => {
  try {
    execFileSync('setpriv', ['--reuid=nobody', '--regid=nogroup', '--clear-groups', 'true']);
    return true;
  } catch {
    return false;
  }
})();

const root = scratchDir('detcd-unreadable-');
chmodSync(root, 0o755);
// nobody must reach the folder: through this test run's own temp folder (0700), not listing it.
if (canDropRoot) chmodSync(dirname(root), 0o711);

/** The bin as a user the file modes bind: this one, or nobody when this is root. */
function detcd(argv: string[]): Promise<{ code: number | null; err: string[] }> {
  const command = canDropRoot ? ['setpriv', '--reuid=nobody', '--regid=nogroup', '--clear-groups', process.execPath] : [process.execPath];
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
