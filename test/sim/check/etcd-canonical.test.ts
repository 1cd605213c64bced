// The etcd model's canonical form (zero fields dropped, keys sorted, nested headers reduced) is
// what responses are compared by: pinned against a direct statement of its rules on random JSON.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonical, canonicalText } from '../../../sim/check/models/etcd/json.ts';
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
