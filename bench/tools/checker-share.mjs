// node bench/tools/checker-share.mjs ROOT [ROUNDS]: the history checkers' share of a harness bench run. CPU of whole runs of the
// bench scenario (seeds 1-5, warmed by seed 100) and of their history checkers (linearizability with the watch events, watch,
// lease) run again on the same histories, median of ROUNDS; run it for two builds in turn, several times, and compare.
import { BENCH_SCENARIO } from '../bench-scenario.mjs';
const root = process.argv[2]; const rounds = Number(process.argv[3] ?? 3);
const sc = BENCH_SCENARIO;
const { runScenario } = await import(`${root}/dist/sim/run/run.js`);
const { defineScenario } = await import(`${root}/dist/sim/scenario/parse.js`);
const { historyCheckers } = await import(`${root}/dist/sim/run/history-checkers.js`);
const scenario = defineScenario(sc);
const cpu = () => { const c = process.cpuUsage(); return (c.user + c.system) / 1000; };
runScenario(scenario, 100);
const runT = []; const chkT = [];
let outs;
for (let k = 0; k < rounds; k++) {
  let t0 = cpu(); outs = [1, 2, 3, 4, 5].map((seed) => runScenario(scenario, seed)); runT.push(cpu() - t0);
  t0 = cpu();
  for (const o of outs) historyCheckers(new Set(['linearizable', 'watch', 'lease']), o.history, o.watches, { scenario: o.scenario, leaderChangesUs: [] });
  chkT.push(cpu() - t0);
}
const med = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`${root}: 5 runs ${med(runT).toFixed(0)} ms CPU (checkers inside), their history checkers again ${med(chkT).toFixed(0)} ms: share ${(100 * med(chkT) / med(runT)).toFixed(1)} %`);
