#!/usr/bin/env node
// Keeps dist/ in step with the sources for the tests and benchmarks that run the compiled
// package (the bin, the sweep's worker threads): rebuilds (tsc, incremental) when any file
// under src/ or sim/, or a tsconfig, is newer than the last build. Cheap when nothing changed.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const STAMP = join(ROOT, 'dist/.tsbuildinfo');

function newestMs(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMs(path) : statSync(path).mtimeMs);
  }
  return newest;
}

export function ensureBuild() {
  const sources = Math.max(newestMs(join(ROOT, 'src')), newestMs(join(ROOT, 'sim')), statSync(join(ROOT, 'tsconfig.build.json')).mtimeMs, statSync(join(ROOT, 'tsconfig.base.json')).mtimeMs);
  if (existsSync(STAMP) && statSync(STAMP).mtimeMs >= sources) return false;
  process.stderr.write('detcd: the sources changed since the last build: rebuilding dist/ (tsc)\n');
  execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.build.json')], { stdio: ['ignore', 2, 2] });
  return true;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) ensureBuild();
