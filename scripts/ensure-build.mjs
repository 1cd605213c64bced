#!/usr/bin/env node
// Keeps dist/ in step with the sources for the tests and benchmarks that run the compiled
// package (the bin, the sweep's worker threads): rebuilds (tsc, incremental) when any file
// under src/ or sim/, or a tsconfig, is newer than the last build, then bundles the sweep
// worker (scripts/bundle-worker.mjs; also when tsc was run alone). Cheap when nothing changed.
import { existsSync, readdirSync, statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const STAMP = join(ROOT, 'dist/.tsbuildinfo');
const WORKER_MANIFEST = join(ROOT, 'dist/sim/cli/harness/sweep-worker.bundle.json');
const BUILD_ID = join(ROOT, 'dist/build-id.json');

function newestMs(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMs(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/**
 * The sweep worker's bundle (scripts/bundle-worker.mjs) is made after the last tsc build, or was
 * found impossible then, and the build's name (dist/build-id.json, written just before) too.
 */
function bundleCurrent() {
  const after = (file) => existsSync(file) && statSync(file).mtimeMs >= statSync(STAMP).mtimeMs;
  return after(WORKER_MANIFEST) && after(BUILD_ID);
}

async function bundle() {
  const { bundleWorker } = await import('./bundle-worker.mjs');
  await bundleWorker();
}

export async function ensureBuild() {
  const sources = Math.max(newestMs(join(ROOT, 'src')), newestMs(join(ROOT, 'sim')), statSync(join(ROOT, 'tsconfig.build.json')).mtimeMs, statSync(join(ROOT, 'tsconfig.base.json')).mtimeMs);
  if (existsSync(STAMP) && statSync(STAMP).mtimeMs >= sources) {
    // dist/ built by tsc alone (npx tsc -p tsconfig.build.json): bundle what it built.
    if (!bundleCurrent()) await bundle();
    return false;
  }
  process.stderr.write('detcd: the sources changed since the last build: rebuilding dist/ (tsc)\n');
  // Loaded only to rebuild: a start with nothing changed does not pay for it.
  const { execFileSync } = await import('node:child_process');
  execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.build.json')], { stdio: ['ignore', 2, 2] });
  // tsc leaves the stamp alone when no output changed (a file touched, or edited and put back):
  // without this every later start would run tsc again. The stamp moves to just after the
  // newest source seen before tsc ran, so an edit made while tsc ran still counts.
  if (existsSync(STAMP) && statSync(STAMP).mtimeMs < sources) utimesSync(STAMP, (sources + 1) / 1000, (sources + 1) / 1000);
  await bundle();
  return true;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await ensureBuild();
