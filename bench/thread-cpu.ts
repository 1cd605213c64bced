// CPU seconds of this process's threads, from /proc/self/task (Linux; empty elsewhere), so a
// sweep's CPU can be split into the main thread, the worker threads it started and V8's shared
// background threads (concurrent GC marking and sweeping, optimising compilers). Threads that
// exist before a sweep starts are the main thread and the background ones; those that appear
// during it are its workers.
import { existsSync, readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc's utime and stime (USER_HZ, 100 on Linux). */
const TICKS_PER_S = 100;

export type ThreadCpu = Map<number, number>;

export function threadCpu(): ThreadCpu {
  const out: ThreadCpu = new Map();
  if (!existsSync('/proc/self/task')) return out;
  for (const tid of readdirSync('/proc/self/task')) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    } catch {
      continue; // the thread ended meanwhile
    }
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 (1-based); fields[0] here is field 3.
    out.set(Number(tid), (Number(fields[11]) + Number(fields[12])) / TICKS_PER_S);
  }
  return out;
}

export interface CpuSplit {
  mainS: number;
  /** CPU of each thread that appeared after `before` (the sweep's workers), largest first. */
  workersS: number[];
  backgroundS: number;
}

/**
 * Splits the CPU spent between two snapshots. `after` must be taken while the workers still
 * run (a finished thread leaves /proc/self/task and its CPU is no longer attributable).
 */
export function splitCpu(before: ThreadCpu, after: ThreadCpu): CpuSplit {
  const split: CpuSplit = { mainS: 0, workersS: [], backgroundS: 0 };
  for (const [tid, s] of after) {
    const was = before.get(tid);
    if (tid === process.pid) split.mainS = s - (was ?? 0);
    else if (was === undefined) split.workersS.push(s);
    else split.backgroundS += s - was;
  }
  split.workersS.sort((a, b) => b - a);
  return split;
}
