// The gateway's JSON form of v3 messages (grpc-gateway with jsonpb, OrigName, EmitDefaults off):
// fields in protobuf order, zero values omitted (set oneof members excepted), bytes in base64,
// 64-bit integers as decimal strings, enums by name, uint32 as a JSON number. Decoding accepts
// what jsonpb accepts: proto or lowerCamel names, integers as strings or numbers, enum names or
// numbers, null as absent, unknown fields ignored; it reports errors in jsonpb's words.
import type { EnumKind, Field, Kind, Schema, Scalar } from './schema.ts';
import * as S from './schema.ts';
import { base64Decode, base64Encode } from './base64.ts';
import { GoNumber, GoString, goUnmarshalInteger, type GoInteger } from './go-json.ts';

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type JsonObject = { [k: string]: Json };

/** Encodes a message value (types.ts) to its gateway JSON object. */
export function encodeMessage(schema: Schema, value: object): JsonObject {
  return encodeWithHeader(schema, value, undefined);
}

/**
 * Encodes a response with `header` in place of its own header field: the same object as
 * encodeMessage(schema, { ...value, header }), without the copy (every reply is encoded so).
 */
export function encodeWithHeader(schema: Schema, value: object, header: object | undefined): JsonObject {
  const out: JsonObject = {};
  const v = value as Record<string, unknown>;
  for (let i = 0; i < schema.length; i++) {
    const field = schema[i] as Field;
    const name = field[0];
    const x = header !== undefined && name === 'header' ? header : v[name];
    if (x === undefined) continue;
    const enc = encodeField(field[1], x, field[2] === true);
    if (enc !== undefined) out[name] = enc;
  }
  return out;
}

/**
 * encodeWithHeader(schema, value, header) with the header already encoded
 * (`headerJson` = encodeMessage(S.ResponseHeader, header)): the same object, whose header field
 * is `headerJson` itself, so the responses of one revision and term share one (read, never written).
 */
export function encodeWithEncodedHeader(schema: Schema, value: object, headerJson: JsonObject): JsonObject {
  const out: JsonObject = {};
  const v = value as Record<string, unknown>;
  for (let i = 0; i < schema.length; i++) {
    const field = schema[i] as Field;
    const name = field[0];
    if (name === 'header') {
      out[name] = headerJson;
      continue;
    }
    const x = v[name];
    if (x === undefined) continue;
    const enc = encodeField(field[1], x, field[2] === true);
    if (enc !== undefined) out[name] = enc;
  }
  return out;
}

function encodeField(kind: Kind, x: unknown, keepZero: boolean): Json | undefined {
  if (typeof kind === 'string') return encodeScalar(kind, x, keepZero);
  if ('repeated' in kind) {
    const arr = x as unknown[];
    if (arr.length === 0) return undefined;
    const out: Json[] = new Array<Json>(arr.length);
    for (let i = 0; i < arr.length; i++) out[i] = encodeField(kind.repeated, arr[i], true) ?? null;
    return out;
  }
  if ('message' in kind) return encodeNested(kind.message(), x as object);
  const name = x as string;
  if (!keepZero && name === kind.names[0]) return undefined;
  return name;
}

/**
 * A nested message: the three that fill every reply and watch event (key-values, events,
 * headers: 2/3 of all messages encoded) by hand-written encoders that read their fields by
 * name, the rest by the schema walk. Same objects, same key order (test/src/api/codec-fast.test.ts).
 */
function encodeNested(schema: Schema, x: object): JsonObject {
  if (schema === S.KeyValue) return encodeKeyValue(x);
  if (schema === S.Event) return encodeEvent(x);
  if (schema === S.ResponseHeader) return encodeResponseHeader(x);
  return encodeWithHeader(schema, x, undefined);
}

interface KeyValueFields { key?: unknown; create_revision?: unknown; mod_revision?: unknown; version?: unknown; value?: unknown; lease?: unknown }
interface EventFields { type?: unknown; kv?: unknown; prev_kv?: unknown }
interface HeaderFields { cluster_id?: unknown; member_id?: unknown; revision?: unknown; raft_term?: unknown }

