import { defineConfig } from 'vitest/config';
import { ISOLATED_TESTS, REAL_PROCESS_TESTS } from './test/test-projects.ts';

// Timeouts are bounds that catch hangs, not measurements: a test waits for the condition it
// needs, and these only end a test that would never finish.
export default defineConfig({
  test: {
    globalSetup: ['test/global-setup.ts'],
    // Per test file even where files share a worker: each file's scratch folders go when it ends.
    setupFiles: ['test/scratch-dir-cleanup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // expect.poll waits for a condition (a report's element visible in Chromium): 1 s by default.
    expect: { poll: { timeout: 20_000 } },
    projects: [
      { extends: true, test: { name: 'sim', include: ['test/**/*.test.ts'], exclude: [...REAL_PROCESS_TESTS, ...ISOLATED_TESTS] } },
      // Files that mock modules or change what the process shares (test/test-projects.ts).
      { extends: true, test: { name: 'sim-isolated', include: [...ISOLATED_TESTS] } },
      // Their work is wall time and other processes' CPU: on a loaded machine (CI's runs at load 30)
      // it takes 3-10 times longer than idle (the browser tests 18-32 s each, the differential test
      // 35 s, with their processes held to 10 % of a CPU), so the bound is wider than the sim tests'.
      { extends: true, test: { name: 'real', include: [...REAL_PROCESS_TESTS], maxWorkers: 1, sequence: { groupOrder: 1 }, testTimeout: 180_000, hookTimeout: 180_000 } },
    ],
  },
});
