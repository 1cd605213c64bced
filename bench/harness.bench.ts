// Speed of the whole harness:
//  - one run of a 3-member cluster with 50 clients of etcd traffic (robustness mix) under
//    faults, with the history recorded, the Raft invariants checked after every event and every
//    checker run at the end: simulated seconds per wall second and client ops per wall second,
//    for the simulation alone and including the checkers' share;
//  - sweep throughput (runs per wall second and per CPU second) inline, on 1 and on 2 worker
//    threads, with the CPU split by thread (main, workers, V8's background threads).
// Figures are medians over several seeds after a warm-up; CPU time is shown beside wall time
// because the machine's two cores are shared.
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { inlineRunner, runTasks, threadRunner } from '../sim/cli/harness/sweep-engine.ts';
import type { TaskRunner } from '../sim/cli/harness/sweep-engine.ts';
import type { SweepTask } from '../sim/cli/harness/sweep-task.ts';
import { runScenario } from '../sim/run/run.ts';
import { defineScenario } from '../sim/scenario/parse.ts';
import { BENCH_SCENARIO } from './bench-scenario.mjs';
import { splitCpu, threadCpu } from './thread-cpu.ts';
import type { CpuSplit, ThreadCpu } from './thread-cpu.ts';

const SEEDS = [1, 2, 3, 4, 5];

const scenario = defineScenario(BENCH_SCENARIO);

function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

function oneRun(seed: number): { wallMs: number; cpuMs: number; simSeconds: number; ops: number; events: number; checkMs: number; valid: unknown; traceHash: string } {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const out = runScenario(scenario, seed, { wallNowMs: () => performance.now() });
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const r = out.results;
  const checkMs = Object.values(r.checkers).reduce((sum, c) => sum + (typeof c['ms'] === 'number' ? c['ms'] : 0), 0);
  return { wallMs, cpuMs: (cpu.user + cpu.system) / 1000, simSeconds: r.stats.simulatedMs / 1000, ops: r.stats.ops.ok + r.stats.ops.fail + r.stats.ops.info, events: r.stats.events, checkMs, valid: r.valid, traceHash: r.traceHash };
}

interface SweepRate {
  perWall: number;
  perCpu: number;
  /** CPU seconds by thread (Linux; zeros elsewhere): main, each worker, V8's background threads. */
  split: CpuSplit;
}

/** `threads`: run in worker threads even for one job (the engine runs a single job inline). */
async function sweepRate(jobs: number, seeds: number, threads: boolean): Promise<SweepRate> {
  const dir = mkdtempSync(join(tmpdir(), 'detcd-bench-'));
  const sweepScenario = defineScenario({ ...scenario, name: 'bench-sweep', clients: { count: 10 }, workload: { ...scenario.workload, rateOpsPerSecond: 200, durationMs: 3000 } });
  const tasks: SweepTask[] = Array.from({ length: seeds }, (_, i) => ({ scenario: sweepScenario, scenarioRef: 'bench-sweep', seed: i + 1, reportsDir: dir, sweepDir: dir, reportAll: false }));
  // The per-thread CPU is read just before the pool closes (a finished thread leaves /proc).
  let after: ThreadCpu | undefined;
  const runner = (n: number): TaskRunner => {
    const r = threads ? threadRunner(n) : inlineRunner;
    return { workers: r.workers, run: (t, avoid) => r.run(t, avoid), close: async () => { after = threadCpu(); await r.close(); } };
  };
  // No determinism re-runs here: the figure is the pool's throughput (the re-runs add 5 %).
  const before = threadCpu();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await runTasks(tasks, tasks.length, { jobs, stopOnFail: false, progress: false, rerunPercent: 0, runner });
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  rmSync(dir, { recursive: true, force: true });
  return { perWall: seeds / seconds, perCpu: seeds / ((cpu.user + cpu.system) / 1e6), split: splitCpu(before, after ?? threadCpu()) };
}

function describeSplit(s: CpuSplit): string {
  return `main ${s.mainS.toFixed(2)} s, worker${s.workersS.length === 1 ? '' : 's'} ${s.workersS.length === 0 ? '-' : s.workersS.map((w) => w.toFixed(2)).join(' + ')} s, V8 background ${s.backgroundS.toFixed(2)} s`;
}

export async function bench(): Promise<void> {
  oneRun(100);
  const samples = SEEDS.map(oneRun);
  const wall = median(samples.map((s) => s.wallMs)) / 1000;
  const cpu = median(samples.map((s) => s.cpuMs)) / 1000;
  const sim = median(samples.map((s) => s.simSeconds));
  const ops = median(samples.map((s) => s.ops));
  console.log(`harness: 3 members, 50 clients, etcd traffic 1000 ops/s with faults, history + Raft invariants + checkers (median of ${SEEDS.length} seeds)`);
  console.log(`  one run: ${sim.toFixed(1)} s simulated, ${ops} client ops, ${median(samples.map((s) => s.events))} events in ${wall.toFixed(2)} s wall (${cpu.toFixed(2)} s CPU)`);
  console.log(`  simulated seconds per wall second: ${(sim / wall).toFixed(2)}   client ops per wall second: ${Math.round(ops / wall)}`);
  const opsPerCpu = median(samples.map((s) => s.ops / (s.cpuMs / 1000)));
  const eventsPerOp = median(samples.map((s) => s.events / s.ops));
  console.log(`  client ops per CPU second: ${Math.round(opsPerCpu)}   events per op: ${eventsPerOp.toFixed(2)}   events per CPU second: ${Math.round(median(samples.map((s) => s.events / (s.cpuMs / 1000))))}`);
  console.log(`  verdicts: ${samples.map((s) => String(s.valid)).join(' ')}`);
  console.log(`  trace hashes: ${samples.map((s) => s.traceHash.slice(0, 12)).join(' ')}`);
  // Worker threads load the compiled package (dist/) once each and are reused for every run.
  // The engine runs one job inline (in this thread, already warm); the fair base for two
  // workers is one worker thread, which pays the same start-up and JIT warm-up per thread.
  const seeds = 60;
  const inline = await sweepRate(1, seeds, false);
  const one = await sweepRate(1, seeds, true);
  const two = await sweepRate(2, seeds, true);
  console.log(`sweep throughput (${seeds} runs of 10 clients × 3 s), runs per wall second: inline ${inline.perWall.toFixed(2)}, 1 worker thread ${one.perWall.toFixed(2)}, 2 worker threads ${two.perWall.toFixed(2)} (×${(two.perWall / one.perWall).toFixed(2)} of 1 thread)`);
  console.log(`  runs per CPU second (all threads): inline ${inline.perCpu.toFixed(2)}, 1 thread ${one.perCpu.toFixed(2)}, 2 threads ${two.perCpu.toFixed(2)} (×${(two.perCpu / one.perCpu).toFixed(2)})`);
  console.log(`  CPU by thread: inline: ${describeSplit(inline.split)}`);
  console.log(`                 1 thread: ${describeSplit(one.split)}`);
  console.log(`                 2 threads: ${describeSplit(two.split)}`);
  const busy = (s: CpuSplit): number => s.mainS + s.backgroundS + s.workersS.reduce((a, b) => a + b, 0);
  const cores = (r: SweepRate): string => (busy(r.split) / (seeds / r.perWall)).toFixed(2);
  // On an idle 2-core machine 2 workers would keep about 2 cores busy; fewer means other load took them.
  console.log(`  cores kept busy: 1 thread ${cores(one)}, 2 threads ${cores(two)} of ${availableParallelism()} (machine load average ${loadavg()[0]!.toFixed(1)})`);
}
