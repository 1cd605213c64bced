// The length of JSON.stringify(value) without building the text: the size bound a member puts
// on a request body before it decodes it. Exact for what a client sends (plain objects, arrays,
// strings, numbers, booleans, null); anything else (a toJSON, a class instance, a bigint) is
// measured by JSON.stringify itself, so the answer is always the text's length.

/** Characters JSON.stringify writes for a string beyond its code units: escapes and lone surrogates. */
// eslint-disable-next-line no-control-regex -- the characters JSON.stringify escapes are control characters
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** JSON.stringify(s).length, without the text. */
export function jsonStringLength(s: string): number {
  if (!NEEDS_ESCAPE.test(s)) return s.length + 2;
  let n = 2;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x22 || c === 0x5c || c === 0x08 || c === 0x0c || c === 0x0a || c === 0x0d || c === 0x09) n += 2;
    else if (c < 0x20) n += 6;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && s.charCodeAt(i + 1) >= 0xdc00 && s.charCodeAt(i + 1) <= 0xdfff) {
      n += 2;
      i++;
    } else if (c >= 0xd800 && c <= 0xdfff) n += 6;
    else n += 1;
  }
  return n;
}

function isPlainObject(x: object): boolean {
  const proto = Object.getPrototypeOf(x) as unknown;
  return (proto === Object.prototype || proto === null) && typeof (x as { toJSON?: unknown }).toJSON !== 'function';
}

/** The text length of `x` as a value (undefined: left out, as JSON.stringify leaves it out of an object). */
function valueLength(x: unknown, limit: number): number | undefined {
  switch (typeof x) {
    case 'string': return jsonStringLength(x);
    case 'number': return Number.isFinite(x) ? String(x).length : 4;
    case 'boolean': return x ? 4 : 5;
    case 'undefined':
    case 'function':
    case 'symbol': return undefined;
    case 'bigint': return JSON.stringify(x).length;
    case 'object': break;
  }
  if (x === null) return 4;
  if (Array.isArray(x)) {
    let n = 1 + Math.max(0, x.length - 1) + 1;
    for (let i = 0; i < x.length && n <= limit; i++) n += valueLength(x[i], limit - n) ?? 4;
    return n;
  }
  if (!isPlainObject(x)) return JSON.stringify(x).length;
  let n = 2;
  let fields = 0;
  for (const key in x) {
    if (!Object.prototype.hasOwnProperty.call(x, key)) continue;
    const v = valueLength((x as Record<string, unknown>)[key], limit - n);
    if (v === undefined) continue;
    n += (fields++ > 0 ? 1 : 0) + jsonStringLength(key) + 1 + v;
    if (n > limit) return n;
  }
  return n;
}

/**
 * JSON.stringify(x ?? null).length, computed without the text; once the count passes `limit`
 * it stops early and returns some number above `limit`.
 */
export function jsonTextLength(x: unknown, limit = Number.MAX_SAFE_INTEGER): number {
  return valueLength(x ?? null, limit) ?? 0;
}
