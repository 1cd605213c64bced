// The input fuzzer: every kind of input a user hands detcd (each option of each command,
// scenario files, run directories, sweep shards, histories, --out paths), mutated, run through
// `node bin/detcd.js` in its own process, and judged against the bad-input contract
// (../../../shared/design.md): exit 0-3 (4 only where documented), bad input exits 3 with one
// line naming the file, field and reason, no stack trace, no hang, no half-written report,
// nothing touched outside --out; HTML reports rendered in headless Chromium run no user markup.
//
//   node bench/tools/input-fuzz.mjs [ROOT] [--only flags,scenario,run-dir,merge,out,history,shapes,html,etcd,api]
//        [--jobs N] [--per-field N] [--seed N] [--keep]
//
// ROOT: a package root with a built dist/ (default: this checkout). --per-field: how many
// hostile values each option or field gets (default 6; 0: all). Findings are re-run alone to
// confirm them, grouped by class, and written to SANDBOX/findings.json. Exit 1 on any finding.
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { changedPaths, isUnder, judge, leftStaging, runDetcd, snapshot } from './input-fuzz/harness.mjs';
import { makeFileKinds } from './input-fuzz/file-kinds.mjs';
import { seededRandom } from './seeded-random.mjs';
import { flagCases } from './input-fuzz/flag-cases.mjs';
import { scenarioCases, scenarioMutations } from './input-fuzz/scenario-cases.mjs';
import { mergeCases, outCases, runDirCases } from './input-fuzz/report-cases.mjs';
import { historyCases } from './input-fuzz/history-cases.mjs';
import { historyShapeCases } from './input-fuzz/history-shapes.mjs';
import { htmlCases, renderFindings } from './input-fuzz/html-cases.mjs';
import { etcdCases } from './input-fuzz/etcd-cases.mjs';
import { apiFindings } from './input-fuzz/api-cases.mjs';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { only: { type: 'string' }, jobs: { type: 'string' }, 'per-field': { type: 'string' }, seed: { type: 'string' }, keep: { type: 'boolean' } } });
const ROOT = resolve(positionals[0] ?? new URL('../..', import.meta.url).pathname);
const BIN = join(ROOT, 'bin/detcd.js');
const KINDS = (values.only ?? 'flags,scenario,run-dir,merge,out,history,shapes,html,etcd,api').split(',');
const JOBS = Number(values.jobs ?? 2);
const PER_FIELD = Number(values['per-field'] ?? 6);
const SEED = Number(values.seed ?? 1);
const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
const random = seededRandom(SEED);

/** A seeded sample of `list`: PER_FIELD items (all when 0). */
function pick(list) {
  if (PER_FIELD === 0 || list.length <= PER_FIELD) return list;
  const copy = [...list];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy.slice(0, PER_FIELD);
}

const sandbox = mkdtempSync(join(tmpdir(), 'detcd-input-fuzz-'));
const dirs = { cwd: join(sandbox, 'cwd'), user: join(sandbox, 'user'), in: join(sandbox, 'in'), fixtures: join(sandbox, 'fixtures'), out: join(sandbox, 'out') };
for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true });
let outCount = 0;
const outFor = () => join(dirs.out, `o${++outCount}`);
let inCount = 0;
const inputPath = (name) => join(dirs.in, `${++inCount}-${name}`);

async function detcd(argv, what) {
  const r = await runDetcd(BIN, { argv, timeoutMs: 300_000 }, dirs.cwd);
  if (![0, 1, 2].includes(r.code)) throw new Error(`fixture ${what} failed (exit ${r.code}): ${r.stderr}`);
}

