// The checker-mutation campaign: anomalies of every class (bench/tools/anomalies/catalog.mjs)
// planted in valid run reports, each judged by the run's own checkers (sim/run/checks.ts
// runChecks: linearizability against the etcd model, watch, lease, lock); an anomaly no checker
// convicts is a miss, kept (with --keep DIR) as a report directory to reproduce it.
//   node bench/tools/anomalies.mjs ROOT [--per N] [--seed S] [--only a,b] [--keep DIR] REPORT_DIR...
// ROOT: a package root with a compiled dist/. REPORT_DIR: what `detcd run --out` wrote (a run
// whose checkers are not all valid is skipped: only a valid history can tell a miss). Prints
// one line per miss and a table per class; exits 1 when anything was missed.
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ANOMALIES, rngOf } from './anomalies/catalog.mjs';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  if (i < 0) return dflt;
  const v = args[i + 1];
  args.splice(i, 2);
  return v;
};
const per = Number(opt('--per', '2'));
const seed = Number(opt('--seed', '1'));
const only = opt('--only', undefined)?.split(',');
const keep = opt('--keep', undefined);
const [root, ...dirs] = args;
if (root === undefined || dirs.length === 0) {
  console.error('usage: node bench/tools/anomalies.mjs ROOT [--per N] [--seed S] [--only a,b] [--keep DIR] REPORT_DIR...');
  process.exit(3);
}
const load = async (p) => import(pathToFileURL(join(resolve(root), 'dist', p)).href);
const { runChecks } = await load('sim/run/checks.js');

const jsonl = (file) => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l)) : undefined);

function loadRun(dir) {
  const scenario = JSON.parse(readFileSync(join(dir, 'scenario.json'), 'utf8'));
  const results = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'));
  return { scenario: scenario.scenario ?? scenario, leaders: results.leaders ?? [], history: jsonl(join(dir, 'history.jsonl')), watches: jsonl(join(dir, 'watches.jsonl')) ?? [], lockHistory: jsonl(join(dir, 'lock-history.jsonl')) };
}

function judge(run) {
  return runChecks({ scenario: run.scenario, history: run.history, watches: run.watches, lockHistory: run.lockHistory, liveness: undefined, raft: { valid: true, summary: 'not judged here' }, leaders: run.leaders, stop: undefined });
}

function hashOf(text) {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

const table = new Map(ANOMALIES.map((a) => [a.name, { planted: 0, caught: 0, missed: 0, byExpected: 0, unknown: 0, noSite: 0 }]));
let missedAll = 0;
for (const dir of dirs) {
  const run = loadRun(dir);
  const base = judge(run);
  const notValid = Object.entries(base).filter(([n, r]) => r.valid !== true && n !== 'error-replies');
  if (notValid.some(([, r]) => r.valid === false)) {
    console.log(`skip ${dir}: not valid as recorded (${notValid.map(([n, r]) => `${n} ${r.valid}`).join(', ')})`);
    continue;
  }
  for (const a of ANOMALIES) {
    if (only !== undefined && !only.includes(a.name)) continue;
    const row = table.get(a.name);
    const sites = new Set();
    for (let k = 0; k < per; k++) {
      const m = a.inject(run, rngOf(hashOf(`${seed}/${basename(dir)}/${a.name}/${k}`)));
      if (m === undefined) {
        row.noSite++;
        break;
      }
      if (sites.has(m.site)) continue;
      sites.add(m.site);
      row.planted++;
      const verdicts = judge(m);
      const convicting = Object.entries(verdicts).filter(([, r]) => r.valid === false);
      if (convicting.length > 0) {
        row.caught++;
        if (convicting.some(([n]) => n === a.checker)) row.byExpected++;
        continue;
      }
      row.missed++;
      missedAll++;
      if (Object.values(verdicts).some((r) => r.valid === 'unknown')) row.unknown++;
      const unknown = Object.entries(verdicts).filter(([, r]) => r.valid === 'unknown').map(([n, r]) => `${n}: ${r.summary}`);
      console.log(`MISS ${a.name} ${dir}: ${m.site}${unknown.length > 0 ? ` [unknown: ${unknown.join('; ')}]` : ''}`);
      if (keep !== undefined) save(join(keep, `${a.name}-${basename(dir)}-${k}`), dir, m);
    }
  }
}

function save(out, dir, m) {
  mkdirSync(out, { recursive: true });
  for (const f of ['scenario.json', 'results.json']) cpSync(join(dir, f), join(out, f));
  writeFileSync(join(out, 'history.jsonl'), m.history.map((o) => JSON.stringify(o)).join('\n') + '\n');
  writeFileSync(join(out, 'watches.jsonl'), m.watches.map((o) => JSON.stringify(o)).join('\n') + '\n');
  if (m.lockHistory !== undefined) writeFileSync(join(out, 'lock-history.jsonl'), m.lockHistory.map((o) => JSON.stringify(o)).join('\n') + '\n');
  writeFileSync(join(out, 'anomaly.txt'), `${m.site}\n`);
}

console.log('\nclass                            planted caught (by expected)  missed  no site');
for (const [name, r] of table) console.log(`${name.padEnd(32)} ${String(r.planted).padStart(7)} ${String(r.caught).padStart(6)} (${String(r.byExpected).padStart(4)})        ${String(r.missed).padStart(6)}  ${String(r.noSite).padStart(7)}`);
process.exit(missedAll > 0 ? 1 : 0);
