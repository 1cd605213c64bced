// Output paths: detcd never deletes or replaces what it did not write. Every refused path is
// refused before the work starts, with one line naming the path and the reason, and exit 3.
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from './capture-cli.ts';
import { scratchDir } from '../scratch-dir.ts';

const root = scratchDir('detcd-out-');
const tiny = join(root, 'tiny.json');
writeFileSync(tiny, JSON.stringify({ name: 'tiny', clients: { count: 2, watchers: false }, workload: { kind: 'etcd', durationMs: 300, rateOpsPerSecond: 50 } }));

/** A directory holding one file of the user's. */
function userDir(name: string): string {
  const d = join(root, name);
  mkdirSync(d);
  writeFileSync(join(d, 'thesis.tex'), 'years of work');
  return d;
}

async function refused(argv: string[], message: RegExp): Promise<void> {
  const r = await cli(argv);
  expect(r.code).toBe(3);
  expect(r.err).toHaveLength(1);
  expect(r.err[0]).toMatch(message);
  expect(r.out).toEqual([]);
}

describe('run --out never destroys what detcd did not write', () => {
  it('keeps a directory holding a user file, exits 3 and writes nothing into it', async () => {
    const d = userDir('mine');
    await refused(['run', '--scenario', tiny, '--seed', '1', '--out', d], /--out .*mine: not empty and not a detcd report/);
    expect(readdirSync(d)).toEqual(['thesis.tex']);
    expect(readFileSync(join(d, 'thesis.tex'), 'utf8')).toBe('years of work');
  });

  it('refuses a regular file, a device, a fifo, a link to a file and a dangling link, leaving each as it was', async () => {
    const file = join(root, 'notes.txt');
    writeFileSync(file, 'keep me');
    await refused(['run', '--scenario', tiny, '--out', file], /notes\.txt: exists and is a regular file, not a directory/);
    expect(readFileSync(file, 'utf8')).toBe('keep me');
    await refused(['run', '--scenario', tiny, '--out', '/dev/null'], /\/dev\/null: exists and is a device, not a directory/);
    const fifo = join(root, 'pipe');
    execFileSync('mkfifo', [fifo]);
    await refused(['run', '--scenario', tiny, '--out', fifo], /pipe: exists and is a named pipe/);
    const link = join(root, 'link');
    symlinkSync(file, link);
    await refused(['run', '--scenario', tiny, '--out', link], /link: exists and is a regular file/);
    const dangling = join(root, 'dangling');
    symlinkSync(join(root, 'nowhere'), dangling);
    await refused(['run', '--scenario', tiny, '--out', dangling], /dangling: a symbolic link to nothing/);
    expect(existsSync(join(root, 'nowhere'))).toBe(false);
  });

  it('refuses a path under a file and a place it cannot create or write', async () => {
    const file = join(root, 'plain');
    writeFileSync(file, '');
    await refused(['run', '--scenario', tiny, '--out', join(file, 'report')], /plain\/report: a parent of it is a file/);
    await refused(['run', '--scenario', tiny, '--out', '/proc/detcd-report'], /\/proc\/detcd-report: cannot create the directory/);
    // /proc/self exists: ENOENT there is the file system refusing new entries, not a missing parent.
    await refused(['run', '--scenario', tiny, '--out', '/proc/self/x'], /\/proc\/self\/x: cannot create the directory: \/proc\/self exists but its file system takes no new entries there \(ENOENT\)/);
    if (process.getuid?.() !== 0) {
      const ro = join(root, 'read-only');
      mkdirSync(ro);
      chmodSync(ro, 0o555);
      await refused(['run', '--scenario', tiny, '--out', ro], /read-only: not writable/);
      await refused(['run', '--scenario', tiny, '--out', join(ro, 'sub')], /cannot create the directory: permission denied/);
    }
  });

  it("refuses '.' when the current directory holds the user's files", async () => {
    const d = userDir('cwd');
    const before = process.cwd();
    process.chdir(d);
    try {
      await refused(['run', '--scenario', tiny, '--out', '.'], /--out \.: not empty and not a detcd report/);
    } finally {
      process.chdir(before);
    }
    expect(readdirSync(d)).toEqual(['thesis.tex']);
  });

  it("replaces a previous report's own files, keeps the user's file beside them, removes stale ones", async () => {
    const d = join(root, 'again');
    expect((await cli(['run', '--scenario', tiny, '--seed', '1', '--out', d])).code).toBeLessThan(3);
    writeFileSync(join(d, 'my-notes.md'), 'why seed 1');
    writeFileSync(join(d, 'shrunk.json'), '{}');
    expect((await cli(['run', '--scenario', tiny, '--seed', '2', '--out', d])).code).toBeLessThan(3);
    expect(JSON.parse(readFileSync(join(d, 'results.json'), 'utf8'))).toMatchObject({ seed: 2 });
    expect(readFileSync(join(d, 'my-notes.md'), 'utf8')).toBe('why seed 1');
    expect(existsSync(join(d, 'shrunk.json'))).toBe(false);
    expect(readdirSync(d).filter((n) => n.startsWith('.detcd-staging'))).toEqual([]);
    expect(readdirSync(root).filter((n) => n.startsWith('.'))).toEqual([]);
  });
});

