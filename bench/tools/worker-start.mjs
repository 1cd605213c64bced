// node bench/tools/worker-start.mjs ROOT [N]: what a fresh sweep worker spends loading its code. N fresh worker threads
// each load ROOT's sweep worker the way the sweep starts it: dist/sim/cli/harness/sweep-worker-boot.js, once with
// DETCD_WORKER_BUNDLE=0 (the modules of dist/ one by one) and once as it is (the bundle with V8's code cache, when the
// build made one; the first such worker writes the cache if there is none), alternated. A ROOT without the boot module
// (older builds) loads dist/sim/cli/harness/sweep-task.js. Prints the CPU of the worker's own thread around the load
// (/proc/thread-self/stat, 10 ms ticks) and the wall time; medians.
import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
const root = process.argv[2]; const n = Number(process.argv[3] ?? 7);
if (root === undefined) { console.error('usage: node bench/tools/worker-start.mjs ROOT [N] (ROOT has dist/)'); process.exit(3); }
const boot = `${root}/dist/sim/cli/harness/sweep-worker-boot.js`;
const entry = existsSync(boot) ? boot : `${root}/dist/sim/cli/harness/sweep-task.js`;
const src = `
const { parentPort } = require('node:worker_threads');
const { readFileSync } = require('node:fs');
const { pathToFileURL } = require('node:url');
const cpuMs = () => { const s = readFileSync('/proc/thread-self/stat', 'utf8'); const f = s.slice(s.lastIndexOf(')') + 2).split(' '); return (Number(f[11]) + Number(f[12])) * 10; };
const c0 = cpuMs(); const w0 = performance.now();
const port = parentPort;
import(pathToFileURL(${JSON.stringify(entry)}).href).then(() => port.postMessage({ loaded: true, cpuMs: cpuMs() - c0, wallMs: performance.now() - w0 }));
`;
const modes = entry === boot ? { modules: '0', bundle: '1' } : { modules: '0' };
const res = Object.fromEntries(Object.keys(modes).map((m) => [m, []]));
for (let i = 0; i < n; i++) {
  for (const [mode, env] of Object.entries(modes)) {
    const w = new Worker(src, { eval: true, env: { ...process.env, DETCD_WORKER_BUNDLE: env } });
    res[mode].push(await new Promise((ok, fail) => { w.on('message', (m) => { if (m.loaded === true) ok(m); }); w.once('error', fail); }));
    await w.terminate();
  }
}
const med = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
for (const [mode, rs] of Object.entries(res)) {
  console.log(`${root} ${mode.padEnd(7)}: a fresh worker loads the sweep worker in ${med(rs.map((r) => r.cpuMs))} ms of its thread's CPU (median of ${n}: ${rs.map((r) => r.cpuMs).join(' ')}), ${med(rs.map((r) => r.wallMs)).toFixed(0)} ms wall`);
}
