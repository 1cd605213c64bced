// node bench/tools/turbofan-code.mjs ROOT [ROUNDS] [TOP]
// What TurboFan makes during the runs ab-builds.mjs measures: a fresh node (V8's default flags, as ab-builds) with
// --perf-basic-prof runs ROOT's harness bench scenario as ab-builds does for one build (seeds 100 and 101 to warm,
// then seeds 1–5 ROUNDS times, default 3), and the perf map it writes (/tmp/perf-PID.map: one line per code object,
// TurboFan's marked '*', with its size and source position) is read from the first measured run on: TurboFan code
// objects and their bytes, and the TOP (default 30) functions made 3 times or more, by bytes. The count and the
// bytes move much less with the machine's load than CPU does (two runs of one build: ±5 %).
// Why: V8 keeps a closure's optimized code only while a closure of it lives, so a closure made anew for every run
// (an arrow inside a per-run function, a callback handed to a module's function) is compiled again in every run
// after a full collection, its callers thrown away too ("wrong call target", "weak objects"); a function at module
// level or a method is compiled once. 2026-12-06, main 3d6db26: 1,750–1,860 KB made in the 15 measured runs,
// 570–650 KB of it in functions made 3 times or more (the lease check's judgeRead, watchFacts' addKv, hashKv's visitor …).
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const [root, roundsS = '3', topS = '30'] = process.argv.slice(2);
if (root === undefined) { console.error('usage: node bench/tools/turbofan-code.mjs ROOT [ROUNDS] [TOP] (ROOT has dist/)'); process.exit(3); }

if (process.env.TURBOFAN_CODE_CHILD === '1') {
  // The child: the runs, and before the first measured one the perf map's length so far.
  const { BENCH_SCENARIO } = await import('../bench-scenario.mjs');
  const { runScenario } = await import(`${root}/dist/sim/run/run.js`);
  const { defineScenario } = await import(`${root}/dist/sim/scenario/parse.js`);
  const s = defineScenario(BENCH_SCENARIO);
  const map = `/tmp/perf-${process.pid}.map`;
  for (const seed of [100, 101]) runScenario(s, seed);
  const from = readFileSync(map, 'utf8').split('\n').length - 1;
  const hashes = [];
  for (let k = 0; k < Number(roundsS); k++) for (const seed of [1, 2, 3, 4, 5]) {
    const r = runScenario(s, seed).results;
    if (k === 0) hashes.push(r.traceHash.slice(0, 12));
  }
  console.log(JSON.stringify({ map, from, hashes }));
  process.exit(0);
}

const child = spawnSync(process.execPath, ['--perf-basic-prof', fileURLToPath(import.meta.url), root, roundsS, topS], { encoding: 'utf8', env: { ...process.env, TURBOFAN_CODE_CHILD: '1' }, maxBuffer: 1 << 26 });
if (child.status !== 0) { console.error(`turbofan-code: the runs failed (exit ${child.status}): ${child.stderr.trim().split('\n').pop() ?? ''}`); process.exit(4); }
const { map, from, hashes } = JSON.parse(child.stdout.trim().split('\n').pop());
const lines = readFileSync(map, 'utf8').split('\n').slice(from);
rmSync(map, { force: true });
const by = new Map();
let count = 0, bytes = 0;
for (const line of lines) {
  const m = /^[0-9a-f]+ ([0-9a-f]+) JS:\*(.*)$/.exec(line);
  if (m === null) continue;
  const where = m[2].replace(/file:\/\/\/\S*?\/dist\//, '').trim();
  const size = parseInt(m[1], 16);
  const e = by.get(where) ?? { n: 0, bytes: 0 };
  e.n++; e.bytes += size; by.set(where, e);
  count++; bytes += size;
}
const again = [...by].filter(([, e]) => e.n >= 3).sort((a, b) => b[1].bytes - a[1].bytes);
const kb = (b) => `${(b / 1024).toFixed(0)} KB`;
console.log(`${root}: ${5 * Number(roundsS)} measured runs (seeds 1-5 x ${roundsS}, after seeds 100 and 101), hashes ${hashes.join(' ')}`);
console.log(`TurboFan code objects ${count}, ${kb(bytes)}; in functions made 3 times or more: ${again.reduce((a, [, e]) => a + e.n, 0)}, ${kb(again.reduce((a, [, e]) => a + e.bytes, 0))} (${again.length} functions)`);
for (const [where, e] of again.slice(0, Number(topS))) console.log(`  ${String(e.n).padStart(2)}x ${kb(e.bytes).padStart(6)}  ${where}`);
