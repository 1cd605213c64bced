// The sweep's worker-thread entry (compiled: dist/sim/cli/harness/sweep-worker.js). The thread
// starts once per sweep and runs task after task, one at a time, posting each outcome back;
// an exception in a task goes back as that task's error, and the thread stays.
import { parentPort } from 'node:worker_threads';
import type { PoolReply } from './worker-pool.ts';
import { runSweepTask } from './sweep-task.ts';
import type { SweepOutcome, SweepTask } from './sweep-task.ts';

const port = parentPort;
if (port === null) throw new Error('sweep-worker.ts runs in a worker thread only');

port.on('message', (m: { id: number; task: SweepTask }) => {
  runSweepTask(m.task).then(
    (result) => port.postMessage({ id: m.id, result } satisfies PoolReply<SweepOutcome>),
    (err: unknown) => port.postMessage({ id: m.id, error: err instanceof Error ? (err.stack ?? err.message) : String(err) } satisfies PoolReply<SweepOutcome>),
  );
});
