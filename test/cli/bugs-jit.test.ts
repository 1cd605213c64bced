// detcd bugs --verify runs every hunt, shrink and clean run in its own fresh process: one cold isolate
// running many runs, as a sweep worker is, so it gets the workers' JIT settings (worker-jit.ts) first.
// The listing (no --verify) runs nothing and leaves V8's flags alone.
import { describe, expect, it, vi } from 'vitest';
import type * as WorkerJit from '../../sim/cli/harness/worker-jit.ts';

const jit = vi.hoisted(() => ({ useWorkerJit: vi.fn() }));
vi.mock('../../sim/cli/harness/worker-jit.ts', async (original) => ({ ...(await original<typeof WorkerJit>()), ...jit }));

const { bugs } = await import('../../sim/cli/commands/bugs.ts');

describe('detcd bugs', () => {
  it('lists without touching V8 flags', async () => {
    vi.spyOn(console, 'log').mockImplementation(() => undefined);
    expect(await bugs([])).toBe(0);
    expect(jit.useWorkerJit).not.toHaveBeenCalled();
  });

  it("--verify sets a sweep worker's inlining budget and no allocation-site pretenuring first", async () => {
    // A bad --seeds stops it before any run, after the flags are set.
    await expect(bugs(['--verify', '--seeds', '0'])).rejects.toThrow();
    expect(jit.useWorkerJit).toHaveBeenCalledTimes(1);
  });
});
