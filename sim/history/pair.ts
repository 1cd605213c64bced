// Pairs each invoke with its completion (the next ok/fail/info of the same process). A
// process has at most one op outstanding; an invoke never completed is an unknown outcome.
import type { Op } from './op.ts';
import { HistoryParseError } from './parse-error.ts';
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
  history.ops.forEach((op, pos) => {
    const line = history.lines[pos] ?? pos + 1;
    if (op.type === 'invoke') {
      if (open.has(op.process)) throw new HistoryParseError(line, `process ${String(op.process)} invokes while its previous op is still outstanding`);
      const p: OpPair = { invoke: op, completion: undefined, call: pos, return: Infinity, line, completionLine: undefined };
      open.set(op.process, p);
      pairs.push(p);
      return;
    }
    const p = open.get(op.process);
    if (p === undefined) throw new HistoryParseError(line, `process ${String(op.process)} completes (${op.type}) an op it never invoked`);
    if (p.invoke.f !== op.f) throw new HistoryParseError(line, `process ${String(op.process)} completes :${op.f} but invoked :${p.invoke.f}`);
    open.delete(op.process);
    p.completion = op;
    p.return = pos;
    p.completionLine = line;
  });
  return pairs;
}