/** The fixtures every case starts from: a tiny scenario, its run and sweep, an etcd run, a user's files. */
async function makeFixtures() {
  const f = dirs.fixtures;
  const tiny = join(f, 'tiny.json');
  writeFileSync(tiny, JSON.stringify({ name: 'tiny', workload: { kind: 'register', rateOpsPerSecond: 50, durationMs: 300 }, clients: { count: 2 }, nemesis: { packages: [] } }, null, 1));
  const tinyEtcd = join(f, 'tiny-etcd.json');
  writeFileSync(tinyEtcd, JSON.stringify({ name: 'tiny-etcd', workload: { kind: 'etcd', rateOpsPerSecond: 60, durationMs: 400 }, clients: { count: 3 }, nemesis: { packages: [] } }, null, 1));
  const okRun = join(f, 'ok-run');
  await detcd(['run', '--scenario', tiny, '--seed', '1', '--quiet', '--out', okRun], 'run');
  const etcdRun = join(f, 'etcd-run');
  await detcd(['run', '--scenario', tinyEtcd, '--seed', '1', '--quiet', '--out', etcdRun], 'etcd run');
  // A run that really fails (a planted bug), for shrink: a passing run marked failing was refused
  // by shrink's first replay, so every shrink case was refused for that and judged nothing.
  const planted = join(f, 'planted.json');
  writeFileSync(planted, JSON.stringify({ name: 'planted', workload: { kind: 'register', rateOpsPerSecond: 60, durationMs: 800 }, clients: { count: 3 }, nemesis: { packages: [] } }, null, 1));
  const failingRun = join(f, 'failing-run');
  await detcd(['run', '--scenario', planted, '--seed', '7', '--bug', 'read-without-readindex', '--quiet', '--out', failingRun], 'failing run');
  const okSweep = join(f, 'ok-sweep');
  await detcd(['sweep', '--scenario', tiny, '--seeds', '1..2', '--jobs', '1', '--rerun-percent', '0', '--out', okSweep], 'sweep');
  // Two shards of one sweep: a merge takes every shard of one sweep, each once.
  const okShards = [join(f, 'shard-1'), join(f, 'shard-2')];
  for (const [i, dir] of okShards.entries()) await detcd(['sweep', '--scenario', tiny, '--seeds', '1..2', '--shard', `${i + 1}/2`, '--jobs', '1', '--rerun-percent', '0', '--out', dir], 'shard');
  writeFileSync(join(dirs.user, 'notes.txt'), 'my notes\n');
  mkdirSync(join(dirs.user, 'project'));
  writeFileSync(join(dirs.user, 'project', 'index.html'), '<p>my page</p>\n');
  writeFileSync(join(dirs.user, 'project', 'results.json'), '{"mine": true}\n');
  mkdirSync(join(dirs.user, 'subdirs-only', 'a'), { recursive: true });
  writeFileSync(join(dirs.user, 'subdirs-only', 'a', 'keep.txt'), 'keep\n');
  mkdirSync(join(dirs.user, 'subdirs-only', 'runs'), { recursive: true });
  writeFileSync(join(dirs.user, 'subdirs-only', 'runs', 'keep.txt'), 'keep\n');
  const { symlinkSync } = await import('node:fs');
  symlinkSync(join(dirs.user, 'project'), join(dirs.user, 'project-link'));
  const robustnessDir = join(ROOT, 'test/fixtures/check/etcd-robustness/real-etcd-3.4.23-kill-leader-3');
  const robustnessWatchDir = join(ROOT, 'test/fixtures/check/etcd-robustness/real-etcd-3.4.23-kill-leader-3-watch');
  return {
    tiny, okRun, etcdRun, okSweep, okShards, robustnessDir, robustnessWatchDir,
    scenariosDir: join(ROOT, 'scenarios'),
    registerHistory: join(okRun, 'history.jsonl'),
    registerEdn: join(okRun, 'history.edn'),
    etcdHistory: join(etcdRun, 'history.jsonl'),
    robustnessClient: join(robustnessDir, 'client-9', 'operations.json'),
    jepsenLog: 'INFO  jepsen.util - 0\t:invoke\t:write\t1\nINFO  jepsen.util - 0\t:ok\t:write\t1\nINFO  jepsen.util - 1\t:invoke\t:read\tnil\nINFO  jepsen.util - 1\t:ok\t:read\t1\nINFO  jepsen.util - 2\t:invoke\t:cas\t[1 2]\nINFO  jepsen.util - 2\t:ok\t:cas\t[1 2]\n',
    userFile: join(dirs.user, 'notes.txt'), userDir: join(dirs.user, 'project'), userSubdirsOnly: join(dirs.user, 'subdirs-only'), userDirLink: join(dirs.user, 'project-link'),
    cwd: dirs.cwd,
    cwdReports: join(dirs.cwd, 'reports'),
    kinds: makeFileKinds(join(sandbox, 'kinds')),
    /** A copy of a failing run (a planted bug) under `out`, for shrink. */
    failingRunCopy(out) {
      const dir = join(out, 'run');
      cpSync(failingRun, dir, { recursive: true });
      return dir;
    },
    /** A copy of the passing run under `out`, for report (which draws its pages again in place). */
    okRunCopy(out) {
      const dir = join(out, 'run');
      cpSync(okRun, dir, { recursive: true });
      return dir;
    },
  };
}

