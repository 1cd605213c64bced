// node bench/tools/cpu-kinds.mjs [--hz N] [--json] -- COMMAND [ARGS...]
// Runs COMMAND under `perf record -e task-clock`: samples taken per CPU time a thread used, not per wall
// second, so the figures are the same at load 1 and at load 25 (the machine's other work only stretches
// the wall time). Prints, per process (a sweep's main process and its worker processes), the CPU seconds of
// its JS thread (the thread whose id is the process's) and of its other threads (V8's background threads:
// TurboFan's concurrent jobs, the GC's parallel and concurrent helpers, libuv's pool), each split by what
// the samples were doing (cpu-kinds-classify.mjs: gc, optimizer, bytecode, other).
// Why: one sweep worker's wall time is its JS thread's when its background threads have an idle core
// beside it; two workers on two cores pay all of it. So the ratio 2 workers can reach over 1 on 2 idle
// cores is at most 2 × (1 worker's JS-thread CPU) / (2 workers' whole CPU) — measurable under any load.
// Needs Linux perf (root, or kernel.perf_event_paranoid ≤ 1 for other users).
//   node bench/tools/cpu-kinds.mjs -- node bin/detcd.js sweep --scenario swarm --seeds 1..400 --jobs 1 --out /tmp/j1
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseSample } from './cpu-kinds-classify.mjs';

const KINDS = ['gc', 'optimizer', 'bytecode', 'other'];
const args = process.argv.slice(2);
const dash = args.indexOf('--');
const opts = dash < 0 ? args : args.slice(0, dash);
const command = dash < 0 ? [] : args.slice(dash + 1);
const hzAt = opts.indexOf('--hz');
const hz = hzAt < 0 ? 499 : Number(opts[hzAt + 1]);
const json = opts.includes('--json');
if (command.length === 0 || !(Number.isInteger(hz) && hz >= 10 && hz <= 10_000)) {
  console.error('usage: node bench/tools/cpu-kinds.mjs [--hz N (10..10000, default 499)] [--json] -- COMMAND [ARGS...]');
  process.exit(3);
}
if (spawnSync('perf', ['--version'], { stdio: 'ignore' }).status !== 0) {
  console.error('cpu-kinds: perf: not found or not runnable (install linux-perf / linux-tools)');
  process.exit(3);
}

const dir = mkdtempSync(join(tmpdir(), 'cpu-kinds-'));
const data = join(dir, 'perf.data');
// The command's own output goes to stderr, so that --json leaves stdout to the figures.
const rec = spawnSync('perf', ['record', '-q', '-e', 'task-clock', '-F', String(hz), '-o', data, '--', ...command], { stdio: ['inherit', process.stderr, 'inherit'] });
const script = spawnSync('perf', ['script', '-i', data, '-F', 'pid,tid,ip,sym'], { encoding: 'utf8', maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'ignore'] });
rmSync(dir, { recursive: true, force: true });
if (script.status !== 0) {
  console.error(`cpu-kinds: perf record exited ${rec.status ?? rec.signal}; perf script found no samples to read`);
  process.exit(3);
}

const zero = () => Object.fromEntries(KINDS.map((k) => [k, 0]));
/** @type {Map<number, { js: Record<string, number>, other: Record<string, number> }>} */
const byPid = new Map();
let samples = 0;
for (const line of script.stdout.split('\n')) {
  const s = parseSample(line);
  if (s === undefined) continue;
  samples++;
  let p = byPid.get(s.pid);
  if (p === undefined) byPid.set(s.pid, (p = { js: zero(), other: zero() }));
  (s.pid === s.tid ? p.js : p.other)[s.kind]++;
}
if (samples === 0) {
  console.error(`cpu-kinds: no samples (the command exited ${rec.status ?? rec.signal} before using 1/${hz} s of CPU)`);
  process.exit(3);
}
const sec = (n) => n / hz;
const sum = (r) => KINDS.reduce((t, k) => t + r[k], 0);
const processes = [...byPid.entries()]
  .map(([pid, p]) => ({ pid, cpuS: sec(sum(p.js) + sum(p.other)), js: p.js, other: p.other }))
  .filter((p) => p.cpuS >= 0.05)
  .sort((a, b) => b.cpuS - a.cpuS);
const total = { js: zero(), other: zero() };
for (const p of processes) for (const k of KINDS) { total.js[k] += p.js[k]; total.other[k] += p.other[k]; }
const figures = (r) => Object.fromEntries([['cpuS', +sec(sum(r)).toFixed(2)], ...KINDS.map((k) => [k, +sec(r[k]).toFixed(2)])]);
const result = {
  hz, samples, cpuS: +sec(samples).toFixed(2), exit: rec.status,
  processes: processes.map((p) => ({ pid: p.pid, cpuS: +p.cpuS.toFixed(2), jsThread: figures(p.js), otherThreads: figures(p.other) })),
  all: { jsThreads: figures(total.js), otherThreads: figures(total.other) },
};
if (json) {
  console.log(JSON.stringify(result));
} else {
  const line = (f) => `${f.cpuS.toFixed(2)} s (${KINDS.map((k) => `${k} ${f[k].toFixed(2)}`).join(', ')})`;
  console.log(`cpu-kinds: ${samples} task-clock samples at ${hz} Hz = ${result.cpuS.toFixed(2)} CPU s (CPU time, not wall: the load does not change it); command exited ${rec.status}`);
  for (const p of result.processes) console.log(`  process ${p.pid}: ${p.cpuS.toFixed(2)} s — JS thread ${line(p.jsThread)}; other threads ${line(p.otherThreads)}`);
  const a = result.all;
  console.log(`  all: JS threads ${line(a.jsThreads)}; other threads ${line(a.otherThreads)} = ${((100 * a.otherThreads.cpuS) / result.cpuS).toFixed(1)} % of the CPU`);
}
// The command's failure is the measurement's: its exit code, after the figures.
process.exitCode = rec.status ?? 1;
