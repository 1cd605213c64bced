// node [NODE_FLAGS] bench/tools/young-gen.mjs ROOT [--sizes default,32,64,128] [--processes N] [--rounds R]
// What the young generation's size does to the whole harness bench run (simulation, Raft observers
// and every history checker): each size is a fresh process of its own (`node --max-semi-space-size=S`,
// V8 reads it once, when the heap is set up), N processes per size, alternated: in process round k
// the sizes start at k mod (number of sizes), so each size runs early and late alike and a drift of
// the machine's load hits all of them. Each process: one warm-up run (seed 100), seeds 1–5 once (the
// bench's first figure), then R − 1 more rounds of seeds 1–5 (warm). Per process:
//  - client ops per CPU second of the whole process (all threads: V8's GC helpers and TurboFan count,
//    module loading included), of the first round (seeds 1–5 after the warm-up run) and of the warm rounds;
//  - peak RSS (getrusage's maxrss), scavenges and mark-compacts with their main-thread pauses (--trace-gc's lines,
//    trace-gc-lines.mjs), and the
//    largest new space seen (v8.getHeapSpaceStatistics: both semi-spaces), which proves the flag took;
//  - each size against the first (the baseline) in the same process round: the median of the ratios.
// Trace hashes must be the same at every size (flags change speed, never what a run computes).
// NODE_FLAGS (an inlining budget, say) go to every child alike.
import { spawnSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { BENCH_SCENARIO } from '../bench-scenario.mjs';
import { gcPauses } from './trace-gc-lines.mjs';

const SEEDS = [1, 2, 3, 4, 5];
const RESULT = 'young-gen result: ';
const args = process.argv.slice(2);

if (args[0] === '--child') await child(args[1], Number(args[2]));
else parent(args);

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 === 1 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function usage(why) {
  console.error(`young-gen: ${why}\nusage: node [NODE_FLAGS] bench/tools/young-gen.mjs ROOT [--sizes default,32,64,128] [--processes N] [--rounds R] (ROOT has dist/)`);
  process.exit(3);
}

function option(name, fallback) {
  const at = args.indexOf(name);
  if (at < 0) return fallback;
  if (at + 1 >= args.length) usage(`${name} needs a value`);
  return args[at + 1];
}

function parent() {
  const root = args[0];
  if (root === undefined || root.startsWith('--')) usage('ROOT missing');
  const sizes = option('--sizes', 'default,32,64,128').split(',');
  for (const s of sizes) if (s !== 'default' && !/^[1-9][0-9]*$/.test(s)) usage(`--sizes: '${s}' is neither 'default' nor a whole number of MB`);
  const processes = Number(option('--processes', '4'));
  const rounds = Number(option('--rounds', '2'));
  if (!(Number.isInteger(processes) && processes >= 1)) usage('--processes: a whole number ≥ 1');
  if (!(Number.isInteger(rounds) && rounds >= 1)) usage('--rounds: a whole number ≥ 1');
  const self = fileURLToPath(import.meta.url);
  /** @type {Record<string, any[]>} */
  const bySize = Object.fromEntries(sizes.map((s) => [s, []]));
  console.log(`young-gen: ${root}, sizes ${sizes.join(' ')} MB per semi-space, ${processes} processes each, ${rounds} round(s) of seeds 1–5 per process, node flags: ${process.execArgv.join(' ') || '(none)'}`);
  for (let k = 0; k < processes; k++) {
    for (let j = 0; j < sizes.length; j++) {
      const size = sizes[(k + j) % sizes.length];
      const flags = [...process.execArgv, '--trace-gc', ...(size === 'default' ? [] : [`--max-semi-space-size=${size}`])];
      const r = spawnSync(process.execPath, [...flags, self, '--child', root, String(rounds)], { encoding: 'utf8', maxBuffer: 1 << 26 });
      if (r.status !== 0) { console.error(`young-gen: the child at size ${size} failed (exit ${r.status ?? r.signal}): ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`); process.exit(4); }
      // --trace-gc may print a collection after the result line (an idle-time scavenge before exit).
      const lines = r.stdout.trim().split('\n');
      const m = JSON.parse(lines.find((l) => l.startsWith(RESULT)).slice(RESULT.length));
      m.gc = gcPauses(lines);
      m.size = size;
      bySize[size].push(m);
      console.log(`  round ${k + 1} size ${size.padStart(7)}: whole ${m.whole.opsPerCpuS.toFixed(0)} ops/CPU s (${m.whole.cpuS.toFixed(2)} s), first ${m.first.opsPerCpuS.toFixed(0)}, warm ${m.warm === null ? '-' : m.warm.opsPerCpuS.toFixed(0)}; peak RSS ${m.maxRssMb.toFixed(0)} MB, new space ≤ ${m.newSpaceMaxMb} MB, ${m.gc.scavenges} scavenges ${m.gc.scavengeMs.toFixed(0)} ms, ${m.gc.markCompacts} mark-compacts ${m.gc.markCompactMs.toFixed(0)} ms (main thread); load ${m.load.toFixed(1)}`);
    }
  }
  const base = sizes[0];
  const hashes = new Set(Object.values(bySize).flat().map((m) => m.hashes.join(' ')));
  console.log(`trace hashes (seeds 1–5): ${[...hashes].join(' | ')}${hashes.size === 1 ? ' (the same at every size)' : ' — DIFFERENT: a flag changed what a run computes'}`);
  const ratio = (size, pick) => median(bySize[size].map((m, k) => { const b = pick(bySize[base][k]); const v = pick(m); return b === null || v === null ? NaN : v / b; }));
  console.log(`medians of ${processes} processes per size; ratios: client ops per CPU s against ${base} in the same process round (> 1: faster)`);
  console.log('size (MB) | whole process ops/CPU s | first round | warm rounds | peak RSS MB (max) | scavenges | main-thread GC ms | ×whole | ×first | ×warm');
  for (const size of sizes) {
    const ms = bySize[size];
    const med = (pick) => median(ms.map(pick).filter((v) => v !== null));
    console.log(`${size.padStart(9)} | ${med((m) => m.whole.opsPerCpuS).toFixed(0).padStart(23)} | ${med((m) => m.first.opsPerCpuS).toFixed(0).padStart(11)} | ${rounds > 1 ? med((m) => m.warm.opsPerCpuS).toFixed(0).padStart(11) : '          -'} | ${med((m) => m.maxRssMb).toFixed(0).padStart(8)} (${Math.max(...ms.map((m) => m.maxRssMb)).toFixed(0)}) | ${med((m) => m.gc.scavenges).toFixed(0).padStart(9)} | ${med((m) => m.gc.scavengeMs + m.gc.markCompactMs).toFixed(0).padStart(17)} | ${ratio(size, (m) => m.whole.opsPerCpuS).toFixed(3)} | ${ratio(size, (m) => m.first.opsPerCpuS).toFixed(3)} | ${rounds > 1 ? ratio(size, (m) => m.warm.opsPerCpuS).toFixed(3) : '-'}`);
  }
  console.log(JSON.stringify({ sizes, rounds, processes, bySize }));
}

async function child(root, rounds) {
  const v8 = await import('node:v8');
  const { loadavg } = await import('node:os');
  let newSpaceMax = 0;
  const newSpace = () => { const s = v8.getHeapSpaceStatistics().find((x) => x.space_name === 'new_space'); if (s !== undefined && s.space_size > newSpaceMax) newSpaceMax = s.space_size; };
  const url = (p) => pathToFileURL(`${root}/dist/${p}`).href;
  const { runScenario } = await import(url('sim/run/run.js'));
  const { defineScenario } = await import(url('sim/scenario/parse.js'));
  const scenario = defineScenario(BENCH_SCENARIO);
  const cpu = () => { const c = process.cpuUsage(); return (c.user + c.system) / 1e6; };
  const one = (seed) => { const r = runScenario(scenario, seed).results; newSpace(); return { ops: r.stats.ops.ok + r.stats.ops.fail + r.stats.ops.info, hash: r.traceHash.slice(0, 12) }; };
  const warmupOps = one(100).ops;
  const roundsOut = [];
  let hashes = [];
  for (let k = 0; k < rounds; k++) {
    const c0 = cpu();
    let ops = 0;
    const hs = [];
    for (const seed of SEEDS) { const r = one(seed); ops += r.ops; hs.push(r.hash); }
    roundsOut.push({ cpuS: cpu() - c0, ops });
    if (k === 0) hashes = hs;
    else if (hs.join() !== hashes.join()) throw new Error(`round ${k + 1} gave other trace hashes than round 1`);
  }
  const whole = cpu(); // since the process started: node's start, module loading, the warm-up run, every round
  const allOps = warmupOps + roundsOut.reduce((a, r) => a + r.ops, 0);
  const warm = roundsOut.slice(1);
  const warmCpu = warm.reduce((a, r) => a + r.cpuS, 0);
  console.log(RESULT + JSON.stringify({
    whole: { cpuS: whole, opsPerCpuS: allOps / whole },
    first: { cpuS: roundsOut[0].cpuS, opsPerCpuS: roundsOut[0].ops / roundsOut[0].cpuS },
    warm: warm.length === 0 ? null : { cpuS: warmCpu, opsPerCpuS: warm.reduce((a, r) => a + r.ops, 0) / warmCpu },
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    newSpaceMaxMb: newSpaceMax / 2 ** 20,
    hashes, load: loadavg()[0], flags: process.execArgv,
  }));
}
