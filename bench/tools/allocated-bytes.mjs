// node bench/tools/allocated-bytes.mjs ROOT [SEEDS] [--garbage N]
// The bytes the harness bench runs of seeds 1..SEEDS (default 2) allocate, after two warm-up runs, as V8 counts
// them (--trace-gc-nvp's `allocated`, summed over the collections between two forced ones): exact where
// allocations.mjs samples (its total moves ±1–2 % between two runs of one build; this one ±0.5 %, so a step of
// 1 % shows), with the bytes promoted to the old generation and the number of scavenges. Runs in a child
// process with that flag; the figure does not move with the machine's load. `--garbage N`: N more short-lived
// objects per event (garbage-hook.mjs), the probe of garbage-cost.mjs.
import { spawnSync } from 'node:child_process';
import { writeSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { BENCH_SCENARIO } from '../bench-scenario.mjs';
import { garbageHook } from './garbage-hook.mjs';

const args = process.argv.slice(2);
const g = args.indexOf('--garbage');
const garbage = g === -1 ? 0 : Number(args.splice(g, 2)[1]);
const [root, seedsS = '2'] = args;
const seeds = Number(seedsS);
if (root === undefined || !Number.isInteger(seeds) || seeds < 1 || !Number.isInteger(garbage) || garbage < 0) {
  console.error('usage: node bench/tools/allocated-bytes.mjs ROOT [SEEDS] [--garbage N]');
  process.exit(3);
}

if (process.env.ALLOCATED_BYTES_CHILD === '1') {
  const hook = await garbageHook(root);
  const { runScenario } = await import(`${root}/dist/sim/run/run.js`);
  const { defineScenario } = await import(`${root}/dist/sim/scenario/parse.js`);
  const scenario = defineScenario(BENCH_SCENARIO);
  runScenario(scenario, 100);
  runScenario(scenario, 101);
  hook.objectsPerEvent = garbage;
  // writeSync, not console.log: the markers must land between V8's own lines on stdout, in order.
  globalThis.gc();
  writeSync(1, 'ALLOCATED-BYTES-START\n');
  for (let seed = 1; seed <= seeds; seed++) runScenario(scenario, seed);
  globalThis.gc();
  writeSync(1, 'ALLOCATED-BYTES-END\n');
} else {
  const child = spawnSync(process.execPath, ['--expose-gc', '--trace-gc-nvp', fileURLToPath(import.meta.url), ...process.argv.slice(2)],
    { encoding: 'utf8', env: { ...process.env, ALLOCATED_BYTES_CHILD: '1' }, maxBuffer: 256 * 1024 * 1024 });
  const out = child.stdout ?? '';
  const from = out.indexOf('ALLOCATED-BYTES-START');
  const to = out.indexOf('ALLOCATED-BYTES-END');
  if (child.status !== 0 || from === -1 || to === -1) {
    console.error(`allocated-bytes: the run failed (exit ${child.status}): ${(child.stderr ?? '').trim().split('\n').pop() ?? ''}`);
    process.exit(4);
  }
  let allocated = 0, promoted = 0, scavenges = 0;
  for (const line of out.slice(from, to).split('\n')) {
    allocated += Number(/ allocated=(\d+)/.exec(line)?.[1] ?? 0);
    promoted += Number(/ promoted=(\d+)/.exec(line)?.[1] ?? 0);
    if (/ gc=s /.test(line)) scavenges++;
  }
  const mb = (n) => (n / 1e6).toFixed(1);
  console.log(`${root}${garbage > 0 ? ` --garbage ${garbage}` : ''}: seeds 1..${seeds} allocated ${mb(allocated)} MB, promoted ${mb(promoted)} MB, ${scavenges} scavenges`);
}
