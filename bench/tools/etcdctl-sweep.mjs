// The long etcdctl sweep: test/differential/etcdctl-sweep.test.ts with a larger sample of every
// etcdctl command family crossed with its flags and output forms (or all of it), against a real
// etcd 3.4 and `detcd serve`, over several seeds; prints each seed's verdict and, for a seed that
// differs, the steps whose outputs differ (etcd's and detcd's side by side) and its replay command.
//
//   node bench/tools/etcdctl-sweep.mjs [SAMPLE|all] [SEEDS]     (default: 200 groups a family, seeds 1..3)
//
// `all` is the whole cross product: ~45,000 get steps alone, hours on this machine. Needs etcd and
// etcdctl on PATH (apt-get install etcd-server etcd-client). Exit 1 when any seed differed.
import { spawnSync } from 'node:child_process';

const sample = process.argv[2] ?? '200';
const seeds = Number(process.argv[3] ?? 3);
let failed = 0;
for (let seed = 1; seed <= seeds; seed++) {
  const env = { ...process.env, DETCD_SWEEP: sample, DETCD_SWEEP_SEED: String(seed), NO_COLOR: '1' };
  const r = spawnSync('npx', ['vitest', 'run', 'test/differential/etcdctl-sweep.test.ts', '--testTimeout=0'], { env, encoding: 'utf8', maxBuffer: 1 << 28 });
  const ok = r.status === 0;
  if (!ok) failed++;
  const steps = /(\d+) etcdctl steps/.exec(r.stdout)?.[1] ?? '?';
  console.log(`seed ${seed}: ${steps} steps, ${ok ? 'same output' : 'DIFFERS'}`);
  if (!ok) console.log(r.stdout.split('\n').filter((l) => !/^\s*(✓|RUN|Test Files|Tests|Start at|Duration)/.test(l)).join('\n'));
}
process.exit(failed === 0 ? 0 : 1);
