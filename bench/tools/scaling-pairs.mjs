// node bench/tools/scaling-pairs.mjs ROOT ROUNDS WARM MEASURE 'LABEL|NODE_FLAGS|ENV_JSON|JOBS' ...
// Runs sweep-scaling.mjs once per configuration per round, configurations alternated (load drifts hit
// all alike), and prints per configuration the medians of wall, CPU, the workers' JS threads' CPU and
// V8's background threads' CPU (GC, TurboFan). The JOBS busiest threads count as the JS threads.
// Example (cold 60-run sweeps, 1 and 2 workers, with and without a V8 flag):
//   node bench/tools/scaling-pairs.mjs . 3 0 60 '1w|||1' '2w|||2' '2w-stgc|--single-threaded-gc||2'
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
const [root, roundsS, warm, meas, ...configs] = process.argv.slice(2);
if (configs.length === 0) { console.error("usage: node bench/tools/scaling-pairs.mjs ROOT ROUNDS WARM MEASURE 'LABEL|NODE_FLAGS|ENV_JSON|JOBS' ..."); process.exit(3); }
const tool = fileURLToPath(new URL('./sweep-scaling.mjs', import.meta.url));
const rows = new Map();
for (let r = 0; r < Number(roundsS); r++) {
  for (const c of configs) {
    const [label, flags, envJson, jobs] = c.split('|');
    const env = { ...process.env, ...(envJson ? JSON.parse(envJson) : {}) };
    const out = execFileSync('node', [...(flags ? flags.split(' ') : []), tool, root, jobs, warm, meas], { env, encoding: 'utf8' });
    const j = JSON.parse(out.trim().split('\n').pop());
    const cpus = Object.values(j.threads).map(Number).sort((a, b) => b - a);
    const sum = (a) => a.reduce((x, y) => x + y, 0);
    const row = { wall: Number(j.wallS), cpu: Number(j.cpuS), js: sum(cpus.slice(0, Number(jobs))), bg: sum(cpus.slice(Number(jobs))) };
    if (!rows.has(label)) rows.set(label, []);
    rows.get(label).push(row);
    console.log(label, JSON.stringify(row));
  }
}
const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
for (const [label, rs] of rows) console.log('MEDIAN', label.padEnd(16), ['wall', 'cpu', 'js', 'bg'].map((k) => `${k} ${median(rs.map((r) => r[k])).toFixed(2)}`).join('  '));
