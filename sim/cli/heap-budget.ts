// The checkers' memory bound in a real process: the heap near V8's limit makes a search stop
// with "unknown" instead of the process dying with an out-of-memory stack trace. The search
// (sim/check/linearizability) is pure and asks through CheckBudget.memory; only the command
// line and the real-etcd target own a process whose heap they can read.
import { getHeapStatistics } from 'node:v8';
import { INPUT_BYTES_MAX } from '../report/input-file.ts';

/** The share of V8's heap limit a search may fill: room is left for collection and the report. */
const HEAP_SHARE_MAX = 0.5;
const MB = 1024 * 1024;

/**
 * The share of V8's heap limit one history's text may take before it is read: its lines, its ops
 * and the search's pairs take about eight times its size (a 204 MB register history peaked at
 * 1.6 GB resident; with a 512 MB heap it was V8's abort after 88 s).
 */
const TEXT_SHARE_MAX = 0.1;

/**
 * The most bytes of one history (or its watches, or an initial state) `detcd check` reads: a
 * tenth of the heap limit, and never past the longest string V8 holds (INPUT_BYTES_MAX, 511
 * MiB), whichever is smaller. Past it the file is not read and its verdict is unknown, whichever
 * bound it is: a history too big to read may be a fine history, and detcd's bound is no fault
 * of the input (exit 2, as a search that fills the heap; never exit 3).
 */
export function textBytesMax(): number {
  return Math.min(getHeapStatistics().heap_size_limit * TEXT_SHARE_MAX, INPUT_BYTES_MAX);
}

/** Why `bytes` of history text cannot be read, or undefined when they can. */
export function textBudget(bytes: number): string | undefined {
  const limitBytes = getHeapStatistics().heap_size_limit;
  const heapBytesMax = limitBytes * TEXT_SHARE_MAX;
  if (bytes <= Math.min(heapBytesMax, INPUT_BYTES_MAX)) return undefined;
  if (heapBytesMax <= INPUT_BYTES_MAX) return `memory budget: ${Math.round(bytes / MB)} MB of text above ${Math.round(heapBytesMax / MB)} MB (${Math.round(TEXT_SHARE_MAX * 100)} % of V8's ${Math.round(limitBytes / MB)} MB limit; node --max-old-space-size raises it)`;
  return `size bound: ${Math.round(bytes / MB)} MB of text above the ${Math.floor(INPUT_BYTES_MAX / MB)} MiB one file's text can be (V8's longest string; split the history)`;
}

/** A CheckBudget.memory probe: the reason once the used heap is above `share` of its limit. */
export function heapBudget(share = HEAP_SHARE_MAX): () => string | undefined {
  const limitBytes = getHeapStatistics().heap_size_limit;
  const maxBytes = limitBytes * share;
  return () => {
    const usedBytes = getHeapStatistics().used_heap_size;
    if (usedBytes <= maxBytes) return undefined;
    return `memory budget: heap ${Math.round(usedBytes / MB)} MB above ${Math.round(maxBytes / MB)} MB (${Math.round(share * 100)} % of V8's ${Math.round(limitBytes / MB)} MB limit)`;
  };
}