/**
 * Recently encoded KeyValues, by the KeyValue object itself. A stored KeyValue never changes
 * (src/mvcc/key-value.ts) and the same one is answered again and again: every read of an
 * unchanged key, every watcher's event, the prev_kv of the next write. Each response that
 * carries it shares one encoded object, frozen since it is shared, as the responses of one
 * revision share their header. A small cache, not a WeakMap: an object's identity hash costs
 * about as much as the encoding it would spare. Slots by the mod revision, KV_WAYS ways each (one
 * per member of a small cluster, whose KeyValues of one revision are distinct objects), the
 * KeyValue compared by identity: a hit is the very object encoded before, whatever was evicted.
 */
const KV_SETS = 1024;
const KV_WAYS = 4;
const cachedKeyValues: (KeyValueFields | undefined)[] = new Array<KeyValueFields | undefined>(KV_SETS * KV_WAYS).fill(undefined);
const cachedEncodings: (JsonObject | undefined)[] = new Array<JsonObject | undefined>(KV_SETS * KV_WAYS).fill(undefined);
/** Per set, the way the next miss replaces (round robin). */
const nextWay = new Uint8Array(KV_SETS);

/**
 * encodeWithHeader(S.KeyValue, kv, undefined), field by field, frozen; `kv` must never change
 * after (a stored KeyValue never does): a call soon after answers the first call's object.
 */
export function encodeKeyValue(kv: KeyValueFields): JsonObject {
  const rev = kv.mod_revision;
  const set = typeof rev === 'number' ? rev & (KV_SETS - 1) : 0;
  const base = set * KV_WAYS;
  for (let w = 0; w < KV_WAYS; w++) {
    if (cachedKeyValues[base + w] === kv) return cachedEncodings[base + w] as JsonObject;
  }
  const out = Object.freeze(encodeKeyValueFields(kv));
  const way = nextWay[set] as number;
  nextWay[set] = (way + 1) % KV_WAYS;
  cachedKeyValues[base + way] = kv;
  cachedEncodings[base + way] = out;
  return out;
}

function encodeKeyValueFields(kv: KeyValueFields): JsonObject {
  const out: JsonObject = {};
  let x: unknown, e: Json | undefined;
  if ((x = kv.key) !== undefined && (e = encodeScalar('bytes', x, false)) !== undefined) out['key'] = e;
  if ((x = kv.create_revision) !== undefined && (e = encodeScalar('int64', x, false)) !== undefined) out['create_revision'] = e;
  if ((x = kv.mod_revision) !== undefined && (e = encodeScalar('int64', x, false)) !== undefined) out['mod_revision'] = e;
  if ((x = kv.version) !== undefined && (e = encodeScalar('int64', x, false)) !== undefined) out['version'] = e;
  if ((x = kv.value) !== undefined && (e = encodeScalar('bytes', x, false)) !== undefined) out['value'] = e;
  if ((x = kv.lease) !== undefined && (e = encodeScalar('bigint', x, false)) !== undefined) out['lease'] = e;
  return out;
}

/** encodeWithHeader(S.Event, ev, undefined), field by field. */
function encodeEvent(ev: EventFields): JsonObject {
  const out: JsonObject = {};
  const type = ev.type;
  if (type !== undefined && type !== EVENT_TYPES[0]) out['type'] = type as string;
  if (ev.kv !== undefined) out['kv'] = encodeKeyValue(ev.kv as KeyValueFields);
  if (ev.prev_kv !== undefined) out['prev_kv'] = encodeKeyValue(ev.prev_kv as KeyValueFields);
  return out;
}

