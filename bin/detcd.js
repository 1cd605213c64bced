#!/usr/bin/env node
// The detcd command. It runs the compiled JavaScript in dist/, which `npm install` (and
// `npm ci`, `npm pack`) build through the `prepare` script; no TypeScript loader at run time.
import { existsSync } from 'node:fs';

const main = new URL('../dist/sim/cli/main.js', import.meta.url);
if (!existsSync(main)) {
  console.error('detcd: dist/ is missing: build the package first (npm install runs the build; or npm run build)');
  process.exit(4);
}
const { main: run } = await import(main.href);
process.exitCode = await run(process.argv.slice(2));
