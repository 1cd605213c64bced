// Two builds (each ROOT has dist/, e.g. a 'git archive main' copy built with tsc) compared seed by seed:
// node bench/tools/ab-builds.mjs ROOT_A ROOT_B [ROUNDS]
// Each order runs in its own process (A loaded first, then B first) and the two ratios are combined (geometric mean):
// in one process the build loaded second ran 2–5 % faster even against itself (A/A 0.963 total at load 20), so a
// one-order ratio of a few per cent says nothing. AB_ONE_ORDER=1 runs one order in this process (the children do).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { BENCH_SCENARIO } from '../bench-scenario.mjs';

const roots = process.argv.slice(2, 4);
if (roots.length !== 2) { console.error('usage: node bench/tools/ab-builds.mjs ROOT_A ROOT_B [ROUNDS] (each ROOT has dist/)'); process.exit(3); }
const rounds = Number(process.argv[4] ?? 4);

if (process.env.AB_ONE_ORDER === '1') await oneOrder(roots, rounds);
else bothOrders(roots, rounds);

function bothOrders([a, z], n) {
  const child = (first, second) => {
    const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), first, second, String(n)], { encoding: 'utf8', env: { ...process.env, AB_ONE_ORDER: '1' } });
    if (r.status !== 0) { console.error(`ab-builds: the order ${first} first failed (exit ${r.status}): ${r.stderr.trim().split('\n').pop() ?? ''}`); process.exit(4); }
    process.stdout.write(`-- ${first} loaded first\n${r.stdout}`);
    return JSON.parse(r.stdout.trim().split('\n').pop());
  };
  const ab = child(a, z); // second/first = B/A
  const ba = child(z, a); // second/first = A/B
  const geo = (p, q) => Math.sqrt(p / q);
  console.log(`B/A CPU, both orders combined: total ${geo(ab.total, ba.total).toFixed(3)}, median ${geo(ab.median, ba.median).toFixed(3)} (${ab.pairs + ba.pairs} pairs; A first ${ab.total.toFixed(3)}/${ab.median.toFixed(3)}, B first ${(1 / ba.total).toFixed(3)}/${(1 / ba.median).toFixed(3)})`);
}

async function oneOrder(pair, n) {
  const b = [];
  for (const r of pair) {
    const { runScenario } = await import(`${r}/dist/sim/run/run.js`);
    const { defineScenario } = await import(`${r}/dist/sim/scenario/parse.js`);
    const s = defineScenario(BENCH_SCENARIO);
    b.push({ r, run: (seed) => runScenario(s, seed).results, cpu: [], hashes: [] });
  }
  for (const x of b) { x.run(100); x.run(101); }
  for (let k = 0; k < n; k++) {
    for (const seed of [1, 2, 3, 4, 5]) {
      const order = (k + seed) % 2 === 0 ? b : [b[1], b[0]];
      for (const x of order) {
        const c0 = process.cpuUsage(); const res = x.run(seed); const c = process.cpuUsage(c0);
        x.cpu.push({ seed, s: (c.user + c.system) / 1e6 });
        if (k === 0) x.hashes.push(res.traceHash.slice(0, 12));
      }
    }
  }
  const per = b.map((x) => x.cpu.reduce((a, c) => a + c.s, 0));
  const ratios = b[0].cpu.map((c, i) => b[1].cpu[i].s / c.s).sort((p, q) => p - q);
  const median = ratios[Math.floor(ratios.length / 2)];
  console.log(b.map((x, i) => `${x.r}: total ${per[i].toFixed(2)} s  hashes ${x.hashes.join(' ')}`).join('\n'));
  console.log(`second/first CPU: total ${(per[1] / per[0]).toFixed(3)}, median of ${ratios.length} paired runs ${median.toFixed(3)}`);
  console.log(JSON.stringify({ total: per[1] / per[0], median, pairs: ratios.length }));
}