/** encodeWithHeader(S.ResponseHeader, h, undefined), field by field. */
function encodeResponseHeader(h: HeaderFields): JsonObject {
  const out: JsonObject = {};
  let x: unknown, e: Json | undefined;
  if ((x = h.cluster_id) !== undefined && (e = encodeScalar('id', x, false)) !== undefined) out['cluster_id'] = e;
  if ((x = h.member_id) !== undefined && (e = encodeScalar('id', x, false)) !== undefined) out['member_id'] = e;
  if ((x = h.revision) !== undefined && (e = encodeScalar('int64', x, false)) !== undefined) out['revision'] = e;
  if ((x = h.raft_term) !== undefined && (e = encodeScalar('int64', x, false)) !== undefined) out['raft_term'] = e;
  return out;
}

/** The names of mvccpb.Event_EventType, read from the schema (the first is the zero value). */
const EVENT_TYPES = ((S.Event[0] as Field)[1] as EnumKind).names;

function encodeScalar(kind: Scalar, x: unknown, keepZero: boolean): Json | undefined {
  switch (kind) {
    case 'bytes':
      return x === '' && !keepZero ? undefined : base64Encode(x as string);
    case 'int64':
      return x === 0 && !keepZero ? undefined : String(x);
    case 'bigint':
      return x === 0n && !keepZero ? undefined : (x as bigint).toString();
    case 'id':
      return (x === '' || x === '0') && !keepZero ? undefined : (x as string);
    case 'bool':
      return x === false && !keepZero ? undefined : (x as boolean);
    case 'string':
      return x === '' && !keepZero ? undefined : (x as string);
    case 'uint32':
      return x === 0 && !keepZero ? undefined : (x as number);
  }
}

/**
 * The value decodeMessage(schema, JSON.parse(JSON.stringify(encodeMessage(schema, value)))) gives,
 * built without the text: zero values that encoding omits are left out, fields in schema order,
 * -0 read as 0. `value` must be what decoding gives (bytes as binary strings, decimal ids as
 * integerText leaves them): a request a member decoded, about to be written as raft entry text.
 * Undefined where the text would not read back as a number (an int64 beyond 2^53 held as a
 * number): the caller then decodes the text. The value is frozen, deeply (it is shared).
 */
export function normalizeMessage(schema: Schema, value: object): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  const v = value as Record<string, unknown>;
  for (let i = 0; i < schema.length; i++) {
    const field = schema[i] as Field;
    const x = v[field[0]];
    if (x === undefined) continue;
    const n = normalizeField(field[1], x, field[2] === true);
    if (n === NOT_NORMAL) return undefined;
    if (n !== undefined) out[field[0]] = n;
  }
  return Object.freeze(out);
}

/** normalizeField's answer where only the text can say (see normalizeMessage). */
const NOT_NORMAL = Symbol('not normal');

function normalizeField(kind: Kind, x: unknown, keepZero: boolean): unknown {
  if (typeof kind === 'string') return normalizeScalar(kind, x, keepZero);
  if ('repeated' in kind) {
    const arr = x as unknown[];
    if (arr.length === 0) return undefined;
    const out: unknown[] = new Array<unknown>(arr.length);
    for (let i = 0; i < arr.length; i++) {
      const n = normalizeField(kind.repeated, arr[i], true);
      if (n === NOT_NORMAL) return NOT_NORMAL;
      out[i] = n;
    }
    return Object.freeze(out);
  }
  if ('message' in kind) return normalizeMessage(kind.message(), x as object) ?? NOT_NORMAL;
  return !keepZero && x === kind.names[0] ? undefined : x;
}

function normalizeScalar(kind: Scalar, x: unknown, keepZero: boolean): unknown {
  switch (kind) {
    case 'bytes':
    case 'string':
      return x === '' && !keepZero ? undefined : x;
    case 'int64':
    case 'uint32':
      if (x === 0) return keepZero ? 0 : undefined;
      return Number.isSafeInteger(x) ? x : NOT_NORMAL;
    case 'bigint':
      return x === 0n && !keepZero ? undefined : x;
    case 'id':
      return (x === '' || x === '0') && !keepZero ? undefined : x;
    case 'bool':
      return x === false && !keepZero ? undefined : x;
  }
}

export type Decoded<T> = { ok: true; value: T } | { ok: false; error: string };

