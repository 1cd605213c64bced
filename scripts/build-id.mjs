#!/usr/bin/env node
// Records in dist/build-id.json the hash of the sources dist/ was compiled from (the files that
// decide a run: sim/cli/harness/detcd-build.ts), which the compiled package reads to name its
// build ("detcd 0.1.0+<hash>") without its sources. Run after tsc by scripts/bundle-worker.mjs
// (so by `npm run build`, `prepare` and scripts/ensure-build.mjs).
import { existsSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const MODULE = join(ROOT, 'dist/sim/cli/harness/detcd-build.js');

/** Writes dist/build-id.json from the sources beside dist/; false when there is no build to read the hash with. */
export async function writeBuildId() {
  if (!existsSync(MODULE)) return false;
  const { BUILD_ID_FILE, sourcesHash } = await import(pathToFileURL(MODULE).href);
  const file = join(ROOT, BUILD_ID_FILE);
  // Whole or not at all: a worker starting while the build runs reads the old record or the new one.
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify({ sources: sourcesHash(ROOT) })}\n`);
  renameSync(tmp, file);
  return true;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await writeBuildId();
