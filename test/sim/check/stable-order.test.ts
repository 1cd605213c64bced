// stableOrderByTwo must give exactly the order of a stable comparator sort by (first, second):
// the contradictions report the first miscounted sighting in that order, so another order of
// equal pairs would blame another op.
import { describe, expect, it } from 'vitest';
import { stableOrderByTwo } from '../../../sim/check/stable-order.ts';

/** The reference: a stable Array.prototype.sort of the positions with the comparator. */
function reference(first: readonly number[], second: readonly number[]): number[] {
  return first.map((_, j) => j).sort((x, y) => first[x]! - first[y]! || second[x]! - second[y]!);
}

/** A small deterministic generator (a linear congruential one): the same lists every run. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

/** Both ways (an insertion sort first, for lists nearly in order, or not): the same order. */
function order(first: readonly number[], second: readonly number[]): number[] {
  const plain = [...stableOrderByTwo(Float64Array.from(first), Float64Array.from(second))];
  const nearly = [...stableOrderByTwo(Float64Array.from(first), Float64Array.from(second), true)];
  expect(nearly).toEqual(plain);
  return plain;
}

describe('stableOrderByTwo', () => {
  it('orders by the first number, then the second, equal pairs in their positions', () => {
    expect(order([5, 3, 5, 3, 1], [2, 9, 1, 9, 7])).toEqual([4, 1, 3, 2, 0]);
    expect(order([], [])).toEqual([]);
    expect(order([7], [7])).toEqual([0]);
  });

  it('is the comparator sort on many lists with ties (revisions of a bench history, a thousand sightings a key)', () => {
    const next = lcg(14);
    for (let round = 0; round < 200; round++) {
      const n = Math.floor(next() * 1200);
      const span = 1 + Math.floor(next() * 50);
      const first = Array.from({ length: n }, () => 1 + Math.floor(next() * span));
      const second = first.map((m) => m + Math.floor(next() * 4));
      expect(order(first, second)).toEqual(reference(first, second));
    }
  });

  it('falls back to the comparator where the one-double key would not be exact (huge, negative or fractional numbers)', () => {
    const cases: [number[], number[]][] = [
      [[2 ** 40, 3, 2 ** 40, 1], [2 ** 20, 5, 2 ** 20 - 1, 5]],
      [[-1, 4, -1, 0], [3, 2, 1, 2]],
      [[1.5, 1, 1.5, 1.25], [0, 0, 0, 0]],
      [[Number.MAX_SAFE_INTEGER, 1, Number.MAX_SAFE_INTEGER], [1, 0, 0]],
    ];
    for (const [first, second] of cases) expect(order(first, second)).toEqual(reference(first, second));
  });
  it('is the comparator sort on lists already in order or nearly so (sightings and events come so): ties, one swap, NaN, -0', () => {
    const next = lcg(21);
    for (let round = 0; round < 300; round++) {
      const n = Math.floor(next() * 400);
      const first: number[] = [];
      const second: number[] = [];
      for (let j = 0, a = 0, b = 0; j < n; j++) {
        if (next() < 0.6) a += Math.floor(next() * 3);
        b = next() < 0.5 ? b : a + Math.floor(next() * 3);
        first.push(a);
        second.push(b);
      }
      // Every third list has one pair out of order (the fast path must see it), some a huge first number.
      if (round % 3 === 1 && n > 2) {
        const i = Math.floor(next() * (n - 1));
        [first[i], first[i + 1]] = [first[i + 1]!, first[i]!];
        [second[i], second[i + 1]] = [second[i + 1]!, second[i]!];
      }
      if (round % 7 === 2 && n > 0) first[n - 1] = 2 ** 60;
      expect(order(first, second)).toEqual(reference(first, second));
    }
    expect(order([1, 1, 2], [3, 2, 0])).toEqual([1, 0, 2]);
    expect(order([1, 2, 2], [0, 5, 5])).toEqual([0, 1, 2]);
    expect(order([0, -0, 0], [1, 1, 0])).toEqual(reference([0, -0, 0], [1, 1, 0]));
    expect(order([1, NaN, 2], [0, 0, 0])).toEqual(reference([1, NaN, 2], [0, 0, 0]));
    expect(order([1, 2, 3], [0, NaN, 0])).toEqual(reference([1, 2, 3], [0, NaN, 0]));
  });
});
