// node [NODE_FLAGS] bench/tools/warmup-cost.mjs ROOT [COLD] [WARM]
// What a cold V8 isolate (a fresh sweep worker) pays before its runs are fast: COLD runs (default 60) of the
// sweep's bench scenario from a cold start, then WARM more (default 60; seeds 1..COLD again) in the same isolate.
// W = CPU(cold part) − COLD × (CPU per warm run): the warm-up cost of one isolate (TurboFan on the background
// threads plus the slow early runs on the JS thread), in CPU seconds of this process (every thread); on Linux also
// split by thread (the JS thread's from /proc, the rest V8's background threads').
// Each extra sweep worker pays W once, so 2 workers spend about W more than 1 on the same runs, plus
// what they cost each other (caches, memory): for ×1.8, W plus that must stay under 11 % of 1 worker's CPU.
// NODE_FLAGS: those of a sweep worker process (sim/cli/harness/lane-policy.ts childFlags), e.g.
//   node --single-threaded-gc --max-semi-space-size=32 --max-inlined-bytecode-size-cumulative=240 bench/tools/warmup-cost.mjs .
// On a loaded machine run configurations side by side at the same time, several rounds, and compare medians.
import { readFileSync } from 'node:fs';
import { BENCH_SCENARIO } from '../bench-scenario.mjs';

const [root, coldS = '60', warmS = '60'] = process.argv.slice(2);
const cold = Number(coldS), warm = Number(warmS);
if (root === undefined || !(cold >= 1 && warm >= 1)) { console.error('usage: node [NODE_FLAGS] bench/tools/warmup-cost.mjs ROOT [COLD] [WARM] (ROOT has dist/)'); process.exit(3); }
const { runScenario } = await import(`${root}/dist/sim/run/run.js`);
const { defineScenario } = await import(`${root}/dist/sim/scenario/parse.js`);
// The sweep part of `npm run bench -- harness` (bench/harness.bench.ts, sweep-scaling.mjs): 10 clients for 3 s.
const scenario = defineScenario({ ...BENCH_SCENARIO, name: 'bench-sweep', clients: { count: 10 }, workload: { ...BENCH_SCENARIO.workload, rateOpsPerSecond: 200, durationMs: 3000 } });
const cpuS = () => { const c = process.cpuUsage(); return (c.user + c.system) / 1e6; };
// The JS thread's CPU (/proc, Linux; 10 ms ticks): the rest of the process's is V8's background threads' (TurboFan's
// concurrent compiles; with --single-threaded-gc no GC helpers). undefined where /proc is not there.
const jsCpuS = () => { try { const f = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8').split(') ')[1].split(' '); return (Number(f[11]) + Number(f[12])) / 100; } catch { return undefined; } };
const c0 = cpuS(), j0 = jsCpuS();
for (let seed = 1; seed <= cold; seed++) runScenario(scenario, seed);
const c1 = cpuS(), j1 = jsCpuS();
for (let k = 0; k < warm; k++) runScenario(scenario, (k % cold) + 1);
const c2 = cpuS(), j2 = jsCpuS();
const perWarmRunS = (c2 - c1) / warm;
// W split by thread: W_js, the slow early runs on the JS thread; W_background, TurboFan compiling beside it (which a
// single worker gets from an idle core, and two workers on two cores take from each other's).
const split = j0 === undefined ? {} : (() => {
  const wJs = (j1 - j0) - cold * ((j2 - j1) / warm);
  const w = (c1 - c0) - cold * perWarmRunS;
  return { coldJsCpuS: +(j1 - j0).toFixed(2), coldBackgroundCpuS: +((c1 - c0) - (j1 - j0)).toFixed(2), warmupCostJsCpuS: +wJs.toFixed(2), warmupCostBackgroundCpuS: +(w - wJs).toFixed(2) };
})();
console.log(JSON.stringify({
  flags: process.execArgv.join(' '), cold, warm,
  coldCpuS: +(c1 - c0).toFixed(2), warmCpuS: +(c2 - c1).toFixed(2), warmMsPerRun: +(perWarmRunS * 1000).toFixed(1),
  warmupCostCpuS: +((c1 - c0) - cold * perWarmRunS).toFixed(2),
  warmupCostInWarmRuns: +(((c1 - c0) - cold * perWarmRunS) / perWarmRunS).toFixed(1),
  ...split,
}));
