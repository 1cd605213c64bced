// node bench/tools/worker-start.mjs ROOT [N]: what a fresh sweep worker spends loading its module graph. N fresh worker
// threads each import ROOT/dist/sim/cli/harness/sweep-task.js; the CPU of the worker's own thread around the import
// (/proc/thread-self/stat, 10 ms ticks), and the wall time; medians.
import { Worker } from 'node:worker_threads';
const root = process.argv[2]; const n = Number(process.argv[3] ?? 7);
if (root === undefined) { console.error('usage: node bench/tools/worker-start.mjs ROOT [N] (ROOT has dist/)'); process.exit(3); }
const src = `
const { parentPort } = require('node:worker_threads');
const { readFileSync } = require('node:fs');
const { pathToFileURL } = require('node:url');
const cpuMs = () => { const s = readFileSync('/proc/thread-self/stat', 'utf8'); const f = s.slice(s.lastIndexOf(')') + 2).split(' '); return (Number(f[11]) + Number(f[12])) * 10; };
const c0 = cpuMs(); const w0 = performance.now();
import(pathToFileURL(${JSON.stringify(`${root}/dist/sim/cli/harness/sweep-task.js`)}).href).then(() => parentPort.postMessage({ cpuMs: cpuMs() - c0, wallMs: performance.now() - w0 }));
`;
const res = [];
for (let i = 0; i < n; i++) {
  const w = new Worker(src, { eval: true });
  res.push(await new Promise((ok, fail) => { w.once('message', ok); w.once('error', fail); }));
  await w.terminate();
}
const med = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`${root}: a fresh worker loads the sweep task's modules in ${med(res.map((r) => r.cpuMs))} ms of its thread's CPU (median of ${n}: ${res.map((r) => r.cpuMs).join(' ')}), ${med(res.map((r) => r.wallMs)).toFixed(0)} ms wall`);
