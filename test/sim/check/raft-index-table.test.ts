// The Raft observer's table by raft index: what was set is read back, whatever index it starts at.
import { describe, expect, it } from 'vitest';
import { IndexTable, TermTable } from '../../../sim/check/raft-index-table.ts';

describe('IndexTable and TermTable', () => {
  it('reads back what was set from a first index far from 1, and nothing elsewhere', () => {
    const t = new IndexTable<{ data: string }>();
    const a = { data: 'a' };
    const c = { data: 'c' };
    expect(t.get(1)).toBeUndefined();
    t.set(5001, a);
    t.set(5003, c);
    expect([t.get(5000), t.get(5001), t.get(5002), t.get(5003), t.get(5004), t.get(1)]).toEqual([undefined, a, undefined, c, undefined, undefined]);
  });

  it('an index below every one set so far moves nothing already there (a random mix against a Map)', () => {
    const t = new TermTable();
    const ref = new Map<number, number>();
    let x = 7;
    for (let k = 0; k < 2000; k++) {
      x = (x * 1103515245 + 12345) % 2147483648;
      const i = 100 + (x % 900);
      t.set(i, k);
      ref.set(i, k);
    }
    for (let i = 0; i < 1200; i++) expect(t.get(i)).toBe(ref.get(i));
  });
});
