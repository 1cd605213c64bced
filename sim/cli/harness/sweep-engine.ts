// Runs many (scenario, seed) tasks over a pool of worker threads (piscina), with a progress
// bar, stopping at the first failure when asked, and returns every summary. With one job the
// tasks run inline (no thread start-up), which is also how the pool's result is cross-checked.
import { setMaxListeners } from 'node:events';
import { availableParallelism } from 'node:os';
import cliProgress from 'cli-progress';
import { Piscina } from 'piscina';
import type { RunSummary } from '../../report/index.ts';
import { compiledModule } from './package-root.ts';
import { runSweepTask } from './sweep-task.ts';
import type { SweepTask } from './sweep-task.ts';

export interface SweepOptions {
  jobs: number;
  stopOnFail: boolean;
  progress: boolean;
}

export function defaultJobs(): number {
  return Math.max(1, availableParallelism());
}

export async function runTasks(tasks: readonly SweepTask[], o: SweepOptions): Promise<RunSummary[]> {
  const bar = o.progress ? new cliProgress.SingleBar({ format: 'sweep [{bar}] {value}/{total} runs · {failed} failed · {eta_formatted} left', stream: process.stderr, hideCursor: true }, cliProgress.Presets.shades_classic) : undefined;
  let failed = 0;
  bar?.start(tasks.length, 0, { failed });
  const results: RunSummary[] = [];
  let stop = false;
  const record = (s: RunSummary): void => {
    results.push(s);
    if (s.valid === false) failed++;
    if (s.valid === false && o.stopOnFail) stop = true;
    bar?.increment(1, { failed });
  };
  try {
    if (o.jobs <= 1) {
      for (const t of tasks) {
        if (stop) break;
        record(await runSweepTask(t));
      }
      return results;
    }
    const pool = new Piscina({ filename: compiledModule('sim/cli/harness/sweep-task'), minThreads: o.jobs, maxThreads: o.jobs, idleTimeout: 1000 });
    const abort = new AbortController();
    // Every queued task listens for the one abort: as many listeners as tasks is expected.
    setMaxListeners(tasks.length + 10, abort.signal);
    try {
      await Promise.all(
        tasks.map(async (t) => {
          if (stop) return;
          try {
            const s = (await pool.run(t, { signal: abort.signal })) as RunSummary;
            if (!stop || s.valid === false) record(s);
            if (stop) abort.abort();
          } catch (err) {
            if (!abort.signal.aborted) throw err;
          }
        }),
      );
    } finally {
      await pool.destroy();
    }
    return results;
  } finally {
    bar?.stop();
  }
}