/** Decodes a gateway JSON value (already parsed) into a message value. */
export function decodeMessage<T>(schema: Schema, json: unknown): Decoded<T> {
  try {
    return { ok: true, value: decodeObject(schema, json) as T };
  } catch (err) {
    if (err instanceof DecodeError) return { ok: false, error: err.message };
    throw err;
  }
}

/** Decodes request text as the gateway does: an empty body is an empty message. */
export function decodeMessageText<T>(schema: Schema, text: string): Decoded<T> {
  if (text.trim() === '') return { ok: true, value: {} as T };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, error: 'unexpected EOF' };
  }
  return decodeMessage<T>(schema, json);
}

class DecodeError extends Error {}

/**
 * lowerCamel spellings of proto field names, memoized: the names come from the schemas (a
 * fixed, small set), and decoding asks for the spelling of every absent field of every message.
 */
const CAMEL = new Map<string, string>();

function camel(name: string): string {
  let c = CAMEL.get(name);
  if (c === undefined) {
    c = name.replace(/_([a-z])/g, (_m, ch: string) => ch.toUpperCase());
    CAMEL.set(name, c);
  }
  return c;
}

/**
 * A schema's field names, their lowerCamel spellings (undefined when the same) and kinds, and
 * the field each spelling names, worked out once per schema.
 */
interface DecodePlan {
  readonly names: readonly string[];
  readonly camels: readonly (string | undefined)[];
  readonly kinds: readonly Kind[];
  /** The fields (a bit each) a spelling names, by proto name and lowerCamel name; undefined above 31 fields. */
  readonly fieldsOf: ReadonlyMap<string, number> | undefined;
}

/** Fields a presence mask can hold (one bit each in an int32). */
const MASK_FIELDS_MAX = 31;

const PLANS = new WeakMap<Schema, DecodePlan>();

function planOf(schema: Schema): DecodePlan {
  let plan = PLANS.get(schema);
  if (plan === undefined) {
    const names = schema.map(([name]) => name);
    const camels = schema.map(([name]) => (name.includes('_') ? camel(name) : undefined));
    const fieldsOf = new Map<string, number>();
    for (let i = 0; i < names.length; i++) {
      for (const spelling of [names[i] as string, camels[i]]) if (spelling !== undefined) fieldsOf.set(spelling, (fieldsOf.get(spelling) ?? 0) | (1 << i));
    }
    plan = { names, camels, kinds: schema.map(([, kind]) => kind), fieldsOf: names.length <= MASK_FIELDS_MAX ? fieldsOf : undefined };
    PLANS.set(schema, plan);
  }
  return plan;
}

/**
 * The schema fields a plain object spells (by either name), as a bit mask: decoding then looks
 * up only those, not every field of the schema twice (a range request has 13). Every field for
 * anything else (a class instance may hold fields in getters, which keys do not list).
 */
function presentFields(plan: DecodePlan, src: object): number | typeof ALL_FIELDS {
  const fieldsOf = plan.fieldsOf;
  const proto = Object.getPrototypeOf(src) as unknown;
  if (fieldsOf === undefined || (proto !== Object.prototype && proto !== null)) return ALL_FIELDS;
  let mask = 0;
  for (const k in src) mask |= fieldsOf.get(k) ?? 0;
  return mask;
}

/** presentFields' answer when every field must be looked up. */
const ALL_FIELDS = 'all';

function decodeObject(schema: Schema, json: unknown): Record<string, unknown> {
  if (json === null || json === undefined) return {};
  if (typeof json !== 'object' || Array.isArray(json)) {
    throw new DecodeError(`json: cannot unmarshal ${jsonTypeName(json)} into Go value of type map[string]json.RawMessage`);
  }
  const src = json as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  const plan = planOf(schema);
  const { names, camels, kinds } = plan;
  const mask = presentFields(plan, src);
  for (let i = 0; i < names.length; i++) {
    if (mask !== ALL_FIELDS && (mask & (1 << i)) === 0) continue;
    const name = names[i] as string;
    let x = src[name];
    if (x === undefined) {
      const c = camels[i];
      if (c !== undefined) x = src[c];
    }
    if (x === undefined || x === null) continue;
    const v = decodeField(kinds[i] as Kind, x);
    if (v !== UNSET) out[name] = v;
  }
  return out;
}

