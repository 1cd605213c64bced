import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import { ISOLATED_TESTS, REAL_PROCESS_TESTS } from './test/test-projects.ts';

// Workers for the simulation tests: vitest's default (cores - 1) is one on the 2-core CI
// machine, where its own process then idles beside it and one core ran the simulation tests
// alone. Both simulation projects take the same number (vitest needs one per group order).
const SIM_WORKERS = Math.max(2, availableParallelism() - 1);

// Timeouts are bounds that catch hangs, not measurements: a test waits for the condition it
// needs, and these only end a test that would never finish. 60 s did not bound them at load 40
// (s21, suite runs beside seven engineers' work): out-path's first test, which imports the
// command line into a fresh worker, took 60.3 s, the etcd checker's 400 ground-truth histories
// 92 s, answer-covers-commit's correct runs 62 s; each is far inside 60 s at idle.
export default defineConfig({
  test: {
    globalSetup: ['test/global-setup.ts'],
    // Per test file even where files share a worker: each file's scratch folders go when it ends.
    setupFiles: ['test/scratch-dir-cleanup.ts'],
    testTimeout: 180_000,
    hookTimeout: 180_000,
    pool: 'forks',
    // expect.poll waits for a condition (a report's element visible in Chromium): 1 s by default.
    expect: { poll: { timeout: 20_000 } },
    projects: [
      // Each worker imports the harness once for all the files it runs: a fresh import per file was
      // ≈175 s of the CI (test/test-projects.ts says which files may not share).
      { extends: true, test: { name: 'sim', include: ['test/**/*.test.ts'], exclude: [...REAL_PROCESS_TESTS, ...ISOLATED_TESTS], isolate: false, maxWorkers: SIM_WORKERS } },
      // After them: a worker that shares its modules is ended whenever an isolated file is next.
      { extends: true, test: { name: 'sim-isolated', include: [...ISOLATED_TESTS], maxWorkers: SIM_WORKERS, sequence: { groupOrder: 1 } } },
      // Their work is wall time and other processes' CPU: on a loaded machine (CI's runs at load 30)
      // it takes 3-10 times longer than idle (the browser tests 18-32 s each, the differential test
      // 35 s, with their processes held to 10 % of a CPU).
      { extends: true, test: { name: 'real', include: [...REAL_PROCESS_TESTS], maxWorkers: 1, sequence: { groupOrder: 2 } } },
    ],
  },
});
