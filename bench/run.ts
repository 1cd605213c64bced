// `npm run bench [-- FILTER]`: runs every bench/*.bench.ts (or those whose name contains
// FILTER), one after another, each in its own Node process so that one benchmark's heap and JIT
// state never slow down the next. Each file exports `async function bench(): Promise<void>`
// that prints its own figures.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { SEMI_SPACE_FLAG, SEMI_SPACE_MB, semiSpaceGiven } from '../sim/cli/harness/young-generation.ts';

interface BenchModule {
  bench(): Promise<void>;
}

const here = dirname(fileURLToPath(import.meta.url));
const self = fileURLToPath(import.meta.url);

async function runOne(file: string): Promise<void> {
  const mod = (await import(pathToFileURL(join(here, file)).href)) as BenchModule;
  if (typeof mod.bench !== 'function') throw new Error(`${file} does not export an async bench()`);
  await mod.bench();
}

if (process.argv[2] === '--child') {
  await runOne(process.argv[3] ?? '');
} else {
  const filter = process.argv[2] ?? '';
  const files = readdirSync(here)
    .filter((f) => f.endsWith('.bench.ts') && f.includes(filter))
    .sort();
  if (files.length === 0) {
    console.error(`no benchmark in bench/ matches "${filter}"`);
    process.exit(3);
  }
  let failed = 0;
  for (const file of files) {
    console.log(`\n=== ${file}`);
    // The young generation the sweep workers run with (young-generation.ts); a size given to this node wins.
    const young = semiSpaceGiven(process.execArgv, process.env['NODE_OPTIONS']) ? [] : [`${SEMI_SPACE_FLAG}=${SEMI_SPACE_MB}`];
    const child = spawnSync(process.execPath, [...young, ...process.execArgv.filter((a) => a.startsWith(SEMI_SPACE_FLAG)), '--import', 'tsx', self, '--child', file], { stdio: 'inherit' });
    if (child.status !== 0) {
      failed++;
      console.error(`${file} failed (exit ${child.status ?? child.signal})`);
    }
  }
  process.exit(failed === 0 ? 0 : 1);
}
