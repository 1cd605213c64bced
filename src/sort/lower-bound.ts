// Binary search over an ascending array: the one place for it (the key index, the watch checker
// and the etcd model's facts all look up "the first element ≥ x").

/** The first index of the ascending `sorted` whose element is ≥ x (sorted.length if none). */
export function lowerBound<T extends number | string>(sorted: readonly T[], x: T): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as T) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The first index of `xs`, ascending by `keyOf`, whose key is ≥ x (xs.length if none). */
export function lowerBoundBy<T>(xs: readonly T[], x: number, keyOf: (t: T) => number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keyOf(xs[mid] as T) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
