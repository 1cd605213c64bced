// node [NODE_FLAGS] bench/tools/checker-rounds.mjs ROOT ROUNDS [CHECKERS]: the 5 harness bench runs simulated once, their
// history checkers (CHECKERS, comma-separated, default linearizable,watch,lease) warmed once, then ROUNDS rounds between
// two lines on stderr (MEASURE START, MEASURE END with the CPU). For figures that need a whole process around the checkers:
// GC by CPU time (`bench/tools/cpu-kinds.mjs -- node bench/tools/checker-rounds.mjs ROOT R`, R = 0 and R = 8, the
// difference), or what survives a scavenge (`node --trace-gc-nvp --single-threaded-gc ...`, the lines between the markers).
import { BENCH_SCENARIO } from '../bench-scenario.mjs';
const [root, roundsText = '3', names = 'linearizable,watch,lease'] = process.argv.slice(2);
if (root === undefined || !/^[0-9]+$/.test(roundsText)) { console.error('usage: node bench/tools/checker-rounds.mjs ROOT ROUNDS [CHECKERS]'); process.exit(3); }
const { runScenario } = await import(`${root}/dist/sim/run/run.js`);
const { defineScenario } = await import(`${root}/dist/sim/scenario/parse.js`);
const { historyCheckers } = await import(`${root}/dist/sim/run/history-checkers.js`);
const scenario = defineScenario(BENCH_SCENARIO);
const outs = [1, 2, 3, 4, 5].map((seed) => runScenario(scenario, seed));
const checkers = new Set(names.split(','));
const check = (o) => historyCheckers(checkers, o.history, o.watches, { scenario: o.scenario, leaderChangesUs: [] });
for (const o of outs) check(o);
console.error('MEASURE START');
const c0 = process.cpuUsage();
for (let r = 0; r < Number(roundsText); r++) for (const o of outs) check(o);
const c = process.cpuUsage(c0);
console.error(`MEASURE END ${((c.user + c.system) / 1e6).toFixed(2)} s CPU`);
