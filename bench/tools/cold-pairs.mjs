// node bench/tools/cold-pairs.mjs ROOT PAIRS 'EXTRA_FLAGS_B' ['EXTRA_FLAGS_A'] [COLD]
// A V8 flag's effect on a cold sweep worker, measured where sequential alternation cannot: PAIRS pairs of fresh
// processes, A and B started at the same moment (so both meet the same load), each running COLD (default 60) cold runs
// of the sweep's bench scenario (warmup-cost.mjs) with a sweep worker process's flags (ROOT's lane-policy childFlags)
// plus its extra flags. Prints each pair's cold CPU seconds and, at the end, B − A per pair: the median, the mean and
// in how many pairs B was cheaper. At load 20–30 on 2 cores one cold-60 figure moves ±10 % from one sample to the next,
// sequential A B B A rounds could not tell a 5 % effect in 10 rounds, and these pairs did in 10 of 10; run an A/A (the
// same flags twice: 'EXTRA_FLAGS_B' '') first to see the pairs' own spread. Which of the two starts first alternates.
// Each figure is also split by thread (Linux): the JS thread's CPU and the rest, V8's background threads' (TurboFan).
// A flag that moves compile work between them (an interrupt budget, inlining limits) shows it there: one worker with
// an idle core beside it pays only its JS thread in wall time, two workers on two cores pay both. COLD 30 is one of
// two workers' share of the bench's 60 cold runs. COLD_PAIRS_ROOT_B=ROOT2 runs B from another build (same flags
// unless given): two builds' cold cost, e.g. code that compiles less, in the same concurrent pairs.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const [root, pairsS, extraB = '', extraA = '', coldS = '60'] = process.argv.slice(2);
const pairs = Number(pairsS);
if (root === undefined || !(pairs >= 1)) {
  console.error("usage: node bench/tools/cold-pairs.mjs ROOT PAIRS 'EXTRA_FLAGS_B' ['EXTRA_FLAGS_A'] [COLD] (ROOT has dist/)");
  process.exit(3);
}
const { childFlags, nodeAccepts } = await import(`${root}/dist/sim/cli/harness/lane-policy.js`);
const base = childFlags([], nodeAccepts);
const tool = fileURLToPath(new URL('./warmup-cost.mjs', import.meta.url));
const words = (s) => s.split(' ').filter(Boolean);

const rootB = process.env.COLD_PAIRS_ROOT_B ?? root;

function coldRun(extra, from = root) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...base, ...words(extra), tool, from, coldS, '1'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop())) : reject(new Error(`warmup-cost exited ${code}`))));
  });
}

console.log(`${pairs} pairs of ${coldS} cold runs; base flags ${base.join(' ')}; A +'${extraA}', B +'${extraB}'${rootB === root ? '' : `; A from ${root}, B from ${rootB}`}`);
const diffs = [];
const jsDiffs = [];
const bgDiffs = [];
// "JS 3.37 + background 1.96" where /proc gave the split.
const split = (r) => (r.coldJsCpuS === undefined ? '' : ` (JS ${r.coldJsCpuS.toFixed(2)} + background ${r.coldBackgroundCpuS.toFixed(2)})`);
for (let p = 0; p < pairs; p++) {
  // Both at once; which is spawned first alternates.
  const [a, b] = p % 2 === 0 ? await Promise.all([coldRun(extraA), coldRun(extraB, rootB)]) : await Promise.all([coldRun(extraB, rootB), coldRun(extraA)]).then(([y, x]) => [x, y]);
  diffs.push(b.coldCpuS - a.coldCpuS);
  if (a.coldJsCpuS !== undefined && b.coldJsCpuS !== undefined) {
    jsDiffs.push(b.coldJsCpuS - a.coldJsCpuS);
    bgDiffs.push(b.coldBackgroundCpuS - a.coldBackgroundCpuS);
  }
  console.log(`pair ${p + 1}: A ${a.coldCpuS.toFixed(2)} s${split(a)}, B ${b.coldCpuS.toFixed(2)} s${split(b)}, B − A ${(b.coldCpuS - a.coldCpuS).toFixed(2)}`);
}
const median = (ds) => {
  const sorted = [...ds].sort((x, y) => x - y);
  return sorted.length % 2 ? sorted[(sorted.length - 1) / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
};
const mean = diffs.reduce((s, d) => s + d, 0) / diffs.length;
console.log(`B − A: median ${median(diffs).toFixed(2)} s, mean ${mean.toFixed(2)} s; B cheaper in ${diffs.filter((d) => d < 0).length} of ${diffs.length} pairs`);
if (jsDiffs.length === diffs.length) console.log(`B − A by thread, medians: JS thread ${median(jsDiffs).toFixed(2)} s, background ${median(bgDiffs).toFixed(2)} s`);
