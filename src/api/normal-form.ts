// A request's normal form — what decoding its own gateway JSON text gives back (json-codec.ts
// normalizeMessage: zero values left out, fields in schema order, -0 as 0) — and the two sizes a
// member needs of a proposal: its protobuf size (proto-size.ts messageSize: etcd's size limits)
// and the length of its gateway JSON text (encoded-length.ts encodedTextLength: the raft entry's
// length). One walk instead of three, and every object or array that is already in normal form
// is kept, not copied: a request decoded by the codec or built as the codec builds one usually is
// (issue 14: fewer objects built and touched per op). Undefined where a value is not of its
// kind's type or an int64 lies beyond 2^53: the three functions say what happens there.
import { decimalLength } from './encoded-length.ts';
import { jsonStringLength } from './json-length.ts';
import { sizePlanOf, smallVarintSize, utf8Length, varintSize } from './proto-size.ts';
import type { EnumKind, Field, Kind, Schema, Scalar } from './schema.ts';

export interface MeasuredNormal {
  /**
   * The normal form, not frozen: the value itself where it is normal, else a copy that shares
   * the parts that are (freezeNormal freezes it for sharing; until then it is the caller's).
   */
  readonly value: Record<string, unknown>;
  /** messageSize(schema, value). */
  readonly protoSize: number;
  /** encodedTextLength(schema, value): JSON.stringify(encodeMessage(schema, value)).length. */
  readonly textLength: number;
}

/** The normal form of `value`, a decoded message of `schema`, with its sizes; undefined where only the three functions can say. */
export function normalizeMeasured(schema: Schema, value: object): MeasuredNormal | undefined {
  const n = normalMessage(schema, value);
  return n === ODD ? undefined : { value: n, protoSize: protoOut, textLength: textOut };
}

/** Freezes a normal form deeply (it is then shared: raft entries, every member's applier). */
export function freezeNormal<T>(x: T): T {
  if (typeof x !== 'object' || x === null) return x;
  Object.freeze(x);
  if (Array.isArray(x)) for (let i = 0; i < x.length; i++) freezeNormal(x[i] as unknown);
  else for (const k in x) freezeNormal((x as Record<string, unknown>)[k]);
  return x;
}

/** Fields a message may have here (one bit each in an int32). */
const SEEN_FIELDS_MAX = 31;
/** A value not of its kind's type, or an int64 the text cannot carry back: not measured here. */
const ODD = Symbol('odd');
/** A field the normal form (and the encoding) leaves out: a zero value, an empty list. */
const OMIT = Symbol('omit');

/**
 * The sizes of the field or message last normalized: the protobuf bytes (with the field's tag)
 * and the JSON text characters. Set by every normal* call before it returns, read at once by
 * its caller: no object per field.
 */
let protoOut = 0;
let textOut = 0;

function normalMessage(schema: Schema, value: object): Record<string, unknown> | typeof ODD {
  const proto = Object.getPrototypeOf(value) as unknown;
  if (Array.isArray(value) || (proto !== Object.prototype && proto !== null)) return ODD;
  // The fields seen are kept as a bit mask (requests have at most 13).
  if (schema.length > SEEN_FIELDS_MAX) return ODD;
  const { numbers, indexOf } = sizePlanOf(schema);
  const v = value as Record<string, unknown>;
  let seen = 0;
  let size = 0;
  let text = 2;
  let fields = 0;
  let last = -1;
  let same = true;
  /** By schema position: the normal form of a field where it is not the field's value (OMIT: left out). */
  let changed: unknown[] | undefined;
  // The own keys in order (as messageSize walks them): a decoded request holds only the fields it sets.
  for (const name in v) {
    const i = indexOf.get(name);
    const x = v[name];
    if (i === undefined || x === undefined) {
      same = false;
      continue;
    }
    if (i < last) same = false;
    last = i;
    seen |= 1 << i;
    const field = schema[i] as Field;
    const n = normalField(smallVarintSize((numbers[i] as number) << 3), field[1], x, field[2] === true);
    if (n === ODD) return ODD;
    // Object.is: an int64 -0 becomes 0.
    if (!Object.is(n, x)) {
      same = false;
      (changed ??= [])[i] = n;
    }
    if (n === OMIT) continue;
    size += protoOut;
    // "name": plus a comma before every field but the first (schema names need no escapes).
    text += (fields++ > 0 ? 1 : 0) + name.length + 3 + textOut;
  }
  protoOut = size;
  textOut = text;
  if (same) return v;
  // Built as the codec builds a decoded message (an empty object, fields in schema order): the
  // same hidden classes as decodeMessage's objects.
  const out: Record<string, unknown> = {};
  for (let i = 0; i < schema.length; i++) {
    if ((seen & (1 << i)) === 0) continue;
    const name = (schema[i] as Field)[0];
    const x = v[name];
    const c = changed?.[i];
    if (c === OMIT) continue;
    out[name] = c === undefined ? x : c;
  }
  return out;
}

