import { defineConfig } from 'vitest/config';

// Tests that drive real processes in wall time: real etcd (as root, in network namespaces),
// etcdctl and the etcd3 client against `detcd serve`, Chromium, npm. They run after the
// simulation tests, one file at a time, so that none competes with another for the CPU, ports
// or namespaces whatever the machine's core count (vitest starts cores - 1 workers: one on the
// 2-core CI machine, dozens in a container that sees a big host's cores).
const REAL_PROCESS_TESTS = [
  'test/cli/target-etcd/real-etcd.test.ts',
  'test/differential/**/*.test.ts',
  'test/sim/cli/serve/**/*.test.ts',
  'test/sim/report/browser.test.ts',
  'test/package/**/*.test.ts',
];

// Timeouts are bounds that catch hangs, not measurements: a test waits for the condition it
// needs, and these only end a test that would never finish.
export default defineConfig({
  test: {
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // expect.poll waits for a condition (a report's element visible in Chromium): 1 s by default.
    expect: { poll: { timeout: 20_000 } },
    projects: [
      { extends: true, test: { name: 'sim', include: ['test/**/*.test.ts'], exclude: REAL_PROCESS_TESTS } },
      // Their work is wall time and other processes' CPU: on a loaded machine (CI's runs at load 30)
      // it takes 3-10 times longer than idle (the browser tests 18-32 s each, the differential test
      // 35 s, with their processes held to 10 % of a CPU), so the bound is wider than the sim tests'.
      { extends: true, test: { name: 'real', include: REAL_PROCESS_TESTS, maxWorkers: 1, sequence: { groupOrder: 1 }, testTimeout: 180_000, hookTimeout: 180_000 } },
    ],
  },
});
