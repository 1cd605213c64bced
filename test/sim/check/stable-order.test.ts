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

function order(first: readonly number[], second: readonly number[]): number[] {
  return [...stableOrderByTwo(Float64Array.from(first), Float64Array.from(second))];
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
});
