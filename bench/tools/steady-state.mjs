// The harness bench's runs (bench-scenario.mjs, seeds 1–5) in a steady state (../steady-state.mjs: warm-up
// rounds until a round costs what the one before cost, then measured rounds, medians), for builds with a
// compiled dist/ (this checkout, or `git archive COMMIT` built with tsc: README here). CPU is the process's
// (JS thread, GC and TurboFan threads), as in `npm run bench -- harness`. node's flags (an inlining budget,
// say) apply to every build alike: give them to node, e.g. `node --max-inlined-bytecode-size-cumulative=240 ...`.
//
//   node bench/tools/steady-state.mjs ROOT                one build in a fresh process: the bench's first figure
//                                                         (one warm-up run, then seeds 1–5 once) and then the steady state
//   node bench/tools/steady-state.mjs ROOT_A ROOT_B       both builds in one process, runs alternated: each one's steady
//                                                         state and B's CPU against A's (total and median of paired runs)
//   node bench/tools/steady-state.mjs --processes N ROOT_A ROOT_B
//                                                         N fresh processes per build, alternated A B B A ...: medians of
//                                                         both figures per build and B/A for each (node's flags passed on)
// --json: one JSON object on the last line as well.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { BENCH_SCENARIO } from '../bench-scenario.mjs';
import { describeSteady, steadyState } from '../steady-state.mjs';

const SEEDS = [1, 2, 3, 4, 5];
const args = process.argv.slice(2);
const json = args.includes('--json');
const p = args.indexOf('--processes');
const processes = p < 0 ? 0 : Number(args[p + 1]);
const roots = args.filter((a, i) => !a.startsWith('--') && (p < 0 || i !== p + 1));
if (roots.length === 0 || (p >= 0 && !(processes >= 1 && roots.length === 2))) {
  console.error('usage: node bench/tools/steady-state.mjs [--json] ROOT [ROOT_B] | --processes N ROOT_A ROOT_B (each ROOT has dist/)');
  process.exit(3);
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function load(root) {
  const { runScenario } = await import(`${root}/dist/sim/run/run.js`);
  const { defineScenario } = await import(`${root}/dist/sim/scenario/parse.js`);
  const scenario = defineScenario(BENCH_SCENARIO);
  return {
    label: root,
    run(seed) {
      const c0 = process.cpuUsage();
      const r = runScenario(scenario, seed).results;
      const c = process.cpuUsage(c0);
      return { cpuS: (c.user + c.system) / 1e6, ops: r.stats.ops.ok + r.stats.ops.fail + r.stats.ops.info, events: r.stats.events, traceHash: r.traceHash };
    },
  };
}

/** The bench's first figure: one warm-up run (seed 100), then seeds 1–5 once; median of ops per CPU second. */
function firstRuns(build) {
  build.run(100);
  const runs = SEEDS.map((seed) => build.run(seed));
  return { opsPerCpuS: median(runs.map((r) => r.ops / r.cpuS)), cpuSPerRun: median(runs.map((r) => r.cpuS)), hashes: runs.map((r) => r.traceHash.slice(0, 12)) };
}

function oneProcessRatios(result) {
  return result.against.slice(1).map((a) => `${a.label} against ${result.against[0].label}: CPU ${a.totalCpuRatio.toFixed(3)} total, ${a.medianPairedCpuRatio.toFixed(3)} median of paired runs`);
}

async function inThisProcess() {
  const builds = [];
  for (const root of roots) builds.push(await load(root));
  const first = builds.length === 1 ? firstRuns(builds[0]) : undefined;
  if (first !== undefined) console.log(`first runs (the bench's window: 1 warm-up run, seeds 1–5 once): ${Math.round(first.opsPerCpuS)} client ops per CPU second, ${first.cpuSPerRun.toFixed(3)} s CPU per run; hashes ${first.hashes.join(' ')}`);
  const result = steadyState(builds, { seeds: SEEDS });
  for (const [i, b] of builds.entries()) console.log(`steady state, ${b.label}: ${describeSteady(result, i)}; hashes ${result.summaries[i].perSeed.map((s) => s.traceHash.slice(0, 12)).join(' ')}`);
  for (const line of oneProcessRatios(result)) console.log(line);
  console.log(`node flags: ${process.execArgv.join(' ') || '(none)'}`);
  if (json) console.log(JSON.stringify({ first, steady: result.summaries.map((s) => ({ label: s.label, opsPerCpuS: s.opsPerCpuS, cpuSPerRun: s.cpuSPerRun })), warmup: result.warmup, against: result.against }));
}

function inFreshProcesses() {
  const self = fileURLToPath(import.meta.url);
  const rows = roots.map(() => []);
  for (let k = 0; k < processes; k++) {
    // A B, then B A: a drift of the load over a pair hits both builds alike.
    const order = k % 2 === 0 ? [0, 1] : [1, 0];
    for (const i of order) {
      const out = execFileSync(process.execPath, [...process.execArgv, self, '--json', roots[i]], { encoding: 'utf8' });
      const j = JSON.parse(out.trim().split('\n').pop());
      rows[i].push({ first: j.first.opsPerCpuS, steady: j.steady[0].opsPerCpuS, stable: j.warmup.stable, warmupRounds: j.warmup.rounds });
      console.log(`${roots[i]}: first runs ${Math.round(j.first.opsPerCpuS)}, steady state ${Math.round(j.steady[0].opsPerCpuS)} client ops per CPU s (${j.warmup.rounds} warm-up rounds${j.warmup.stable ? '' : ', NOT stable'})`);
    }
  }
  // An even count has two middle values: their mean (the upper one alone would flatter whichever build it favours).
  const mid = (xs) => { const v = [...xs].sort((a, b) => a - b); const h = Math.floor(v.length / 2); return v.length % 2 === 1 ? v[h] : (v[h - 1] + v[h]) / 2; };
  const m = rows.map((r) => ({ first: mid(r.map((x) => x.first)), steady: mid(r.map((x) => x.steady)) }));
  for (const [i, root] of roots.entries()) console.log(`${root}: first runs ${rows[i].map((x) => Math.round(x.first)).join(', ')} (median ${Math.round(m[i].first)}); steady state ${rows[i].map((x) => Math.round(x.steady)).join(', ')} (median ${Math.round(m[i].steady)}) client ops per CPU s`);
  // Process k of B against process k of A: the two ran next to each other, under about the same load.
  const pairs = (key) => rows[1].map((x, k) => x[key] / rows[0][k][key]);
  console.log(`B/A client ops per CPU s, pair by pair: first runs ${pairs('first').map((r) => `×${r.toFixed(2)}`).join(' ')} (median ×${mid(pairs('first')).toFixed(2)}); steady state ${pairs('steady').map((r) => `×${r.toFixed(2)}`).join(' ')} (median ×${mid(pairs('steady')).toFixed(2)}) (node flags: ${process.execArgv.join(' ') || '(none)'})`);
  if (json) console.log(JSON.stringify({ roots, medians: m, rows }));
}

if (processes > 0) inFreshProcesses();
else await inThisProcess();
