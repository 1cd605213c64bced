// Where the package's files are, whether this code runs compiled (dist/sim/cli/harness/) or
// from the TypeScript sources (sim/cli/harness/, under vitest or tsx): the shipped scenarios
// and the compiled sweep worker are found from here.
import { existsSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const up3 = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** True when this module is the compiled JavaScript in dist/. */
export const COMPILED = basename(up3) === 'dist';

/** The directory holding package.json, scenarios/ and dist/. */
export const PACKAGE_ROOT = COMPILED ? dirname(up3) : up3;

/**
 * The compiled module that a worker thread loads for `relative` (a path under sim/, without
 * extension). Worker threads always run the build, never a TypeScript loader; from the sources
 * (tests, benchmarks) that is dist/, which `npm install` builds and the test setup keeps fresh.
 */
export function compiledModule(relative: string): string {
  const file = join(PACKAGE_ROOT, 'dist', `${relative}.js`);
  if (!existsSync(file)) throw new Error(`${file} is missing: build the package first (npm run build)`);
  return file;
}
