// Every file a user names is read only if its read can end: a named pipe with no writer, a
// link to /dev/zero and a file past the size bound are refused in one line (exit 3) by each
// command that reads one (a scenario, a history, watches, an initial state, a run's
// results.json and checkpoints.json, a shard's sweep.json, an existing --out file), where the
// reads used to block forever or fill the memory. Found by bench/tools/input-fuzz.mjs. The
// bin runs in its own process: a blocked read would block the test's own thread otherwise.
import { spawn } from 'node:child_process';
import { closeSync, cpSync, ftruncateSync, mkdirSync, openSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scratchDir } from '../scratch-dir.ts';

const BIN = join(import.meta.dirname, '../../bin/detcd.js');
/** Only ends a process that would never end (the bug): not a measurement. */
const HANG_BOUND_MS = 50_000;

const root = scratchDir('detcd-input-files-');
const fifo = join(root, 'a-fifo');
execFileSync('mkfifo', [fifo]);
const zero = join(root, 'zero-link');
symlinkSync('/dev/zero', zero);
/** A sparse file past the 512 MiB bound on one input file: no disk used, no read needed to refuse it as shrink --out. */
const huge = join(root, 'huge.jsonl');
const fd = openSync(huge, 'w');
ftruncateSync(fd, 600 * 1024 * 1024);
closeSync(fd);
const tiny = join(root, 'tiny.json');
writeFileSync(tiny, JSON.stringify({ name: 'tiny', workload: { kind: 'register', rateOpsPerSecond: 50, durationMs: 300 }, clients: { count: 2 }, nemesis: { packages: [] } }));

function detcd(argv: string[], stdin?: string): Promise<{ code: number | null; err: string[] }> {
  return new Promise((resolve) => {
    const input = stdin === undefined ? 'ignore' : openSync(stdin, 'r');
    const child = spawn(process.execPath, [BIN, ...argv], { stdio: [input, 'ignore', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    let err = '';
    child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
    const bound = setTimeout(() => child.kill('SIGKILL'), HANG_BOUND_MS);
    child.on('close', (code) => {
      clearTimeout(bound);
      if (typeof input === 'number') closeSync(input);
      resolve({ code, err: err.split('\n').filter((l) => l.trim() !== '') });
    });
  });
}

async function refused(argv: string[], names: string, reason: RegExp, stdin?: string): Promise<void> {
  const r = await detcd(argv, stdin);
  expect(r.code).toBe(3);
  expect(r.err).toHaveLength(1);
  expect(r.err[0]).toContain(names);
  expect(r.err[0]).toMatch(reason);
}

let runDir: string | undefined;
/** A copy of one run's report directory, with `file` replaced by a link to `target`. */
async function runDirWith(file: string, target: string): Promise<string> {
  if (runDir === undefined) {
    runDir = join(root, 'run');
    const r = await detcd(['run', '--scenario', tiny, '--seed', '1', '--quiet', '--out', runDir]);
    expect(r.code).toBe(0);
  }
  const copy = join(root, `run-${file}-${Math.random().toString(36).slice(2)}`);
  cpSync(runDir, copy, { recursive: true });
  rmSync(join(copy, file));
  symlinkSync(target, join(copy, file));
  return copy;
}

describe('a scenario file that never ends is refused', () => {
  it('a named pipe, a link to /dev/zero (run, sweep)', async () => {
    await refused(['run', '--scenario', fifo, '--out', join(root, 'o1')], fifo, /a named pipe, not a regular file/);
    await refused(['run', '--scenario', zero, '--out', join(root, 'o2')], zero, /a device, not a regular file/);
    await refused(['sweep', '--scenario', fifo, '--seeds', '1', '--out', join(root, 'o3')], fifo, /a named pipe/);
  });

  it('a directory given as the scenario file names --scenario (run, sweep, serve)', async () => {
    await refused(['run', '--scenario', '/', '--out', join(root, 'o5')], '--scenario /: (file)', /a directory, not a file/);
    await refused(['sweep', '--scenario', root, '--seeds', '1', '--out', join(root, 'o6')], `--scenario ${root}: (file)`, /a directory, not a file/);
    await refused(['serve', '--scenario', '/', '--port', '0', '--duration', '1'], '--scenario /: (file)', /a directory, not a file/);
  });

  it('--scenario - fed from /dev/zero stops at the scenario bound', async () => {
    await refused(['run', '--scenario', '-', '--out', join(root, 'o4')], '--scenario -', /more than the 16 MiB/, '/dev/zero');
  });
});

describe('a history, watches or initial-state file that never ends is refused', () => {
  it('check FILE: a named pipe, a link to /dev/zero', async () => {
    await refused(['check', '--model', 'register', fifo], fifo, /a named pipe/);
    await refused(['check', '--model', 'register', zero], zero, /a device/);
    // A history past the bound is not read either, but it is a bound hit (unknown), not bad input: check-memory.test.ts.
  });

  it('--watches and --initial-state', async () => {
    const history = join(root, 'h.jsonl');
    writeFileSync(history, '{"index":0,"time":0,"process":0,"type":"invoke","f":"put","value":{"key":"YQ==","value":"MQ=="}}\n');
    await refused(['check', '--model', 'etcd', '--watches', fifo, history], fifo, /watches .*a named pipe/);
    await refused(['check', '--model', 'etcd', '--no-watches', '--initial-state', zero, history], zero, /--initial-state .*a device/);
  });
});

describe("a run's or a shard's files that never end are refused", () => {
  it('replay and shrink: results.json a named pipe; checkpoints.json a link to /dev/zero', async () => {
    const a = await runDirWith('results.json', fifo);
    await refused(['replay', a], 'results.json', /a named pipe/);
    await refused(['shrink', a], 'results.json', /a named pipe/);
    const b = await runDirWith('checkpoints.json', zero);
    await refused(['replay', b], 'checkpoints.json', /a device/);
  });

  it('sweep --merge: a shard whose sweep.json is a named pipe', async () => {
    const shard = join(root, 'shard');
    mkdirSync(shard);
    symlinkSync(fifo, join(shard, 'sweep.json'));
    await refused(['sweep', '--merge', shard, '--out', join(root, 'merged')], 'sweep.json', /a named pipe/);
  });
});

describe('shrink --out: an existing path detcd did not write is refused without reading it whole', () => {
  it('a big file, a link to nothing, a loop of links', async () => {
    const run = await runDirWith('checkpoints.json', join(root, 'run', 'checkpoints.json'));
    const results = JSON.parse(readFileSync(join(run, 'results.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(run, 'results.json'), JSON.stringify({ ...results, valid: false }));
    await refused(['shrink', run, '--out', huge], huge, /not a file detcd wrote/);
    const dangling = join(root, 'dangling.json');
    symlinkSync(join(root, 'nothing-there'), dangling);
    await refused(['shrink', run, '--out', dangling], dangling, /a symbolic link to nothing/);
    const loop = join(root, 'loop-a.json');
    symlinkSync(join(root, 'loop-b.json'), loop);
    symlinkSync(loop, join(root, 'loop-b.json'));
    await refused(['shrink', run, '--out', loop], loop, /a loop of symbolic links/);
  });
});
