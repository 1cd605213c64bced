// The sweep's workers as child processes (worker-pool.ts, lane-policy.ts): the same outcomes as
// a run in this thread and as worker threads, determinism re-runs in another process, the
// process flags they were given, children gone after the pool closes, a child that dies
// failing its task and the sweep with its exit named, and a child outliving its pool ending quietly.
import { fork } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { childFlags, nodeAccepts } from '../../sim/cli/harness/lane-policy.ts';
import type { LanePlan } from '../../sim/cli/harness/lane-policy.ts';
import { poolRunner, runTasks } from '../../sim/cli/harness/sweep-engine.ts';
import { SWEEP_CHILD_ENV } from '../../sim/cli/harness/sweep-port.ts';
import type { TaskRunner } from '../../sim/cli/harness/sweep-engine.ts';
import type { SweepTask } from '../../sim/cli/harness/sweep-task.ts';
import { WorkerPool } from '../../sim/cli/harness/worker-pool.ts';
import { defineScenario } from '../../sim/scenario/parse.ts';
import { scratchDir } from '../scratch-dir.ts';

const scenario = defineScenario({ name: 'tiny', clients: { count: 2, watchers: false }, workload: { kind: 'etcd', durationMs: 1000, rateOpsPerSecond: 50 } });
const PROCESSES: LanePlan = { lanes: { kind: 'process', execArgv: childFlags([], nodeAccepts) }, describe: 'processes' };
const THREADS: LanePlan = { lanes: { kind: 'thread' }, describe: 'threads' };

function tasks(n: number, dir: string): SweepTask[] {
  return Array.from({ length: n }, (_, i) => ({ scenario, scenarioRef: 'tiny', seed: i + 1, reportsDir: dir, sweepDir: dir, reportAll: false }));
}

const bySeed = (rs: { seed: number; traceHash: string; valid: unknown }[]): string[] => [...rs].sort((a, b) => a.seed - b.seed).map((s) => `${s.seed}:${s.traceHash}:${String(s.valid)}`);

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('sweep worker processes', () => {
  it('give the trace hashes of a run in this thread and of worker threads, re-run seeds in the other process, and end with the pool', async () => {
    const dir = scratchDir('detcd-sweep-processes-');
    const inline = await runTasks(tasks(4, dir), 4, { jobs: 1, stopOnFail: false, progress: false, rerunPercent: 0 });
    const threads = await runTasks(tasks(4, dir), 4, { jobs: 2, stopOnFail: false, progress: false, rerunPercent: 0, runner: (n) => poolRunner(n, THREADS) });
    const workers: number[] = [];
    const reruns: { seed: number; avoid: number | undefined; worker: number }[] = [];
    const pids: number[] = [];
    const runner = (n: number): TaskRunner => {
      const r = poolRunner(n, PROCESSES);
      return {
        workers: r.workers,
        run: async (t, avoid) => {
          const out = await r.run(t, avoid);
          if (t.rerun === true) reruns.push({ seed: t.seed, avoid, worker: out.worker });
          workers.push(out.worker);
          return out;
        },
        close: async () => {
          // The children of this process that run the boot module, while the pool is open.
          pids.push(...childrenRunning('sweep-worker-boot'));
          await r.close();
        },
      };
    };
    const processes = await runTasks(tasks(4, dir), 4, { jobs: 2, stopOnFail: false, progress: false, rerunPercent: 50, runner });
    expect(bySeed(processes.runs)).toEqual(bySeed(inline.runs));
    expect(bySeed(threads.runs)).toEqual(bySeed(inline.runs));
    expect(processes.reruns).toBe(3);
    expect(processes.mismatches).toEqual([]);
    expect(new Set(workers)).toEqual(new Set([0, 1]));
    for (const r of reruns) expect(r.worker).not.toBe(r.avoid);
    if (existsSync('/proc/self/task')) expect(pids.length).toBe(2);
    for (const pid of pids) expect(alive(pid)).toBe(false);
  }, 120_000);

  it('start with the flags they are given (a worker reports its own process.execArgv)', async () => {
    const dir = scratchDir('detcd-sweep-flags-');
    const file = join(dir, 'echo-flags.mjs');
    writeFileSync(file, "process.on('message', (m) => process.send({ id: m.id, result: process.execArgv }));\n");
    const pool = new WorkerPool<null, string[]>(file, 1, { kind: 'process', execArgv: ['--single-threaded-gc', '--max-semi-space-size=32'] });
    try {
      expect((await pool.run(null)).result).toEqual(['--single-threaded-gc', '--max-semi-space-size=32']);
    } finally {
      await pool.close();
    }
  });

  it('fail the task, and every later one, with the exit of a worker process that died', async () => {
    const dir = scratchDir('detcd-sweep-dies-');
    const file = join(dir, 'dies.mjs');
    writeFileSync(file, "process.on('message', () => process.exit(7));\n");
    const pool = new WorkerPool<null, never>(file, 1, { kind: 'process', execArgv: [] });
    try {
      await expect(pool.run(null)).rejects.toThrow(/sweep worker 0 \(process \d+\) exited with code 7/);
      await expect(pool.run(null)).rejects.toThrow(/exited with code 7/);
    } finally {
      await pool.close();
    }
  });
});

/** Pids of this process's children whose command line mentions `what` (Linux /proc; empty elsewhere). */
function childrenRunning(what: string): number[] {
  const out: number[] = [];
  let tids: string[] = [];
  try {
    tids = readdirSync(`/proc/${process.pid}/task`);
  } catch {
    return out;
  }
  for (const tid of tids) {
    let kids = '';
    try {
      kids = readFileSync(`/proc/${process.pid}/task/${tid}/children`, 'utf8');
    } catch {
      continue;
    }
    for (const k of kids.split(' ').filter(Boolean)) {
      try {
        if (readFileSync(`/proc/${k}/cmdline`, 'utf8').includes(what)) out.push(Number(k));
      } catch {
        // gone already
      }
    }
  }
  return out;
}

describe('a sweep worker process whose pool is gone', () => {
  it('ends quietly: its outcome goes nowhere, no EPIPE stack trace, exit 0', async () => {
    const dir = scratchDir('detcd-sweep-orphan-');
    const file = join(dir, 'late.mjs');
    const port = join(process.cwd(), 'dist/sim/cli/harness/sweep-port.js');
    // Answers 200 ms after its task, as a run would, through the sweep's own port.
    writeFileSync(file, `import { sweepPort } from ${JSON.stringify(port)};\nconst p = sweepPort();\np.onMessage((m) => setTimeout(() => p.postMessage({ id: m.id, result: 1 }), 200));\n`);
    const child = fork(file, [], { env: { ...process.env, [SWEEP_CHILD_ENV]: '1' }, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
    let stderr = '';
    child.stderr?.on('data', (b: Buffer) => void (stderr += b.toString()));
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    child.send({ id: 0, task: null });
    child.disconnect();
    expect(await exited).toBe(0);
    expect(stderr).toBe('');
  });
});
