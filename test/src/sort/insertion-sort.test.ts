// The one small sort (src/sort/insertion-sort.ts) that raft's quorum and tracker and the etcd
// model's canonical JSON share: the order Array.prototype.sort gives (numbers by value, strings by
// UTF-16 code unit), in place.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { insertionSort } from '../../../src/sort/insertion-sort.ts';

describe('insertionSort', () => {
  it('sorts numbers by value, in place, as sort((a, b) => a - b) does', () => {
    fc.assert(fc.property(fc.array(fc.integer()), (xs) => {
      const copy = [...xs];
      const out = insertionSort(copy);
      expect(out).toBe(copy);
      expect(out).toEqual([...xs].sort((a, b) => a - b));
    }), { seed: 15, numRuns: 200 });
  });

  it('sorts strings by UTF-16 code unit, as sort() does (never by locale)', () => {
    fc.assert(fc.property(fc.array(fc.string({ unit: 'binary' })), (xs) => {
      expect(insertionSort([...xs])).toEqual([...xs].sort());
    }), { seed: 15, numRuns: 200 });
    expect(insertionSort(['b', 'B', 'a', '__proto__', '10', '9'])).toEqual(['10', '9', 'B', '__proto__', 'a', 'b']);
  });
});
