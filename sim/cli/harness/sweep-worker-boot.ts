// The sweep worker thread's first module (compiled: dist/sim/cli/harness/sweep-worker-boot.js).
// It loads the worker as one bundled file (sweep-worker.bundle.cjs, made after tsc by
// scripts/bundle-worker.mjs) when that bundle is there and no file it was made from is newer,
// with V8's code cache for it; otherwise the modules of dist/ one by one (sweep-worker.js).
// Both run the same compiled code; the bundle only saves resolving, loading and compiling ~300
// modules in every fresh worker.
//
// The code cache is keyed by the bundle's text (SHA-256), node's version and the architecture,
// so a rebuilt bundle never meets an old cache (V8's own check compares only the source's
// length), and by V8's version tag of this isolate's flags (a cache made under other flags is
// rejected), so workers of different flags never overwrite each other's. The first worker without a usable cache writes one after its first task (atomically:
// a temporary file, renamed); any failure to read or write it only costs the time it saves.
import { createHash } from 'node:crypto';
import { readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { cachedDataVersionTag } from 'node:v8';
import { threadId } from 'node:worker_threads';
import { Script } from 'node:vm';
import { sweepPort } from './sweep-port.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
const WORKER_BUNDLE = join(HERE, 'sweep-worker.bundle.cjs');

/**
 * The text of `dir`'s sweep-worker.bundle.cjs, when it exists and is at least as new as every
 * file its manifest (sweep-worker.bundle.json) says it was made from; undefined otherwise.
 */
export function freshBundle(dir: string): string | undefined {
  try {
    const bundleMs = statSync(join(dir, 'sweep-worker.bundle.cjs')).mtimeMs;
    const manifest = JSON.parse(readFileSync(join(dir, 'sweep-worker.bundle.json'), 'utf8')) as { inputs?: unknown };
    if (!Array.isArray(manifest.inputs) || manifest.inputs.length === 0) return undefined;
    for (const input of manifest.inputs) if (typeof input !== 'string' || statSync(join(dir, input)).mtimeMs > bundleMs) return undefined;
    return readFileSync(join(dir, 'sweep-worker.bundle.cjs'), 'utf8');
  } catch {
    return undefined;
  }
}

/** The part of a code cache's name that says which bundle text and node it is for (every V8 flag set has its own cache of it). */
export function codeCacheTextKey(code: string): string {
  return createHash('sha256').update(code).update(`\0${process.version}\0${process.arch}\0${process.versions.v8}`).digest('hex').slice(0, 24);
}

/**
 * Where the code cache of this bundle text lives in `dir` for this node and these V8 flags: its
 * name says what it was made for. V8 rejects a cache made under other flags (its version tag
 * hashes every flag: --single-threaded-gc, a semi-space size, the inlining budget set at run
 * time), so worker threads (V8's defaults) and worker processes (one core's flags), or a sweep
 * under `node --max-old-space-size=…`, each keep their own file; with one file they threw each
 * other's cache away and every worker compiled the bundle afresh and wrote it again.
 */
export function codeCacheFile(dir: string, code: string, flagsTag: number = cachedDataVersionTag()): string {
  return join(dir, `sweep-worker.bundle.${codeCacheTextKey(code)}.${(flagsTag >>> 0).toString(16)}.v8cache`);
}

function readCache(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

function writeCache(file: string, data: Buffer): void {
  const tmp = `${file}.${process.pid}.${threadId}.tmp`;
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, file);
  } catch {
    // A read-only install or a full disk: the next worker compiles without a cache, as this one did.
  }
}

/** Runs the bundle as a CommonJS module; true when it ran from the code cache. */
function runBundle(code: string): boolean {
  const cacheFile = codeCacheFile(HERE, code);
  const cached = readCache(cacheFile);
  const script = new Script(`(function (exports, require, module, __filename, __dirname, __detcdImport) {${code}\n})`, {
    filename: WORKER_BUNDLE,
    ...(cached === undefined ? {} : { cachedData: cached }),
  });
  const run = script.runInThisContext() as (exports: object, require: NodeJS.Require, module: { exports: object }, filename: string, dirname: string, importer: (path: string) => Promise<unknown>) => void;
  const module = { exports: {} };
  // The bundle's dynamic imports (the real-etcd runner, the report) load dist/'s modules from
  // here: import() in a script compiled from V8's code cache has no loader (node 20).
  const importer = (path: string): Promise<unknown> => import(pathToFileURL(join(HERE, path)).href);
  run(module.exports, createRequire(WORKER_BUNDLE), module, WORKER_BUNDLE, HERE, importer);
  const fromCache = cached !== undefined && script.cachedDataRejected !== true;
  if (!fromCache) afterFirstReply(() => writeCache(cacheFile, script.createCachedData()));
  return fromCache;
}

/**
 * Calls `then` once the worker has sent its first reply: the cache then holds the bytecode of
 * every function a run called (V8 compiles functions when first called), not only the top level's.
 */
function afterFirstReply(then: () => void): void {
  const port = sweepPort();
  if (port === null) return;
  const post = port.postMessage.bind(port);
  port.postMessage = (value: unknown) => {
    post(value);
    port.postMessage = post;
    setImmediate(then);
  };
}

// Only in a sweep worker (thread or child process): the tests import this module for its functions.
if (sweepPort() !== null) {
  // DETCD_WORKER_BUNDLE=0: the modules one by one (to measure what the bundle saves).
  const code = process.env['DETCD_WORKER_BUNDLE'] === '0' ? undefined : freshBundle(HERE);
  if (code === undefined) await import('./sweep-worker.ts');
  else runBundle(code);
}
