// Checks simulated report directories DIR/s<seed>/ (history.jsonl, watches.jsonl) with the etcd
// model from the history alone and with the watch events, each with a time budget, and prints
// one line per seed: ops, timed-out writes, then verdict, wall and CPU ms and model steps per
// mode. For issue 11's figures: make the directories with
//   node bin/detcd.js run --scenario test/fixtures/check/short-timeouts.scenario.json --seed N --out DIR/sN
// then `node bench/tools/check-histories.mjs ROOT DIR 1..40 20000` for two builds (ROOT: a
// package root with a compiled dist/) and compare.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';

const [root, dir, seedSpec, deadlineText] = process.argv.slice(2);
if (root === undefined || dir === undefined || seedSpec === undefined) {
  console.error('usage: node bench/tools/check-histories.mjs ROOT DIR SEEDS(1..40 or 3,10) [DEADLINE_MS=20000]');
  process.exit(3);
}
const load = async (p) => import(pathToFileURL(join(resolve(root), 'dist', p)).href);
const { checkHistory } = await load('sim/check/check-history.js');
const { parseJsonl } = await load('sim/history/jsonl.js');
const deadlineMs = Number(deadlineText ?? 20000);
const range = seedSpec.match(/^(\d+)\.\.(\d+)$/);
const seeds = range === null ? seedSpec.split(',').map(Number) : Array.from({ length: Number(range[2]) - Number(range[1]) + 1 }, (_, i) => Number(range[1]) + i);
const WRITES = /put|txn|delete/;

for (const seed of seeds) {
  const d = join(dir, `s${seed}`);
  if (!existsSync(join(d, 'history.jsonl'))) {
    console.log(`seed ${seed} missing`);
    continue;
  }
  const text = readFileSync(join(d, 'history.jsonl'), 'utf8');
  const lines = text.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l));
  const invokes = lines.filter((o) => o.type === 'invoke').length;
  const timedOut = lines.filter((o) => o.type === 'info' && WRITES.test(o.f)).length;
  const watches = existsSync(join(d, 'watches.jsonl')) ? readFileSync(join(d, 'watches.jsonl'), 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l)) : [];
  const out = [];
  for (const [name, w] of [['alone', []], ['watches', watches]]) {
    const started = performance.now();
    const cpu = process.cpuUsage();
    const r = checkHistory(parseJsonl(text), 'etcd', { deadline: () => performance.now() - started > deadlineMs }, { watches: w });
    const used = process.cpuUsage(cpu);
    out.push(`${name}: ${String(r.valid)}${r.unknownReason === undefined ? '' : ` (${r.unknownReason})`} ${Math.round(performance.now() - started)} ms, cpu ${Math.round((used.user + used.system) / 1000)} ms, ${r.steps} steps`);
  }
  console.log(`seed ${seed} ops ${invokes} timed-out writes ${timedOut} | ${out.join(' | ')}`);
}
