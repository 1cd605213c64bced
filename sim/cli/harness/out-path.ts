// Every output path is checked before the work starts: a report directory must be new, empty or
// a detcd report, and writable; a file to write must have a writable directory and must not be
// anything but a file detcd wrote. Each refusal is one line naming the option, path and reason.
import { accessSync, constants, lstatSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { claimReportDir, isDetcdReport, prepareReportDir, probeWritable, REPORT_MARKER, reportKindsIn, type ReportKind } from '../../report/report-dir.ts';
import { errnoWords, PathError } from '../../report/path-error.ts';
import { UsageError } from '../errors.ts';
import { PACKAGE_ROOT } from './package-root.ts';

/**
 * detcd's own folders in its package (a checkout or node_modules/detcd): a report or a shrunk
 * scenario written there changes detcd itself — a file in scenarios/ becomes a shipped scenario,
 * one in dist/ or node_modules/ sits in the build, one in src/ or sim/ in the sources.
 */
const OWN_FOLDERS = ['src', 'sim', 'dist', 'bin', 'scenarios', 'scripts', 'test', 'node_modules', '.git'];

/** `path` made absolute through links, as far as it exists (a new directory's nearest existing parent, then its own names). */
function realPath(path: string): string {
  const abs = resolve(path);
  try {
    return realpathSync(abs);
  } catch {
    const parent = dirname(abs);
    return parent === abs ? abs : join(realPath(parent), basename(abs));
  }
}

/** Refuses an output path inside one of detcd's own folders (each through its links: node_modules may be one). */
function refuseOwnFolder(command: string, option: string, path: string): void {
  const real = realPath(path);
  for (const folder of OWN_FOLDERS) {
    const own = realPath(join(PACKAGE_ROOT, folder));
    const rel = relative(own, real);
    if (rel.startsWith('..') || isAbsolute(rel)) continue;
    throw new UsageError(`detcd ${command}: ${option === '' ? '' : `${option} `}${path}: inside detcd's own ${folder}/ (${own}): a report there would change detcd itself; ${option === '' ? 'draw a copy of it elsewhere' : 'write it elsewhere'}`);
  }
}

/**
 * A report directory `detcd report` draws again in place, checked before any page is written:
 * not inside detcd's own folders, a report detcd wrote (its marker, or a results.json or
 * sweep.json of detcd's shape), writable, and each of `pages` a file (or absent) that a rename
 * can replace. Refused in one line naming the directory or page and the reason.
 */
export function checkRedrawDir(dir: string, pages: readonly string[]): void {
  refuseOwnFolder('report', '', dir);
  if (!isDetcdReport(dir)) throw new UsageError(`detcd report: ${dir}: not a report detcd wrote (no ${REPORT_MARKER} marker, nor a results.json or sweep.json of detcd's shape); detcd replaces only files it wrote`);
  for (const page of pages) {
    const path = join(dir, page);
    let st;
    try {
      st = lstatSync(path);
    } catch {
      continue;
    }
    if (!st.isFile() && !st.isSymbolicLink()) throw new UsageError(`detcd report: ${path}: exists and is not a regular file; detcd will not replace it`);
  }
  try {
    probeWritable(dir);
  } catch (err) {
    if (err instanceof PathError) throw new UsageError(`detcd report: ${err.message}`);
    throw err;
  }
}

function asUsage(command: string, option: string, check: () => void, path: string): void {
  refuseOwnFolder(command, option, path);
  try {
    check();
  } catch (err) {
    if (err instanceof PathError) throw new UsageError(`detcd ${command}: ${option} ${err.message}`);
    throw err;
  }
}

/**
 * A report directory: created when missing; refused when it is not a directory, holds files
 * detcd did not write, or holds another kind of report (a check's index.html written over a
 * run's, or a run's beside a sweep's, would leave one report's data under the other's page).
 */
export function checkReportDirOut(command: string, option: string, dir: string, kind: ReportKind = 'run'): void {
  asUsage(command, option, () => prepareReportDir(dir), dir);
  const other = reportKindsIn(dir).find((k) => k.kind !== kind);
  if (other !== undefined) throw new UsageError(`detcd ${command}: ${option} ${dir}: a ${other.kind} report (its ${other.file} is there); a ${kind} report goes into a directory of its own`);
}

/** A sweep report directory, claimed (created and marked as detcd's) before the runs write into it. */
export function claimSweepDirOut(command: string, option: string, dir: string): void {
  asUsage(command, option, () => claimReportDir(dir), dir);
}

/** Whether two paths name one file or directory (through links too; a missing path by its absolute form). */
export function samePath(a: string, b: string): boolean {
  const real = (path: string): string => {
    try {
      return realpathSync(path);
    } catch {
      return resolve(path);
    }
  };
  return real(a) === real(b);
}

/** The largest existing file `checkFileOut` reads to see whether detcd wrote it. */
const OURS_BYTES_MAX = 16 * 1024 * 1024;

function isLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

/**
 * A single file to write, such as a shrunk scenario: its directory must exist and be writable;
 * an existing file is replaced only when `isOurs` recognises its content as detcd's.
 */
export function checkFileOut(command: string, option: string, file: string, isOurs: (text: string) => boolean): void {
  refuseOwnFolder(command, option, file);
  const parent = dirname(file);
  const refuse = (reason: string): never => {
    throw new UsageError(`detcd ${command}: ${option} ${file}: ${reason}`);
  };
  let parentStat;
  try {
    parentStat = statSync(parent);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return refuse(code === 'ENOENT' ? `its directory ${parent} does not exist` : `its directory ${parent}: ${errnoWords(err)}`);
  }
  if (!parentStat.isDirectory()) refuse(`${parent} is not a directory`);
  try {
    accessSync(parent, constants.W_OK | constants.X_OK);
  } catch (err) {
    refuse(`its directory ${parent} is not writable: ${errnoWords(err)}`);
  }
  try {
    probeWritable(parent);
  } catch (err) {
    if (err instanceof PathError) refuse(`its directory ${parent}: ${err.reason}`);
    throw err;
  }
  let st;
  try {
    st = statSync(file);
  } catch (err) {
    // A link to nothing (or a loop of links) is something the user made there: not replaced.
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ELOOP') refuse('a loop of symbolic links; detcd will not replace it');
    if (isLink(file)) refuse('a symbolic link to nothing; detcd will not replace it');
    return;
  }
  if (!st.isFile()) refuse('exists and is not a regular file; detcd will not replace it');
  // A file detcd wrote here is a scenario of a few KB: a big one is someone else's, and is not read whole.
  if (st.size > OURS_BYTES_MAX) refuse('exists and is not a file detcd wrote; detcd never replaces files it did not write');
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    refuse(`exists and cannot be read: ${errnoWords(err)}`);
  }
  if (!isOurs(text)) refuse('exists and is not a file detcd wrote; detcd never replaces files it did not write');
}
