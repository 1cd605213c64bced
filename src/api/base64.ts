// Standard base64 with padding (Go's base64.StdEncoding, which the gateway uses for bytes), over
// binary strings (src/mvcc/key.ts). Pure, without Buffer or atob.
import { BoundedMemo } from '../memo/bounded-memo.ts';
import type { Bytes } from '../mvcc/key.ts';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DECODE = new Int16Array(256).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) DECODE[ALPHABET.charCodeAt(i)] = i;

// Encodings and decodings already done, by their input: the same keys and values cross the
// codec again and again (every read answers the same few keys). Pure functions of the text, so
// a shared memo cannot couple members.
const ENCODED = new BoundedMemo(encode);
const DECODED = new BoundedMemo((text) => Object.freeze(decode(text)));

export function base64Encode(s: Bytes): string {
  return ENCODED.get(s);
}

/**
 * base64Encode without the memo, for bytes seen once (a workload's unique put values): the memo
 * would only miss on them, hashing each and filling up with them.
 */
export function base64EncodeOnce(s: Bytes): string {
  return encode(s);
}

function encode(s: Bytes): string {
  let out = '';
  let i = 0;
  for (; i + 2 < s.length; i += 3) {
    const n = (s.charCodeAt(i) << 16) | (s.charCodeAt(i + 1) << 8) | s.charCodeAt(i + 2);
    out += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]! + ALPHABET[(n >> 6) & 63]! + ALPHABET[n & 63]!;
  }
  const rest = s.length - i;
  if (rest === 1) {
    const n = s.charCodeAt(i) << 16;
    out += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]! + '==';
  } else if (rest === 2) {
    const n = (s.charCodeAt(i) << 16) | (s.charCodeAt(i + 1) << 8);
    out += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]! + ALPHABET[(n >> 6) & 63]! + '=';
  }
  return out;
}

/** Decodes; on bad input returns Go's error text "illegal base64 data at input byte N". */
export function base64Decode(text: string): { readonly ok: true; readonly bytes: Bytes } | { readonly ok: false; readonly error: string } {
  return DECODED.get(text);
}

function decode(text: string): { ok: true; bytes: Bytes } | { ok: false; error: string } {
  const bytes = decodeWellFormed(text);
  return bytes !== undefined ? { ok: true, bytes } : base64DecodeCareful(text);
}

/**
 * The bytes of padded base64 text of whole quanta, only alphabet characters before the padding
 * (what every encoder writes): without the careful walk's array per quantum. Undefined for
 * anything else, which the careful walk decodes or names the error of. The bytes go to an array
 * first and become one string at the end: a string grown three characters at a time left a
 * rope of short strings per value as garbage (20 KB for a 1 KiB value, most of serve's
 * allocation under `etcdctl check datascale`).
 */
function decodeWellFormed(text: string): Bytes | undefined {
  const n = text.length;
  if (n % 4 !== 0) return undefined;
  const pad = n === 0 || text.charCodeAt(n - 1) !== 61 ? 0 : text.charCodeAt(n - 2) === 61 ? 2 : 1;
  const whole = pad === 0 ? n : n - 4;
  const out = new Uint8Array((whole / 4) * 3 + (pad === 0 ? 0 : 3 - pad));
  let o = 0;
  for (let i = 0; i < whole; i += 4) {
    const a = sextet(text, i), b = sextet(text, i + 1), c = sextet(text, i + 2), d = sextet(text, i + 3);
    if ((a | b | c | d) < 0) return undefined;
    const v = (a << 18) | (b << 12) | (c << 6) | d;
    out[o++] = v >> 16;
    out[o++] = (v >> 8) & 255;
    out[o++] = v & 255;
  }
  if (pad !== 0) {
    const a = sextet(text, whole), b = sextet(text, whole + 1), c = pad === 1 ? sextet(text, whole + 2) : 0;
    if ((a | b | c) < 0) return undefined;
    const v = (a << 18) | (b << 12) | (c << 6);
    out[o++] = v >> 16;
    if (pad === 1) out[o++] = (v >> 8) & 255;
  }
  return binaryString(out);
}

/** Characters per String.fromCharCode call: far inside every engine's bound on arguments. */
const CHARS_PER_CALL = 4096;

/** The bytes as a binary string (one char per byte); apply, as a spread of a typed array is 8x slower in V8. */
function binaryString(bytes: Uint8Array): Bytes {
  const chars = bytes as unknown as number[];
  if (bytes.length <= CHARS_PER_CALL) return String.fromCharCode.apply(null, chars);
  let out = '';
  for (let i = 0; i < bytes.length; i += CHARS_PER_CALL) out += String.fromCharCode.apply(null, bytes.subarray(i, i + CHARS_PER_CALL) as unknown as number[]);
  return out;
}

function sextet(text: string, i: number): number {
  const c = text.charCodeAt(i);
  return c < 256 ? DECODE[c]! : -1;
}

/** Go's decoder, character by character, with its error positions (exported for tests). */
export function base64DecodeCareful(text: string): { ok: true; bytes: Bytes } | { ok: false; error: string } {
  // Go skips \r and \n anywhere in the input.
  const src = text.includes('\n') || text.includes('\r') ? text.replace(/[\r\n]/g, '') : text;
  const fail = (at: number) => ({ ok: false as const, error: `illegal base64 data at input byte ${at}` });
  let out = '';
  let si = 0;
  while (si < src.length) {
    const quantum: number[] = [];
    let j = 0;
    for (; j < 4; j++) {
      if (si === src.length) {
        if (j === 0) return { ok: true, bytes: out };
        return fail(si - j);
      }
      const c = src.charCodeAt(si);
      si++;
      if (c === 61 /* = */) {
        // Padding: only in the last quantum, at position 2 or 3.
        if (j < 2) return fail(si - 1);
        if (j === 2) {
          if (si === src.length) return fail(src.length);
          if (src.charCodeAt(si) !== 61) return fail(si - 1);
          si++;
        }
        if (si < src.length) return fail(si);
        break;
      }
      const d = c < 256 ? DECODE[c]! : -1;
      if (d < 0) return fail(si - 1);
      quantum.push(d);
    }
    const n = ((quantum[0] ?? 0) << 18) | ((quantum[1] ?? 0) << 12) | ((quantum[2] ?? 0) << 6) | (quantum[3] ?? 0);
    out += String.fromCharCode(n >> 16);
    if (quantum.length > 2) out += String.fromCharCode((n >> 8) & 255);
    if (quantum.length > 3) out += String.fromCharCode(n & 255);
  }
  return { ok: true, bytes: out };
}