/** Snapshots of everything a case may not change (its allowed outputs skipped). */
function guarded(c) {
  const allowed = c.outs ?? [];
  const skip = (p) => allowed.some((a) => isUnder(p, a)) || p.includes('spaces-100m') || p.includes('sparse-3g');
  const roots = [dirs.cwd, dirs.user, dirs.in, dirs.fixtures, join(sandbox, 'kinds'), ...(c.out === undefined ? [] : [c.out])];
  const all = new Map();
  for (const r of roots) for (const [p, fp] of snapshot(r, skip)) all.set(p, fp);
  const outs = new Map();
  for (const a of allowed) {
    if (existsSync(a)) for (const [p, fp] of snapshot(a)) outs.set(p, fp);
    outs.set(a, existsSync(a) ? 'exists' : 'absent');
  }
  return { all, outs };
}

async function runCase(c) {
  const before = guarded(c);
  const r = await runDetcd(BIN, c, dirs.cwd);
  const after = guarded(c);
  // What a case was allowed to write in the working directory (`--out abc`) goes with it: a later
  // case's `--scenario abc` would read it as a user's file (a shrunk scenario), not as garbage.
  // A name past the file system's bound (ENAMETOOLONG) was never made: nothing to remove (the
  // fuzzer itself stopped there, 475 cases into a CLI run, s22).
  for (const own of c.cwdOuts ?? []) {
    try {
      rmSync(own, { recursive: true, force: true });
    } catch (err) {
      if (err?.code !== 'ENAMETOOLONG') throw err;
    }
  }
  // A directory made on the way to an allowed output (`--out '<script>alert(1)</script>'` makes
  // the directory `<script>alert(1)<`, as mkdir -p does) is part of writing that output.
  const onTheWay = (t) => t.startsWith('added ') && after.all.get(t.slice('added '.length)) === 'dir' && (c.outs ?? []).some((a) => isUnder(a, t.slice('added '.length)));
  const touched = changedPaths(before.all, after.all).filter((t) => !onTheWay(t));
  // Bad input leaves no report behind: the allowed outputs are as they were.
  if (r.code === 3) touched.push(...changedPaths(before.outs, after.outs));
  if (!r.timedOut && r.signal === null) for (const s of leftStaging(c.out ?? dirs.out)) touched.push(`staging left ${s}`);
  return { r, findings: judge(c, r, touched) };
}

/**
 * Whether `c` may write in the shared working directory: no --out (a command's default report
 * dir is cwd/reports), an --out there, or a path of its own there. Such a case runs alone: a
 * case beside it snapshots the working directory and saw its writes as its own ("bad input left
 * files", "touched files outside --out": six false alarms a run at --jobs 2).
 */
function writesInCwd(c) {
  const at = c.argv.lastIndexOf('--out');
  const out = at < 0 ? undefined : c.argv[at + 1];
  return (c.cwdOuts ?? []).length > 0 || out === undefined || isUnder(resolve(dirs.cwd, out), dirs.cwd);
}

async function runAll(cases) {
  const results = [];
  let next = 0;
  let done = 0;
  // A readers-writer lock over the working directory: cases that may write there run alone.
  let running = 0;
  let alone = false;
  let waitingAlone = 0;
  const tick = () => new Promise((r) => setTimeout(r, 20));
  const worker = async () => {
    while (next < cases.length) {
      const c = cases[next++];
      const solo = writesInCwd(c);
      if (solo) {
        waitingAlone++;
        while (running > 0 || alone) await tick();
        waitingAlone--;
        alone = true;
      } else {
        while (alone || waitingAlone > 0) await tick();
      }
      running++;
      const { r, findings } = await runCase(c).finally(() => {
        running--;
        if (solo) alone = false;
      });
      results.push({ c, r, findings });
      done++;
      if (done % 25 === 0 || findings.length > 0) process.stderr.write(`[${done}/${cases.length}] ${findings.length > 0 ? `FINDING ${c.name}: ${findings.map((f) => f[0]).join(', ')}` : 'ok'}\n`);
    }
  };
  await Promise.all(Array.from({ length: JOBS }, worker));
  return results;
}

