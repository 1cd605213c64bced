// The sweep worker as one bundled file (scripts/bundle-worker.mjs) with V8's code cache
// (sim/cli/harness/sweep-worker-boot.ts): used only while no file it was made from is newer, a
// cache named after the exact bundle text and node, and the same outcomes as the modules of
// dist/ one by one (and as a run in this thread), also from the cache and in the report path.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { codeCacheFile, codeCacheTextKey, freshBundle } from '../../sim/cli/harness/sweep-worker-boot.ts';
import { WorkerPool } from '../../sim/cli/harness/worker-pool.ts';
import { runSweepTask } from '../../sim/cli/harness/sweep-task.ts';
import type { SweepOutcome, SweepTask } from '../../sim/cli/harness/sweep-task.ts';
import { defineScenario } from '../../sim/scenario/parse.ts';
import { scratchDir } from '../scratch-dir.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const DIST_HARNESS = join(ROOT, 'dist/sim/cli/harness');

/** A bundle directory: the bundle, its manifest, and the input files it names, with their mtimes (s). */
function bundleDir(inputs: Record<string, number>, bundleS: number): string {
  const dir = scratchDir('detcd-bundle-');
  for (const [name, s] of Object.entries(inputs)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), 'x');
    utimesSync(join(dir, name), s, s);
  }
  writeFileSync(join(dir, 'sweep-worker.bundle.cjs'), 'the bundle');
  utimesSync(join(dir, 'sweep-worker.bundle.cjs'), bundleS, bundleS);
  writeFileSync(join(dir, 'sweep-worker.bundle.json'), JSON.stringify({ inputs: Object.keys(inputs) }));
  return dir;
}

describe('the bundled sweep worker', () => {
  it('is used while every file it was made from is at most as new as it; not when one is newer, missing, or no manifest names any', () => {
    expect(freshBundle(bundleDir({ 'a.js': 1000, 'sub/b.js': 2000 }, 2000))).toBe('the bundle');
    expect(freshBundle(bundleDir({ 'a.js': 1000, 'sub/b.js': 2001 }, 2000))).toBeUndefined();
    const missing = bundleDir({ 'a.js': 1000 }, 2000);
    writeFileSync(join(missing, 'sweep-worker.bundle.json'), JSON.stringify({ inputs: ['a.js', 'gone.js'] }));
    expect(freshBundle(missing)).toBeUndefined();
    const none = bundleDir({}, 2000);
    expect(freshBundle(none)).toBeUndefined();
    writeFileSync(join(none, 'sweep-worker.bundle.json'), '{ not json');
    expect(freshBundle(none)).toBeUndefined();
    expect(freshBundle(scratchDir('detcd-bundle-empty-'))).toBeUndefined();
  });

  it('has a code cache named after its exact text and node: a one-character change is another file', () => {
    const dir = scratchDir('detcd-bundle-cache-');
    expect(codeCacheFile(dir, 'var a = 1;')).toBe(codeCacheFile(dir, 'var a = 1;'));
    expect(codeCacheFile(dir, 'var a = 1;')).not.toBe(codeCacheFile(dir, 'var a = 2;'));
    expect(codeCacheFile(dir, 'var a = 1;').startsWith(join(dir, 'sweep-worker.bundle.'))).toBe(true);
    // V8 rejects a cache made under other flags: each flag set (V8's version tag of them) has its own file.
    expect(codeCacheFile(dir, 'var a = 1;', 1)).not.toBe(codeCacheFile(dir, 'var a = 1;', 2));
    expect(codeCacheFile(dir, 'var a = 1;', 1).startsWith(join(dir, `sweep-worker.bundle.${codeCacheTextKey('var a = 1;')}.`))).toBe(true);
  });

  it('keeps a code cache per V8 flag set: worker processes of two flag sets neither reject nor overwrite each other\'s', async () => {
    const text = freshBundle(DIST_HARNESS);
    expect(text).toBeDefined();
    // Flags no sweep uses, so that this test's caches are its own.
    const flagSets = [['--stack-size=900'], ['--stack-size=901']];
    const tagOf = (flags: string[]): number => Number(execFileSync(process.execPath, [...flags, '-p', "require('node:v8').cachedDataVersionTag()"], { encoding: 'utf8' }).trim());
    const files = flagSets.map((flags) => codeCacheFile(DIST_HARNESS, text!, tagOf(flags)));
    expect(files[0]).not.toBe(files[1]);
    for (const f of files) rmSync(f, { force: true });
    const scenario = defineScenario({ name: 'tiny', clients: { count: 2, watchers: false }, workload: { kind: 'etcd', durationMs: 500, rateOpsPerSecond: 50 } });
    const out = scratchDir('detcd-bundle-flags-');
    // Two tasks per pool: the cache is written right after the first reply, before the second task runs.
    const sweep = async (flags: string[]): Promise<void> => {
      const pool = new WorkerPool<SweepTask, SweepOutcome>(join(DIST_HARNESS, 'sweep-worker-boot.js'), 1, { kind: 'process', execArgv: flags });
      try {
        for (const seed of [1, 2]) await pool.run({ scenario, scenarioRef: 'tiny', seed, reportsDir: join(out, 'runs'), sweepDir: out, reportAll: false });
      } finally {
        await pool.close();
      }
    };
    try {
      await sweep(flagSets[0]!);
      await sweep(flagSets[1]!);
      // Both caches are there: the second flag set did not overwrite the first one's.
      expect(files.map((f) => existsSync(f))).toEqual([true, true]);
      const written = statSync(files[0]!).mtimeMs;
      // The first flag set again: its cache is read, not rejected and written again.
      await sweep(flagSets[0]!);
      expect(statSync(files[0]!).mtimeMs).toBe(written);
    } finally {
      for (const f of files) rmSync(f, { force: true });
    }
  }, 120_000);

  it('exists after the build (the test setup builds it), and its workers give what a run in this thread gives, twice (the second from the cache), a run\'s report included', async () => {
    expect(freshBundle(DIST_HARNESS)).toBeDefined();
    const scenario = defineScenario({ name: 'tiny', clients: { count: 2, watchers: false }, workload: { kind: 'etcd', durationMs: 1000, rateOpsPerSecond: 50 } });
    const out = scratchDir('detcd-bundle-sweep-');
    const task = (seed: number): SweepTask => ({ scenario, scenarioRef: 'tiny', seed, reportsDir: join(out, 'runs'), sweepDir: out, reportAll: false });
    const inline = await runSweepTask({ ...task(3), rerun: true });
    for (let round = 0; round < 2; round++) {
      const pool = new WorkerPool<SweepTask, SweepOutcome>(join(DIST_HARNESS, 'sweep-worker-boot.js'), 1);
      try {
        const { result } = await pool.run({ ...task(3), rerun: true });
        expect(result.checkpoints).toEqual(inline.checkpoints);
        expect(result.summary.traceHash).toBe(inline.summary.traceHash);
        // A run that writes its report loads the report's modules from dist/ (a dynamic import).
        const reported = await pool.run({ ...task(4 + round), reportAll: true });
        expect(existsSync(join(out, 'runs', 'tiny', String(4 + round), 'checkpoints.json'))).toBe(true);
        expect(reported.result.summary.valid).toBe(true);
        // Only the bundle's way writes a code cache: the first round made one, the second read it.
        expect(readdirSync(DIST_HARNESS).some((f) => f.endsWith('.v8cache'))).toBe(true);
      } finally {
        await pool.close();
      }
    }
  }, 120_000);
});
