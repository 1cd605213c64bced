// withFields gives what `{ ...base, ...fields }` gives: the same keys in the same order, the
// same values, a plain prototype, and a new object (neither argument changes), __proto__ too.
import { describe, expect, it } from 'vitest';
import { withFields } from '../../../src/object/with-fields.ts';

describe('withFields', () => {
  it('equals the spread: keys in order, replaced fields in place, new fields last', () => {
    const base = { a: 1, b: 'x', c: undefined, 2: 'two', 1: 'one' };
    const fields = { b: 'y', d: [1], 0: 'zero' };
    const got = withFields(base, fields);
    const spread = { ...base, ...fields };
    expect(Object.keys(got)).toEqual(Object.keys(spread));
    expect(got).toStrictEqual(spread);
    expect(Object.getPrototypeOf(got)).toBe(Object.prototype);
    expect(got.d).toBe(fields.d);
  });

  it('builds a new object and changes neither argument', () => {
    const base = Object.freeze({ a: 1 });
    const fields = Object.freeze({ b: 2 });
    const got = withFields(base, fields);
    expect(got).not.toBe(base);
    expect(got).toEqual({ a: 1, b: 2 });
    expect(base).toEqual({ a: 1 });
    expect(Object.isFrozen(got)).toBe(false);
  });

  it('keeps a parsed __proto__ field a field, as the spread does', () => {
    const base = JSON.parse('{"__proto__": {"polluted": true}, "a": 1}') as Record<string, unknown>;
    const got = withFields(base, { b: 2 });
    expect(Object.getPrototypeOf(got)).toBe(Object.prototype);
    expect(Object.keys(got)).toEqual(['__proto__', 'a', 'b']);
    expect((got as { polluted?: boolean }).polluted).toBeUndefined();
  });

  it('copies own enumerable fields only, like the spread', () => {
    class WithGetter { own = 1; get derived(): number { return 2; } }
    const got = withFields(new WithGetter(), { x: 3 });
    expect(got).toStrictEqual({ own: 1, x: 3 });
    expect(Object.keys(got)).toEqual(Object.keys({ ...new WithGetter(), x: 3 }));
  });
});
