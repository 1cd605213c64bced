#!/usr/bin/env node
// A hunt against real etcd (`--target etcd`, as root with etcd 3.4 installed): scenarios x seeds,
// JOBS runs at a time (each run is a whole cluster: two at once on a shared 2-core machine at
// most), then each report's history checked again by `detcd check --model etcd --etcd-version V`.
// Prints a line per run as it ends and a summary: refused (exit 3: faults the target cannot
// inject), valid, unknown (with why: thin traffic names the time the cluster could serve and the
// machine's load), invalid (with the known bugs it may be) and crashed (exit 4 or a stack trace:
// always a harness defect). A run already reported in OUT is not run again (resume after a stop).
//
//   npm run build && sudo node bench/tools/real-hunt.mjs OUT SCENARIO[,SCENARIO...]|all SEEDS [JOBS]
//   e.g. node bench/tools/real-hunt.mjs /tmp/hunt all 10..12 2; node bench/tools/real-hunt.mjs /tmp/sw swarm 451..550
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const BIN = join(import.meta.dirname, '../../bin/detcd.js');
const [out, which, seedsArg, jobsArg] = process.argv.slice(2);
const m = /^(\d+)\.\.(\d+)$/.exec(seedsArg ?? '');
if (out === undefined || which === undefined || m === null) {
  console.error('usage: node bench/tools/real-hunt.mjs OUT SCENARIO[,SCENARIO...]|all A..B [JOBS]');
  process.exit(3);
}
const jobs = Math.max(1, Math.min(2, Number(jobsArg ?? 1)));
const scenarios = which === 'all'
  ? execFileSync('node', [BIN, 'scenarios'], { encoding: 'utf8' }).split('\n').map((l) => l.split(/\s+/)[0]).filter((s) => s !== undefined && s !== '' && s !== 'swarm')
  : which.split(',');
const runs = [];
for (let seed = Number(m[1]); seed <= Number(m[2]); seed++) for (const s of scenarios) runs.push({ s, seed });
mkdirSync(out, { recursive: true });

const run = (r) => new Promise((resolve) => {
  const dir = join(out, `${r.s}-${r.seed}`);
  if (existsSync(join(dir, 'results.json'))) return resolve({ ...r, dir, code: 'kept' });
  execFile('node', [BIN, 'run', '--target', 'etcd', '--scenario', r.s, '--seed', String(r.seed), '--out', dir, '--quiet'], { maxBuffer: 1 << 24 }, (err, stdout, stderr) => {
    resolve({ ...r, dir, code: err === null ? 0 : (err.code ?? 4), said: `${stdout}${stderr}`.trim().split('\n').at(-1) ?? '' });
  });
});

const verdicts = { refused: 0, valid: 0, unknown: 0, invalid: 0, crashed: 0, checkDisagrees: 0 };
function judge(res) {
  if (res.code === 3) return (verdicts.refused++, `refused: ${res.said.slice(0, 120)}`);
  const file = join(res.dir, 'results.json');
  if (!existsSync(file) || (res.code !== 'kept' && res.code > 2)) return (verdicts.crashed++, `CRASHED (exit ${res.code}): ${res.said.slice(0, 160)}`);
  const r = JSON.parse(readFileSync(file, 'utf8'));
  const o = r.stats.ops;
  const sv = r.target?.servable;
  const t = r.target ?? {};
  // The schedule: faults that did not run, and how far the traffic ran past its duration to let them start.
  const schedule = `${t.faultsNotRun === undefined ? '' : `; faults ${r.stats.faults} ran, ${t.faultsNotRun} not`}${t.trafficPastDurationMs > 0 ? `, traffic ${t.trafficPastDurationMs} ms past` : ''}`;
  const figures = `ok ${o.ok} fail ${o.fail} info ${o.info}${sv === undefined ? '' : `; led ${sv.ledMs} quorum ${sv.quorumMs} of ${sv.trafficMs} ms, load ${sv.loadPerCore}/core`}${schedule}`;
  let check = '';
  try {
    execFileSync('node', [BIN, 'check', '--model', 'etcd', '--etcd-version', r.target?.version ?? '3.4.23', '--json', join(res.dir, 'history.jsonl')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    check = 'check valid';
  } catch (err) {
    check = `check exit ${err.status}`;
  }
  // The run's verdict may be unknown for thin traffic, which the check does not judge, or invalid by a
  // checker the check does not run (lock, liveness, convergence); its own checkers' verdicts must agree.
  const checkFails = ['linearizable', 'watch', 'lease'].some((c) => r.checkers[c]?.valid === false);
  if (checkFails !== check.endsWith('exit 1')) verdicts.checkDisagrees++;
  if (r.valid === true) verdicts.valid++;
  else if (r.valid === false) verdicts.invalid++;
  else verdicts.unknown++;
  const bugs = r.mayBeKnownBug === undefined ? '' : ` mayBeKnownBug ${JSON.stringify(r.mayBeKnownBug)}`;
  return `${r.valid} (${figures}; ${check})${r.error === undefined ? '' : ` ${r.error.slice(0, 200)}`}${bugs}`;
}

const queue = [...runs];
await Promise.all(Array.from({ length: jobs }, async () => {
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    const res = await run(next);
    console.log(`${next.s} ${next.seed}: ${judge(res)}`);
  }
}));
console.log(`${runs.length} runs: ${Object.entries(verdicts).map(([k, v]) => `${v} ${k}`).join(', ')}`);
