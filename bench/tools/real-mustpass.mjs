#!/usr/bin/env node
// The real-etcd must-pass set, judged again by a build: every report under DIR... that a
// `detcd run --target etcd` wrote (results.json with target.kind "etcd", beside history.jsonl; as
// bench/tools/real-hunt.mjs leaves them) is checked with `detcd check --model etcd --json` — its
// watches.jsonl and leader-timeline.jsonl beside it taken as check takes them, the etcd release
// from results.json — and, with --robustness, again in the robustness tests' form
// (robustness-export.mjs; a history the form cannot hold is counted as not exported, not failed).
// A real etcd's history is valid unless etcd has a bug: a history this build calls invalid
// without naming a known etcd bug it may be (mayBeKnownBug), or unknown, or one it cannot read,
// is listed with the checkers' reasons and the command that replays the check, and the exit
// code is 1. Counts at the end; nothing is written but the robustness exports in a temporary
// directory (removed).
//
//   npm run build && node bench/tools/real-mustpass.mjs [--root ROOT] [--jobs N] [--robustness] [--timeout-ms MS] DIR...
//   e.g. node bench/tools/real-mustpass.mjs /tmp/real-s21          (this checkout's build)
//        node bench/tools/real-mustpass.mjs --root /tmp/other-build /tmp/real-s21   (another build's dist/)
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const args = process.argv.slice(2);
let root = join(import.meta.dirname, '../..');
let jobs = 1;
let robustness = false;
let timeoutMs = 600_000;
const dirs = [];
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (a === '--root') root = resolve(args[++i] ?? '');
  else if (a === '--jobs') jobs = Math.max(1, Number(args[++i]));
  else if (a === '--robustness') robustness = true;
  else if (a === '--timeout-ms') timeoutMs = Number(args[++i]);
  else if (a.startsWith('--')) usage(`unknown option ${a}`);
  else dirs.push(resolve(a));
}
if (dirs.length === 0 || !Number.isFinite(timeoutMs) || !Number.isInteger(jobs)) usage('no DIR given');
const BIN = join(root, 'bin/detcd.js');
if (!existsSync(BIN)) usage(`${BIN} does not exist (--root names a detcd checkout or package)`);

function usage(why) {
  console.error(`real-mustpass: ${why}\nusage: node bench/tools/real-mustpass.mjs [--root ROOT] [--jobs N] [--robustness] [--timeout-ms MS] DIR...`);
  process.exit(3);
}

/** Every real-etcd run report under `dir` (itself included), sorted by path. */
function reportsUnder(dir) {
  const out = [];
  const walk = (d) => {
    if (existsSync(join(d, 'results.json')) && existsSync(join(d, 'history.jsonl'))) {
      let r;
      try {
        r = JSON.parse(readFileSync(join(d, 'results.json'), 'utf8'));
      } catch {
        out.push({ dir: d, unreadable: 'results.json is not JSON' });
        return;
      }
      if (r?.target?.kind === 'etcd') out.push({ dir: d, version: r.target.version });
      return;
    }
    for (const e of readdirSync(d)) {
      const p = join(d, e);
      if (statSync(p).isDirectory()) walk(p);
    }
  };
  walk(dir);
  return out.sort((a, b) => a.dir.localeCompare(b.dir, 'en', { numeric: true }));
}

const run = (file, argv) => new Promise((done) => {
  execFile('node', [file, ...argv], { maxBuffer: 1 << 26 }, (err, stdout, stderr) => done({ code: err === null ? 0 : (typeof err.code === 'number' ? err.code : 4), stdout, stderr }));
});

/** One `detcd check` of a history (or robustness report): its verdict, reasons and known bugs. */
async function check(path, version) {
  const argv = ['check', '--model', 'etcd', '--json', '--timeout-ms', String(timeoutMs), ...(version === undefined ? [] : ['--etcd-version', version]), path];
  const r = await run(BIN, argv);
  const command = `node ${BIN} ${argv.join(' ')}`;
  const line = r.stdout.trim().split('\n').at(-1) ?? '';
  let j;
  try {
    j = JSON.parse(line);
  } catch {
    return { verdict: 'error', reasons: [`exit ${r.code}: ${(r.stderr.trim().split('\n')[0] ?? '').slice(0, 300)}`], command };
  }
  const verdict = j.valid === true ? 'valid' : j.valid === false ? (j.mayBeKnownBug === undefined ? 'invalid' : 'known etcd bug') : 'unknown';
  // --json keeps no explanation: the reasons are what the check prints without it (its first lines).
  const reasons = [];
  if (verdict !== 'valid') {
    const text = await run(BIN, argv.filter((a) => a !== '--json'));
    for (const l of text.stdout.trim().split('\n').slice(0, 12)) reasons.push(l.slice(0, 400));
  }
  return { verdict, reasons, bugs: j.mayBeKnownBug, notJudged: j.notJudged ?? [], command };
}

const reports = dirs.flatMap(reportsUnder);
if (reports.length === 0) usage(`no report of a run on target etcd under ${dirs.join(' ')}`);
const scratch = robustness ? mkdtempSync(join(tmpdir(), 'real-mustpass-')) : undefined;
const counts = new Map();
const bump = (form, verdict) => counts.set(`${form} ${verdict}`, (counts.get(`${form} ${verdict}`) ?? 0) + 1);
const notJudged = new Map();
const flagged = [];
let next = 0;

async function one(rep) {
  if (rep.unreadable !== undefined) {
    bump('jsonl', 'error');
    flagged.push(`${rep.dir}: error: ${rep.unreadable}`);
    return;
  }
  const forms = [['jsonl', join(rep.dir, 'history.jsonl')]];
  if (scratch !== undefined) {
    const out = join(scratch, rep.dir.replace(/[^A-Za-z0-9._-]+/g, '_'));
    const e = await run(join(root, 'bench/tools/robustness-export.mjs'), [join(rep.dir, 'history.jsonl'), out]);
    if (e.code === 0) forms.push(['robustness', out]);
    else bump('robustness', 'not exported');
  }
  for (const [form, path] of forms) {
    const c = await check(path, rep.version);
    bump(form, c.verdict);
    for (const n of c.notJudged) {
      const why = n.replace(/^\d+ /, '');
      notJudged.set(why, (notJudged.get(why) ?? 0) + Number(/^\d+/.exec(n)?.[0] ?? 0));
    }
    const line = `${rep.dir} (${form}): ${c.verdict}${c.bugs === undefined ? '' : ` ${JSON.stringify(c.bugs)}`}`;
    if (c.verdict !== 'valid') flagged.push(`${line}\n    ${c.reasons.join('\n    ')}\n    replay: ${c.command}`);
    console.log(line);
  }
}

await Promise.all(Array.from({ length: Math.min(jobs, reports.length) }, async () => {
  while (next < reports.length) await one(reports[next++]);
}));
if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true });

console.log(`\n${reports.length} real-etcd reports under ${dirs.join(' ')}, checked by ${BIN}:`);
for (const [k, v] of [...counts].sort()) console.log(`  ${k}: ${v}`);
if (notJudged.size > 0) {
  console.log('not judged (summed over the reports):');
  for (const [why, n] of notJudged) console.log(`  ${n} ${why}`);
}
if (flagged.length > 0) {
  console.log('not valid:');
  for (const f of flagged) console.log(`  ${f}`);
}
const bad = [...counts].some(([k, v]) => v > 0 && /(^| )(invalid|unknown|error)$/.test(k) && !k.endsWith('known etcd bug'));
process.exit(bad ? 1 : 0);
