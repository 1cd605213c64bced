// FNV-1a, the one string hash of the project (etcd's HashKV, the models' state hashes, the
// harness's logs): 32-bit, integer arithmetic only, so equal inputs hash equally in any process.

export const FNV1A_OFFSET = 0x811c9dc5;
export const FNV1A_PRIME = 0x01000193;

/** Folds every UTF-16 code unit of `text` into `h`; returns a signed 32-bit integer. */
export function fnv1aText(h: number, text: string): number {
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), FNV1A_PRIME);
  return h | 0;
}

/**
 * Folds `text` and then a separator, so that the sequences ("ab", "c") and ("a", "bc") hash
 * differently; returns a signed 32-bit integer.
 */
export function fnv1aField(h: number, text: string): number {
  return Math.imul(fnv1aText(h, text) ^ 0xff, FNV1A_PRIME);
}

/** Decimal digits of a number, least significant first, for fnv1aDecimal (no string per number). */
const DIGITS = new Uint8Array(16);

/**
 * fnv1aText(h, String(n)) without making the string: a non-negative integer below 10^16 folds
 * its decimal digits, anything else its String().
 */
export function fnv1aDecimal(h: number, n: number): number {
  if (!(n >= 0 && n < 1e16 && Number.isInteger(n))) return fnv1aText(h, String(n));
  let count = 0;
  do {
    const d = n % 10;
    DIGITS[count++] = d;
    n = (n - d) / 10;
  } while (n > 0);
  while (count > 0) h = Math.imul(h ^ (48 + (DIGITS[--count] as number)), FNV1A_PRIME);
  return h | 0;
}

/** fnv1aText(h, String.fromCharCode(code)). */
export function fnv1aCode(h: number, code: number): number {
  return Math.imul(h ^ code, FNV1A_PRIME);
}

/** The separator fnv1aField folds after its text: fnv1aField(h, t) = fnv1aFieldEnd(fnv1aText(h, t)). */
export function fnv1aFieldEnd(h: number): number {
  return Math.imul(h ^ 0xff, FNV1A_PRIME);
}
