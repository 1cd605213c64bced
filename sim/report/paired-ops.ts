// A history is a list of events (invoke, then ok/fail/info); the report draws operations, each
// an interval from its invoke to its completion. Pairing follows Jepsen: a process has at most
// one operation outstanding, so a completion closes the process's pending invoke.
import type { Op } from '../history/op.ts';

export type Outcome = 'ok' | 'fail' | 'info';

export interface PairedOp {
  /** The history index of the invoke (or of the completion when no invoke was recorded). */
  id: number;
  completionIndex: number | null;
  process: number | string;
  f: string;
  type: Outcome;
  startUs: number;
  /** Completion time; an operation that never completed ends at the end of the run. */
  endUs: number;
  request: unknown;
  response: unknown;
  error?: string;
  node?: string;
}

export interface PairedHistory {
  ops: PairedOp[];
  /** Looks an operation up by the history index of its invoke or of its completion. */
  byIndex: Map<number, PairedOp>;
  endUs: number;
}

function fromInvoke(invoke: Op): PairedOp {
  return {
    id: invoke.index,
    completionIndex: null,
    process: invoke.process,
    f: invoke.f,
    type: 'info',
    startUs: invoke.time,
    endUs: invoke.time,
    request: invoke.value,
    response: undefined,
  };
}

function complete(op: PairedOp, completion: Op): void {
  op.completionIndex = completion.index;
  op.type = completion.type === 'invoke' ? 'info' : completion.type;
  op.endUs = Math.max(op.startUs, completion.time);
  op.response = completion.value;
  if (completion.error !== undefined) op.error = completion.error;
  if (completion.node !== undefined) op.node = completion.node;
}

/** Pairs invokes with completions; lenient, since imported histories may be imperfect. */
export function pairOps(history: readonly Op[]): PairedHistory {
  const pending = new Map<number | string, PairedOp>();
  const ops: PairedOp[] = [];
  const byIndex = new Map<number, PairedOp>();
  let endUs = 0;
  for (const event of history) {
    endUs = Math.max(endUs, event.time);
    if (event.type === 'invoke') {
      // A second invoke on a busy process means the first was abandoned: its outcome is unknown.
      const abandoned = pending.get(event.process);
      if (abandoned !== undefined) abandoned.endUs = event.time;
      const open = fromInvoke(event);
      pending.set(event.process, open);
      ops.push(open);
      byIndex.set(event.index, open);
      continue;
    }
    const open = pending.get(event.process) ?? fromInvoke(event);
    if (!pending.has(event.process)) {
      ops.push(open);
      open.request = undefined;
    }
    pending.delete(event.process);
    complete(open, event);
    byIndex.set(event.index, open);
  }
  for (const open of pending.values()) open.endUs = endUs;
  return { ops, byIndex, endUs };
}
