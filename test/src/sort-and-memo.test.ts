// The one binary search (src/sort/lower-bound.ts) against a linear scan, and the bounded memo
// (src/memo/bounded-memo.ts): the same answers as the function, and memory that stays bounded.
import { describe, expect, it } from 'vitest';
import { BoundedMemo } from '../../src/memo/bounded-memo.ts';
import { lowerBound, lowerBoundBy } from '../../src/sort/lower-bound.ts';

describe('lowerBound', () => {
  it('is the first index whose element is >= x, for numbers and strings, present or not', () => {
    const nums = [1, 3, 3, 5, 9];
    for (let x = 0; x <= 10; x++) {
      const scan = nums.findIndex((n) => n >= x);
      expect(lowerBound(nums, x)).toBe(scan === -1 ? nums.length : scan);
      expect(lowerBoundBy(nums.map((n) => ({ n })), x, (o) => o.n)).toBe(scan === -1 ? nums.length : scan);
    }
    expect(lowerBound(['a', 'c', 'e'], 'b')).toBe(1);
    expect(lowerBound(['a', 'c', 'e'], 'f')).toBe(3);
    expect(lowerBound([], 1)).toBe(0);
  });
});

describe('BoundedMemo', () => {
  it('answers as the function does, computes a short text once, and never holds more than its bound', () => {
    let calls = 0;
    const memo = new BoundedMemo((t: string) => {
      calls++;
      return t.length;
    });
    expect(memo.get('abc')).toBe(3);
    expect(memo.get('abc')).toBe(3);
    expect(calls).toBe(1);
    const long = 'x'.repeat(1000);
    expect(memo.get(long)).toBe(1000);
    expect(memo.get(long)).toBe(1000);
    expect(calls).toBe(3);
    for (let i = 0; i < 10_000; i++) expect(memo.get(`k${i}`)).toBe(`k${i}`.length);
    expect((memo as unknown as { done: Map<string, number> }).done.size).toBeLessThanOrEqual(4096);
  });
});
