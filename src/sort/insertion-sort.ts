// Ascending order of a few numbers or strings, in place, without Array.prototype.sort's working
// copy or a comparator call per step: raft sorts 3–7 member ids and match indexes on every
// commit check and broadcast, the etcd model sorts the handful of field names of every object it
// puts in canonical form. Strings compare by UTF-16 code unit (`<`), never by locale.

/** Sorts `xs` ascending in place (insertion sort: the arrays hold a handful of items) and returns it. */
export function insertionSort<T extends number | string>(xs: T[]): T[] {
  for (let i = 1; i < xs.length; i++) {
    const x = xs[i] as T;
    let j = i - 1;
    while (j >= 0 && (xs[j] as T) > x) {
      xs[j + 1] = xs[j] as T;
      j--;
    }
    xs[j + 1] = x;
  }
  return xs;
}