describe('sweep, merge and shrink check their output paths before the work', () => {
  it('sweep --out and sweep --merge --out into a user directory exit 3 and keep the file', async () => {
    const d = userDir('sweep-mine');
    await refused(['sweep', '--scenario', tiny, '--seeds', '1..2', '--jobs', '1', '--out', d], /detcd sweep: --out .*sweep-mine: not empty and not a detcd report/);
    expect(readdirSync(d)).toEqual(['thesis.tex']);
    const shard = join(root, 'shard');
    expect((await cli(['sweep', '--scenario', tiny, '--seeds', '1..1', '--jobs', '1', '--out', shard])).code).toBeLessThan(3);
    await refused(['sweep', '--merge', shard, '--out', d], /--out .*sweep-mine: not empty and not a detcd report/);
    expect(readdirSync(d)).toEqual(['thesis.tex']);
  });

  /** A failing run's report directory, made once: shrink's input. */
  async function failingRun(): Promise<string> {
    const run = join(root, 'failing');
    if (existsSync(join(run, 'results.json'))) return run;
    expect((await cli(['run', '--scenario', tiny, '--seed', '1', '--out', run, '--bug', 'read-without-readindex'])).code).toBeLessThan(3);
    const results = JSON.parse(readFileSync(join(run, 'results.json'), 'utf8')) as { valid: unknown };
    if (results.valid !== false) writeFileSync(join(run, 'results.json'), JSON.stringify({ ...results, valid: false }));
    return run;
  }

  it('shrink --out into a missing directory, or onto a user file, exits 3 before shrinking', async () => {
    const run = await failingRun();
    await refused(['shrink', run, '--out', join(root, 'no-such-dir', 'x.json')], /--out .*x\.json: its directory .*no-such-dir does not exist/);
    const mine = join(root, 'essay.json');
    writeFileSync(mine, '{"title":"mine"}');
    await refused(['shrink', run, '--out', mine], /essay\.json: exists and is not a file detcd wrote/);
    expect(readFileSync(mine, 'utf8')).toBe('{"title":"mine"}');
  });

  it("shrink --out naming one of the run's own files exits 3 and leaves it as it was: the run stays replayable", async () => {
    const run = await failingRun();
    for (const own of ['scenario.json', 'checkpoints.json']) {
      const before = readFileSync(join(run, own), 'utf8');
      await refused(['shrink', run, '--out', join(run, own)], new RegExp(`--out .*${own.replace('.', '\\.')}: the run's own ${own.replace('.', '\\.')}, which shrink reads and replay runs`));
      expect(readFileSync(join(run, own), 'utf8')).toBe(before);
    }
  });

  it('shrink --out into a directory that takes no new files (/proc) exits 3 before shrinking, not 4 after it', async () => {
    const run = await failingRun();
    // access() says /proc is writable to root; only a file made there shows that it is not.
    await refused(['shrink', run, '--out', '/proc/detcd-shrunk.json'], /--out \/proc\/detcd-shrunk\.json: its directory \/proc: cannot write into it: its file system takes no new entries there \(ENOENT\)/);
  });
});

describe('an interrupted write leaves no hidden folder behind', () => {
  it('SIGINT during the write removes the staging folder and exits 130', async () => {
    const d = join(root, 'interrupted');
    const script = `
      import { writeReportDir, RUN_REPORT_FILES } from ${JSON.stringify(join(process.cwd(), 'sim/report/report-dir.ts'))};
      await writeReportDir(${JSON.stringify(d)}, { ownFiles: RUN_REPORT_FILES, lastFile: 'results.json' }, async (staging) => {
        const { writeFileSync } = await import('node:fs');
        writeFileSync(staging + '/index.html', 'half');
        console.log('staged');
        await new Promise(() => setInterval(() => {}, 1000));
      });`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve) => child.stdout.on('data', (b: Buffer) => (b.toString().includes('staged') ? resolve() : undefined)));
    expect(readdirSync(d).some((n) => n.startsWith('.detcd-staging-'))).toBe(true);
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    expect(code).toBe(130);
    expect(readdirSync(d).filter((n) => n.startsWith('.detcd-staging-'))).toEqual([]);
    expect(existsSync(join(d, 'index.html'))).toBe(false);
  });
});
