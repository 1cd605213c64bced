// A path detcd will not read or write, and why: one error for the files a user hands detcd
// (input-file.ts: a scenario, a history, a run's results.json, a shard's sweep.json) and for the
// places it writes (report-dir.ts: a report directory). Either is bad input (exit 3): the
// command line puts the option or the field before `path: reason` on its one line.
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { shownValue } from '../history/shown-value.ts';
export class PathError extends Error {
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`${path}: ${reason}`);
    this.name = 'PathError';
  }
}

const ERRNO_WORDS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOTDIR: 'a parent of it is not a directory',
  ENOENT: 'a parent of it does not exist',
  ENOSPC: 'no space left on the device',
  EEXIST: 'something is already there',
};

/** A file system error in words, with its code: "permission denied (EACCES)". */
export function errnoWords(err: unknown): string {
  // Anything can be thrown (`throw null`): only an object has a code to read.
  const code = typeof err === 'object' && err !== null ? (err as NodeJS.ErrnoException).code : undefined;
  if (code !== undefined) return `${ERRNO_WORDS[code] ?? 'cannot'} (${code})`;
  // String of a sparse array joins its 2^32-1 holes ("Invalid string length"): a non-Error object is shown short.
  return typeof err === 'object' && err !== null && !(err instanceof Error) ? shownValue(err) : String(err);
}

/**
 * Why creating `err.path` failed, in words: as errnoWords, except that ENOENT for a path whose
 * parent exists is the file system refusing new entries there (/proc answers every mkdir and
 * create with ENOENT), not a missing parent. `named`: the directory the message already names.
 */
export function createWords(err: unknown, named?: string): string {
  const e = err as NodeJS.ErrnoException;
  if (e.code === 'ENOENT' && typeof e.path === 'string' && existsSync(dirname(e.path))) {
    const parent = dirname(e.path);
    const where = named !== undefined && resolve(named) === resolve(parent) ? 'its file system' : `${parent} exists but its file system`;
    return `${where} takes no new entries there (ENOENT)`;
  }
  return errnoWords(err);
}
