// fnv1aDecimal and friends fold what fnv1aText folds for the number's String(), without the
// string: the KV hash (src/mvcc/hash.ts) walks every stored change with them, and its value is
// what members compare (hashkv-agreement, convergence) and what HashKV answers.
import { describe, expect, it } from 'vitest';
import { FNV1A_OFFSET, fnv1aCode, fnv1aDecimal, fnv1aField, fnv1aFieldEnd, fnv1aText } from '../../../src/hash/fnv1a.ts';
import { MvccStore } from '../../../src/mvcc/store.ts';
import { hashKv } from '../../../src/mvcc/hash.ts';

/** hashKv of the store below, from main 316e9fe (the fields built as strings, then folded). */
const PINNED = 1383398183;
const PINNED_AT_25 = 2553134072;

describe('fnv1aDecimal', () => {
  it('folds the digits of String(n), for integers and anything else alike', () => {
    const values = [0, 1, 9, 10, 99, 100, 12345, 2 ** 31, 2 ** 32 + 7, 1e16 - 2, 999_999_999_999_999, 1e16, 2 ** 53 - 1, -1, -120, 1.5, 1e21, Number.NaN, Infinity];
    for (const h of [FNV1A_OFFSET, 0, -5, 0x7fffffff]) {
      for (const n of values) expect(fnv1aDecimal(h, n)).toBe(fnv1aText(h, String(n)));
    }
  });

  it('fnv1aCode and fnv1aFieldEnd are fnv1aText of one character and fnv1aField', () => {
    expect(fnv1aCode(FNV1A_OFFSET, 0x2e) | 0).toBe(fnv1aText(FNV1A_OFFSET, '.'));
    expect(fnv1aFieldEnd(fnv1aText(FNV1A_OFFSET, 'ab'))).toBe(fnv1aField(FNV1A_OFFSET, 'ab'));
  });

  it("leaves the KV hash as it was (the value the strings' fold gave, 2026-12-07)", () => {
    const s = new MvccStore();
    for (let i = 0; i < 30; i++) {
      const t = s.write();
      t.put(`k${i % 7}`, `v${i}`, i % 5 === 0 ? 7_000_000_000_000_000_001n : 0n);
      if (i % 4 === 3) t.deleteRange(`k${(i + 2) % 7}`, undefined);
      t.end();
    }
    s.compact(20);
    expect(hashKv(s).hash).toBe(PINNED);
    expect(hashKv(s, 25).hash).toBe(PINNED_AT_25);
  });
});
