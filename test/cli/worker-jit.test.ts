import { afterEach, describe, expect, it, vi } from 'vitest';
import type * as WorkerJit from '../../sim/cli/harness/worker-jit.ts';

const MODULE = '../../sim/cli/harness/worker-jit.ts';
const savedExecArgv = [...process.execArgv];

afterEach(() => {
  process.execArgv.splice(0, process.execArgv.length, ...savedExecArgv);
  vi.resetModules();
});

describe('the sweep workers\' inlining budget', () => {
  it('is lowered once per process, before the first worker starts', async () => {
    vi.resetModules();
    const jit = (await import(MODULE)) as typeof WorkerJit;
    expect(jit.WORKER_INLINING_BUDGET).toBeLessThan(920);
    expect(jit.lowerInliningBudget()).toBe(true);
    expect(jit.lowerInliningBudget()).toBe(false);
  });

  it('is left alone when the user gave one on node\'s command line', async () => {
    vi.resetModules();
    const jit = (await import(MODULE)) as typeof WorkerJit;
    process.execArgv.push('--max-old-space-size=4096', `${jit.WORKER_INLINING_FLAG}=920`);
    expect(jit.lowerInliningBudget()).toBe(false);
    expect(jit.lowerInliningBudget()).toBe(false);
  });

  it('is joined by no allocation-site pretenuring, set once per process for the worker threads, unless node\'s command line chose', async () => {
    vi.resetModules();
    const jit = (await import(MODULE)) as typeof WorkerJit;
    expect(jit.avoidPretenuring()).toBe(true);
    expect(jit.avoidPretenuring()).toBe(false);
    vi.resetModules();
    const again = (await import(MODULE)) as typeof WorkerJit;
    process.execArgv.push('--allocation-site-pretenuring');
    expect(again.avoidPretenuring()).toBe(false);
  });
});
