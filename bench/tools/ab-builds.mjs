// Two builds (each ROOT has dist/, e.g. a 'git archive main' copy built with tsc) compared in one process:
// node bench/tools/ab-builds.mjs ROOT_A ROOT_B [ROUNDS]: both builds in one process, warmed, then alternated seed by seed; CPU (process, µs) summed per build.
import { BENCH_SCENARIO } from '../bench-scenario.mjs';
const roots = process.argv.slice(2, 4);
if (roots.length !== 2) { console.error('usage: node bench/tools/ab-builds.mjs ROOT_A ROOT_B [ROUNDS] (each ROOT has dist/)'); process.exit(3); } const rounds = Number(process.argv[4] ?? 4);
const sc = BENCH_SCENARIO;
const b = [];
for (const r of roots) { const { runScenario } = await import(`${r}/dist/sim/run/run.js`); const { defineScenario } = await import(`${r}/dist/sim/scenario/parse.js`); const s = defineScenario(sc); b.push({ r, run: (seed) => runScenario(s, seed).results, cpu: [], hashes: [] }); }
for (const x of b) { x.run(100); x.run(101); }
for (let k = 0; k < rounds; k++) {
  for (const seed of [1, 2, 3, 4, 5]) {
    const order = (k + seed) % 2 === 0 ? b : [b[1], b[0]];
    for (const x of order) { const c0 = process.cpuUsage(); const res = x.run(seed); const c = process.cpuUsage(c0); x.cpu.push({ seed, s: (c.user + c.system) / 1e6 }); if (k === 0) x.hashes.push(res.traceHash.slice(0, 12)); }
  }
}
const per = b.map((x) => x.cpu.reduce((a, c) => a + c.s, 0));
// ratio per (round, seed) pair, then median
const ratios = b[0].cpu.map((c, i) => b[1].cpu[i].s / c.s).sort((p, q) => p - q);
console.log(b.map((x, i) => `${x.r}: total ${per[i].toFixed(2)} s  hashes ${x.hashes.join(' ')}`).join('\n'));
console.log(`B/A CPU: total ${(per[1] / per[0]).toFixed(3)}, median of ${ratios.length} paired runs ${ratios[Math.floor(ratios.length / 2)].toFixed(3)}`);
