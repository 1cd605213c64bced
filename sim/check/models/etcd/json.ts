// etcd's gateway JSON: base64 bytes, int64 as decimal strings, zero fields omitted. The
// checker compares responses in a canonical form: zero fields dropped, object keys sorted,
// headers reduced to the revision (cluster, member and term are not the model's business).
import { BoundedMemo } from '../../../../src/memo/bounded-memo.ts';
import { insertionSort } from '../../../../src/sort/insertion-sort.ts';
import { shownValue } from '../../../history/shown-value.ts';

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

// Decodings and encodings already done, by their input: a history names the same few keys and
// values again and again, and the model and the facts about the answers decode them at every step.
const DECODED = new BoundedMemo(atob);
const ENCODED = new BoundedMemo(btoa);
/** Decimal texts of 64-bit ids in their exact canonical form (a BigInt parse each time otherwise). */
const ID64 = new BoundedMemo((v: string) => BigInt(v).toString());

/** Bytes of a base64 string as a binary string (one char per byte), so < is byte order. */
export function decodeKey(b64: unknown): string {
  if (b64 === undefined || b64 === null || b64 === '') return '';
  if (typeof b64 !== 'string') throw new Error(`expected base64 bytes, got ${shownValue(b64)}`);
  return DECODED.get(b64);
}

export function encodeKey(bytes: string): string {
  return ENCODED.get(bytes);
}

