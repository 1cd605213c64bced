import { defineConfig } from 'vitest/config';

// Timeouts are bounds that catch hangs, not measurements: CI runs on a shared 2-core machine
// (one test file at a time there: vitest uses cores - 1 workers), so a test waits for the
// condition it needs and these only end a test that would never finish.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // expect.poll waits for a condition (a report's element visible in Chromium): 1 s by default.
    expect: { poll: { timeout: 20_000 } },
  },
});
