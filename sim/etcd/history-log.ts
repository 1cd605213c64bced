// The client side of the history: every request as an invoke and its completion, and every
// watch response, in the shapes of sim/history/op.ts. Bounded: past the caps it stops recording
// and says so, rather than growing without limit.
import type { Op, OpType, WatchRecord } from '../history/op.ts';

export const HISTORY_OPS_MAX_DEFAULT = 2_000_000;
export const WATCH_RECORDS_MAX_DEFAULT = 2_000_000;

export class HistoryLog {
  readonly ops: Op[] = [];
  readonly watches: WatchRecord[] = [];
  /** True once a cap was reached and records were dropped. */
  truncated = false;

  constructor(
    private readonly nowUs: () => number,
    private readonly opsMax = HISTORY_OPS_MAX_DEFAULT,
    private readonly watchesMax = WATCH_RECORDS_MAX_DEFAULT,
  ) {}

  invoke(process: number | string, f: string, value: unknown): void {
    this.push({ index: this.ops.length, time: this.nowUs(), process, type: 'invoke', f, value });
  }

  complete(process: number | string, type: Exclude<OpType, 'invoke'>, f: string, value: unknown, error?: string, node?: string, tries = 1): void {
    const op: Op = { index: this.ops.length, time: this.nowUs(), process, type, f, value };
    if (error !== undefined) op.error = error;
    if (node !== undefined) op.node = node;
    if (tries > 1) op.tries = tries;
    this.push(op);
  }

  watch(record: WatchRecord): void {
    if (this.watches.length >= this.watchesMax) {
      this.truncated = true;
      return;
    }
    this.watches.push(record);
  }

  private push(op: Op): void {
    if (this.ops.length >= this.opsMax) {
      this.truncated = true;
      return;
    }
    this.ops.push(op);
  }
}
