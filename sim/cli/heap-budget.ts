// The checkers' memory bound in a real process: the heap near V8's limit makes a search stop
// with "unknown" instead of the process dying with an out-of-memory stack trace. The search
// (sim/check/linearizability) is pure and asks through CheckBudget.memory; only the command
// line and the real-etcd target own a process whose heap they can read.
import { getHeapStatistics } from 'node:v8';

/** The share of V8's heap limit a search may fill: room is left for collection and the report. */
const HEAP_SHARE_MAX = 0.5;
const MB = 1024 * 1024;

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
