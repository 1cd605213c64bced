// A report directory and how detcd knows its own. detcd writes a report into a directory that
// is new, empty, or already one of its reports, and there replaces only the files it names
// itself: a user's own files are never deleted or replaced, and a path that is not a directory
// (a regular file, /dev/null, a fifo, a dangling link) is refused, never replaced.
//
// The files are staged in a hidden folder inside the report directory, then renamed into
// place one by one (results.json or sweep.json last, so a reader that finds it finds the rest).
// An interrupt (SIGINT, SIGTERM) removes the staging folder before the process exits; a folder
// left by a killed process is removed by the next write into the same directory.
import { randomBytes } from 'node:crypto';
import { accessSync, constants, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import type { Stats } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { isMainThread } from 'node:worker_threads';
import { createWords, errnoWords, PathError } from './path-error.ts';

/** Written into every report directory: this directory is detcd's, its named files may be replaced. */
export const REPORT_MARKER = '.detcd-report';
export const STAGING_PREFIX = '.detcd-staging-';

/** The files a run report may hold, all written by detcd; a new report removes the stale ones. */
export const RUN_REPORT_FILES: readonly string[] = ['index.html', 'results.json', 'history.jsonl', 'history.edn', 'trace.jsonl', 'watches.jsonl', 'junit.xml', 'scenario.json', 'checkpoints.json', 'lock-history.jsonl', 'shrunk.json', 'leader-timeline.jsonl'];
/** The files of a sweep report (its run reports live in subdirectories). */
export const SWEEP_REPORT_FILES: readonly string[] = ['index.html', 'junit.xml', 'summary.md', 'sweep.json', 'determinism.json'];

function kindOf(st: Stats): string {
  if (st.isFile()) return 'a regular file';
  if (st.isFIFO()) return 'a named pipe';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  if (st.isSocket()) return 'a socket';
  return 'not a directory';
}

/** The largest results.json or sweep.json read to tell whether a directory is a detcd report. */
const REPORT_JSON_BYTES_MAX = 256 * 1024 * 1024;

function readJsonObject(file: string): Record<string, unknown> | undefined {
  try {
    const st = statSync(file);
    // A report's own results.json or sweep.json: a regular file of bounded size, never read whole otherwise.
    if (!st.isFile() || st.size > REPORT_JSON_BYTES_MAX) return undefined;
    const json = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    return typeof json === 'object' && json !== null && !Array.isArray(json) ? (json as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** A directory detcd wrote: its marker, or (reports from before the marker) a results.json or sweep.json of detcd's shape. */
export function isDetcdReport(dir: string): boolean {
  if (existsSync(join(dir, REPORT_MARKER))) return true;
  const results = readJsonObject(join(dir, 'results.json'));
  if (results !== undefined && typeof results['seed'] === 'number' && typeof results['scenario'] === 'string' && typeof results['traceHash'] === 'string' && typeof results['checkers'] === 'object') return true;
  const sweep = readJsonObject(join(dir, 'sweep.json'));
  return sweep !== undefined && sweep['format'] === 'detcd-sweep';
}

export type ReportKind = 'run' | 'sweep' | 'check';

/** The data file that names each kind of report: a run's results.json, a sweep's sweep.json, a checked history's check.json. */
const KIND_FILES: readonly [ReportKind, string][] = [['run', 'results.json'], ['sweep', 'sweep.json'], ['check', 'check.json']];

/** The kinds of report a directory holds by their data files (one, in a directory detcd wrote). */
export function reportKindsIn(dir: string): { kind: ReportKind; file: string }[] {
  return KIND_FILES.filter(([, file]) => existsSync(join(dir, file))).map(([kind, file]) => ({ kind, file }));
}

/** Whether a directory entry is detcd's by name alone (its marker or a staging folder). */
function isOwnHidden(name: string): boolean {
  return name === REPORT_MARKER || name.startsWith(STAGING_PREFIX);
}

/**
 * Checks that `dir` can take a report and creates it when missing: a directory that is new,
 * empty or a detcd report, and writable. `acceptSubdirs` also accepts a directory holding
 * nothing but subdirectories (a sweep's run reports). Throws a PathError otherwise.
 */
export function prepareReportDir(dir: string, acceptSubdirs = false): void {
  let st: Stats;
  try {
    st = statSync(dir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOTDIR') throw new PathError(dir, 'a parent of it is a file, not a directory');
    if (code !== 'ENOENT') throw new PathError(dir, `cannot look at it: ${errnoWords(err)}`);
    if (isLink(dir)) throw new PathError(dir, 'a symbolic link to nothing');
    try {
      makeDirs(dir);
    } catch (mkdirErr) {
      throw new PathError(dir, `cannot create the directory: ${createWords(mkdirErr)}`);
    }
    return;
  }
  if (!st.isDirectory()) throw new PathError(dir, `exists and is ${kindOf(st)}, not a directory; detcd writes a report only into a directory`);
  try {
    accessSync(dir, constants.W_OK | constants.X_OK);
  } catch (err) {
    throw new PathError(dir, `not writable: ${errnoWords(err)}`);
  }
  const entries = readdirSync(dir).filter((e) => !isOwnHidden(e));
  const accepted = entries.length === 0 || isDetcdReport(dir) || (acceptSubdirs && entries.every((e) => statSync(join(dir, e)).isDirectory()));
  if (!accepted) throw new PathError(dir, 'not empty and not a detcd report; detcd never replaces files it did not write (use a new or empty directory)');
  probeWritable(dir);
}

/**
 * Creates and removes one hidden file in `dir`, before any work: the only sure test that detcd
 * can write there. access() says yes to root everywhere, and /proc or /sys refuse a new file
 * only when it is made: `shrink --out /proc/x.json` failed with exit 4 after all its runs.
 */
export function probeWritable(dir: string): void {
  const probe = join(dir, `${STAGING_PREFIX}${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    writeFileSync(probe, '', { flag: 'wx' });
  } catch (err) {
    throw new PathError(dir, `cannot write into it: ${createWords(err, dir)}`);
  }
  rmSync(probe, { force: true });
}

/**
 * mkdir -p, one level at a time from the nearest existing ancestor (Node's recursive mkdir
 * loops forever where the file system answers ENOENT for a parent that exists, as /proc does).
 */
function makeDirs(dir: string): void {
  const missing: string[] = [];
  let at = resolve(dir);
  for (let depth = 0; depth < 4096 && !existsSync(at); depth++) {
    missing.push(at);
    at = dirname(at);
  }
  for (const path of missing.reverse()) {
    mkdirSync(path);
    createdDirs.push(path);
  }
}

/**
 * The directories this command created for its reports, outermost first. An output path is
 * checked (and made) before the work; a refusal found after it (`--target etcd --bug X`, an
 * `--etcd` that does not run) left the new, empty directory behind.
 */
const createdDirs: string[] = [];

/** Forgets the directories created so far (a new command in the same process: the tests). */
export function forgetCreatedDirs(): void {
  createdDirs.length = 0;
}

/**
 * Removes every directory this command created that holds nothing but detcd's own hidden files
 * (the report marker, staging folders), deepest first: a refused or failed command leaves
 * nothing where it was asked to write. A directory with a report file in it is kept.
 */
export function removeUnusedCreatedDirs(): void {
  for (const dir of createdDirs.splice(0).reverse()) {
    try {
      const entries = readdirSync(dir);
      if (!entries.every(isOwnHidden)) continue;
      for (const e of entries) rmSync(join(dir, e), { recursive: true, force: true });
      rmdirSync(dir);
    } catch {
      // Gone already, or no longer ours to judge: left as it is.
    }
  }
}

function isLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

/** Claims a directory for a report before a long piece of work writes into it. */
export function claimReportDir(dir: string, acceptSubdirs = false): void {
  prepareReportDir(dir, acceptSubdirs);
  try {
    writeFileSync(join(dir, REPORT_MARKER), 'A detcd report: detcd replaces only the files it wrote here.\n');
  } catch (err) {
    throw new PathError(dir, `cannot write into it: ${createWords(err, dir)}`);
  }
}

// Staging folders alive in this thread, removed on an interrupt before the process exits.
const liveStaging = new Set<string>();

function removeLiveStagingAndExit(signal: NodeJS.Signals): void {
  for (const path of liveStaging) rmSync(path, { recursive: true, force: true });
  process.exit(signal === 'SIGINT' ? 130 : 143);
}

function trackStaging(path: string): void {
  if (liveStaging.size === 0 && isMainThread) {
    process.on('SIGINT', removeLiveStagingAndExit);
    process.on('SIGTERM', removeLiveStagingAndExit);
  }
  liveStaging.add(path);
}

function untrackStaging(path: string): void {
  liveStaging.delete(path);
  if (liveStaging.size === 0 && isMainThread) {
    process.off('SIGINT', removeLiveStagingAndExit);
    process.off('SIGTERM', removeLiveStagingAndExit);
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes the staging folders of processes that are gone (killed before they could clean up). */
function removeDeadStaging(dir: string): void {
  for (const name of readdirSync(dir)) {
    if (!name.startsWith(STAGING_PREFIX)) continue;
    const pid = Number(name.slice(STAGING_PREFIX.length).split('-')[0]);
    if (Number.isInteger(pid) && pid !== process.pid && !processAlive(pid)) rmSync(join(dir, name), { recursive: true, force: true });
  }
}

/**
 * Removes this process's staging folders under `root` (down to `depth` levels): what worker
 * threads were writing when the process was interrupted.
 */
export function removeStagingOf(root: string, pid: number, depth: number): void {
  let names: string[];
  try {
    names = readdirSync(root);
  } catch {
    return;
  }
  for (const name of names) {
    const path = join(root, name);
    if (name.startsWith(`${STAGING_PREFIX}${pid}-`)) rmSync(path, { recursive: true, force: true });
    else if (depth > 0 && !name.startsWith('.') && isDirectory(path)) removeStagingOf(path, pid, depth - 1);
  }
}

/**
 * Removes `dir` if it holds nothing but detcd's marker and empty folders: a report directory a
 * command made and an interrupt stopped before anything was reported in it. Anything else in it
 * (a failed run's report) is kept, and so is the directory.
 */
export function removeEmptyReportDir(dir: string): void {
  const holdsNothing = (path: string, top: boolean): boolean => {
    let names: string[];
    try {
      names = readdirSync(path);
    } catch {
      return false;
    }
    return names.every((name) => (top && name === REPORT_MARKER) || (isDirectory(join(path, name)) && holdsNothing(join(path, name), false)));
  };
  if (holdsNothing(dir, true)) rmSync(dir, { recursive: true, force: true });
}

function isDirectory(path: string): boolean {
  try {
    return lstatSync(path).isDirectory();
  } catch {
    return false;
  }
}

export interface ReportDirWrite {
  /** Every file name this kind of report may hold; the stale ones (not written this time) are removed. */
  ownFiles: readonly string[];
  /** Renamed into place last. */
  lastFile: string;
  acceptSubdirs?: boolean;
}

/** Writes a report into `dir` through a staging folder; only `kind.ownFiles` are replaced or removed. */
export async function writeReportDir(dir: string, kind: ReportDirWrite, fill: (stagingDir: string) => Promise<void>): Promise<void> {
  prepareReportDir(dir, kind.acceptSubdirs);
  removeDeadStaging(dir);
  const staging = join(dir, `${STAGING_PREFIX}${process.pid}-${randomBytes(4).toString('hex')}`);
  trackStaging(staging);
  try {
    mkdirSync(staging);
    await fill(staging);
    writeFileSync(join(dir, REPORT_MARKER), 'A detcd report: detcd replaces only the files it wrote here.\n');
    const written = readdirSync(staging);
    const order = [...written.filter((n) => n !== kind.lastFile), ...written.filter((n) => n === kind.lastFile)];
    for (const name of order) renameSync(join(staging, name), join(dir, name));
    for (const name of kind.ownFiles) if (!written.includes(name)) rmSync(join(dir, name), { force: true });
  } finally {
    rmSync(staging, { recursive: true, force: true });
    untrackStaging(staging);
  }
}

/** Writes one file through a hidden sibling and a rename; the sibling never outlives an interrupt. */
export function writeFileReplacing(path: string, content: string): void {
  const temp = join(path, '..', `${STAGING_PREFIX}${process.pid}-${randomBytes(4).toString('hex')}`);
  trackStaging(temp);
  try {
    writeFileSync(temp, content);
    renameSync(temp, path);
  } catch (err) {
    // A disk that filled up or a directory that changed since it was checked: the user's to mend.
    throw new PathError(path, `cannot write: ${createWords(err)}`);
  } finally {
    rmSync(temp, { force: true });
    untrackStaging(temp);
  }
}
