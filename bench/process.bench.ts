// Whole-process figures, as a user meets them: the start-up of `detcd --help`, and `detcd check`
// on the 102 Jepsen etcd logs against the plain JavaScript Wing–Gong–Lowe checker in
// bench/wgl-yardstick.mjs (the same logs, the same verdicts, none of detcd's bounds or
// explanations). Each figure is the median of several runs, in wall time and in the child's CPU
// time (from /proc/self/stat, so that a loaded machine can be told from a slower program).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const ROOT = join(import.meta.dirname, '..');
const ANCHORS = join(ROOT, '../shared/anchors/porcupine/jepsen');
const DETCD = join(ROOT, 'bin/detcd.js');
const YARDSTICK = join(ROOT, 'bench/wgl-yardstick.mjs');
const RUNS = 7;

/** CPU seconds of this process's waited-for children so far (Linux). */
function childrenCpuSeconds(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // After the command name: state is field 3, cutime 16 and cstime 17 (1-based), in clock ticks.
  return (Number(fields[13]) + Number(fields[14])) / 100;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

interface Timing {
  wallS: number;
  cpuS: number;
  status: number | null;
}

function time(args: string[]): Timing {
  const cpu0 = childrenCpuSeconds();
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'], cwd: ROOT });
  const wallS = (performance.now() - t0) / 1000;
  if (r.status !== 0 && r.status !== 1) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr.toString().slice(0, 300)}`);
  return { wallS, cpuS: childrenCpuSeconds() - cpu0, status: r.status };
}

function measure(args: string[]): Timing {
  time(args);
  const runs = Array.from({ length: RUNS }, () => time(args));
  return { wallS: median(runs.map((r) => r.wallS)), cpuS: median(runs.map((r) => r.cpuS)), status: runs[0]!.status };
}

function show(name: string, t: Timing): void {
  console.log(`  ${name.padEnd(44)} ${t.wallS.toFixed(3)} s wall  ${t.cpuS.toFixed(2)} s CPU`);
}

export async function bench(): Promise<void> {
  console.log(`process: whole processes, median of ${RUNS} runs after one warm-up`);
  show('node -e 0 (bare Node start-up)', measure(['-e', '0']));
  show('detcd --help', measure([DETCD, '--help']));
  if (!existsSync(ANCHORS)) {
    console.log(`  (anchors not found at ${ANCHORS}: skipping detcd check)`);
    return;
  }
  const logs = readdirSync(ANCHORS)
    .filter((f) => f.endsWith('.log') && f !== 'etcd_095.log')
    .sort()
    .map((f) => join(ANCHORS, f));
  const detcd = measure([DETCD, 'check', '--model', 'register', ...logs]);
  const yardstick = measure([YARDSTICK, ...logs]);
  show(`detcd check --model register (${logs.length} logs)`, detcd);
  show(`bench/wgl-yardstick.mjs (${logs.length} logs)`, yardstick);
  console.log(`  detcd check / yardstick: ${(yardstick.wallS / detcd.wallS).toFixed(2)}× the yardstick's speed by wall time, ${(yardstick.cpuS / detcd.cpuS).toFixed(2)}× by CPU time`);
  await Promise.resolve();
}
