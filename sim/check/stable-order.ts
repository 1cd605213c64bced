// A stable sort by two numbers without a comparator call per comparison. The contradictions
// sort every key's sightings by (mod_revision, revision) — a thousand sightings a key on the
// bench's histories, each comparison a call into a closure reading two objects deep, the
// largest share of that search — and the search's layout sorts every call and return by time.
// Here each position gets one double that orders as (first, second, position) does, and a
// Float64Array is sorted natively.

/**
 * The positions 0..n-1 ordered by (first[j], second[j]), equal pairs in position order: the
 * order a stable sort with `(x, y) => first[x] - first[y] || second[x] - second[y]` gives.
 */
export function stableOrderByTwo(first: Float64Array, second: Float64Array): Int32Array {
  const n = first.length;
  const order = new Int32Array(n);
  let firstMax = 0;
  let secondMax = 0;
  let integral = true;
  for (let j = 0; j < n; j++) {
    const a = first[j]!;
    const b = second[j]!;
    order[j] = j;
    if (!(Number.isInteger(a) && Number.isInteger(b) && a >= 0 && b >= 0)) integral = false;
    else {
      if (a > firstMax) firstMax = a;
      if (b > secondMax) secondMax = b;
    }
  }
  // (first * (secondMax + 1) + second) * n + position is below (firstMax + 1) * (secondMax + 1) * n:
  // exact in a double while that is a safe integer (a product past it rounds to 2^53 or more).
  if (!integral || (firstMax + 1) * (secondMax + 1) * n > Number.MAX_SAFE_INTEGER) {
    return order.sort((x, y) => first[x]! - first[y]! || second[x]! - second[y]! || x - y);
  }
  const keys = new Float64Array(n);
  const width = secondMax + 1;
  for (let j = 0; j < n; j++) keys[j] = (first[j]! * width + second[j]!) * n + j;
  keys.sort();
  for (let i = 0; i < n; i++) order[i] = keys[i]! % n;
  return order;
}
