import { describe, expect, it } from 'vitest';
import { count, grouped, plural } from '../../../sim/text/count.ts';
import { checkConvergence } from '../../../sim/check/convergence.ts';

describe('counts in plain English, never "member(s)"', () => {
  it('is singular for exactly one and plural otherwise', () => {
    expect(count(1, 'member')).toBe('1 member');
    expect(count(3, 'member')).toBe('3 members');
    expect(count(0, 'lease')).toBe('0 leases');
  });

  it('spells the plurals of the nouns detcd counts', () => {
    expect(plural('watch')).toBe('watches');
    expect(plural('reply')).toBe('replies');
    expect(plural('key')).toBe('keys');
    expect(plural('leader change')).toBe('leader changes');
    expect(plural('status')).toBe('statuses');
  });

  it('is what the checker summaries say', () => {
    const one = checkConvergence([{ node: 'n1', revision: 7, compactRevision: -1, hash: 9 }]).summary;
    expect(one).toBe('1 member agrees: revision 7, no compaction, hash 9');
  });
});

describe('grouped', () => {
  it('groups a whole number by thousands with commas, whatever the host locale', () => {
    expect([0, 999, 1000, 143964, 1234567].map(grouped)).toEqual(['0', '999', '1,000', '143,964', '1,234,567']);
  });
});