function normalField(tag: number, kind: Kind, x: unknown, keepZero: boolean): unknown {
  if (typeof kind === 'string') return normalScalar(tag, kind, x, keepZero);
  if ('repeated' in kind) return normalRepeated(tag, kind.repeated, x);
  if ('message' in kind) {
    if (typeof x !== 'object' || x === null) return ODD;
    const n = normalMessage(kind.message(), x);
    if (n === ODD) return ODD;
    protoOut = tag + smallVarintSize(protoOut) + protoOut;
    return n;
  }
  return normalEnum(kind, x, keepZero, tag);
}

function normalEnum(kind: EnumKind, x: unknown, keepZero: boolean, tag: number): unknown {
  if (typeof x !== 'string') return ODD;
  const idx = kind.names.indexOf(x);
  if (idx < 0) return ODD;
  if (idx === 0 && !keepZero) return OMIT;
  protoOut = tag + smallVarintSize(idx);
  textOut = jsonStringLength(x);
  return x;
}

function normalRepeated(tag: number, inner: Scalar | EnumKind | { readonly message: () => Schema }, x: unknown): unknown {
  if (!Array.isArray(x) || Object.getPrototypeOf(x) !== Array.prototype) return ODD;
  const length = x.length;
  if (length === 0) return OMIT;
  let size = 0;
  let text = 1 + length;
  if (typeof inner === 'object' && 'names' in inner) {
    // proto3 packs repeated enums: one tag and length, a varint per element.
    for (let k = 0; k < length; k++) {
      const e = x[k] as unknown;
      const idx = typeof e === 'string' ? inner.names.indexOf(e) : -1;
      if (idx < 0) return ODD;
      size += smallVarintSize(idx);
      text += jsonStringLength(e as string);
    }
    protoOut = tag + smallVarintSize(size) + size;
    textOut = text;
    return x;
  }
  let out: unknown[] | undefined;
  for (let k = 0; k < length; k++) {
    const e = x[k] as unknown;
    const n = normalField(tag, inner, e, true);
    if (n === ODD || n === OMIT) return ODD;
    size += protoOut;
    text += textOut;
    if (out === undefined && !Object.is(n, e)) out = x.slice(0, k);
    // Pushed, as the codec's arrays are filled (packed elements).
    if (out !== undefined) out.push(n);
  }
  protoOut = size;
  textOut = text;
  return out ?? x;
}

function normalScalar(tag: number, kind: Scalar, x: unknown, keepZero: boolean): unknown {
  switch (kind) {
    case 'bytes':
      if (typeof x !== 'string') return ODD;
      if (x === '' && !keepZero) return OMIT;
      protoOut = tag + smallVarintSize(x.length) + x.length;
      textOut = 4 * Math.ceil(x.length / 3) + 2;
      return x;
    case 'string': {
      if (typeof x !== 'string') return ODD;
      if (x === '' && !keepZero) return OMIT;
      const n = utf8Length(x);
      protoOut = tag + smallVarintSize(n) + n;
      textOut = jsonStringLength(x);
      return x;
    }
    case 'int64':
    case 'uint32':
      if (typeof x !== 'number' || !Number.isSafeInteger(x)) return ODD;
      if (x === 0) {
        if (!keepZero) return OMIT;
        protoOut = tag + 1;
        textOut = kind === 'int64' ? 3 : 1;
        // -0 reads back from its text as 0.
        return 0;
      }
      protoOut = tag + smallVarintSize(x);
      textOut = decimalLength(x) + (kind === 'int64' ? 2 : 0);
      return x;
    case 'bigint':
      if (typeof x !== 'bigint') return ODD;
      if (x === 0n && !keepZero) return OMIT;
      protoOut = tag + varintSize(x);
      textOut = x.toString().length + 2;
      return x;
    case 'id':
      if (typeof x !== 'string') return ODD;
      if ((x === '' || x === '0') && !keepZero) return OMIT;
      protoOut = tag + varintSize(BigInt(x));
      textOut = jsonStringLength(x);
      return x;
    case 'bool':
      if (typeof x !== 'boolean') return ODD;
      if (!x && !keepZero) return OMIT;
      protoOut = tag + 1;
      textOut = x ? 4 : 5;
      return x;
  }
}
