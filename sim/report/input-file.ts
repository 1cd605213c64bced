// Reading a file a user names (a scenario, a history, a run's results.json, a shard's
// sweep.json): only what can end. A regular file is read up to a bound; a named pipe, a device
// or a socket in the file system is refused before any read (a pipe with no writer blocks
// forever, /dev/zero never ends), except the pipes a shell hands over for stdin and <(...)
// (/dev/stdin, /dev/fd/N), which are read in bounded chunks. Every refusal is a reason in words
// for the caller's one line (file, field, reason).
import { accessSync, closeSync, constants, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs';
import type { Stats } from 'node:fs';
import { errnoWords, PathError } from './path-error.ts';

/**
 * The most bytes detcd reads from one input file: just under V8's longest string (2^29 - 24
 * UTF-16 units), so that the text always fits in one string.
 */
export const INPUT_BYTES_MAX = 2 ** 29 - 24;
const MIB = 1024 * 1024;
const CHUNK_BYTES = MIB;

/** The pipes a shell hands a command (stdin, process substitution): read as a stream. */
function isShellPipePath(path: string): boolean {
  return /^\/(dev\/(stdin|fd\/\d+)|proc\/(self|\d+)\/fd\/\d+)$/.test(path);
}

function kindOf(st: Stats): string {
  if (st.isDirectory()) return 'a directory, not a file';
  if (st.isFIFO()) return 'a named pipe, not a regular file (a pipe may never end: give a file, or pipe it into stdin)';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device, not a regular file';
  if (st.isSocket()) return 'a socket, not a regular file';
  return 'not a regular file';
}

/** A file or stream past the bound its reader set: `bytes` is its size, or what a stream gave before it was stopped. */
export class InputTooLarge extends PathError {
  constructor(
    path: string,
    reason: string,
    readonly bytes: number,
  ) {
    super(path, reason);
    this.name = 'InputTooLarge';
  }
}

function tooLarge(path: string, what: string, bytes: number, bytesMax: number): InputTooLarge {
  return new InputTooLarge(path, `${what}, more than the ${Math.floor(bytesMax / MIB)} MiB detcd reads from one file`, bytes);
}

/** Reads `fd` to its end in chunks, refusing past `bytesMax`. */
function readStream(path: string, fd: number, bytesMax: number): Buffer {
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const chunk = Buffer.alloc(CHUNK_BYTES);
    let n: number;
    try {
      n = readSync(fd, chunk, 0, CHUNK_BYTES, null);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EAGAIN') continue;
      if ((err as NodeJS.ErrnoException).code === 'EOF') break;
      throw new PathError(path, `cannot read: ${errnoWords(err)}`);
    }
    if (n === 0) break;
    total += n;
    if (total > bytesMax) throw tooLarge(path, 'a stream', total, bytesMax);
    chunks.push(chunk.subarray(0, n));
  }
  return Buffer.concat(chunks, total);
}

/** The bytes of a file a user named, or an PathError saying why not. */
export function readInputBytes(path: string, bytesMax = INPUT_BYTES_MAX): Buffer {
  let st: Stats;
  try {
    st = statSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new PathError(path, 'cannot read: no such file (ENOENT)');
    if (code === 'ELOOP') throw new PathError(path, 'cannot read: a loop of symbolic links (ELOOP)');
    if (code === 'ENOTDIR') throw new PathError(path, 'cannot read: a parent of it is a file, not a directory (ENOTDIR)');
    throw new PathError(path, `cannot read: ${errnoWords(err)}`);
  }
  if (!st.isFile() && !(isShellPipePath(path) && (st.isFIFO() || st.isSocket() || st.isCharacterDevice()))) throw new PathError(path, kindOf(st));
  if (st.isFile() && st.size > bytesMax) throw tooLarge(path, `${st.size} bytes`, st.size, bytesMax);
  if (st.isFile()) {
    try {
      return readFileSync(path);
    } catch (err) {
      throw new PathError(path, `cannot read: ${errnoWords(err)}`);
    }
  }
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    throw new PathError(path, `cannot read: ${errnoWords(err)}`);
  }
  try {
    return readStream(path, fd, bytesMax);
  } finally {
    closeSync(fd);
  }
}

/**
 * Why `bytes` are not UTF-8 text detcd can read although they are text: a UTF-16 or UTF-32 byte
 * order mark (Windows editors and PowerShell's `>` write UTF-16), or UTF-16 without one (every
 * other byte NUL). Undefined for anything else.
 */
export function otherEncoding(bytes: Uint8Array): string | undefined {
  const [b0, b1, b2, b3] = bytes;
  const name = b0 === 0xff && b1 === 0xfe && b2 === 0 && b3 === 0 ? 'UTF-32LE'
    : b0 === 0 && b1 === 0 && b2 === 0xfe && b3 === 0xff ? 'UTF-32BE'
      : b0 === 0xff && b1 === 0xfe ? 'UTF-16LE'
        : b0 === 0xfe && b1 === 0xff ? 'UTF-16BE'
          : undefined;
  if (name !== undefined) return `${name} text (it starts with that byte order mark); detcd reads UTF-8: convert it (iconv -f ${name} -t UTF-8)`;
  if (bytes.length >= 4 && b0 !== 0 && b1 === 0 && b2 !== 0 && b3 === 0) return 'UTF-16LE text without a byte order mark (every other byte is NUL); detcd reads UTF-8: convert it (iconv -f UTF-16LE -t UTF-8)';
  if (bytes.length >= 4 && b0 === 0 && b1 !== 0 && b2 === 0 && b3 !== 0) return 'UTF-16BE text without a byte order mark (every other byte is NUL); detcd reads UTF-8: convert it (iconv -f UTF-16BE -t UTF-8)';
  return undefined;
}

/** UTF-8 bytes as text: a leading byte order mark (Notepad writes one) is not part of the content. */
export function decodeInputText(path: string, bytes: Buffer): string {
  const other = otherEncoding(bytes);
  if (other !== undefined) throw new PathError(path, other);
  const text = bytes.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** The text of a file a user named (UTF-8 with or without a BOM; invalid bytes read as U+FFFD), or an PathError. */
export function readInputText(path: string, bytesMax = INPUT_BYTES_MAX): string {
  return decodeInputText(path, readInputBytes(path, bytesMax));
}

/** Standard input to its end, bounded like a file (`--scenario -` fed from /dev/zero must end). */
export function readStdinText(bytesMax = INPUT_BYTES_MAX): string {
  return decodeInputText('(stdin)', readStream('(stdin)', 0, bytesMax));
}

/**
 * Why a directory a user named cannot be looked into (its entries listed, or reached through it),
 * in words: "cannot read: permission denied (EACCES)"; undefined when it can. Looking for a file
 * inside an unreadable directory finds nothing, and the command said "no results.json there" or
 * left a robustness client out of the run instead of saying why.
 */
export function directoryProblem(path: string): string | undefined {
  try {
    readdirSync(path);
    accessSync(path, constants.X_OK);
    return undefined;
  } catch (err) {
    return `cannot read: ${errnoWords(err)}`;
  }
}
