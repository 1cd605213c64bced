// The input fuzzer's harness: runs `node bin/detcd.js ARGS` as a user would (its own process,
// a timeout, a process group killed at the end), snapshots every file a run may not touch, and
// judges the outcome against the bad-input contract of ../../../../shared/design.md:
// exit 0-3 only, bad input exits 3 with exactly one stderr line, never a stack trace, never a
// hang, no half-written report, nothing changed outside the paths the case allows.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** Bytes of a file's content hashed into its snapshot; bigger files are known by size and mtime. */
const HASH_BYTES_MAX = 1 << 20;
/** Bytes kept of each of stdout and stderr. */
const OUTPUT_BYTES_MAX = 256 * 1024;

/** path → a fingerprint (type, size, mtime, content hash) of everything under `root`, links not followed. */
export function snapshot(root, skip = () => false) {
  const out = new Map();
  const walk = (dir, depth) => {
    let names;
    try {
      names = readdirSync(dir);
    } catch {
      return;
    }
    for (const name of names) {
      const path = join(dir, name);
      if (skip(path)) continue;
      let st;
      try {
        st = lstatSync(path);
      } catch {
        continue;
      }
      if (st.isDirectory()) {
        out.set(path, 'dir');
        if (depth < 12) walk(path, depth + 1);
      } else if (st.isFile()) {
        let hash = `${st.size}:${st.mtimeMs}`;
        if (st.size <= HASH_BYTES_MAX) {
          try {
            hash = createHash('sha1').update(readFileSync(path)).digest('hex');
          } catch {
            hash = `unreadable:${st.mtimeMs}`;
          }
        }
        out.set(path, `file:${hash}:${st.mode & 0o7777}`);
      } else out.set(path, `other:${st.mode}`);
    }
  };
  walk(root, 0);
  return out;
}

/** The paths that differ between two snapshots: added, removed or changed. */
export function changedPaths(before, after) {
  const changed = [];
  for (const [path, fp] of after) if (before.get(path) !== fp) changed.push(before.has(path) ? `changed ${path}` : `added ${path}`);
  for (const path of before.keys()) if (!after.has(path)) changed.push(`removed ${path}`);
  return changed;
}

/**
 * Runs one case: `node BIN ...argv` in `cwd`, stdin from `stdin` (string) or closed at once.
 * Resolves with the exit code (or the signal, or timedOut) and both outputs.
 */
export function runDetcd(bin, c, cwd) {
  return new Promise((resolve) => {
    const started = Date.now();
    // DETCD_DEBUG would print an internal error's stack trace on purpose: a user's shell has it unset.
    const { DETCD_DEBUG: _debug, ...env } = process.env;
    const child = spawn(process.execPath, [bin, ...c.argv], { cwd, env: { ...env, NO_COLOR: '1', FORCE_COLOR: '0' }, detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { if (stdout.length < OUTPUT_BYTES_MAX) stdout += d; });
    child.stderr.on('data', (d) => { if (stderr.length < OUTPUT_BYTES_MAX) stderr += d; });
    child.stdin.on('error', () => {});
    if (c.stdin !== undefined) child.stdin.end(c.stdin);
    else child.stdin.end();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }, c.timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, timedOut, stdout, stderr, wallMs: Date.now() - started });
    });
  });
}

const STACK_LINE = /^\s+at (async )?(\S+ \()?(node:|file:\/\/|\/|<anonymous>)[^\n]*:\d+:\d+\)?$/m;
const NODE_NOISE = /node:internal|^\(node:\d+\) |Uncaught|^\s*\^\s*$|UnhandledPromiseRejection|ERR_[A-Z_]+\]?:? .*\n\s+at /m;
/** A deprecation notice of a renamed scenario field: one extra stderr line that is allowed. */
const DEPRECATION_LINE = /: deprecated spelling, read as /;

/** The findings of one finished case; an empty list is a pass. Each finding is [class, detail]. */
export function judge(c, r, touched) {
  const findings = [];
  const errLines = r.stderr.split('\n').filter((l) => l.trim() !== '' && !DEPRECATION_LINE.test(l) && !(c.allowLines?.test(l) ?? false));
  if (r.timedOut) {
    const quiet = r.stdout.trim() === '' && r.stderr.trim() === '';
    // Bad input is refused at once; good input may take its time where the case says so.
    if (c.bad === true || (quiet && !c.slowOk)) findings.push(['hang', `no end after ${c.timeoutMs} ms${quiet ? ', nothing printed' : ''}`]);
    else if (!c.slowOk) findings.push(['slow', `no end after ${c.timeoutMs} ms`]);
    return findings;
  }
  if (r.signal !== null) findings.push(['signal', `killed by ${r.signal}`]);
  else if (![0, 1, 2, 3].includes(r.code) && !(r.code === 4 && c.allowExit4?.test(r.stdout + r.stderr))) findings.push([`exit ${r.code}`, errLines[0] ?? r.stdout.split('\n')[0] ?? '']);
  if (STACK_LINE.test(r.stderr) || STACK_LINE.test(r.stdout)) findings.push(['stack trace', (r.stderr.match(STACK_LINE) ?? r.stdout.match(STACK_LINE))[0].trim()]);
  else if (NODE_NOISE.test(r.stderr)) findings.push(['node noise on stderr', r.stderr.match(NODE_NOISE)[0].trim()]);
  if (c.bad === true && r.code !== 3 && r.signal === null) findings.push(['bad input not refused', `exit ${r.code}: ${errLines[0] ?? r.stdout.split('\n')[0]}`]);
  if (c.bad === false && r.code === 3) findings.push(['good input refused', errLines[0] ?? '']);
  if (r.code === 3) {
    const expected = c.badFiles ?? 1;
    if (errLines.length !== expected) findings.push([errLines.length === 0 ? 'exit 3 without a message' : 'more than one line for bad input', `${errLines.length} lines: ${errLines.slice(0, 3).join(' | ')}`]);
    if (c.mustName !== undefined && !errLines.some((l) => l.includes(c.mustName))) findings.push(['message does not name the input', `wants "${c.mustName}": ${errLines[0]}`]);
    if (c.mustMatch !== undefined && !errLines.some((l) => c.mustMatch.test(l))) findings.push(['message does not name the field', `wants ${c.mustMatch}: ${errLines[0]}`]);
  }
  for (const t of touched) findings.push([r.code === 3 ? 'bad input left files' : 'touched files outside --out', t]);
  return findings;
}

/** Whether `path` is `root` or inside it. */
export function isUnder(path, root) {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith('..') && !rel.startsWith('/'));
}

/** Staging folders (`.detcd-staging-*`) left anywhere under `root`: a report half written. */
export function leftStaging(root) {
  const found = [];
  const walk = (dir, depth) => {
    let names;
    try {
      names = readdirSync(dir);
    } catch {
      return;
    }
    for (const name of names) {
      const path = join(dir, name);
      if (name.startsWith('.detcd-staging-')) found.push(path);
      else if (depth < 6 && existsSync(path) && lstatSync(path).isDirectory()) walk(path, depth + 1);
    }
  };
  walk(root, 0);
  return found;
}
