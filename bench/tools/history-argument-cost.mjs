// What checkHistory's argument checks cost (sim/history/history-argument.ts: every op of a
// parsed history typed as Op says) on the 102 Jepsen logs of ../shared/anchors: the checks alone
// against the whole checkHistory (checks included) and against parseHistory + checkHistory from
// the text, alternated round by round in one process, medians of CPU.
//
//   node bench/tools/history-argument-cost.mjs ROOT [ROUNDS]
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const ROOT = resolve(process.argv[2] ?? new URL('../..', import.meta.url).pathname);
const ROUNDS = Number(process.argv[3] ?? 30);
const DIR = new URL('../../../shared/anchors/porcupine/jepsen', import.meta.url).pathname;
const load = (p) => import(pathToFileURL(join(ROOT, 'dist', p)).href);
const { checkHistory, parseHistory } = await load('sim/check/index.js');
const { historyArgument } = await load('sim/history/history-argument.js');
// etcd_095.log is empty: no history to check.
const texts = readdirSync(DIR).filter((f) => f.endsWith('.log') && f !== 'etcd_095.log').map((f) => readFileSync(join(DIR, f), 'utf8'));
const histories = texts.map((t) => parseHistory(t, 'jepsen-log'));
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const timed = (fn) => {
  const t = cpuMs();
  fn();
  return cpuMs() - t;
};
const runs = {
  checks: () => { for (const h of histories) historyArgument('checkHistory', h, {}); },
  checkHistory: () => { for (const h of histories) checkHistory(h, 'register'); },
  'parse + check': () => { for (const t of texts) checkHistory(parseHistory(t, 'jepsen-log'), 'register'); },
};
for (let i = 0; i < 3; i++) for (const run of Object.values(runs)) run();
const cpu = Object.fromEntries(Object.keys(runs).map((k) => [k, []]));
for (let i = 0; i < ROUNDS; i++) for (const [k, run] of Object.entries(runs)) cpu[k].push(timed(run));
const median = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
const m = Object.fromEntries(Object.entries(cpu).map(([k, a]) => [k, median(a)]));
const ops = histories.reduce((n, h) => n + h.ops.length, 0);
console.log(`${histories.length} logs, ${ops} op lines, median of ${ROUNDS} rounds (CPU): checks ${m.checks.toFixed(2)} ms (${((m.checks * 1e6) / ops).toFixed(0)} ns per op line), checkHistory ${m.checkHistory.toFixed(2)} ms (${((100 * m.checks) / m.checkHistory).toFixed(1)} %), parseHistory + checkHistory ${m['parse + check'].toFixed(2)} ms (${((100 * m.checks) / m['parse + check']).toFixed(1)} %)`);