async function main() {
  const started = Date.now();
  const fx = await makeFixtures();
  const cases = [];
  const inProcess = [];
  const help = (await import(pathToFileURL(join(ROOT, 'dist/sim/cli/help.js')).href)).COMMAND_HELP;
  if (KINDS.includes('flags')) cases.push(...flagCases(help, fx, pick, outFor));
  if (KINDS.includes('scenario')) {
    const dist = { parse: await import(pathToFileURL(join(ROOT, 'dist/sim/scenario/parse.js')).href), usage: await import(pathToFileURL(join(ROOT, 'dist/sim/errors/usage-error.js')).href) };
    const m = scenarioMutations(dist, fx);
    process.stderr.write(`scenario mutations judged in process: ${m.judged} (${m.refused.length} refused, ${m.boundary.length} valid boundaries), ${m.findings.length} findings\n`);
    inProcess.push(...m.findings);
    cases.push(...scenarioCases(fx, m, (l) => (PER_FIELD === 0 ? l : pick(l.length > 60 ? l : l).slice(0, Math.max(PER_FIELD * 10, 1))), random, outFor, inputPath));
  }
  if (KINDS.includes('api')) {
    // In process, not on the command line: each public function given wrong values (api-cases.mjs).
    const f = await apiFindings(ROOT, join(sandbox, 'api'));
    process.stderr.write(`api: ${f.length} findings\n`);
    inProcess.push(...f);
  }
  if (KINDS.includes('run-dir')) cases.push(...runDirCases(fx, pick, random, outFor));
  if (KINDS.includes('merge')) cases.push(...mergeCases(fx, pick, random, outFor));
  if (KINDS.includes('out')) cases.push(...outCases(fx, outFor));
  if (KINDS.includes('history')) cases.push(...historyCases(fx, pick, random, inputPath));
  if (KINDS.includes('shapes')) cases.push(...historyShapeCases(fx, pick, random, inputPath));
  if (KINDS.includes('html')) cases.push(...htmlCases(fx, outFor, inputPath));
  if (KINDS.includes('etcd')) cases.push(...etcdCases(fx, outFor, join(sandbox, 'etcd-fakes')));
  process.stderr.write(`${cases.length} command-line cases, ${JOBS} at a time, sandbox ${sandbox}\n`);
  const results = await runAll(cases);
  // A finding is confirmed by running its case again alone (load and a neighbour's files can mislead).
  const confirmed = [];
  for (const res of results.filter((x) => x.findings.length > 0)) {
    const again = await runCase(res.c);
    if (again.findings.length > 0) confirmed.push({ c: res.c, r: again.r, findings: again.findings });
  }
  for (const res of results.filter((x) => x.c.html !== undefined)) {
    if (CHROMIUM === undefined) {
      confirmed.push({ c: res.c, r: res.r, findings: [['html: no chromium to render with', '']] });
      continue;
    }
    for (const page of res.c.html) {
      const f = await renderFindings(CHROMIUM, page);
      if (f.length > 0) confirmed.push({ c: res.c, r: res.r, findings: f });
    }
  }
  const classes = new Map();
  for (const [cls, detail] of inProcess) {
    const list = classes.get(cls) ?? [];
    list.push({ name: '(in process)', detail });
    classes.set(cls, list);
  }
  for (const { c, r, findings } of confirmed) {
    for (const [cls, detail] of findings) {
      const key = `${c.kind}: ${cls}`;
      const list = classes.get(key) ?? [];
      list.push({ name: c.name, argv: c.argv.map((a) => (a.length > 200 ? `${a.slice(0, 40)}...(${a.length})` : a)), detail, code: r.code, stderr: r.stderr.slice(0, 600) });
      classes.set(key, list);
    }
  }
  const slow = confirmed.filter(({ findings }) => findings.every(([f]) => f === 'slow')).length;
  console.log(`input fuzz: ${cases.length} command-line cases + in-process scenario checks, ${confirmed.length} confirmed findings (${slow} only slow), ${classes.size} classes, ${Math.round((Date.now() - started) / 1000)} s`);
  for (const [cls, list] of [...classes].sort()) {
    console.log(`\n${cls}: ${list.length}`);
    for (const e of list.slice(0, 4)) console.log(`  ${e.name}\n    ${e.detail}${e.argv === undefined ? '' : `\n    detcd ${e.argv.map((a) => JSON.stringify(a)).join(' ')}`}`);
  }
  writeFileSync(join(sandbox, 'findings.json'), JSON.stringify(Object.fromEntries(classes), null, 1));
  console.log(`\nfindings: ${join(sandbox, 'findings.json')}`);
  if (values.keep !== true && classes.size === 0) rmSync(sandbox, { recursive: true, force: true });
  return classes.size === 0 ? 0 : 1;
}

process.exitCode = await main();
