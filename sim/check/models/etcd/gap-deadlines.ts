// Revisions against real time, from the ops whose answers pin a revision and when they
// returned: by when each gap revision must exist (an op that saw it or a later one returned),
// and which revision certainly existed before a moment (an op that saw it returned before).
// A write of unknown outcome fills a gap only between the two: after the revision reached
// before its call, and by the gap's deadline. history.ts drops the writes no gap can take;
// gap-supply.ts counts the writes each gap can still take.

/** An op's pinned revision and its return position. */
export interface PinnedReturn {
  rev: number;
  ret: number;
}

/** Per gap (ascending), the first return of an op pinned at or above it; Infinity when none. */
export function gapDeadlines(pinned: readonly PinnedReturn[], gaps: readonly number[]): Float64Array {
  const out = new Float64Array(gaps.length).fill(Infinity);
  // A suffix minimum over revisions.
  const byRev = [...pinned].sort((a, b) => b.rev - a.rev);
  let best = Infinity;
  let p = 0;
  for (let i = gaps.length - 1; i >= 0; i--) {
    while (p < byRev.length && byRev[p]!.rev >= gaps[i]!) best = Math.min(best, byRev[p++]!.ret);
    out[i] = best;
  }
  return out;
}

/**
 * A walker over nondecreasing moments: the highest revision pinned by an op that returned
 * before each (at least `initial`). A class, not a closure: a closure made for every history lost
 * its optimized code at each full collection and was compiled again for the next.
 */
export class RevisionReachedBefore {
  private readonly byRet: PinnedReturn[];
  private i = 0;
  private reached: number;

  constructor(pinned: readonly PinnedReturn[], initial: number) {
    this.byRet = [...pinned].sort(byReturn);
    this.reached = initial;
  }

  at(moment: number): number {
    const byRet = this.byRet;
    while (this.i < byRet.length && byRet[this.i]!.ret < moment) this.reached = Math.max(this.reached, byRet[this.i++]!.rev);
    return this.reached;
  }
}

function byReturn(a: PinnedReturn, b: PinnedReturn): number {
  return a.ret - b.ret;
}
