import { describe, expect, it } from 'vitest';
import { packedMap } from '../../../sim/check/packed-map.ts';

describe('packedMap', () => {
  it('gives what Array.prototype.map gives: each element through f with its index, in order, in a new array', () => {
    const xs = [3, 1, 4, 1, 5];
    const seen: [number, number][] = [];
    const out = packedMap(xs, (x, i) => {
      seen.push([x, i]);
      return `${x}@${i}`;
    });
    expect(out).toEqual(xs.map((x, i) => `${x}@${i}`));
    expect(seen).toEqual(xs.map((x, i) => [x, i]));
    expect(out).not.toBe(xs);
    expect(xs).toEqual([3, 1, 4, 1, 5]);
  });

  it('maps an empty array to a new empty array', () => {
    const xs: number[] = [];
    const out = packedMap(xs, (x) => x + 1);
    expect(out).toEqual([]);
    expect(out).not.toBe(xs);
  });
});
