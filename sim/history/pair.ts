// Pairs each invoke with its completion (the next ok/fail/info of the same process). A
// process has at most one op outstanding; an invoke never completed is an unknown outcome.
import type { Op } from './op.ts';
import { HistoryParseError, inReason } from './parse-error.ts';
import type { ParsedHistory } from './parsed-history.ts';

export interface OpPair {
  invoke: Op;
  /** undefined when the history ended before the op completed. */
  completion: Op | undefined;
  /** Positions in the history (real-time order). */
  call: number;
  return: number;
  /** Source line of the invoke. */
  line: number;
  completionLine: number | undefined;
}

export function pairOps(history: ParsedHistory): OpPair[] {
  const pairs: OpPair[] = [];
  const open = new Map<number | string, OpPair>();
  // An index loop and one map lookup per op: every checker of a run pairs its whole history.
  const ops = history.ops;
  for (let pos = 0; pos < ops.length; pos++) {
    const op = ops[pos]!;
    const line = history.lines[pos] ?? pos + 1;
    const p = open.get(op.process);
    if (op.type === 'invoke') {
      if (p !== undefined) throw new HistoryParseError(line, `process ${String(op.process)} invokes while its previous op is still outstanding`, inReason('process'));
      const q: OpPair = { invoke: op, completion: undefined, call: pos, return: Infinity, line, completionLine: undefined };
      open.set(op.process, q);
      pairs.push(q);
      continue;
    }
    if (p === undefined) throw new HistoryParseError(line, `process ${String(op.process)} completes (${op.type}) an op it never invoked`, inReason('process'));
    if (p.invoke.f !== op.f) throw new HistoryParseError(line, `process ${String(op.process)} completes :${op.f} but invoked :${p.invoke.f}`, inReason('f'));
    open.delete(op.process);
    p.completion = op;
    p.return = pos;
    p.completionLine = line;
  }
  return pairs;
}
