// The build of detcd that runs: its release and a hash of the sources that decide a run,
// "detcd 0.1.0+3f9a0c21b7e4". results.json's `version`, sweep.json's plan and `detcd --version`
// name it, so a run replayed, shrunk or merged by a build whose code differs is refused naming
// both builds (results-file.ts), not replayed into a different trace blamed on the harness.
//
// The sources that decide a run are every TypeScript file under src/ and sim/ but the command
// line's (sim/cli/: options, output, the real target) and the report's (sim/report/: pages):
// the simulated world, the server, the workloads, the nemesis, the scenario reader, the
// checkers. The release alone would name every build of 0.1.0 alike, so a run replayed after an
// edit to src/raft parted from its trace and was called a determinism bug (exit 4).
//
// The package ships dist/ without its sources: `npm run build` writes the hash of the sources it
// compiled to dist/build-id.json (scripts/build-id.mjs), which the compiled code reads. From
// the sources (tests, tsx) the hash is taken of them as they are, so a test's run and the bin
// agree whenever dist/ is current (test/global-setup.ts rebuilds it when the sources changed).
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DETCD_VERSION } from '../../run/detcd-version.ts';
import { COMPILED, PACKAGE_ROOT } from './package-root.ts';

/** Where `npm run build` records the hash of the sources it compiled, under the package root. */
export const BUILD_ID_FILE = 'dist/build-id.json';

/** Hex digits of the hash kept: 48 bits, no two builds of one project alike by chance. */
const BUILD_HASH_DIGITS = 12;

/** The folders (from the package root) whose files decide a run, and those under them that do not. */
const DECIDING = ['src', 'sim'];
const NOT_DECIDING = new Set(['sim/cli', 'sim/report']);

/** Relative paths (with '/') of the files under `dir` ending in `ext`, sorted, the folders that do not decide a run left out. */
function decidingFiles(root: string, dir: string, ext: string, out: string[]): string[] {
  if (NOT_DECIDING.has(dir)) return out;
  for (const entry of readdirSync(join(root, dir), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const rel = `${dir}/${entry.name}`;
    if (entry.isDirectory()) decidingFiles(root, rel, ext, out);
    else if (entry.isFile() && entry.name.endsWith(ext) && !entry.name.endsWith('.d.ts')) out.push(rel);
  }
  return out;
}

/**
 * The hash of the files that decide a run under `root` (a checkout: its .ts sources; a dist/:
 * its .js), each as its path and content, in path order: a renamed, added or edited file moves it.
 */
export function sourcesHash(root: string, ext: '.ts' | '.js' = '.ts'): string {
  const hash = createHash('sha256');
  for (const dir of DECIDING) {
    if (!existsSync(join(root, dir))) continue;
    for (const rel of decidingFiles(root, dir, ext, [])) hash.update(`${rel}\0`).update(readFileSync(join(root, rel))).update('\0');
  }
  return hash.digest('hex').slice(0, BUILD_HASH_DIGITS);
}

/** The hash dist/build-id.json records, or undefined when it is missing or not one. */
function recordedHash(): string | undefined {
  try {
    const json = JSON.parse(readFileSync(join(PACKAGE_ROOT, BUILD_ID_FILE), 'utf8')) as unknown;
    const sources = typeof json === 'object' && json !== null ? (json as Record<string, unknown>)['sources'] : undefined;
    return typeof sources === 'string' && new RegExp(`^[0-9a-f]{${BUILD_HASH_DIGITS}}$`).test(sources) ? sources : undefined;
  } catch {
    return undefined;
  }
}

let build: string | undefined;

/**
 * "detcd 0.1.0+<hash>": the compiled package's recorded hash (a dist/ that tsc alone built, with
 * no record, is known by its compiled files), or the sources' own when run from them.
 */
export function detcdBuild(): string {
  build ??= `${DETCD_VERSION}+${COMPILED ? (recordedHash() ?? sourcesHash(join(PACKAGE_ROOT, 'dist'), '.js')) : sourcesHash(PACKAGE_ROOT)}`;
  return build;
}
