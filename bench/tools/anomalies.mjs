// The checker-mutation campaign: anomalies of every class (bench/tools/anomalies/catalog.mjs)
// planted in valid run reports, each judged by the run's own checkers (sim/run/checks.ts
// runChecks: linearizability against the etcd model, watch, lease, lock); an anomaly no checker
// convicts is a miss, kept (with --keep DIR) as a report directory to reproduce it.
//   node bench/tools/anomalies.mjs ROOT [--per N] [--seed S] [--only a,b] [--forms f,g] [--keep DIR] REPORT_DIR...
// ROOT: a package root with a compiled dist/. REPORT_DIR: what `detcd run --out` wrote, also
// with --target etcd (a run whose checkers are not all valid is skipped: only a valid history
// can tell a miss). --forms (bench/tools/anomalies/forms.mjs; default run): judge each planted
// history as the run's checkers do (run) and as `detcd check` does on the files users bring
// (jsonl, edn, robustness, jepsen-edn, jepsen-log). Prints one line per miss and a table per
// class and form; exits 1 when anything was missed.
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ANOMALIES } from './anomalies/catalog.mjs';
import { seededRandom } from './seeded-random.mjs';
import { FORMS, formJudge } from './anomalies/forms.mjs';

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
const forms = opt('--forms', 'run').split(',');
const [root, ...dirs] = args;
if (root === undefined || dirs.length === 0 || forms.some((f) => !FORMS.includes(f))) {
  console.error(`usage: node bench/tools/anomalies.mjs ROOT [--per N] [--seed S] [--only a,b] [--forms ${FORMS.join(',')}] [--keep DIR] REPORT_DIR...`);
  process.exit(3);
}
const load = async (p) => import(pathToFileURL(join(resolve(root), 'dist', p)).href);
const { runChecks, defaultCheckers } = await load('sim/run/checks.js');
const { historyCheckers } = await load('sim/run/history-checkers.js');
const { checkMutex } = await load('sim/check/mutex.js');
const { watchesCaughtUpRevision } = await load('sim/run/liveness.js');
/** sim/cli/target-etcd/real-run.ts's search bound for a real run (its timed-out writes make searches longer). */
const REAL_LINEARIZABILITY_STEPS_MAX = 20_000_000;
const { parseLeaderTimeline } = await load('sim/history/leader-timeline-file.js');
const { renewalProof } = await load('sim/check/renewal-proof.js');
const lib = { opToEdn: (await load('sim/report/edn.js')).opToEdn, check: (await load('sim/cli/commands/check.js')).check };

const jsonl = (file) => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l)) : undefined);

function loadRun(dir) {
  const scenario = JSON.parse(readFileSync(join(dir, 'scenario.json'), 'utf8'));
  const results = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'));
  // The liveness verdict as recorded: where it converged, every open watch had caught up (the watch checker's "complete").
  const liveness = results.checkers?.liveness;
  // A real run's leader timeline (leader-timeline.jsonl, from runs that keep it): its renewal proof.
  const timelineFile = join(dir, 'leader-timeline.jsonl');
  const leaderTimeline = existsSync(timelineFile) ? readFileSync(timelineFile, 'utf8') : undefined;
  return { scenario: scenario.scenario ?? scenario, leaders: results.leaders ?? [], real: results.target?.kind === 'etcd', liveness, history: jsonl(join(dir, 'history.jsonl')), watches: jsonl(join(dir, 'watches.jsonl')) ?? [], lockHistory: jsonl(join(dir, 'lock-history.jsonl')), leaderTimeline };
}

function judge(run) {
  if (run.real) {
    // A real etcd run is judged as sim/cli/target-etcd/real-run.ts judges it: with the renewal
    // proof of the polled leader timeline its report keeps (leader-timeline.jsonl; a report from
    // before it has none, and lease rules 4, 6 and 7 and the lock checker's renewals are weaker
    // there); lease answers carry the answering member's term.
    const names = new Set(run.scenario.checkers ?? defaultCheckers(run.scenario));
    for (const n of ['raft', 'convergence', 'liveness', 'lock']) names.delete(n);
    const caughtUp = watchesCaughtUpRevision(run.liveness);
    const timeline = run.leaderTimeline === undefined ? undefined : parseLeaderTimeline(run.leaderTimeline);
    const proof = timeline === undefined ? undefined : renewalProof(timeline.members, timeline.samples, timeline.stopped);
    const out = historyCheckers(names, run.history, run.watches, { scenario: run.scenario, leaderChangesUs: run.leaders.map((l) => l.startUs), linearizabilityStepsMax: REAL_LINEARIZABILITY_STEPS_MAX, ...(proof === undefined ? {} : { renewalProof: proof }), ...(caughtUp === undefined ? {} : { watchesCaughtUpRevision: caughtUp }) });
    if (run.lockHistory !== undefined) out['lock'] = checkMutex(run.lockHistory, undefined, proof);
    return out;
  }
  return runChecks({ scenario: run.scenario, history: run.history, watches: run.watches, lockHistory: run.lockHistory, liveness: run.liveness, raft: { valid: true, summary: 'not judged here' }, leaders: run.leaders, stop: undefined });
}

