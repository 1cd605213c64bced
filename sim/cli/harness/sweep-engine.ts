// Runs many (scenario, seed) tasks over workers, each started once and reused, with a progress
// bar, stopping at the first failure when asked. Tasks come from an iterator and are drawn only
// when a worker is free, so `--seeds 1..3000000` never holds three million tasks. With one job
// the tasks run inline (no worker start-up; the workers' JIT settings); with more, lane-policy.ts says whether the workers
// are threads or processes of their own (a worker on every core: processes, each with a
// single-threaded garbage collector).
//
// Determinism is checked as FoundationDB does: a share of the seeds (every failing one, at
// least one, and `rerunPercent` of the rest, spread evenly) runs again in another worker, and
// the two trace hashes must agree; a mismatch is reported with where the traces part.
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { setImmediate as eventLoopTurn } from 'node:timers/promises';
import cliProgress from 'cli-progress';
import type { RunSummary } from '../../report/index.ts';
import type { DeterminismMismatchSummary } from '../../report/sweep-summary.ts';
import { nodeAccepts, planLanes, SWEEP_WORKERS_ENV } from './lane-policy.ts';
import type { LanePlan } from './lane-policy.ts';
import { compiledModule } from './package-root.ts';
import { runSweepTask } from './sweep-task.ts';
import type { SweepOutcome, SweepTask } from './sweep-task.ts';
import { firstCheckpointDifference } from './trace-divergence.ts';
import { useWorkerJit } from './worker-jit.ts';
import { WorkerPool } from './worker-pool.ts';

export interface SweepOptions {
  jobs: number;
  stopOnFail: boolean;
  progress: boolean;
  /** Percent of the seeds re-run in another worker to check determinism (failing seeds always are, and at least one). */
  rerunPercent?: number;
  /** Where the tasks run (tests inject one); by default inline for one job, worker threads otherwise. */
  runner?: ((jobs: number) => TaskRunner) | undefined;
}

/** Where a sweep's tasks run: `workers` lanes; `run` may be asked to avoid the worker of the original run. */
export interface TaskRunner {
  readonly workers: number;
  run(task: SweepTask, avoid?: number): Promise<{ result: SweepOutcome; worker: number }>;
  close(): Promise<void>;
}

/** One seed whose re-run gave another trace hash (the report's shape). */
export type DeterminismMismatch = DeterminismMismatchSummary;

export interface SweepResult {
  runs: RunSummary[];
  /** Seeds run twice to check determinism. */
  reruns: number;
  mismatches: DeterminismMismatch[];
}

export const RERUN_PERCENT_DEFAULT = 5;

export function defaultJobs(): number {
  return Math.max(1, availableParallelism());
}

/** Whether the i-th task (0-based) is in the evenly spread `percent` share; the first always is. */
export function inRerunShare(i: number, percent: number): boolean {
  if (i === 0) return true;
  return Math.floor(((i + 1) * percent) / 100) > Math.floor((i * percent) / 100);
}

/** Inline, in this thread: one lane, and the re-run necessarily in the same thread. */
export const inlineRunner: TaskRunner = {
  workers: 1,
  async run(task) {
    // The event loop turns before each run: an interrupt (Ctrl-C, CI's SIGTERM) is handled there,
    // and a sweep of runs that write nothing never reached it (only microtasks between runs): the
    // interrupt waited for the whole sweep's end (`--jobs 1`, or any sweep on a one-core machine).
    await eventLoopTurn();
    return { result: await runSweepTask(task), worker: 0 };
  },
  async close() {},
};

/**
 * The inline lane with the JIT settings every sweep worker gets (worker-jit.ts: the inlining budget,
 * no allocation-site pretenuring), set in this process before its first run: a one-job sweep is one
 * cold isolate running many runs, as a worker is, and had V8's defaults. Same trace hashes; swarm seeds
 * 1..120 inline, concurrent pairs: −10–12 % CPU in 4 of 4 (bench/README.md, "Two workers on two idle cores").
 */
export function inlineLane(): TaskRunner {
  useWorkerJit();
  return inlineRunner;
}

/** The workers a sweep of `jobs` workers gets on this machine (lane-policy.ts). */
export function sweepLanes(jobs: number): LanePlan {
  return planLanes({ jobs, cores: availableParallelism(), execArgv: process.execArgv, choice: process.env[SWEEP_WORKERS_ENV], accepts: nodeAccepts });
}

/** `jobs` workers, as `plan` says (by default as this machine's cores say). */
export function poolRunner(jobs: number, plan: LanePlan = sweepLanes(jobs)): TaskRunner {
  const pool = new WorkerPool<SweepTask, SweepOutcome>(compiledModule('sim/cli/harness/sweep-worker-boot'), jobs, plan.lanes);
  return { workers: jobs, run: (task, avoid) => pool.run(task, avoid), close: () => pool.close() };
}

