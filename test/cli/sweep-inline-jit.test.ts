// A one-job sweep runs its tasks inline, in the command's own process: one cold isolate running many
// runs, as a sweep worker is, so it gets the workers' JIT settings (worker-jit.ts) before its first run.
import { describe, expect, it, vi } from 'vitest';
import type * as WorkerJit from '../../sim/cli/harness/worker-jit.ts';

const jit = vi.hoisted(() => ({ useWorkerJit: vi.fn() }));
vi.mock('../../sim/cli/harness/worker-jit.ts', async (original) => ({ ...(await original<typeof WorkerJit>()), ...jit }));

const { runTasks } = await import('../../sim/cli/harness/sweep-engine.ts');

describe('a one-job sweep', () => {
  it("runs inline with a sweep worker's inlining budget and without allocation-site pretenuring", async () => {
    const result = await runTasks([], 0, { jobs: 1, stopOnFail: false, progress: false });
    expect(result.runs).toEqual([]);
    expect(jit.useWorkerJit).toHaveBeenCalledTimes(1);
  });
});