/** Whether `v` is an optional minus sign and one or more ASCII digits (/^-?\d+$/ without the regex). */
function isDecimal(v: string): boolean {
  const n = v.length;
  let i = n > 0 && v.charCodeAt(0) === 45 ? 1 : 0;
  if (i === n) return false;
  for (; i < n; i++) {
    const c = v.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** An int64 field: absent, a decimal string or a number. */
export function int(v: unknown): number {
  if (v === undefined || v === null || v === '') return 0;
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && isDecimal(v)) return Number(v);
  throw new Error(`expected an int64, got ${shownValue(v)}`);
}

/**
 * A 64-bit id (lease ID, member id) as its exact decimal text: real etcd's lease ids are random
 * int64s far above 2^53, which a double would round (and then mismatch the real answer).
 */
export function id64(v: unknown): string {
  if (v === undefined || v === null || v === '') return '0';
  if (typeof v === 'number' && Number.isSafeInteger(v)) return String(v);
  if (typeof v === 'string' && isDecimal(v)) return ID64.get(v);
  throw new Error(`expected an int64 id, got ${shownValue(v)}`);
}

/** Compares two int64 ids exactly: negative, zero or positive. */
export function compareId64(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

function isZero(v: Json): boolean {
  if (v === null || v === false || v === 0 || v === '' || v === '0') return true;
  if (typeof v !== 'object') return false;
  if (Array.isArray(v)) return v.length === 0;
  for (const _ in v) return false;
  return true;
}

/** Canonical form: zero fields dropped, numbers as strings, keys sorted; nested headers dropped. */
export function canonical(v: unknown, top = true): Json {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (Array.isArray(v)) return v.map((x) => canonical(x, false));
  const out: { [k: string]: Json } = {};
  const o = v as Record<string, unknown>;
  for (const k of insertionSort(Object.keys(v))) {
    let x: Json;
    if (k === 'header') {
      if (!top) continue;
      // Only the header's revision: {revision} when it is there and not zero.
      const h = o['header'] as { revision?: unknown } | null | undefined;
      const revision = canonical(h?.revision, false);
      if (isZero(revision)) continue;
      x = { revision };
    } else x = canonical(o[k], false);
    if (isZero(x)) continue;
    // defineProperty: a '__proto__' key stays an own key instead of replacing the prototype.
    if (k === '__proto__') Object.defineProperty(out, k, { value: x, enumerable: true, writable: true, configurable: true });
    else out[k] = x;
  }
  return out;
}

export function canonicalText(v: unknown): string {
  return JSON.stringify(canonical(v));
}

/** etcd error text without the layer prefixes, for comparing what a client saw with the model. */
export function errorKind(message: string): string {
  return message.replace(/^(etcdserver: )?(mvcc: )?/, '').trim().toLowerCase();
}

/**
 * Errors after which the request may still have been applied. etcd's own: request timed out
 * (also "…due to previous leader failure" and "…connection lost"), leader changed, no leader,
 * server stopped, request cancelled (British spelling); gRPC's Unavailable, Canceled,
 * DeadlineExceeded, Unknown; and a transport that went away (EOF, reset, closing, hang up).
 */
const AMBIGUOUS_ERROR = /timed?[ _-]?out|leader changed|no leader|server stopped|connection|unavailable|cancel|deadline|unknown|\beof\b|transport|closing|reset|broken pipe|hang up/i;

/** Whether a request that failed with `error` may still have been applied (its outcome is unknown). */
export function mayHaveApplied(error: string): boolean {
  return AMBIGUOUS_ERROR.test(error);
}

/**
 * Errors whose answer the state decides (the request had no effect), by the text etcd ends
 * them with. Clients add prefixes ("rpc error: code = OutOfRange desc = ", "etcdserver: ").
 */
const DECIDED_ERRORS = ['required revision has been compacted', 'required revision is a future revision', 'requested lease not found', 'key not found', 'lease already exists'] as const;

/** Which decided error a message is, or undefined when the state does not decide it. */
export function decidedError(message: string): string | undefined {
  const k = errorKind(message);
  return DECIDED_ERRORS.find((d) => k === d || k.endsWith(d) || k.endsWith(`${d}.`));
}

// Comparing two answers in canonical form without building it: the model's answer to a put or a
// txn was written as gateway JSON, put in canonical form and printed at every step, to be
// compared with the observed answer's text. These give exactly what comparing canonicalText
// of both gives (the same rules: own keys, zero fields dropped, numbers as their decimal
// text, only the top header's revision), and allocate nothing.

/** The text canonical form gives a scalar, null for null and undefined; NOT_SCALAR for an object or array. */
const NOT_SCALAR = Symbol('not a scalar');

function scalarOf(v: unknown): string | boolean | null | typeof NOT_SCALAR {
  if (v === null || v === undefined) return null;
  switch (typeof v) {
    case 'number':
      return String(v);
    case 'string':
    case 'boolean':
      return v;
    default:
      return NOT_SCALAR;
  }
}

/** Whether canonical(v) is a zero field (isZero), without building it; `top`: v is a whole answer (its header counts). */
export function canonicalIsZero(v: unknown, top = false): boolean {
  if (v === null || v === undefined) return true;
  switch (typeof v) {
    case 'number':
      return v === 0;
    case 'string':
      return v === '' || v === '0';
    case 'boolean':
      return v === false;
  }
  if (Array.isArray(v)) return v.length === 0;
  const o = v as Record<string, unknown>;
  for (const k in o) {
    if (!Object.hasOwn(o, k)) continue;
    if (k === 'header') {
      if (top && !canonicalIsZero(headerRevision(o))) return false;
    } else if (!canonicalIsZero(o[k])) return false;
  }
  return true;
}

/** What canonical reads as an answer's header revision: `header?.revision`. */
export function headerRevision(o: Record<string, unknown>): unknown {
  const h = o['header'] as { revision?: unknown } | null | undefined;
  return h?.revision;
}

/**
 * The header revision canonical form keeps of answer `o`, as text: undefined when it keeps none
 * (a nested answer's header, or a zero revision), null when it is not a number or a string (the
 * typed readers then give up and the answer is compared as JSON).
 */
export function canonicalHeaderRevision(o: Record<string, unknown>, top: boolean): string | undefined | null {
  if (!top) return undefined;
  const r = headerRevision(o);
  if (canonicalIsZero(r)) return undefined;
  return canonicalTextOf(r) ?? null;
}

/** The text canonical form makes of a field that is not zero, when it makes text (a number or a string); else undefined. */
export function canonicalTextOf(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  return typeof v === 'number' ? String(v) : undefined;
}

/** How many fields canonical(o, top) keeps. */
function canonicalFieldCount(o: Record<string, unknown>, top: boolean): number {
  let n = 0;
  for (const k in o) {
    if (!Object.hasOwn(o, k)) continue;
    if (k === 'header') {
      if (top && !canonicalIsZero(headerRevision(o))) n++;
    } else if (!canonicalIsZero(o[k])) n++;
  }
  return n;
}

/** canonicalText(a) === canonicalText(b), without building either (`top` as canonical's). */
export function sameCanonical(a: unknown, b: unknown, top = true): boolean {
  const sa = scalarOf(a);
  const sb = scalarOf(b);
  if (sa !== NOT_SCALAR || sb !== NOT_SCALAR) return sa === sb;
  const arrayA = Array.isArray(a);
  if (arrayA || Array.isArray(b)) {
    if (!arrayA || !Array.isArray(b)) return false;
    const x = a as unknown[];
    if (x.length !== b.length) return false;
    for (let i = 0; i < x.length; i++) if (!sameCanonical(x[i], b[i], false)) return false;
    return true;
  }
  const o = a as Record<string, unknown>;
  const p = b as Record<string, unknown>;
  let n = 0;
  for (const k in o) {
    if (!Object.hasOwn(o, k)) continue;
    if (k === 'header') {
      if (!top) continue;
      const x = headerRevision(o);
      if (canonicalIsZero(x)) continue;
      if (!Object.hasOwn(p, k)) return false;
      const y = headerRevision(p);
      if (canonicalIsZero(y) || !sameCanonical(x, y, false)) return false;
    } else {
      const x = o[k];
      if (canonicalIsZero(x)) continue;
      if (!Object.hasOwn(p, k)) return false;
      const y = p[k];
      if (canonicalIsZero(y) || !sameCanonical(x, y, false)) return false;
    }
    n++;
  }
  return n === canonicalFieldCount(p, top);
}