function hashOf(text) {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

const row0 = () => ({ planted: 0, caught: 0, missed: 0, byExpected: 0, unknown: 0, noSite: 0, notCarried: 0 });
const table = new Map(ANOMALIES.flatMap((a) => forms.map((f) => [`${a.name}|${f}`, row0()])));
let missedAll = 0;
for (const dir of dirs) {
  const run = loadRun(dir);
  const judges = new Map();
  for (const form of forms) {
    if (form === 'run') {
      const base = judge(run);
      const notValid = Object.entries(base).filter(([n, r]) => r.valid !== true && n !== 'error-replies');
      if (notValid.some(([, r]) => r.valid === false)) console.log(`skip ${dir} (run): not valid as recorded (${notValid.map(([n, r]) => `${n} ${r.valid}`).join(', ')})`);
      else judges.set(form, async (m) => runVerdict(a0(m), judge(m)));
      continue;
    }
    const j = await formJudge(form, root, run, lib);
    if (j.skip !== undefined) console.log(`skip ${dir} (${form}): ${j.skip}`);
    else judges.set(form, async (m) => formVerdict(await j.judge(m)));
  }
  if (judges.size === 0) continue;
  for (const a of ANOMALIES) {
    if (only !== undefined && !only.includes(a.name)) continue;
    const sites = new Set();
    for (let k = 0; k < per; k++) {
      const m = a.inject(run, seededRandom(hashOf(`${seed}/${basename(dir)}/${a.name}/${k}`)));
      if (m === undefined) {
        for (const form of judges.keys()) table.get(`${a.name}|${form}`).noSite++;
        break;
      }
      if (sites.has(m.site)) continue;
      sites.add(m.site);
      m.anomaly = a;
      for (const [form, judgeIn] of judges) {
        const row = table.get(`${a.name}|${form}`);
        // A class only some forms carry the facts to judge (catalog.mjs `forms`): the others are not a miss.
        if (a.forms !== undefined && !a.forms.includes(form)) {
          row.notCarried++;
          continue;
        }
        const v = await judgeIn(m);
        if (v.notCarried !== undefined) {
          row.notCarried++;
          continue;
        }
        row.planted++;
        if (v.caught) {
          row.caught++;
          if (v.byExpected) row.byExpected++;
          continue;
        }
        row.missed++;
        missedAll++;
        if (v.unknown !== undefined) row.unknown++;
        console.log(`MISS ${a.name} (${form}) ${dir}: ${m.site}${v.unknown !== undefined ? ` [unknown: ${v.unknown}]` : ''}`);
        if (keep !== undefined) save(join(keep, `${a.name}-${form}-${basename(dir)}-${k}`), dir, m);
      }
    }
  }
}

function a0(m) {
  return m.anomaly;
}

/** The run's checkers' verdicts: caught when any convicts. */
function runVerdict(a, verdicts) {
  const convicting = Object.entries(verdicts).filter(([, r]) => r.valid === false);
  const unknown = Object.entries(verdicts).filter(([, r]) => r.valid === 'unknown').map(([n, r]) => `${n}: ${r.summary}`);
  // A scenario that does not run the class's checker (deposed-lessor: no linearizability) says
  // nothing of it, and its results list only the checkers it ran: not judged, not a miss.
  if (convicting.length === 0 && !(a.checker in verdicts)) return { notCarried: `the scenario runs no ${a.checker} checker` };
  return { caught: convicting.length > 0, byExpected: convicting.some(([n]) => n === a.checker), unknown: unknown.length > 0 ? unknown.join('; ') : undefined };
}

/** `detcd check`'s verdict on the planted files: caught when INVALID. */
function formVerdict(v) {
  if (v.notCarried !== undefined) return v;
  // detcd check refused the planted files (exit 3, naming what it cannot read): not a verdict of valid, and not a catch.
  if (v.valid === 'refused') return { notCarried: `refused: ${v.summary}` };
  return { caught: v.valid === false, byExpected: v.valid === false, unknown: v.valid === true || v.valid === false ? undefined : `${v.valid}: ${v.summary}` };
}

function save(out, dir, m) {
  mkdirSync(out, { recursive: true });
  for (const f of ['scenario.json', 'results.json']) cpSync(join(dir, f), join(out, f));
  writeFileSync(join(out, 'history.jsonl'), m.history.map((o) => JSON.stringify(o)).join('\n') + '\n');
  writeFileSync(join(out, 'watches.jsonl'), m.watches.map((o) => JSON.stringify(o)).join('\n') + '\n');
  if (m.lockHistory !== undefined) writeFileSync(join(out, 'lock-history.jsonl'), m.lockHistory.map((o) => JSON.stringify(o)).join('\n') + '\n');
  writeFileSync(join(out, 'anomaly.txt'), `${m.site}\n`);
}

console.log('\nclass                            form        planted caught (by expected)  missed  no site  not carried');
for (const [key, r] of table) {
  const [name, form] = key.split('|');
  if (r.planted + r.noSite + r.notCarried === 0) continue;
  console.log(`${name.padEnd(32)} ${form.padEnd(11)} ${String(r.planted).padStart(7)} ${String(r.caught).padStart(6)} (${String(r.byExpected).padStart(4)})        ${String(r.missed).padStart(6)}  ${String(r.noSite).padStart(7)}  ${String(r.notCarried).padStart(11)}`);
}
process.exit(missedAll > 0 ? 1 : 0);
