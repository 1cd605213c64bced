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
function threads() {
  const out = {};
  for (const t of readdirSync('/proc/self/task')) {
    const s = readFileSync(`/proc/self/task/${t}/stat`, 'utf8');
    const name = s.slice(s.indexOf('(') + 1, s.lastIndexOf(')'));
    const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
    out[t] = { name, cpu: (Number(f[11]) + Number(f[12])) / HZ };
  }
  return out;
}
function cpu() { const c = process.cpuUsage(); return (c.user + c.system) / 1e6; }
const c0 = cpu(), t0 = performance.now();
// The worker as the sweep starts it (the boot module: the bundle when the build made one; DETCD_WORKER_BUNDLE=0 for
// the modules one by one); an older ROOT without it, its sweep-worker.js.
const boot = `${root}/dist/sim/cli/harness/sweep-worker-boot.js`;
const pool = new WorkerPool(existsSync(boot) ? boot : `${root}/dist/sim/cli/harness/sweep-worker.js`, jobs);
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
