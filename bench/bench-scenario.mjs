// The harness benchmark's scenario, written once: 3 members, 50 clients, etcd traffic with
// faults, every checker on. `npm run bench -- harness` and every tool in bench/tools that
// measures "the bench runs" read it from here, so their figures are about the same runs.
export const BENCH_SCENARIO = {
  name: 'bench-etcd-50-clients',
  cluster: { members: 3 },
  clients: { count: 50, requestTimeoutMs: 1000 },
  workload: { kind: 'etcd', rateOpsPerSecond: 1000, durationMs: 5000, keys: 10, compactionIntervalMs: 500 },
  nemesis: { packages: ['partition-leader', 'kill-follower', 'pause', 'clock'], faultDurationMs: { min: 300, max: 800 } },
};
