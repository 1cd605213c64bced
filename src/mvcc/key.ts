// Keys and values are byte strings. They are represented as "binary strings": JS strings whose
// every char code is one byte (0..255), the latin1 view of the raw bytes. JS compares strings by
// UTF-16 code unit, which for such strings is exactly etcd's byte-by-byte comparison
// (bytes.Compare), and Map/Set lookups and slicing stay native and fast. Conversions to and
// from Uint8Array and base64 (the wire form) live here.

/** A key or value: one char per byte, every char code in 0..255. */
export type Bytes = string;

/** etcd's bytes.Compare: negative, zero or positive. */
export function compareBytes(a: Bytes, b: Bytes): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** True when every char of `s` is a byte (char code < 256). */
export function isBytes(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) > 0xff) return false;
  }
  return true;
}

export function bytesFromUint8Array(a: Uint8Array): Bytes {
  let s = '';
  // Chunked so that String.fromCharCode never sees too many arguments.
  const chunk = 0x2000;
  for (let i = 0; i < a.length; i += chunk) {
    s += String.fromCharCode(...a.subarray(i, Math.min(a.length, i + chunk)));
  }
  return s;
}

export function bytesToUint8Array(s: Bytes): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i) & 0xff;
  return out;
}

/** UTF-8 text to bytes (for tests and human-readable keys). */
export function bytesFromText(text: string): Bytes {
  const out: number[] = [];
  for (const ch of text) {
    const c = ch.codePointAt(0) ?? 0;
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return String.fromCharCode(...out);
}

/**
 * The range end that selects every key with prefix `prefix` (clientv3.GetPrefixRangeEnd):
 * increment the last byte below 0xff and drop what follows; all 0xff (or empty) gives "\0",
 * which etcd reads as "no upper bound".
 */
export function prefixRangeEnd(prefix: Bytes): Bytes {
  for (let i = prefix.length - 1; i >= 0; i--) {
    const c = prefix.charCodeAt(i);
    if (c < 0xff) return prefix.slice(0, i) + String.fromCharCode(c + 1);
  }
  return '\0';
}