function compare(first: { result: SweepOutcome; worker: number }, second: { result: SweepOutcome; worker: number }): DeterminismMismatch | undefined {
  const a = first.result;
  const b = second.result;
  if (a.summary.traceHash === b.summary.traceHash) return undefined;
  const where = firstCheckpointDifference(a.checkpoints, b.checkpoints) ?? 'the checkpoints agree but the final trace hashes differ (the traces part after the last checkpoint)';
  return { scenario: a.summary.scenario, seed: a.summary.seed, replay: a.summary.replay, traceHashes: [a.summary.traceHash, b.summary.traceHash], workers: [first.worker, second.worker], where };
}

/** Runs the tasks on `runner`, `runner.workers` at a time, drawing each task only when a lane is free. */
export async function driveTasks(tasks: Iterable<SweepTask>, runner: TaskRunner, o: Omit<SweepOptions, 'jobs' | 'progress' | 'runner'>, onRun: (s: RunSummary) => void = () => {}): Promise<SweepResult> {
  const percent = o.rerunPercent ?? RERUN_PERCENT_DEFAULT;
  const source = tasks[Symbol.iterator]();
  const out: SweepResult = { runs: [], reruns: 0, mismatches: [] };
  const reruns: { task: SweepTask; first: { result: SweepOutcome; worker: number } }[] = [];
  let drawn = 0;
  let stop = false;
  let failure: Error | undefined;
  const lane = async (): Promise<void> => {
    while (failure === undefined) {
      const again = reruns.shift();
      if (again !== undefined) {
        const second = await runner.run({ ...again.task, rerun: true }, again.first.worker);
        out.reruns++;
        const m = compare(again.first, second);
        if (m !== undefined) out.mismatches.push(m);
        continue;
      }
      if (stop) return;
      const next = source.next();
      if (next.done === true) return;
      const i = drawn++;
      const first = await runner.run(next.value);
      const s = first.result.summary;
      if (!stop || s.valid === false) {
        out.runs.push(s);
        onRun(s);
      }
      if (s.valid === false && o.stopOnFail) stop = true;
      if (percent > 0 && (s.valid !== true || inRerunShare(i, percent))) reruns.push({ task: next.value, first });
    }
  };
  const guarded = async (): Promise<void> => {
    try {
      await lane();
    } catch (err) {
      failure ??= err instanceof Error ? err : new Error(String(err));
    }
  };
  await Promise.all(Array.from({ length: runner.workers }, guarded));
  if (failure !== undefined) throw failure;
  return out;
}

/** The time left at the pace so far (runs done per elapsed time), from the first finished run on. */
export function timeLeft(elapsedMs: number, done: number, count: number): string {
  if (done <= 0) return 'estimating…';
  const leftS = Math.round(((count - done) * elapsedMs) / done / 1000);
  if (leftS <= 0) return 'finishing';
  return `about ${leftS >= 60 ? `${Math.floor(leftS / 60)} min ${leftS % 60} s` : `${leftS} s`} left`;
}

/** The bar's width in cells so the whole progress line (its counts and the time left, the part a
 *  person reads) fits a terminal of `columns`: cli-progress turns line wrapping off, so a line
 *  past the edge is cut, and at 80 columns the default 40 cells cut off the time left. */
export function progressBarSize(columns: number | undefined, count: number): number {
  const longestText = `sweep [] ${count}/${count} runs · ${count} failed · about 999 min 59 s left`.length;
  return Math.max(10, Math.min(40, (columns ?? 80) - 1 - longestText));
}

/** How often a progress line is written when stderr is not a terminal. */
const PROGRESS_LINE_MS = 5_000;

/** The sweep: `count` tasks (for the progress bar and the jobs cap) drawn lazily from `tasks`. */
export async function runTasks(tasks: Iterable<SweepTask>, count: number, o: SweepOptions): Promise<SweepResult> {
  const jobs = Math.max(1, Math.min(o.jobs, count));
  // On a stream that is not a terminal (DETCD_PROGRESS=1 in CI logs) cli-progress draws nothing
  // unless told to: then one line every few seconds.
  const notTerminal = process.stderr.isTTY !== true;
  const bar = o.progress
    ? new cliProgress.SingleBar({ format: 'sweep [{bar}] {value}/{total} runs · {failed} failed · {left}', barsize: progressBarSize(process.stderr.columns, count), stream: process.stderr, hideCursor: !notTerminal, noTTYOutput: notTerminal, notTTYSchedule: PROGRESS_LINE_MS }, cliProgress.Presets.shades_classic)
    : undefined;
  let failed = 0;
  let done = 0;
  const startedMs = performance.now();
  bar?.start(count, 0, { failed, left: 'estimating…' });
  const runner = o.runner?.(jobs) ?? (jobs <= 1 ? inlineLane() : poolRunner(jobs));
  try {
    return await driveTasks(tasks, runner, o, (s) => {
      if (s.valid === false) failed++;
      done++;
      bar?.increment(1, { failed, left: timeLeft(performance.now() - startedMs, done, count) });
    });
  } finally {
    await runner.close();
    bar?.stop();
  }
}