/** Scalars jsonpb reads from a string's raw text: an escaped string stays a GoString for them. */
const INTEGER_SCALARS: ReadonlySet<Kind> = new Set<Kind>(['int64', 'bigint', 'id', 'uint32']);

function decodeField(kind: Kind, x: unknown): unknown {
  if (x instanceof GoString && !INTEGER_SCALARS.has(kind)) return decodeField(kind, x.value);
  if (typeof kind === 'string') return decodeScalar(kind, x);
  if ('repeated' in kind) {
    if (!Array.isArray(x)) throw new DecodeError(`json: cannot unmarshal ${jsonTypeName(x)} into Go value of type []json.RawMessage`);
    return x.map((e) => decodeField(kind.repeated, e));
  }
  if ('message' in kind) return decodeObject(kind.message(), x);
  if (typeof x === 'number' && Number.isInteger(x) && x >= 0 && x < kind.names.length) return kind.names[x];
  // Go reads an enum's number into an int32: 1.0, 1e3 or 2^40 are not one.
  if (x instanceof GoNumber) throw new DecodeError(`json: cannot unmarshal number ${x.text} into Go value of type ${kind.enumName}`);
  if (typeof x === 'string' && kind.names.includes(x)) return x;
  throw new DecodeError(`unknown value ${JSON.stringify(x)} for enum ${kind.enumName}`);
}

function decodeScalar(kind: Scalar, x: unknown): unknown {
  switch (kind) {
    case 'bytes': {
      if (typeof x !== 'string') throw new DecodeError(`json: cannot unmarshal ${jsonTypeName(x)} into Go value of type []uint8`);
      const d = base64Decode(x);
      if (!d.ok) throw new DecodeError(d.error);
      return d.bytes;
    }
    case 'int64':
      // A safe integer number reads as itself (String then Number would give the same, -0 as 0).
      if (typeof x === 'number' && Number.isSafeInteger(x)) return x === 0 ? 0 : x;
      return integerText(x, 'int64', (t) => Number(t));
    case 'bigint':
      return integerText(x, 'int64', (t) => BigInt(t));
    case 'id':
      return integerText(x, 'uint64', (t) => t);
    case 'uint32':
      return integerText(x, 'uint32', (t) => Number(t));
    case 'bool':
      if (typeof x !== 'boolean') throw new DecodeError(`json: cannot unmarshal ${jsonTypeName(x)} into Go value of type bool`);
      return x;
    case 'string':
      if (typeof x !== 'string') throw new DecodeError(`json: cannot unmarshal ${jsonTypeName(x)} into Go value of type string`);
      return x;
  }
}

/**
 * jsonpb reads an integer from a JSON number or from a string holding one (goUnmarshalInteger);
 * `read` makes the field's value of its canonical decimal text. A "null" string leaves it unset.
 */
function integerText(x: unknown, type: GoInteger, read: (text: string) => unknown): unknown {
  const r = goUnmarshalInteger(x, type);
  if (r === undefined) throw new DecodeError(`json: cannot unmarshal ${jsonTypeName(x)} into Go value of type ${type}`);
  if (!r.ok) throw new DecodeError(r.message);
  return r.text === undefined ? UNSET : read(r.text);
}

/** A field decodeObject leaves out (a string "null" in an integer field). */
const UNSET = Symbol('unset');

function jsonTypeName(x: unknown): string {
  if (Array.isArray(x)) return 'array';
  if (x instanceof GoNumber) return 'number';
  if (x instanceof GoString) return 'string';
  if (typeof x === 'object') return 'object';
  return typeof x === 'number' ? 'number' : typeof x === 'string' ? 'string' : typeof x === 'boolean' ? 'bool' : 'value';
}

/** A streaming RPC's message as the gateway sends it: {"result": message}. */
export function streamResult(message: JsonObject): JsonObject {
  return { result: message };
}
