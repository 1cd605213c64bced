// Speed of the whole harness:
//  - one run of a 3-member cluster with 50 clients of etcd traffic (robustness mix) under
//    faults, with the history recorded, the Raft invariants checked after every event and every
//    checker run at the end: simulated seconds per wall second and client ops per wall second,
//    for the simulation alone and including the checkers' share;
//  - the same runs in a steady state (steady-state.mjs: warm-up rounds of seeds 1–5 until a round
//    costs what the one before cost, then measured rounds, medians), in this process with its
//    flags, and in a fresh process with the inlining budget that `detcd run` and the sweep
//    workers set (sim/cli/harness/worker-jit.ts): the first figure is one warm-up run and then
//    seeds 1–5 once, so it is mostly TurboFan compiling the stack, and it is kept as it is to stay
//    comparable with earlier rows of bench/README.md;
//  - sweep throughput (runs per wall second and per CPU second) inline, and on 1 and 2 workers
//    of each kind (threads with V8's defaults; processes with one core's flags each), with the
//    CPU split by thread (main, workers, V8's background threads) and what 2 workers could reach
//    on 2 free cores by CPU alone.
// Figures are medians over several seeds after a warm-up; CPU time is shown beside wall time
// because the machine's two cores are shared.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { childFlags, nodeAccepts } from '../sim/cli/harness/lane-policy.ts';
import type { LanePlan } from '../sim/cli/harness/lane-policy.ts';
import { inlineRunner, poolRunner, runTasks, sweepLanes } from '../sim/cli/harness/sweep-engine.ts';
import type { TaskRunner } from '../sim/cli/harness/sweep-engine.ts';
import type { SweepTask } from '../sim/cli/harness/sweep-task.ts';
import { WORKER_INLINING_BUDGET, WORKER_INLINING_FLAG } from '../sim/cli/harness/worker-jit.ts';
import { runScenario } from '../sim/run/run.ts';
import { defineScenario } from '../sim/scenario/parse.ts';
import { BENCH_SCENARIO } from './bench-scenario.mjs';
import { describeSteady, steadyState } from './steady-state.mjs';
import { splitCpu, splitTotal, threadCpu } from './thread-cpu.ts';
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

/** The steady state of seeds 1–5 in this process (already warm from the first figure's runs). */
function steadyHere(): string {
  const result = steadyState([{ label: 'this process', run: (seed) => { const r = oneRun(seed); return { cpuS: r.cpuMs / 1000, ops: r.ops, events: r.events, traceHash: r.traceHash }; } }]);
  return describeSteady(result);
}

/**
 * The steady state in a fresh process on the compiled package (dist/, which `npm run bench` keeps
 * built) with the commands' inlining budget: the last line of bench/tools/steady-state.mjs.
 */
function steadyAsCommands(): string {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const tool = join(root, 'bench/tools/steady-state.mjs');
  const out = execFileSync(process.execPath, [`${WORKER_INLINING_FLAG}=${WORKER_INLINING_BUDGET}`, tool, '--json', root], { encoding: 'utf8' });
  const j = JSON.parse(out.trim().split('\n').pop() ?? '{}') as { steady: { opsPerCpuS: number; cpuSPerRun: number }[]; warmup: { rounds: number; stable: boolean } };
  const s = j.steady[0]!;
  return `${Math.round(s.opsPerCpuS)} client ops per CPU second, ${s.cpuSPerRun.toFixed(3)} s CPU per run (${j.warmup.rounds} warm-up rounds, ${j.warmup.stable ? 'stable' : 'NOT stable'})`;
}

interface SweepRate {
  perWall: number;
  perCpu: number;
  /** CPU seconds by thread (Linux; zeros elsewhere): main, each worker, V8's background threads. */
  split: CpuSplit;
}

/** Where a measured sweep runs: inline (this thread, already warm), or `jobs` workers as `plan` says. */
type SweepWhere = { kind: 'inline' } | { kind: 'pool'; plan: LanePlan };

