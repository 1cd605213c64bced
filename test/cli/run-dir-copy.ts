// A copy of a run directory whose results.json an edit changed: the tests of what commands do with
// runs written by other builds or with bad fields share it.
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

type Json = Record<string, unknown>;
let copies = 0;

/** Copies `run` into a new folder under `root`; `edit` returns the results to write (undefined: the same object, edited in place). */
export function runCopy(run: string, root: string, edit: (results: Json) => unknown): string {
  const dir = join(root, `copy-${++copies}`);
  cpSync(run, dir, { recursive: true });
  const results = JSON.parse(readFileSync(join(run, 'results.json'), 'utf8')) as Json;
  writeFileSync(join(dir, 'results.json'), JSON.stringify(edit(results) ?? results));
  return dir;
}
