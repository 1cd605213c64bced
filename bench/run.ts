// `npm run bench [-- FILTER]`: runs every bench/*.bench.ts (or those whose name contains
// FILTER), one after another, each printing its own figures.
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

interface BenchModule {
  bench(): Promise<void>;
}

const here = dirname(fileURLToPath(import.meta.url));
const filter = process.argv[2] ?? '';
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts') && f.includes(filter))
  .sort();
if (files.length === 0) {
  console.error(`no benchmark in bench/ matches "${filter}"`);
  process.exit(3);
}
for (const file of files) {
  console.log(`\n=== ${file}`);
  const mod = (await import(pathToFileURL(join(here, file)).href)) as BenchModule;
  if (typeof mod.bench !== 'function') throw new Error(`${file} does not export an async bench()`);
  await mod.bench();
}
