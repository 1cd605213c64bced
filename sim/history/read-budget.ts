// The memory bound of reading a history: a file of millions of ops can fill the heap before the
// search starts, and V8 then aborts the process with a native stack trace. The parsers ask an
// injected probe (the command line reads V8's heap; sim/ stays free of Node APIs) every
// PROBE_LINES lines and stop with HistoryTooLarge, which the command line reports as the
// verdict "unknown" with the probe's reason: a bound that is hit, never a crash.

/** The reason once the heap is past its budget, else undefined (sim/cli/heap-budget.ts). */
export type MemoryProbe = () => string | undefined;

/** Lines between two probes: a probe reads V8's heap statistics, about what one line costs to parse. */
export const PROBE_LINES = 4096;

/** Reading stopped at `line` (0: before it began): the history does not fit the memory budget. */
export class HistoryTooLarge extends Error {
  constructor(
    readonly line: number,
    readonly reason: string,
  ) {
    super(`${line === 0 ? 'not read' : `reading stopped at line ${line}`}: ${reason}`);
    this.name = 'HistoryTooLarge';
  }
}

/** Throws HistoryTooLarge when `probe` says the heap is full; asks only every PROBE_LINES lines. */
export function probeLine(probe: MemoryProbe | undefined, line: number): void {
  if (probe === undefined || line % PROBE_LINES !== 0) return;
  const reason = probe();
  if (reason !== undefined) throw new HistoryTooLarge(line, reason);
}
