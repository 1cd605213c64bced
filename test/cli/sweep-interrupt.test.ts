// An interrupt stops a one-job sweep between two runs. Its tasks run inline, in the command's own
// process, and a signal is handled only when the event loop turns: a sweep of passing runs (which
// write nothing) turned it never, so Ctrl-C waited for the whole sweep's end.
import { describe, expect, it, vi } from 'vitest';
import type * as SweepTask from '../../sim/cli/harness/sweep-task.ts';

const task = vi.hoisted(() => ({ runSweepTask: vi.fn() }));
vi.mock('../../sim/cli/harness/sweep-task.ts', async (original) => ({ ...(await original<typeof SweepTask>()), ...task }));

const { inlineRunner } = await import('../../sim/cli/harness/sweep-engine.ts');

describe('a one-job sweep', () => {
  it('lets the event loop turn before each run, where a signal handler runs', async () => {
    const turnedBefore: boolean[] = [];
    let turned = false;
    task.runSweepTask.mockImplementation(() => {
      turnedBefore.push(turned);
      return Promise.resolve({ summary: {}, checkpoints: [] });
    });
    for (let i = 0; i < 3; i++) {
      turned = false;
      // A macrotask queued now stands for a signal that arrived during the previous run.
      setImmediate(() => (turned = true));
      await inlineRunner.run(task as never);
    }
    expect(turnedBefore).toEqual([true, true, true]);
  });
});
