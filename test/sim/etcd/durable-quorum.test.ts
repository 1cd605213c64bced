// applied-durable-majority's rule: an applied entry is safe exactly when no quorum of the
// configuration can be formed without a durable holder.
import { describe, expect, it } from 'vitest';
import { quorumWithoutHolder } from '../../../sim/etcd/durable-quorum.ts';

const name = (id: number): string => `n${id}`;
const holding = (...ids: number[]) => (id: number): boolean => ids.includes(id);

describe('quorumWithoutHolder', () => {
  it('needs a majority of an odd configuration', () => {
    expect(quorumWithoutHolder([1, 2, 3], [], holding(1, 2), name)).toBeUndefined();
    expect(quorumWithoutHolder([1, 2, 3], [], holding(3), name)).toBe('1 of 3 voters (n3): a quorum of 2 can be formed without it');
    expect(quorumWithoutHolder([1, 2, 3, 4, 5], [], holding(1, 2, 3), name)).toBeUndefined();
    expect(quorumWithoutHolder([1, 2, 3, 4, 5], [], holding(1, 2), name)).toBe('2 of 5 voters (n1, n2): a quorum of 3 can be formed without it');
    expect(quorumWithoutHolder([1], [], holding(), name)).toBe('0 of 1 voters (none): a quorum of 1 can be formed without it');
  });

  it('needs half of an even configuration: committed by {n1, n2} before n1\'s removal applied, held by n2 of {n2, n3}', () => {
    // Every quorum of {n2, n3} is {n2, n3}: n2 refuses a candidate without the entry.
    expect(quorumWithoutHolder([2, 3], [], holding(1, 2), name)).toBeUndefined();
    expect(quorumWithoutHolder([2, 3], [], holding(1), name)).toBe('0 of 2 voters (none): a quorum of 2 can be formed without it');
    expect(quorumWithoutHolder([1, 2, 3, 4], [], holding(1, 2), name)).toBeUndefined();
    expect(quorumWithoutHolder([1, 2, 3, 4], [], holding(4), name)).toBe('1 of 4 voters (n4): a quorum of 3 can be formed without it');
  });

  it('accepts a joint configuration when either half is covered, and names both halves when neither is', () => {
    // A joint quorum is a majority of each half: it contains a holder when either half's majorities all do.
    expect(quorumWithoutHolder([1, 4, 5], [1, 2, 3], holding(2, 3), name)).toBeUndefined();
    expect(quorumWithoutHolder([1, 4, 5], [1, 2, 3], holding(4, 5), name)).toBeUndefined();
    expect(quorumWithoutHolder([1, 4, 5], [1, 2, 3], holding(3, 5), name)).toBe(
      '1 of 3 voters (n5): a quorum of 2 can be formed without it; outgoing 1 of 3 voters (n3): a quorum of 2 can be formed without it',
    );
  });

  it('has nothing to lose without voters', () => {
    expect(quorumWithoutHolder([], [], holding(), name)).toBeUndefined();
  });
});
