// Mutual exclusion of a lock, judged from acquire/release operations: a process certainly
// holds the lock from the completion of its successful acquire until it invokes its release
// (or the end of the history when it never does). Two processes that certainly hold it at one
// instant are a violation. Acquires with unknown outcome never count as holds: only what is
// certain convicts.
import type { Op } from '../history/op.ts';
import type { CheckResult } from './verdict.ts';

interface Hold {
  process: number | string;
  fromUs: number;
  toUs: number;
  acquireIndex: number;
}

export function holdsOf(history: readonly Op[]): Hold[] {
  const holds: Hold[] = [];
  const open = new Map<number | string, Hold>();
  for (const op of history) {
    if (op.f === 'acquire' && op.type === 'ok') {
      const hold = { process: op.process, fromUs: op.time, toUs: Number.POSITIVE_INFINITY, acquireIndex: op.index };
      open.set(op.process, hold);
      holds.push(hold);
    } else if (op.f === 'release' && op.type === 'invoke') {
      const hold = open.get(op.process);
      if (hold !== undefined) {
        hold.toUs = op.time;
        open.delete(op.process);
      }
    }
  }
  return holds;
}

export function checkMutex(history: readonly Op[]): CheckResult {
  const holds = holdsOf(history).sort((a, b) => a.fromUs - b.fromUs);
  const acquires = holds.length;
  // Sweep by start time, keeping the hold that reaches furthest: any overlap shows up there.
  let widest: Hold | undefined;
  for (const h of holds) {
    if (widest !== undefined && widest.process !== h.process && h.fromUs < widest.toUs) {
      return {
        valid: false,
        summary: `process ${String(h.process)} acquired the lock at ${h.fromUs} µs while process ${String(widest.process)} held it (since ${widest.fromUs} µs)`,
        acquires,
        first: widest,
        second: h,
      };
    }
    if (widest === undefined || h.toUs > widest.toUs) widest = h;
  }
  if (acquires === 0) return { valid: 'unknown', summary: 'no acquire succeeded', acquires };
  return { valid: true, summary: `${acquires} acquires, no two holders at once`, acquires };
}
