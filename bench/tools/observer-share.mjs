// node bench/tools/observer-share.mjs ROOT [ROUNDS] [raft|cluster]
// What the per-event observers (World.onEvent: the Raft invariant observer and the cluster invariants) cost the harness
// bench runs, by removing them: seeds 1–5 ROUNDS times (default 2), each run once with every observer and once without
// (or without only the one named), alternated in one process; prints the CPU ratio without/with (total and median of the
// pairs) and each run's trace hash (the observers only read: the runs are the same). A CPU profile charges an observer
// only its own samples; removing it also shows what it costs the code around it. 2026-12-06, b21e22c at load ≈25: both
// removed 0.842 total / 0.888 median and 0.831 / 0.812 (10 pairs each) while the profile gave them 3.4 % + 3.6 % inclusive;
// one removed alone did not repeat (the cluster invariants 0.875 / 0.922, then 1.008 / 1.031; the Raft observer 0.965 /
// 0.944, then 0.927 / 0.981): compare single removals with several rounds and an A/A beside them.
import { BENCH_SCENARIO } from '../bench-scenario.mjs';

const [root, roundsS = '2', only] = process.argv.slice(2);
if (root === undefined || (only !== undefined && only !== 'raft' && only !== 'cluster')) {
  console.error('usage: node bench/tools/observer-share.mjs ROOT [ROUNDS] [raft|cluster]');
  process.exit(3);
}
const { World } = await import(`${root}/dist/sim/world/world.js`);
const { EtcdCluster } = await import(`${root}/dist/sim/etcd/cluster.js`);
const { runScenario } = await import(`${root}/dist/sim/run/run.js`);
const { defineScenario } = await import(`${root}/dist/sim/scenario/parse.js`);
const scenario = defineScenario(BENCH_SCENARIO);

// Which observer is registering (set while the cluster's observe method runs), and whether this run keeps it.
let registering;
let observe = true;
for (const [method, name] of [['observeRaftInvariants', 'raft'], ['observeClusterInvariants', 'cluster']]) {
  const original = EtcdCluster.prototype[method];
  EtcdCluster.prototype[method] = function (...args) {
    registering = name;
    try { return original.apply(this, args); } finally { registering = undefined; }
  };
}
const onEvent = World.prototype.onEvent;
World.prototype.onEvent = function (observer) {
  const removed = !observe && registering !== undefined && (only === undefined || only === registering);
  return removed ? () => {} : onEvent.call(this, observer);
};

const cpuMs = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e3; };
const run = (seed, withObservers) => {
  observe = withObservers;
  const c0 = cpuMs();
  const r = runScenario(scenario, seed).results;
  return { ms: cpuMs() - c0, hash: r.traceHash };
};
for (const seed of [100, 101]) { run(seed, true); run(seed, false); }
const on = [];
const off = [];
for (let r = 0; r < Number(roundsS); r++) {
  for (const seed of [1, 2, 3, 4, 5]) {
    // Alternate which goes first, so that neither is always the warmer.
    const first = (r + seed) % 2 === 0;
    const a = run(seed, first);
    const b = run(seed, !first);
    const [w, wo] = first ? [a, b] : [b, a];
    if (w.hash !== wo.hash) { console.error(`observer-share: seed ${seed} ran to ${w.hash} with the observers and ${wo.hash} without`); process.exit(4); }
    if (r === 0) console.log(`seed ${seed}: ${w.hash.slice(0, 12)}`);
    on.push(w.ms);
    off.push(wo.ms);
  }
}
const sum = (xs) => xs.reduce((x, y) => x + y, 0);
const ratios = on.map((x, i) => off[i] / x).sort((x, y) => x - y);
console.log(`without ${only ?? 'both'} observer${only === undefined ? 's' : ''} / with: CPU total ${(sum(off) / sum(on)).toFixed(3)}, median ${ratios[Math.floor(ratios.length / 2)].toFixed(3)} (${ratios.length} pairs)`);
