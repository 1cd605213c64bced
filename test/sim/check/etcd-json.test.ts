// The gateway-JSON readers the etcd model calls at every step, against the plain rules they
// replace: int64 fields by /^-?\d+$/ (ASCII digits only), base64 by atob/btoa, memoized or not.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeKey, encodeKey, id64, int } from '../../../sim/check/models/etcd/json.ts';
import { fcParams } from '../../property-seed.ts';

function plainInt(v: unknown): number | 'throws' {
  if (v === undefined || v === null || v === '') return 0;
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && /^-?\d+$/.test(v)) return Number(v);
  return 'throws';
}

const attempt = <T>(f: () => T): T | 'throws' => {
  try {
    return f();
  } catch {
    return 'throws';
  }
};

describe('etcd model JSON readers', () => {
  it('int and id64 accept exactly an optional minus and ASCII digits', () => {
    const text = fc.stringMatching(/^-?[-0-9a٣ +.]{0,6}$/);
    fc.assert(
      fc.property(fc.oneof(text, fc.integer(), fc.constant(undefined), fc.constant(null), fc.boolean()), (v) => {
        expect(attempt(() => int(v))).toEqual(plainInt(v));
        expect(attempt(() => id64(v)) === 'throws').toBe(typeof v === 'string' ? v !== '' && !/^-?\d+$/.test(v) : typeof v === 'boolean' || (typeof v === 'number' && !Number.isSafeInteger(v)));
      }),
      fcParams(1000),
    );
    for (const bad of ['-', '--1', '1-', ' 1', '1.0', '٣', '+1']) expect(() => int(bad)).toThrow(/expected an int64/);
    expect(int('-12')).toBe(-12);
    expect(id64('18446744073709551615')).toBe('18446744073709551615');
  });

  it('decodeKey and encodeKey equal atob and btoa, the first time and from the memo', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary-ascii', maxLength: 300 }), (bytes) => {
        const b64 = btoa(bytes);
        for (let i = 0; i < 2; i++) {
          expect(encodeKey(bytes)).toBe(b64);
          expect(decodeKey(b64)).toBe(atob(b64));
        }
      }),
      fcParams(500),
    );
    expect(decodeKey(undefined)).toBe('');
    expect(() => decodeKey('not base64!')).toThrow();
    expect(() => decodeKey('not base64!')).toThrow();
    expect(() => decodeKey(7)).toThrow(/expected base64 bytes/);
  });
});
