// The etcd model's canonical form (zero fields dropped, keys sorted, nested headers reduced) is
// what responses are compared by: pinned against a direct statement of its rules on random JSON.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonical, canonicalIsZero, canonicalText, sameCanonical } from '../../../sim/check/models/etcd/json.ts';
import type { Json } from '../../../sim/check/models/etcd/json.ts';
import { fcParams } from '../../property-seed.ts';

/** The rules, written plainly (no fast paths): the reference the model's canonical must equal. */
function reference(v: unknown, top = true): Json {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (Array.isArray(v)) return v.map((x) => reference(x, false));
  const zero = (x: Json): boolean => x === null || x === false || x === '' || x === '0' || (Array.isArray(x) && x.length === 0) || (typeof x === 'object' && !Array.isArray(x) && Object.keys(x).length === 0);
  const out: { [k: string]: Json } = {};
  for (const k of Object.keys(v).sort()) {
    let x: Json;
    if (k === 'header') {
      if (!top) continue;
      x = reference({ revision: (v as { header?: { revision?: unknown } }).header?.revision }, false);
    } else x = reference((v as Record<string, unknown>)[k], false);
    if (!zero(x)) Object.defineProperty(out, k, { value: x, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

const KEYS = ['header', 'revision', 'kvs', 'count', 'more', 'key', 'value', 'a', 'B', '__proto__', '10', '2', 'é', '', '0', '01', '-1', '4294967294', '4294967295'];
const json = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, fc.constant(null), fc.boolean(), fc.integer({ min: -3, max: 3 }), fc.constantFrom('', '0', 'x', '12'), tie('array'), tie('object')),
  array: fc.array(tie('value'), { maxLength: 3 }),
  object: fc.array(fc.tuple(fc.constantFrom(...KEYS), tie('value')), { maxLength: 5 }).map((pairs) => {
    const o: Record<string, unknown> = {};
    for (const [k, x] of pairs) Object.defineProperty(o, k, { value: x, enumerable: true, writable: true, configurable: true });
    return o;
  }),
})).value;

describe('etcd model canonical form', () => {
  it('equals the plainly written rules on random JSON (keys sorted, zeros dropped, __proto__ kept as a key)', () => {
    fc.assert(fc.property(json, (v) => {
      expect(JSON.stringify(canonical(v))).toBe(JSON.stringify(reference(v)));
      expect(canonicalText(v)).toBe(JSON.stringify(reference(v)));
    }), fcParams(2000));
  });

  it('keeps only a top-level header revision, drops zero fields and sorts keys', () => {
    const r = canonical({ header: { revision: '7', member_id: '1' }, kvs: [{ key: 'YQ==', create_revision: '2', lease: '0', header: { revision: '3' } }], count: '1', more: false });
    expect(JSON.stringify(r)).toBe('{"count":"1","header":{"revision":"7"},"kvs":[{"create_revision":"2","key":"YQ=="}]}');
    expect(JSON.stringify(canonical({ header: { revision: '0' }, b: 1, a: 0 }))).toBe('{"b":"1"}');
  });
});

/**
 * A copy of `v` changed at random (the `next` numbers decide where and how): mostly in ways
 * canonical form does not see (a number as its decimal text, a zero field added or dropped, a
 * nested header, the top header's other fields), sometimes in a way it does.
 */
function variant(v: unknown, next: () => number, top = true): unknown {
  const r = next();
  if (r < 0.04) return 'changed';
  if (typeof v === 'number') return r < 0.5 ? String(v) : v;
  if (typeof v === 'string' && /^-?[0-9]$/.test(v) && r < 0.3) return Number(v);
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) {
    const out = v.map((x) => variant(x, next, false));
    if (r < 0.06) out.push(null);
    return out;
  }
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v)) {
    const x = (v as Record<string, unknown>)[k];
    if (canonicalIsZero(x) && next() < 0.3) continue;
    const y = k === 'header' && top && next() < 0.3 && typeof x === 'object' && x !== null ? { ...x, member_id: '5' } : variant(x, next, false);
    Object.defineProperty(out, k, { value: y, enumerable: true, writable: true, configurable: true });
  }
  const extra = next();
  if (extra < 0.15) out['zero'] = [null, '', '0', 0, false, [], {}][Math.floor(extra * 46)];
  else if (extra < 0.2 && !top) out['header'] = { revision: '9' };
  else if (extra < 0.23) out['extra'] = 'x';
  return out;
}

describe('canonical comparison without building the form (sameCanonical)', () => {
  it('agrees with comparing canonical texts on random JSON and variants of it', () => {
    let same = 0;
    let different = 0;
    fc.assert(
      fc.property(json, json, fc.integer({ min: 1, max: 2 ** 31 - 2 }), fc.boolean(), (a, other, seed, independent) => {
        let x = seed;
        const next = (): number => {
          x = (x * 48271) % 2147483647;
          return x / 2147483647;
        };
        const b = independent ? other : variant(a, next);
        const byText = canonicalText(a) === canonicalText(b);
        expect(sameCanonical(a, b)).toBe(byText);
        expect(sameCanonical(b, a)).toBe(byText);
        expect(sameCanonical(a, b, false)).toBe(JSON.stringify(canonical(a, false)) === JSON.stringify(canonical(b, false)));
        expect(canonicalIsZero(a)).toBe(isZeroText(canonical(a, false)));
        expect(canonicalIsZero(a, true)).toBe(isZeroText(canonical(a, true)));
        if (byText) same++;
        else different++;
      }),
      fcParams(4000),
    );
    expect(same).toBeGreaterThan(1000);
    expect(different).toBeGreaterThan(1000);
  });

  it('says a whole answer is zero only when canonical form leaves nothing of it', () => {
    expect(canonicalIsZero({ header: { revision: '3' } }, true)).toBe(false);
    expect(canonicalIsZero({ header: { revision: '3' } }, false)).toBe(true);
    expect(canonicalIsZero({ a: [null] })).toBe(false);
    expect(canonicalIsZero({ a: { b: 0, c: '' } })).toBe(true);
    expect(sameCanonical({ count: 2, header: { revision: 4, member_id: '1' } }, { header: { revision: '4' }, count: '2', more: false })).toBe(true);
    expect(sameCanonical({ responses: [{ response_put: {} }] }, { responses: [{ response_delete_range: { deleted: '0' } }] })).toBe(true);
    expect(sameCanonical({ responses: [{}] }, { responses: [null] })).toBe(false);
    expect(sameCanonical({ toString: 'x' }, {})).toBe(false);
  });
});

function isZeroText(c: Json): boolean {
  return c === null || c === false || c === '' || c === '0' || (Array.isArray(c) && c.length === 0) || (typeof c === 'object' && !Array.isArray(c) && c !== null && Object.keys(c).length === 0);
}
