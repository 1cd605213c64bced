// jsonTextLength is JSON.stringify(x).length without the text: checked against JSON.stringify
// on arbitrary JSON values (with escapes, lone surrogates, nested arrays and objects) and on the
// edge cases, and its early stop answers "above the limit" without walking the rest.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonTextLength } from '../../../src/api/json-length.ts';

describe('jsonTextLength', () => {
  it('equals JSON.stringify(x).length for arbitrary JSON values (seed 14)', () => {
    const value = fc.jsonValue({ maxDepth: 4 });
    const withOddStrings = fc.oneof(value, fc.string({ unit: 'binary' }), fc.dictionary(fc.string({ unit: 'binary' }), value));
    fc.assert(fc.property(withOddStrings, (x) => jsonTextLength(x) === JSON.stringify(x).length), { seed: 14, numRuns: 400 });
  });

  it('matches JSON.stringify on escapes, surrogates, undefined fields, non-finite numbers and null bodies', () => {
    const cases: unknown[] = [
      null, undefined, 0, -0, 1e21, NaN, Infinity, true, false, '', '"\\\b\f\n\r\t\u0001\u001f', '\ud800', '\udc00x', '\ud83d\ude00',
      { a: undefined, b: 1, c: () => 1, 1: 'x' }, [undefined, () => 1, null], { nested: [{ k: ['v', 2, { z: null }] }] },
      { date: new Date(0) }, Object.create(null) as object,
    ];
    for (const x of cases) expect(jsonTextLength(x), String(JSON.stringify(x))).toBe(JSON.stringify(x ?? null).length);
  });

  it('stops early above the limit with a number above it, and is exact at the limit', () => {
    const big = { key: 'x'.repeat(1000), more: Array.from({ length: 1000 }, () => 'y'.repeat(100)) };
    expect(jsonTextLength(big, 500)).toBeGreaterThan(500);
    const exact = JSON.stringify(big).length;
    expect(jsonTextLength(big, exact)).toBe(exact);
    expect(jsonTextLength(big, exact - 1)).toBeGreaterThan(exact - 1);
  });
});
