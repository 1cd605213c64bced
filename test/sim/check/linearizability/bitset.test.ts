// The linearized set against a plain Set: membership, count, the sorted list of infinite-return
// ops (kept with an undo stack for last-in-first-out clears, rebuilt for any other order), and
// the hash, which depends on the members only, not on the order they came in.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LinearizedSet } from '../../../../sim/check/linearizability/bitset.ts';
import { fcParams } from '../../../property-seed.ts';

const SIZE = 70;
const FINITE = 40;

/** Applies toggles (set when absent, clear when present) to both and compares them after each. */
function replay(toggles: readonly number[]): void {
  const set = new LinearizedSet(SIZE, FINITE);
  const plain = new Set<number>();
  for (const id of toggles) {
    if (plain.has(id)) {
      plain.delete(id);
      set.clear(id);
    } else {
      plain.add(id);
      set.set(id);
    }
    expect(set.count).toBe(plain.size);
    expect(set.infinite).toEqual([...plain].filter((x) => x >= FINITE).sort((a, b) => a - b));
    for (let i = 0; i < SIZE; i++) expect(set.has(i)).toBe(plain.has(i));
  }
  const fresh = new LinearizedSet(SIZE, FINITE);
  for (const id of [...plain].sort((a, b) => b - a)) fresh.set(id);
  expect(set.hash()).toBe(fresh.hash());
  expect(set.sameInfinite(fresh.infinite)).toBe(true);
}

describe('LinearizedSet', () => {
  it('matches a plain set under any order of sets and clears', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: SIZE - 1 }), { maxLength: 200 }), (toggles) => replay(toggles)),
      fcParams(300),
    );
  });

  it('gives back the very list from before an infinite-return op on its last-in-first-out clear', () => {
    const set = new LinearizedSet(SIZE, FINITE);
    set.set(50);
    const before = set.infinite;
    set.set(45);
    set.set(3);
    expect(set.infinite).toEqual([45, 50]);
    set.clear(3);
    set.clear(45);
    expect(set.infinite).toBe(before);
    expect(set.infinite).toEqual([50]);
  });

  it('rebuilds the list when an infinite-return op is cleared out of order, and stays right after', () => {
    const set = new LinearizedSet(SIZE, FINITE);
    set.set(60);
    set.set(41);
    set.set(55);
    set.clear(41);
    expect(set.infinite).toEqual([55, 60]);
    set.clear(55);
    expect(set.infinite).toEqual([60]);
    set.set(69);
    set.clear(69);
    expect(set.infinite).toEqual([60]);
  });
});
