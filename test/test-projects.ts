// Which test files run where (vitest.config.ts's projects). test/lint/test-isolation.test.ts
// holds every file to these lists.

/**
 * Tests that drive real processes in wall time: real etcd (as root, in network namespaces),
 * etcdctl and the etcd3 client against `detcd serve`, Chromium, npm. They run after the
 * simulation tests, one file at a time, so that none competes with another for the CPU, ports
 * or namespaces whatever the machine's core count (vitest starts cores - 1 workers: one on the
 * 2-core CI machine, dozens in a container that sees a big host's cores).
 */
export const REAL_PROCESS_TESTS: readonly string[] = [
  'test/cli/target-etcd/real-etcd.test.ts',
  'test/differential/**/*.test.ts',
  'test/sim/cli/serve/**/*.test.ts',
  'test/sim/report/browser.test.ts',
  'test/package/**/*.test.ts',
];

/**
 * The simulation tests that need a module graph and a process of their own: they replace a
 * module (vi.mock, vi.doMock), start the module registry again (vi.resetModules), or change
 * what the process shares (environment, globals, timers, working directory, node's flags, the
 * properties of its streams: vitest restores only spies after each file). The
 * rest may share a worker's modules (`isolate: false`): importing the harness again for each of
 * 350 files was ≈175 s of a 15-minute CI. A mocked module that an earlier file in the worker had
 * already imported would stay real (or a mock would leak into later files), so a file doing any
 * of the above belongs here; test/lint/test-isolation.test.ts says which line of it does.
 */
export const ISOLATED_TESTS: readonly string[] = [
  'test/cli/bugs-jit.test.ts',
  'test/cli/conventions.test.ts',
  'test/cli/eighty-columns.test.ts',
  'test/cli/out-path.test.ts',
  'test/cli/shrink-jit.test.ts',
  'test/cli/sweep-inline-jit.test.ts',
  'test/cli/sweep-interrupt.test.ts',
  'test/cli/target-etcd/bad-etcd.test.ts',
  'test/cli/worker-jit.test.ts',
  'test/sim/report/target-differences.test.ts',
  'test/sim/scenario/fault-kind-added.test.ts',
];
