// The sweep's worker entry (a worker thread or a child process) (compiled: dist/sim/cli/harness/sweep-worker.js). The thread
// starts once per sweep and runs task after task, one at a time, posting each outcome back;
// an exception in a task goes back as that task's error, and the thread stays.
import type { PoolReply } from './worker-pool.ts';
import { sweepPort } from './sweep-port.ts';
import { runSweepTask } from './sweep-task.ts';
import type { SweepOutcome, SweepTask } from './sweep-task.ts';

const port = sweepPort();
if (port === null) throw new Error('sweep-worker.ts runs in a worker thread or a sweep child process only');

port.onMessage((value) => {
  const m = value as { id: number; task: SweepTask };
  runSweepTask(m.task).then(
    (result) => port.postMessage({ id: m.id, result } satisfies PoolReply<SweepOutcome>),
    (err: unknown) => port.postMessage({ id: m.id, error: err instanceof Error ? (err.stack ?? err.message) : String(err) } satisfies PoolReply<SweepOutcome>),
  );
});
