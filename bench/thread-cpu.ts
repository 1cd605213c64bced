// CPU seconds of this process's threads and of its child processes' threads, from /proc (Linux;
// empty elsewhere), so a sweep's CPU can be split into the main thread, the workers it started
// and V8's background threads (concurrent GC marking and sweeping, optimising compilers).
// Threads of this process that exist before a sweep starts are the main thread and the
// background ones; those that appear during it are its worker threads. A child process (a
// sweep's worker process) counts its main thread as the worker and its other threads as
// background.
import { existsSync, readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc's utime and stime (USER_HZ, 100 on Linux). */
const TICKS_PER_S = 100;

export interface OneThread {
  cpuS: number;
  /** own: a thread of this process; child-main / child-other: a child process's main thread / another of its threads. */
  kind: 'own' | 'child-main' | 'child-other';
}

export type ThreadCpu = Map<number, OneThread>;

function readStat(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined; // the thread ended meanwhile
  }
}

function addThreads(pid: number, child: boolean, out: ThreadCpu): void {
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return;
  }
  for (const tid of tids) {
    const stat = readStat(`/proc/${pid}/task/${tid}/stat`);
    if (stat === undefined) continue;
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 (1-based); fields[0] here is field 3.
    const cpuS = (Number(fields[11]) + Number(fields[12])) / TICKS_PER_S;
    out.set(Number(tid), { cpuS, kind: !child ? 'own' : Number(tid) === pid ? 'child-main' : 'child-other' });
    if (child) continue;
    for (const kid of (readStat(`/proc/${pid}/task/${tid}/children`) ?? '').split(' ').filter(Boolean)) addThreads(Number(kid), true, out);
  }
}

export function threadCpu(): ThreadCpu {
  const out: ThreadCpu = new Map();
  if (existsSync('/proc/self/task')) addThreads(process.pid, false, out);
  return out;
}

export interface CpuSplit {
  mainS: number;
  /** CPU of each worker (a thread that appeared after `before`, or a child process's main thread), largest first. */
  workersS: number[];
  backgroundS: number;
}

/**
 * Splits the CPU spent between two snapshots. `after` must be taken while the workers still
 * run (a finished thread or process leaves /proc and its CPU is no longer attributable).
 */
export function splitCpu(before: ThreadCpu, after: ThreadCpu): CpuSplit {
  const split: CpuSplit = { mainS: 0, workersS: [], backgroundS: 0 };
  for (const [tid, t] of after) {
    const was = before.get(tid)?.cpuS;
    const s = t.cpuS - (was ?? 0);
    if (tid === process.pid) split.mainS = s;
    else if (t.kind === 'child-main' || (t.kind === 'own' && was === undefined)) split.workersS.push(s);
    else split.backgroundS += s;
  }
  split.workersS.sort((a, b) => b - a);
  return split;
}

/** All the CPU of a split. */
export function splitTotal(s: CpuSplit): number {
  return s.mainS + s.backgroundS + s.workersS.reduce((a, b) => a + b, 0);
}
