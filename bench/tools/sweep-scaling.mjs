// node bench/tools/sweep-scaling.mjs ROOT JOBS WARM MEASURE: pool of JOBS worker threads (compiled dist/), WARM tasks per worker first,
// then MEASURE tasks; prints wall, process CPU and per-thread CPU (from /proc) for the measured part. The workers load what
// a sweep's load (sweep-worker-boot.js: the bundle; DETCD_WORKER_BUNDLE=0 in the environment: the modules of dist/).
import { BENCH_SCENARIO } from '../bench-scenario.mjs';
import { existsSync, readFileSync, readdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
const [root, jobsS, warmS, measS] = process.argv.slice(2);
if (measS === undefined) { console.error('usage: node bench/tools/sweep-scaling.mjs ROOT JOBS WARM MEASURE (ROOT has dist/)'); process.exit(3); }
const { WorkerPool } = await import(`${root}/dist/sim/cli/harness/worker-pool.js`);
const { defineScenario } = await import(`${root}/dist/sim/scenario/parse.js`);
const jobs = Number(jobsS), warm = Number(warmS), meas = Number(measS);
const base = BENCH_SCENARIO;
const sc = defineScenario({ ...base, name: 'bench-sweep', clients: { count: 10 }, workload: { ...base.workload, rateOpsPerSecond: 200, durationMs: 3000 } });
const dir = mkdtempSync(join(tmpdir(), 'scale-'));
const task = (seed) => ({ scenario: sc, scenarioRef: 'bench-sweep', seed, reportsDir: dir, sweepDir: dir, reportAll: false });
const HZ = 100;
// This process's threads and those of its child processes (process lanes): a child's main thread is its JS thread.
function threadsOf(pid, out, child) {
  let tids = [];
  try { tids = readdirSync(`/proc/${pid}/task`); } catch { return; }
  for (const t of tids) {
    let s;
    try { s = readFileSync(`/proc/${pid}/task/${t}/stat`, 'utf8'); } catch { continue; }
    const name = s.slice(s.indexOf('(') + 1, s.lastIndexOf(')'));
    const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
    out[t] = { name: child ? (t === String(pid) ? `child-js` : `child-bg`) : name, cpu: (Number(f[11]) + Number(f[12])) / HZ };
    if (!child) {
      let kids = '';
      try { kids = readFileSync(`/proc/${pid}/task/${t}/children`, 'utf8'); } catch {}
      for (const k of kids.split(' ').filter(Boolean)) threadsOf(k, out, true);
    }
  }
}
function threads() { const out = {}; threadsOf(String(process.pid), out, false); return out; }
// Process CPU plus the children's (process lanes), from /proc.
function cpu() { const c = process.cpuUsage(); let kids = 0; for (const [t, v] of Object.entries(threads())) if (v.name.startsWith('child-')) kids += v.cpu; return (c.user + c.system) / 1e6 + kids; }
// SWEEP_LANES=thread|process (default thread), SWEEP_V8_FLAGS='--a --b': the lanes and their V8 flags (set in this
// process for threads, on the children's command line for processes).
const lanesKind = process.env.SWEEP_LANES ?? 'thread';
const v8Flags = (process.env.SWEEP_V8_FLAGS ?? '').split(' ').filter(Boolean);
if (lanesKind === 'thread' && v8Flags.length > 0) { const { setFlagsFromString } = await import('node:v8'); for (const f of v8Flags) setFlagsFromString(f); }
const c0 = cpu(), t0 = performance.now();
// The worker as the sweep starts it (the boot module: the bundle when the build made one; DETCD_WORKER_BUNDLE=0 for
// the modules one by one); an older ROOT without it, its sweep-worker.js.
const boot = `${root}/dist/sim/cli/harness/sweep-worker-boot.js`;
const pool = new WorkerPool(existsSync(boot) ? boot : `${root}/dist/sim/cli/harness/sweep-worker.js`, jobs, ...(lanesKind === 'process' ? [{ kind: 'process', execArgv: ['--max-inlined-bytecode-size-cumulative=240', ...v8Flags] }] : []));
let seed = 1000;
async function drain(n) { let next = 0; await Promise.all(Array.from({ length: jobs }, async () => { while (next < n) { next++; await pool.run(task(seed++)); } })); }
await drain(warm * jobs);
const c1 = cpu(), t1 = performance.now(), th1 = threads();
seed = 1;
await drain(meas);
const c2 = cpu(), t2 = performance.now(), th2 = threads();
await pool.close();
const per = {};
for (const [t, v] of Object.entries(th2)) { const d = v.cpu - (th1[t]?.cpu ?? 0); if (d >= 0.05) per[`${v.name}#${t}`] = d.toFixed(2); }
console.log(JSON.stringify({ jobs, warmWallS: ((t1 - t0) / 1000).toFixed(2), warmCpuS: (c1 - c0).toFixed(2), wallS: ((t2 - t1) / 1000).toFixed(2), cpuS: (c2 - c1).toFixed(2), runsPerWallS: (meas / ((t2 - t1) / 1000)).toFixed(2), runsPerCpuS: (meas / (c2 - c1)).toFixed(2), threads: per }));
