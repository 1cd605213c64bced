// detcd shrink reruns a failing run up to --runs times in its own fresh process: one cold isolate running
// many runs, as a sweep worker is, so it gets the workers' JIT settings (worker-jit.ts) before its first run.
import { describe, expect, it, vi } from 'vitest';
import type * as WorkerJit from '../../sim/cli/harness/worker-jit.ts';

const jit = vi.hoisted(() => ({ useWorkerJit: vi.fn() }));
vi.mock('../../sim/cli/harness/worker-jit.ts', async (original) => ({ ...(await original<typeof WorkerJit>()), ...jit }));

const { shrink } = await import('../../sim/cli/commands/shrink.ts');

describe('detcd shrink', () => {
  it("sets a sweep worker's inlining budget and no allocation-site pretenuring first", async () => {
    await expect(shrink(['/nonexistent/detcd-run-dir'])).rejects.toThrow();
    expect(jit.useWorkerJit).toHaveBeenCalledTimes(1);
  });
});
