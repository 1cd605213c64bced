// The length of JSON.stringify(encodeMessage(schema, value)) without the gateway JSON object or
// its text: what a raft entry carrying a request as a value needs to be sized exactly as its
// text would be. It follows encodeMessage field by field (zero values omitted unless a oneof
// member, bytes as padded base64, 64-bit integers as quoted decimals, uint32 as numbers, enums by
// name); any field whose value is not of its kind's type is measured by encoding the message,
// so the answer is always the text's length (test/src/api/encoded-length.test.ts).
import { encodeMessage } from './json-codec.ts';
import { jsonStringLength } from './json-length.ts';
import type { EnumKind, Field, Kind, Schema, Scalar } from './schema.ts';

/** A field value of a type its kind does not encode from: measure the encoded message instead. */
const ODD = -1;
/** A field that encoding leaves out. */
const OMITTED = -2;

export function encodedTextLength(schema: Schema, value: object): number {
  const n = messageLength(schema, value);
  return n !== ODD ? n : JSON.stringify(encodeMessage(schema, value)).length;
}

function messageLength(schema: Schema, value: object): number {
  const v = value as Record<string, unknown>;
  let n = 2;
  let fields = 0;
  for (let i = 0; i < schema.length; i++) {
    const field = schema[i] as Field;
    const x = v[field[0]];
    if (x === undefined) continue;
    const len = fieldLength(field[1], x, field[2] === true);
    if (len === ODD) return ODD;
    if (len === OMITTED) continue;
    // "name": plus a comma before every field but the first (schema names need no escapes).
    n += (fields++ > 0 ? 1 : 0) + field[0].length + 3 + len;
  }
  return n;
}

function fieldLength(kind: Kind, x: unknown, keepZero: boolean): number {
  if (typeof kind === 'string') return scalarLength(kind, x, keepZero);
  if ('repeated' in kind) {
    if (!Array.isArray(x)) return ODD;
    if (x.length === 0) return OMITTED;
    let n = 1 + x.length;
    for (let i = 0; i < x.length; i++) {
      const len = fieldLength(kind.repeated, x[i], true);
      if (len === ODD || len === OMITTED) return ODD;
      n += len;
    }
    return n;
  }
  if ('message' in kind) return typeof x === 'object' && x !== null && !Array.isArray(x) ? messageLength(kind.message(), x) : ODD;
  return enumLength(kind, x, keepZero);
}

function enumLength(kind: EnumKind, x: unknown, keepZero: boolean): number {
  if (typeof x !== 'string') return ODD;
  return !keepZero && x === kind.names[0] ? OMITTED : jsonStringLength(x);
}

function scalarLength(kind: Scalar, x: unknown, keepZero: boolean): number {
  switch (kind) {
    case 'bytes':
      if (typeof x !== 'string') return ODD;
      return x === '' && !keepZero ? OMITTED : 4 * Math.ceil(x.length / 3) + 2;
    case 'int64':
      if (typeof x !== 'number') return ODD;
      return x === 0 && !keepZero ? OMITTED : decimalLength(x) + 2;
    case 'bigint':
      if (typeof x !== 'bigint') return ODD;
      return x === 0n && !keepZero ? OMITTED : x.toString().length + 2;
    case 'id':
    case 'string':
      if (typeof x !== 'string') return ODD;
      return (x === '' || (kind === 'id' && x === '0')) && !keepZero ? OMITTED : jsonStringLength(x);
    case 'bool':
      if (typeof x !== 'boolean') return ODD;
      return !x && !keepZero ? OMITTED : x ? 4 : 5;
    case 'uint32':
      if (typeof x !== 'number') return ODD;
      return x === 0 && !keepZero ? OMITTED : Number.isFinite(x) ? decimalLength(x) : 4;
  }
}

/** String(x).length, counted for safe integers (the usual case) without the string. */
export function decimalLength(x: number): number {
  if (!Number.isSafeInteger(x)) return String(x).length;
  let n = x < 0 ? 2 : 1;
  for (let a = Math.abs(x); a >= 10; a = Math.floor(a / 10)) n++;
  return n;
}
