// node bench/tools/garbage-cost.mjs ROOT [ROUNDS] [OBJECTS]
// What garbage costs the harness bench runs, measured by adding some: each run of seeds 1–5 (ROUNDS times, default
// 3) once as it is and once with OBJECTS (default 52) more short-lived objects per event (garbage-hook.mjs),
// alternated in one process (which goes first alternates too), after two warm-up runs of each. Prints the exact bytes
// both allocate (allocated-bytes.mjs, seeds 1–2) and the CPU ratio with/without (total and median of the pairs); the
// trace hashes must be the same (the objects are never read). The cost per byte of garbage added bounds what cutting
// the same bytes out of the simulation can win. 2026-12-07, main 81a03f1, load 20–30: 305 → 606 MB cost ×1.007 / ×1.036
// and ×1.089 / ×1.153 here (15 pairs each), ×1.074 / ×1.076 and ×1.070 / ×1.099 as a dist copy with the same objects
// against the original in ab-builds.mjs (30 pairs each), beside an A/A of 0.978 / 0.985: doubling the garbage costs
// ≈7 %, so all of it costs about that much.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { BENCH_SCENARIO } from '../bench-scenario.mjs';
import { garbageHook } from './garbage-hook.mjs';

const [root, roundsS = '3', objectsS = '52'] = process.argv.slice(2);
const rounds = Number(roundsS);
const objects = Number(objectsS);
if (root === undefined || !Number.isInteger(rounds) || rounds < 1 || !Number.isInteger(objects) || objects < 1) {
  console.error('usage: node bench/tools/garbage-cost.mjs ROOT [ROUNDS] [OBJECTS]');
  process.exit(3);
}

const bytes = fileURLToPath(new URL('allocated-bytes.mjs', import.meta.url));
for (const extra of [[], ['--garbage', objectsS]]) {
  const r = spawnSync(process.execPath, [bytes, root, '2', ...extra], { encoding: 'utf8' });
  if (r.status !== 0) { console.error(`garbage-cost: ${r.stderr.trim()}`); process.exit(4); }
  process.stdout.write(r.stdout);
}

const hook = await garbageHook(root);
const { runScenario } = await import(`${root}/dist/sim/run/run.js`);
const { defineScenario } = await import(`${root}/dist/sim/scenario/parse.js`);
const scenario = defineScenario(BENCH_SCENARIO);
const cpuMs = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e3; };
const run = (seed, garbage) => {
  hook.objectsPerEvent = garbage ? objects : 0;
  const c0 = cpuMs();
  const r = runScenario(scenario, seed).results;
  return { ms: cpuMs() - c0, hash: r.traceHash };
};
for (const seed of [100, 101]) { run(seed, false); run(seed, true); }
const plain = [];
const more = [];
for (let k = 0; k < rounds; k++) {
  for (const seed of [1, 2, 3, 4, 5]) {
    const first = (k + seed) % 2 === 0;
    const a = run(seed, first);
    const b = run(seed, !first);
    const [g, p] = first ? [a, b] : [b, a];
    if (g.hash !== p.hash) { console.error(`garbage-cost: seed ${seed} ran to ${p.hash} as it is and ${g.hash} with the garbage`); process.exit(4); }
    more.push(g.ms);
    plain.push(p.ms);
  }
}
const sum = (xs) => xs.reduce((x, y) => x + y, 0);
const ratios = plain.map((x, i) => more[i] / x).sort((x, y) => x - y);
console.log(`with ${objects} more objects per event / as it is: CPU total ${(sum(more) / sum(plain)).toFixed(3)}, median ${ratios[Math.floor(ratios.length / 2)].toFixed(3)} (${ratios.length} pairs)`);
