// What a doomed history costs the etcd check of two builds: node bench/tools/doomed-ab.mjs ROOT_A ROOT_B [ROUNDS].
// The harness bench runs of seeds 1-3 (simulated with ROOT_A), each history with one range answer at 90 % of it
// changed to a value nobody wrote (a contradiction: Model.doomed finds it, the search stops at DOOMED_PREFIX_STEPS);
// both builds' checkHistory alternated, the first round's verdicts printed and not timed, CPU of the others summed.
import { BENCH_SCENARIO } from '../bench-scenario.mjs';
const [ra, rb, roundsArg] = process.argv.slice(2);
if (rb === undefined) { console.error('usage: node bench/tools/doomed-ab.mjs ROOT_A ROOT_B [ROUNDS] (each ROOT has dist/)'); process.exit(3); }
const { runScenario } = await import(`${ra}/dist/sim/run/run.js`);
const { defineScenario } = await import(`${ra}/dist/sim/scenario/parse.js`);
const scenario = defineScenario(BENCH_SCENARIO);
const builds = await Promise.all([ra, rb].map(async (r) => (await import(`${r}/dist/sim/check/check-history.js`)).checkHistory));
const hs = [];
for (const seed of [1, 2, 3]) {
  const o = runScenario(scenario, seed);
  const h = structuredClone(o.history);
  let done = false;
  for (let i = Math.floor(h.length * 0.9); i >= 0 && !done; i--) {
    const op = h[i];
    const kvs = op.type === 'ok' && op.f === 'kv/range' ? op.value?.kvs : undefined;
    if (Array.isArray(kvs) && kvs.length > 0 && typeof kvs[0].value === 'string') { kvs[0].value = Buffer.from('nobody-wrote-this').toString('base64'); done = true; }
  }
  if (!done) { console.log('seed', seed, 'no range answer found', JSON.stringify(h[h.length - 1]).slice(0, 300)); continue; }
  hs.push({ seed, h, watches: o.watches });
}
const cpu = () => { const c = process.cpuUsage(); return (c.user + c.system) / 1000; };
const sums = [0, 0];
for (let k = 0; k < Number(roundsArg ?? 3); k++) for (const x of hs) for (const b of k % 2 ? [1, 0] : [0, 1]) {
  const t = cpu();
  const r = builds[b]({ ops: [...x.h], lines: x.h.map((_, i) => i + 1) }, 'etcd', { maxSteps: 2_000_000 }, { watches: x.watches });
  const dt = cpu() - t;
  if (k > 0) sums[b] += dt;
  if (k === 0) console.log(`seed ${x.seed} build ${b}: ${r.valid} steps ${r.steps} ${String(r.summary).slice(0, 160)}`);
}
console.log(`CPU A ${sums[0].toFixed(0)} ms, B ${sums[1].toFixed(0)} ms, B/A ${(sums[1] / sums[0]).toFixed(3)}`);
