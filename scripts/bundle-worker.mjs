#!/usr/bin/env node
// Bundles the compiled sweep worker (dist/sim/cli/harness/sweep-worker.js and every module it
// imports statically) into one CommonJS file next to it, sweep-worker.bundle.cjs, with a
// manifest of the dist files it was made from (sweep-worker.bundle.json). A worker thread then
// reads and compiles one file instead of resolving and loading ~300 modules, and can use V8's
// code cache for it (sweep-worker-boot.ts). Run after tsc by `npm run build`, `prepare` and
// scripts/ensure-build.mjs. Without esbuild (or on any bundling error) it removes the bundle and
// says so once: workers then load the modules of dist/ one by one, as before.
//
// What the bundle keeps as it was: the dynamic imports (the real-etcd runner and the report,
// loaded only when needed) stay imports of the dist files (through __detcdImport, given by the
// boot module), and import.meta.url is each module's own file, so paths found from it are the same.
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { writeBuildId } from './build-id.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DIR = join(ROOT, 'dist/sim/cli/harness');
const ENTRY = join(DIR, 'sweep-worker.js');
export const BUNDLE = join(DIR, 'sweep-worker.bundle.cjs');
export const MANIFEST = join(DIR, 'sweep-worker.bundle.json');

/** A path relative to the bundle's directory, as an import specifier ('./x' or '../x'). */
function fromBundle(file) {
  const rel = relative(DIR, file).split(sep).join('/');
  return rel.startsWith('.') ? rel : `./${rel}`;
}

/** The dist modules the bundle imports dynamically (paths from the bundle), filled while bundling. */
const dynamicImports = new Set();

const keepAsTheyWere = {
  name: 'detcd-keep-as-they-were',
  setup(build) {
    // A dynamic import stays a dynamic import of the dist module (a path from the bundle).
    build.onResolve({ filter: /.*/ }, (args) => {
      if (args.kind !== 'dynamic-import' || !args.path.startsWith('.')) return undefined;
      const path = fromBundle(resolve(args.resolveDir, args.path));
      dynamicImports.add(path);
      return { path, external: true };
    });
    // import.meta.url: the module's own file in dist/, found from the bundle's place at run time.
    build.onLoad({ filter: /\.js$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      if (!text.includes('import.meta.url')) return undefined;
      const own = `new URL(${JSON.stringify(fromBundle(args.path))}, __detcdBundleUrl).href`;
      return { contents: text.replaceAll('import.meta.url', own), loader: 'js' };
    });
  },
};

/**
 * Writes a file whole or not at all (a temporary file renamed): a sweep worker starting while
 * the build runs (the tests start them beside `npm pack`) reads an old file or a new one.
 */
function writeWhole(file, text) {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}

/** The file name the boot module gives this bundle text's code cache for this node (undefined: unknown). */
async function cacheTextKeyOf(text) {
  try {
    const { codeCacheTextKey } = await import(pathToFileURL(join(DIR, 'sweep-worker-boot.js')).href);
    return codeCacheTextKey(text);
  } catch {
    return undefined;
  }
}

/** No bundle, and a manifest that says why (so scripts/ensure-build.mjs does not try again until the next build). */
function unbundled(why) {
  writeWhole(MANIFEST, `${JSON.stringify({ inputs: [], unbundled: why })}\n`);
  rmSync(BUNDLE, { force: true });
  process.stderr.write(`detcd: the sweep worker stays unbundled (a slower worker start): ${why}\n`);
  return false;
}

/** Bundles the worker; returns false (and leaves no bundle) when it cannot. */
export async function bundleWorker() {
  // Every path that finishes a build comes here after tsc: the build's name is recorded first,
  // whether or not the worker can be bundled.
  await writeBuildId();
  if (!existsSync(ENTRY)) return false;
  let esbuild;
  try {
    esbuild = await import('esbuild');
  } catch {
    return unbundled('esbuild is not installed');
  }
  let text;
  let inputs;
  try {
    const result = await esbuild.build({
      entryPoints: [ENTRY],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      outfile: BUNDLE,
      write: false,
      packages: 'bundle',
      metafile: true,
      logLevel: 'silent',
      banner: { js: 'var __detcdBundleUrl = require("node:url").pathToFileURL(__filename).href;' },
      plugins: [keepAsTheyWere],
    });
    text = result.outputFiles.find((f) => f.path === BUNDLE)?.text;
    if (text === undefined) throw new Error('esbuild wrote no bundle');
    // The bundle runs as a vm.Script, whose import() V8 loses when the script comes from the code
    // cache: its dynamic imports call __detcdImport, which sweep-worker-boot.ts hands it.
    for (const path of dynamicImports) {
      const call = `import(${JSON.stringify(path)})`;
      if (!text.includes(call)) throw new Error(`the bundle has no ${call} to hand to the boot module`);
      text = text.replaceAll(call, `__detcdImport(${JSON.stringify(path)})`);
    }
    const left = text.split('\n').find((line) => /(^|[^\w$.])import\s*\(/.test(line) && !line.trim().startsWith('//'));
    if (left !== undefined) throw new Error(`a dynamic import the boot module does not serve: ${left.trim().slice(0, 120)}`);
    // The dist/ files it was made from: a newer one (tsc ran again) makes the bundle stale. The
    // packages it took from node_modules are not listed (an installed detcd finds them elsewhere).
    const dist = join(ROOT, 'dist') + sep;
    inputs = Object.keys(result.metafile.inputs).map((p) => resolve(ROOT, p)).filter((p) => p.startsWith(dist)).map((p) => relative(DIR, p).split(sep).join('/'));
  } catch (err) {
    return unbundled(`bundling failed: ${String(err?.message ?? err).split('\n')[0]}`);
  }
  // The code caches of other bundle texts (sweep-worker-boot.ts names them by the text, then by
  // V8's flags) are of no use now; those of this very text (a rebuild that changed nothing) stay,
  // one per flag set, so a worker starting meanwhile keeps the cache it may be about to read.
  const key = await cacheTextKeyOf(text);
  const keep = (f) => key !== undefined && new RegExp(`^sweep-worker\\.bundle\\.${key}\\.[0-9a-f]+\\.v8cache$`).test(f);
  for (const f of readdirSync(DIR)) if (/^sweep-worker\.bundle\..*\.v8cache$/.test(f) && !keep(f)) rmSync(join(DIR, f), { force: true });
  writeWhole(BUNDLE, text);
  writeWhole(MANIFEST, `${JSON.stringify({ inputs })}\n`);
  return true;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await bundleWorker();