/**
 * The runs a measured sweep does: short ones (10 clients × 3 s, ≈0.05 s CPU each once warm: a cold worker's JIT
 * warm-up dominates them, the worst case for 2 workers) or the harness benchmark's own runs (3 members, 50 clients,
 * 1000 ops/s with faults, every checker: ≈0.4 s CPU each once warm), as the issue's goal names them.
 */
type SweepRuns = 'short' | 'harness';

const SHORT_SWEEP_SCENARIO = defineScenario({ ...scenario, name: 'bench-sweep', clients: { count: 10 }, workload: { ...scenario.workload, rateOpsPerSecond: 200, durationMs: 3000 } });

async function sweepRate(jobs: number, seeds: number, where: SweepWhere, runs: SweepRuns = 'short'): Promise<SweepRate> {
  const dir = mkdtempSync(join(tmpdir(), 'detcd-bench-'));
  const sweepScenario = runs === 'short' ? SHORT_SWEEP_SCENARIO : scenario;
  const tasks: SweepTask[] = Array.from({ length: seeds }, (_, i) => ({ scenario: sweepScenario, scenarioRef: sweepScenario.name, seed: i + 1, reportsDir: dir, sweepDir: dir, reportAll: false }));
  // The per-thread CPU is read just before the pool closes (a finished thread or process leaves /proc).
  let after: ThreadCpu | undefined;
  const runner = (n: number): TaskRunner => {
    const r = where.kind === 'pool' ? poolRunner(n, where.plan) : inlineRunner;
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
  const split = splitCpu(before, after ?? threadCpu());
  // /proc sees the worker processes' CPU too; process.cpuUsage() only this process's (other systems).
  const cpuS = before.size > 0 ? splitTotal(split) : (cpu.user + cpu.system) / 1e6;
  return { perWall: seeds / seconds, perCpu: seeds / cpuS, split };
}

function describeSplit(split: CpuSplit): string {
  // Threads this process starts on the way (libuv's pool, a child's pipe readers) are not workers.
  const s = { ...split, workersS: split.workersS.filter((w) => w >= 0.01) };
  return `main ${s.mainS.toFixed(2)} s, worker${s.workersS.length === 1 ? '' : 's'} ${s.workersS.length === 0 ? '-' : s.workersS.map((w) => w.toFixed(2)).join(' + ')} s, V8 background ${s.backgroundS.toFixed(2)} s`;
}

export async function bench(): Promise<void> {
  oneRun(100);
  const samples = SEEDS.map(oneRun);
  const wall = median(samples.map((s) => s.wallMs)) / 1000;
  const cpu = median(samples.map((s) => s.cpuMs)) / 1000;
  const sim = median(samples.map((s) => s.simSeconds));
  const ops = median(samples.map((s) => s.ops));
  // bench/run.ts starts this process with the sweep workers' young generation (young-generation.ts): say which.
  const young = process.execArgv.filter((a) => a.startsWith('--max-semi-space-size')).join(' ') || "V8's default young generation";
  console.log(`harness: 3 members, 50 clients, etcd traffic 1000 ops/s with faults, history + Raft invariants + checkers (median of ${SEEDS.length} seeds; ${young})`);
  console.log(`  one run: ${sim.toFixed(1)} s simulated, ${ops} client ops, ${median(samples.map((s) => s.events))} events in ${wall.toFixed(2)} s wall (${cpu.toFixed(2)} s CPU)`);
  console.log(`  simulated seconds per wall second: ${(sim / wall).toFixed(2)}   client ops per wall second: ${Math.round(ops / wall)}`);
  const opsPerCpu = median(samples.map((s) => s.ops / (s.cpuMs / 1000)));
  const eventsPerOp = median(samples.map((s) => s.events / s.ops));
  console.log(`  client ops per CPU second: ${Math.round(opsPerCpu)}   events per op: ${eventsPerOp.toFixed(2)}   events per CPU second: ${Math.round(median(samples.map((s) => s.events / (s.cpuMs / 1000))))}`);
  console.log(`  verdicts: ${samples.map((s) => String(s.valid)).join(' ')}`);
  console.log(`  trace hashes: ${samples.map((s) => s.traceHash.slice(0, 12)).join(' ')}`);
  // The figure above is kept as it was measured since the issue (one warm-up run, then seeds 1–5
  // once): comparable with the earlier rows, but mostly JIT warm-up. These two are what a run
  // costs once compiled, the second with the flags the commands use.
  console.log(`  steady state, this process (JMH-like): ${steadyHere()}`);
  console.log(`  steady state, fresh process, dist/ with ${WORKER_INLINING_FLAG}=${WORKER_INLINING_BUDGET} as the commands: ${steadyAsCommands()}`);
  // Workers load the compiled package (dist/) once each and are reused for every run. The
  // engine runs one job inline (in this thread, already warm); the fair base for two workers is
  // one worker of the same kind, which pays the same start-up and JIT warm-up. Two kinds:
  // threads with V8's defaults (every sweep's workers until the seventh session; now those of a
  // sweep with spare cores), and processes with one core's flags each (lane-policy.ts: what a
  // sweep with a worker on every core uses). Measured alternately, one sweep each.
  const seeds = 60;
  const threads: LanePlan = { lanes: { kind: 'thread' }, describe: 'threads' };
  const processes: LanePlan = { lanes: { kind: 'process', execArgv: childFlags(process.execArgv, nodeAccepts) }, describe: 'processes' };
  const inline = await sweepRate(1, seeds, { kind: 'inline' });
  const t1 = await sweepRate(1, seeds, { kind: 'pool', plan: threads });
  const p1 = await sweepRate(1, seeds, { kind: 'pool', plan: processes });
  const t2 = await sweepRate(2, seeds, { kind: 'pool', plan: threads });
  const p2 = await sweepRate(2, seeds, { kind: 'pool', plan: processes });
  const x = (a: number, b: number): string => `×${(a / b).toFixed(2)}`;
  const cores = availableParallelism();
  const flags = processes.lanes.kind === 'process' ? processes.lanes.execArgv.join(' ') : '';
  console.log(`sweep throughput (${seeds} runs of 10 clients × 3 s; inline ${inline.perWall.toFixed(2)} runs/s in this warm thread), runs per wall second, 1 → 2 workers:`);
  console.log(`  threads, V8's defaults:        ${t1.perWall.toFixed(2)} → ${t2.perWall.toFixed(2)} (${x(t2.perWall, t1.perWall)})`);
  console.log(`  processes, one core's flags:   ${p1.perWall.toFixed(2)} → ${p2.perWall.toFixed(2)} (${x(p2.perWall, p1.perWall)}); 2 processes ${x(p2.perWall, t2.perWall)} of 2 threads`);
  console.log(`  (processes' flags: ${flags}; a sweep with 2 workers on this machine, ${cores} cores, uses ${sweepLanes(2).describe})`);
  console.log(`  runs per CPU second (all threads and worker processes): threads ${t1.perCpu.toFixed(2)} → ${t2.perCpu.toFixed(2)}, processes ${p1.perCpu.toFixed(2)} → ${p2.perCpu.toFixed(2)}`);
  console.log(`  CPU by thread: inline: ${describeSplit(inline.split)}`);
  for (const [label, r] of [['1 thread', t1], ['2 threads', t2], ['1 process', p1], ['2 processes', p2]] as const) console.log(`    ${label.padEnd(11)}: ${describeSplit(r.split)}`);
  // Load-proof: the ratio 2 workers reach if each worker has one core and no more (what one single-threaded
  // simulator per core gives), from CPU alone. ×1.8 needs 2 workers to spend at most 11 % more CPU on the runs than 1.
  console.log(`  2 workers on 2 cores of their own, one core each, by CPU (2 × runs per CPU s of 2 / of 1): threads ${x(2 * t2.perCpu, t1.perCpu)}, processes ${x(2 * p2.perCpu, p1.perCpu)}`);
  // Load-proof too, and the goal's real ceiling: on 2 idle cores one worker's wall is about its JS thread's CPU (its
  // V8 background threads, TurboFan and the GC's helpers, run on the idle core beside it) and two workers' at least
  // half of all their CPU. So 2 workers reach at most about max(2 × JS1, C1) / C2: ×1.8 needs C2 ≤ 1.11 × JS1, i.e. the
  // second worker's warm-up plus the first one's background work within 11 % of its JS thread (bench/README.md).
  const ceiling = (one: SweepRate, two: SweepRate): string => (splitTotal(two.split) > 0 ? x(Math.max(2 * (one.split.workersS[0] ?? 0), splitTotal(one.split)), splitTotal(two.split)) : '- (no /proc)');
  console.log(`  the most 2 workers can reach on 2 idle cores (1 worker's wall ≈ its JS thread's CPU; 2 workers' ≥ half their CPU): threads ${ceiling(t1, t2)}, processes ${ceiling(p1, p2)}`);
  const busy = (r: SweepRate): number => splitTotal(r.split) / (seeds / r.perWall);
  // On an idle 2-core machine 2 workers would keep about 2 cores busy; fewer means other load took them.
  console.log(`  cores kept busy: threads ${busy(t1).toFixed(2)} / ${busy(t2).toFixed(2)}, processes ${busy(p1).toFixed(2)} / ${busy(p2).toFixed(2)} of ${cores} (machine load average ${loadavg()[0]!.toFixed(1)})`);
  await harnessSweep(cores);
}

/**
 * The goal as the issue states it: 2 workers against 1 on the harness benchmark's own runs, with the workers a sweep
 * of 2 jobs uses on this machine (sweepLanes(2); the 1-worker base is one worker of the same kind, which pays the same
 * start-up and warm-up). 1 and 2 workers alternated, ROUNDS sweeps each, medians: a single sweep's wall time moves
 * ±10–25 % on a shared machine.
 */
async function harnessSweep(cores: number): Promise<void> {
  const seeds = 24;
  const rounds = 3;
  const plan = sweepLanes(2);
  const one: SweepRate[] = [];
  const two: SweepRate[] = [];
  for (let r = 0; r < rounds; r++) {
    one.push(await sweepRate(1, seeds, { kind: 'pool', plan }, 'harness'));
    two.push(await sweepRate(2, seeds, { kind: 'pool', plan }, 'harness'));
  }
  const perWall = (xs: SweepRate[]): number => median(xs.map((s) => s.perWall));
  const perCpu = (xs: SweepRate[]): number => median(xs.map((s) => s.perCpu));
  const ratios = one.map((o, i) => two[i]!.perWall / o.perWall);
  console.log(`sweep of the harness benchmark's runs (${seeds} seeds, 3 members, 50 clients, faults, every checker; ${plan.describe}), 1 → 2 workers, median of ${rounds} alternated sweeps each:`);
  console.log(`  runs per wall second ${perWall(one).toFixed(3)} → ${perWall(two).toFixed(3)} (×${(perWall(two) / perWall(one)).toFixed(2)}; round by round ${ratios.map((x) => `×${x.toFixed(2)}`).join(' ')})`);
  console.log(`  runs per CPU second ${perCpu(one).toFixed(3)} → ${perCpu(two).toFixed(3)}; by CPU with one core per worker ×${((2 * perCpu(two)) / perCpu(one)).toFixed(2)}`);
  const busy = (xs: SweepRate[]): string => xs.map((r) => (splitTotal(r.split) / (seeds / r.perWall)).toFixed(2)).join(' ');
  console.log(`  cores kept busy: 1 worker ${busy(one)}, 2 workers ${busy(two)} of ${cores} (machine load average ${loadavg()[0]!.toFixed(1)})`);
}
