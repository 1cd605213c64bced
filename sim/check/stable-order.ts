// A stable sort by two numbers without a comparator call per comparison. The contradictions
// sort every key's sightings by (mod_revision, revision) — a thousand sightings a key on the
// bench's histories, each comparison a call into a closure reading two objects deep, the
// largest share of that search — and the search's layout sorts every call and return by time.
// Here each position gets one double that orders as (first, second, position) does, and a
// Float64Array is sorted natively.

/** Positions an insertion sort may move per element before the key sort is used instead. */
const INSERTION_MOVES_PER_ELEMENT = 6;

/**
 * Sorts `order` (0..n-1 in order) by (first, second), stably, by insertion; false once it would
 * move more than `movesMax` positions (far from ordered). `order` is then half sorted: both other
 * ways below give a total order by (first, second, position) whatever it holds.
 */
function insertionOrder(first: Float64Array, second: Float64Array, order: Int32Array, movesMax: number): boolean {
  const n = order.length;
  let moves = 0;
  for (let j = 1; j < n; j++) {
    const a = first[j]!;
    const b = second[j]!;
    let i = j - 1;
    while (i >= 0) {
      const p = order[i]!;
      const pa = first[p]!;
      // An equal pair stays before j: positions keep their order among equals (stable).
      if (pa < a || (pa === a && second[p]! <= b)) break;
      order[i + 1] = p;
      i--;
      if (++moves > movesMax) return false;
    }
    order[i + 1] = j;
  }
  return true;
}

/**
 * The positions 0..n-1 ordered by (first[j], second[j]), equal pairs in position order: the
 * order a stable sort with `(x, y) => first[x] - first[y] || second[x] - second[y]` gives.
 * `nearlyOrdered`: the caller's lists are mostly in order already (a key's sightings in history
 * order: 2–5 moves an element on the bench's histories), so an insertion sort is tried first.
 * The layout's calls and returns are not (12–15 moves an element: the attempt only cost time).
 */
export function stableOrderByTwo(first: Float64Array, second: Float64Array, nearlyOrdered = false): Int32Array {
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
  // Insertion costs n + the moves, against building and sorting n keys (×0.55 on the bench's
  // sightings). No NaN here (integral), so < and === order exactly as the comparator.
  if (nearlyOrdered && integral && n > 1 && insertionOrder(first, second, order, INSERTION_MOVES_PER_ELEMENT * n)) return order;
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
