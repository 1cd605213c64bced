// The history checkers of two builds compared in one process, on the harness bench scenario's histories:
// node bench/tools/checkers-ab.mjs ROOT_A ROOT_B [ROUNDS] (each ROOT has dist/). The runs (seeds 1-5) are
// simulated once with ROOT_A; then each build's linearizability check (etcd model, with the watch events),
// watch checker and lease checker judge every history, alternated build by build, warmed first. Prints the
// CPU per checker and build, the ratio B/A (total and median of the paired checks) and whether every
// verdict and summary is the same in both builds (it must be: these changes keep verdicts).
// A build with sim/check/fixed-shape.js gets its checkers' input as its runs give it (historyCheckers copies
// each history into fixed shapes once, before every checker): the copy is made once per history and round and
// its CPU is counted in that build's total (line "fixed-shape").
import { BENCH_SCENARIO } from '../bench-scenario.mjs';
const roots = process.argv.slice(2, 4);
if (roots.length !== 2) { console.error('usage: node bench/tools/checkers-ab.mjs ROOT_A ROOT_B [ROUNDS] (each ROOT has dist/)'); process.exit(3); }
const rounds = Number(process.argv[4] ?? 4);
const sc = BENCH_SCENARIO;
const { runScenario } = await import(`${roots[0]}/dist/sim/run/run.js`);
const { defineScenario } = await import(`${roots[0]}/dist/sim/scenario/parse.js`);
const scenario = defineScenario(sc);
const runs = [1, 2, 3, 4, 5].map((seed) => { const o = runScenario(scenario, seed); return { seed, history: o.history, watches: o.watches }; });
const builds = [];
for (const r of roots) {
  const { checkHistory } = await import(`${r}/dist/sim/check/check-history.js`);
  const { checkWatch } = await import(`${r}/dist/sim/check/watch.js`);
  const { checkLease } = await import(`${r}/dist/sim/check/lease.js`);
  const checkers = {
    linearizable: (x) => checkHistory({ ops: [...x.history], lines: x.history.map((_, i) => i + 1) }, 'etcd', { maxSteps: 2_000_000 }, { watches: x.watches }),
    watch: (x) => checkWatch(x.watches, x.history, {}),
    lease: (x) => checkLease(x.history, { leaderChangesUs: [], electionTimeoutUs: 1_000_000, clockDriftPpmMax: 0, clockJumpUsMax: 0 }),
  };
  const fixed = await import(`${r}/dist/sim/check/fixed-shape.js`).catch(() => undefined);
  const prepare = fixed === undefined ? (x) => x : (x) => ({ seed: x.seed, history: fixed.fixedShapeOps(x.history), watches: x.watches });
  builds.push({ r, checkers, prepare, cpu: {}, summaries: {} });
}
const names = ['linearizable', 'watch', 'lease'];
const time = (b, name, x) => { const c0 = process.cpuUsage(); const res = b.checkers[name](x); const c = process.cpuUsage(c0); return { s: (c.user + c.system) / 1e6, sig: `${res.valid} ${res.summary ?? ''}` }; };
const prepared = (b, x) => { const c0 = process.cpuUsage(); const y = b.prepare(x); const c = process.cpuUsage(c0); (b.cpu['fixed-shape'] ??= []).push((c.user + c.system) / 1e6); return y; };
for (const b of builds) for (const name of names) for (const x of runs) time(b, name, b.prepare(x));
for (let k = 0; k < rounds; k++) {
  for (const x of runs) {
    const inputs = new Map(builds.map((b) => [b, prepared(b, x)]));
    for (const name of names) {
      const order = (k + x.seed) % 2 === 0 ? builds : [builds[1], builds[0]];
      for (const b of order) {
        const t = time(b, name, inputs.get(b));
        (b.cpu[name] ??= []).push(t.s);
        if (k === 0) (b.summaries[name] ??= []).push(t.sig);
      }
    }
  }
}
const sum = (xs) => xs.reduce((a, c) => a + c, 0);
const median = (xs) => [...xs].sort((p, q) => p - q)[Math.floor(xs.length / 2)];
for (const name of names) {
  const [a, b] = builds;
  const ratios = a.cpu[name].map((s, i) => b.cpu[name][i] / s);
  const same = a.summaries[name].every((s, i) => s === b.summaries[name][i]);
  console.log(`${name.padEnd(13)} A ${sum(a.cpu[name]).toFixed(2)} s  B ${sum(b.cpu[name]).toFixed(2)} s  B/A total ${(sum(b.cpu[name]) / sum(a.cpu[name])).toFixed(3)}, median of ${ratios.length} pairs ${median(ratios).toFixed(3)}  verdicts ${same ? 'identical' : 'DIFFER'}`);
  if (!same) for (let i = 0; i < runs.length; i++) if (a.summaries[name][i] !== b.summaries[name][i]) console.log(`  seed ${runs[i].seed}: A ${a.summaries[name][i].slice(0, 160)}\n          B ${b.summaries[name][i].slice(0, 160)}`);
}
console.log(`fixed-shape   A ${sum(builds[0].cpu['fixed-shape']).toFixed(2)} s  B ${sum(builds[1].cpu['fixed-shape']).toFixed(2)} s  (the copy of each history into fixed shapes, where a build makes it)`);
const all = builds.map((b) => sum([...names, 'fixed-shape'].map((n) => sum(b.cpu[n]))));
console.log(`all checkers  A ${all[0].toFixed(2)} s  B ${all[1].toFixed(2)} s  B/A ${(all[1] / all[0]).toFixed(3)}`);
