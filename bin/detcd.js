#!/usr/bin/env node
// The detcd command. It runs the compiled JavaScript in dist/, which `npm install` (and
// `npm ci`, `npm pack`) build through the `prepare` script; no TypeScript loader at run time.
// In a checkout of the repository (src/ beside dist/), dist/ is first rebuilt if the sources
// changed since the last build, so that `node bin/detcd.js` never runs stale code.
import { existsSync } from 'node:fs';

const ensure = new URL('../scripts/ensure-build.mjs', import.meta.url);
if (existsSync(new URL('../src/', import.meta.url)) && existsSync(ensure)) {
  const { ensureBuild } = await import(ensure.href);
  try {
    await ensureBuild();
  } catch {
    // tsc printed its errors above; the harness cannot run from sources that do not build.
    console.error('detcd: rebuilding dist/ from the sources failed (see the errors above; run npm install, then npm run build)');
    process.exit(4);
  }
}
const main = new URL('../dist/sim/cli/main.js', import.meta.url);
if (!existsSync(main)) {
  console.error('detcd: dist/ is missing: build the package first (npm install runs the build; or npm run build)');
  process.exit(4);
}
const { main: run } = await import(main.href);
process.exitCode = await run(process.argv.slice(2));
