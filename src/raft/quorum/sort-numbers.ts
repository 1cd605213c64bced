// Ascending order of a few numbers (member ids, match indexes) without Array.prototype.sort's
// working copy: raft sorts 3–7 numbers on every commit check and every broadcast.

/** Sorts `xs` ascending in place (insertion sort: the arrays hold a handful of members) and returns it. */
export function sortAscending(xs: number[]): number[] {
  for (let i = 1; i < xs.length; i++) {
    const x = xs[i] as number;
    let j = i - 1;
    while (j >= 0 && (xs[j] as number) > x) {
      xs[j + 1] = xs[j] as number;
      j--;
    }
    xs[j + 1] = x;
  }
  return xs;
}
