// Builders of etcd v3 requests in the gateway JSON form (base64 keys and values, 64-bit
// integers as strings), which is what the simulated client sends and records. Workloads speak
// in keys and values; these helpers turn them into wire requests and read responses back.
import { base64Decode, base64Encode, base64EncodeOnce } from '../../src/api/base64.ts';
import { goUnmarshalInteger } from '../../src/api/go-json.ts';

/** A request for the client: gateway path ("/v3/kv/put") and JSON body. */
export interface EtcdRequest {
  readonly path: string;
  readonly body: Record<string, unknown>;
  /**
   * The body as the member's codec decodes it (decodeMessage with the path's request schema:
   * bytes as binary strings, int64 as numbers, lease ids as bigints, fields in schema order),
   * built here from the raw keys and values. The simulated client hands it to
   * the member with the body, so the member reads it instead of decoding the body again
   * (issue 14: in-process messages carry objects). Absent where the builder cannot vouch for
   * it (a value the codec would refuse or read otherwise): the member then decodes the body.
   * test/sim/workload/etcd-request-decoded.test.ts holds the two equal.
   */
  readonly decoded?: object;
  /** An auth token to send with the request (gRPC metadata `token`): the auth workload's users. */
  readonly token?: string;
}

/**
 * Texts b64 encoded lately and their encodings, by a slot of the text's length and last
 * character: the workloads name the same few keys in every request, and a look here is one
 * compare where the codec's memo (a Map of thousands of texts) was a hash-table look-up that
 * missed the cache.
 */
const B64_SLOTS = 64;
const b64Texts: (string | undefined)[] = new Array<string | undefined>(B64_SLOTS).fill(undefined);
const b64Encodings: string[] = new Array<string>(B64_SLOTS).fill('');

/** Base64 of a string's UTF-8 bytes, by the codec the server uses (src/api/base64.ts, memoized there). */
export function b64(text: string): string {
  const n = text.length;
  const slot = (n * 31 + (n > 0 ? text.charCodeAt(n - 1) : 0)) & (B64_SLOTS - 1);
  if (b64Texts[slot] === text) return b64Encodings[slot] as string;
  const out = base64Encode(isAscii(text) ? text : utf8Bytes(text));
  b64Texts[slot] = text;
  b64Encodings[slot] = out;
  return out;
}

/** b64 of a put's value: every value a workload writes is new (uniqueValue), so no memo would hit. */
function b64Value(text: string): string {
  return base64EncodeOnce(isAscii(text) ? text : utf8Bytes(text));
}

/** Decodes base64 of UTF-8 text. */
export function unb64(text: string): string {
  const d = base64Decode(text);
  if (!d.ok) throw new Error(`unb64: not base64: ${text}`);
  return isAscii(d.bytes) ? d.bytes : utf8Text(d.bytes);
}

/** A text's UTF-8 bytes as a binary string: what the codec decodes b64(text) to. */
function bytesOf(text: string): string {
  return isAscii(text) ? text : utf8Bytes(text);
}

/** Keys and values here are ASCII almost always: their UTF-8 bytes are their characters. */
function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) >= 0x80) return false;
  return true;
}

/** A string's UTF-8 bytes as a binary string (one char per byte, as src/mvcc/key.ts keeps bytes). */
function utf8Bytes(text: string): string {
  let out = '';
  for (const ch of text) {
    const c = ch.codePointAt(0) as number;
    if (c < 0x80) out += String.fromCharCode(c);
    else if (c < 0x800) out += String.fromCharCode(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out += String.fromCharCode(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else out += String.fromCharCode(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return out;
}

/** The text of UTF-8 bytes given as a binary string. */
function utf8Text(bytes: string): string {
  let out = '';
  for (let i = 0; i < bytes.length; ) {
    const a = bytes.charCodeAt(i);
    const at = (k: number): number => bytes.charCodeAt(i + k) & 63;
    if (a < 0x80) {
      out += String.fromCharCode(a);
      i += 1;
    } else if (a < 0xe0) {
      out += String.fromCharCode(((a & 31) << 6) | at(1));
      i += 2;
    } else if (a < 0xf0) {
      out += String.fromCharCode(((a & 15) << 12) | (at(1) << 6) | at(2));
      i += 3;
    } else {
      out += String.fromCodePoint(((a & 7) << 18) | (at(1) << 12) | (at(2) << 6) | at(3));
      i += 4;
    }
  }
  return out;
}

/** The range end that makes [key, end) the keys with prefix `prefix` (etcd's GetPrefixRangeEnd). */
export function prefixEnd(prefix: string): string {
  for (let i = prefix.length - 1; i >= 0; i--) {
    const c = prefix.charCodeAt(i);
    if (c < 0x7f) return prefix.slice(0, i) + String.fromCharCode(c + 1);
  }
  return '\0';
}

export function put(key: string, value: string, lease?: LeaseId): EtcdRequest {
  const path = '/v3/kv/put';
  if (lease === undefined) return { path, body: { key: b64(key), value: b64Value(value) }, decoded: message('key', bytesOf(key), 'value', bytesOf(value)) };
  const body = { key: b64(key), value: b64Value(value), lease };
  const id = leaseBigInt(lease);
  return id === undefined ? { path, body } : { path, body, decoded: message('key', bytesOf(key), 'value', bytesOf(value), 'lease', id) };
}

/**
 * A decoded message of up to three fields, built as the codec builds one (an empty object, then
 * each field in schema order): the same hidden classes as the objects decodeMessage makes, so the
 * member's code that reads requests sees one shape per field set whichever way a request came.
 */
function message(k1: string, v1: unknown, k2?: string, v2?: unknown, k3?: string, v3?: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  out[k1] = v1;
  if (k2 !== undefined) out[k2] = v2;
  if (k3 !== undefined) out[k3] = v3;
  return out;
}

/** A lease id text as the codec reads it (an int64 from its decimal text), or undefined if it would refuse it. */
function leaseBigInt(lease: unknown): bigint | undefined {
  const r = goUnmarshalInteger(lease, 'int64');
  return r?.ok === true && r.text !== undefined ? BigInt(r.text) : undefined;
}

/** An int64 field the builder writes as String(n), as the codec reads it back; undefined unless n is a safe integer. */
function int64Of(n: number): number | undefined {
  if (!Number.isSafeInteger(n)) return undefined;
  return n === 0 ? 0 : n;
}

export interface RangeOptions {
  rangeEnd?: string;
  revision?: number;
  limit?: number;
  serializable?: boolean;
  sortOrder?: 'ASCEND' | 'DESCEND';
  sortTarget?: 'KEY' | 'CREATE' | 'MOD' | 'VERSION' | 'VALUE';
  maxCreateRevision?: number;
  minCreateRevision?: number;
  minModRevision?: number;
  maxModRevision?: number;
  countOnly?: boolean;
  keysOnly?: boolean;
}

export function range(key: string, o: RangeOptions = {}): EtcdRequest {
  const body: Record<string, unknown> = { key: b64(key) };
  if (o.rangeEnd !== undefined) body['range_end'] = b64(o.rangeEnd);
  if (o.revision !== undefined) body['revision'] = String(o.revision);
  if (o.limit !== undefined) body['limit'] = String(o.limit);
  if (o.serializable === true) body['serializable'] = true;
  if (o.sortOrder !== undefined) body['sort_order'] = o.sortOrder;
  if (o.sortTarget !== undefined) body['sort_target'] = o.sortTarget;
  if (o.maxCreateRevision !== undefined) body['max_create_revision'] = String(o.maxCreateRevision);
  if (o.minCreateRevision !== undefined) body['min_create_revision'] = String(o.minCreateRevision);
  if (o.minModRevision !== undefined) body['min_mod_revision'] = String(o.minModRevision);
  if (o.maxModRevision !== undefined) body['max_mod_revision'] = String(o.maxModRevision);
  if (o.countOnly === true) body['count_only'] = true;
  if (o.keysOnly === true) body['keys_only'] = true;
  const decoded = rangeDecoded(key, o);
  return decoded === undefined ? { path: '/v3/kv/range', body } : { path: '/v3/kv/range', body, decoded };
}

/**
 * range()'s body decoded, in RangeRequest's field order, for the options the workloads send
 * (a range end, a revision, a limit, serializable); undefined for anything else.
 */
function rangeDecoded(key: string, o: RangeOptions): object | undefined {
  if (o.sortOrder !== undefined || o.sortTarget !== undefined || o.countOnly === true || o.keysOnly === true) return undefined;
  if (o.maxCreateRevision !== undefined || o.minCreateRevision !== undefined || o.minModRevision !== undefined || o.maxModRevision !== undefined) return undefined;
  const out = message('key', bytesOf(key));
  if (o.rangeEnd !== undefined) out['range_end'] = bytesOf(o.rangeEnd);
  if (o.limit !== undefined) {
    const limit = int64Of(o.limit);
    if (limit === undefined) return undefined;
    out['limit'] = limit;
  }
  if (o.revision !== undefined) {
    const revision = int64Of(o.revision);
    if (revision === undefined) return undefined;
    out['revision'] = revision;
  }
  if (o.serializable === true) out['serializable'] = true;
  return out;
}

export const deleteRange = (key: string, rangeEnd?: string): EtcdRequest => (rangeEnd === undefined
  ? { path: '/v3/kv/deleterange', body: { key: b64(key) }, decoded: message('key', bytesOf(key)) }
  : { path: '/v3/kv/deleterange', body: { key: b64(key), range_end: b64(rangeEnd) }, decoded: message('key', bytesOf(key), 'range_end', bytesOf(rangeEnd)) });

export type CompareResult = 'EQUAL' | 'NOT_EQUAL' | 'GREATER' | 'LESS';

/** A compare on one key, or with rangeEnd on every key of [key, rangeEnd) (each must pass). */
export type Compare =
  | { target: 'VALUE'; key: string; value: string; result?: CompareResult; rangeEnd?: string }
  | { target: 'MOD' | 'CREATE' | 'VERSION'; key: string; revision: number; result?: CompareResult; rangeEnd?: string }
  | { target: 'LEASE'; key: string; lease: LeaseId; result?: CompareResult; rangeEnd?: string };

/** One operation inside a txn branch, as the request form of the gateway (a txn may nest). */
export type TxnOp = { put: EtcdRequest } | { range: EtcdRequest } | { deleteRange: EtcdRequest } | { txn: EtcdRequest };

/** A put's or delete's optional fields: return the previous key-value(s), keep the current value or lease. */
export interface WriteOptions {
  prevKv?: boolean;
  ignoreValue?: boolean;
  ignoreLease?: boolean;
}

/** `request` with the write options set (gateway field names). */
export function withWriteOptions(request: EtcdRequest, o: WriteOptions): EtcdRequest {
  const body: Record<string, unknown> = { ...request.body };
  if (o.prevKv === true) body['prev_kv'] = true;
  if (o.ignoreValue === true) {
    body['ignore_value'] = true;
    delete body['value'];
  }
  if (o.ignoreLease === true) {
    body['ignore_lease'] = true;
    delete body['lease'];
  }
  return { path: request.path, body };
}

function compareBody(c: Compare): Record<string, unknown> {
  // Built field by field, in the order the spreads gave: an object spread followed by more
  // fields takes V8 (Node 20) a slow path of microseconds per object.
  const body: Record<string, unknown> = { key: b64(c.key) };
  if (c.rangeEnd !== undefined) body['range_end'] = b64(c.rangeEnd);
  body['result'] = c.result ?? 'EQUAL';
  body['target'] = c.target;
  if (c.target === 'VALUE') body['value'] = b64(c.value);
  else if (c.target === 'LEASE') body['lease'] = c.lease;
  else body[c.target === 'MOD' ? 'mod_revision' : c.target === 'CREATE' ? 'create_revision' : 'version'] = String(c.revision);
  return body;
}

function opBody(op: TxnOp): Record<string, unknown> {
  if ('put' in op) return { request_put: op.put.body };
  if ('range' in op) return { request_range: op.range.body };
  if ('txn' in op) return { request_txn: op.txn.body };
  return { request_delete_range: op.deleteRange.body };
}

/** The names of Compare's enums, in the codec's schema (a name outside them is refused). */
const COMPARE_RESULTS: readonly string[] = ['EQUAL', 'GREATER', 'LESS', 'NOT_EQUAL'];
const COMPARE_TARGETS: readonly string[] = ['VERSION', 'CREATE', 'MOD', 'VALUE', 'LEASE'];

/** compareBody(c) decoded, in Compare's field order; undefined where the codec would refuse or read it otherwise. */
function compareDecoded(c: Compare): object | undefined {
  const result = c.result ?? 'EQUAL';
  if (!COMPARE_RESULTS.includes(result) || !COMPARE_TARGETS.includes(c.target)) return undefined;
  const out = message('result', result, 'target', c.target, 'key', bytesOf(c.key));
  if (c.target === 'VALUE') out['value'] = bytesOf(c.value);
  else if (c.target === 'LEASE') {
    const id = leaseBigInt(c.lease);
    if (id === undefined) return undefined;
    out['lease'] = id;
  } else {
    const revision = int64Of(c.revision);
    if (revision === undefined) return undefined;
    const field = c.target === 'MOD' ? 'mod_revision' : c.target === 'CREATE' ? 'create_revision' : 'version';
    // Compare's oneof: the target field comes before value, lease and range_end in schema order.
    out[field] = revision;
  }
  if (c.rangeEnd !== undefined) out['range_end'] = bytesOf(c.rangeEnd);
  return out;
}

/** opBody(op) decoded, or undefined where the inner request carries no decoded form. */
function opDecoded(op: TxnOp): object | undefined {
  let d: object | undefined;
  if ('put' in op) return (d = op.put.decoded) === undefined ? undefined : message('request_put', d);
  if ('range' in op) return (d = op.range.decoded) === undefined ? undefined : message('request_range', d);
  if ('txn' in op) return (d = op.txn.decoded) === undefined ? undefined : message('request_txn', d);
  return (d = op.deleteRange.decoded) === undefined ? undefined : message('request_delete_range', d);
}

/** Every element mapped; undefined if any maps to undefined. */
function allDecoded<T>(xs: readonly T[], f: (x: T) => object | undefined): readonly object[] | undefined {
  // Pushed, as Array.prototype.map fills the codec's arrays (packed elements, not holey).
  const out: object[] = [];
  for (let i = 0; i < xs.length; i++) {
    const d = f(xs[i] as T);
    if (d === undefined) return undefined;
    out.push(d);
  }
  return out;
}

export function txn(compare: readonly Compare[], success: readonly TxnOp[], failure: readonly TxnOp[] = []): EtcdRequest {
  const body = { compare: compare.map(compareBody), success: success.map(opBody), failure: failure.map(opBody) };
  const c = allDecoded(compare, compareDecoded);
  const s = c === undefined ? undefined : allDecoded(success, opDecoded);
  const f = s === undefined ? undefined : allDecoded(failure, opDecoded);
  return f === undefined ? { path: '/v3/kv/txn', body } : { path: '/v3/kv/txn', body, decoded: message('compare', c, 'success', s, 'failure', f) };
}

export const compact = (revision: number): EtcdRequest => ({ path: '/v3/kv/compaction', body: { revision: String(revision) } });
export const leaseGrant = (ttlSeconds: number): EtcdRequest => ({ path: '/v3/lease/grant', body: { TTL: String(ttlSeconds) } });
/** A grant with the client's own lease id (etcd: "lease already exists" while its lessor holds one with it). */
export const leaseGrantWithId = (ttlSeconds: number, id: LeaseId): EtcdRequest => ({ path: '/v3/lease/grant', body: { TTL: String(ttlSeconds), ID: id } });
export const leaseRevoke = (id: LeaseId): EtcdRequest => ({ path: '/v3/lease/revoke', body: { ID: id } });
export const leaseKeepAlive = (id: LeaseId): EtcdRequest => ({ path: '/v3/lease/keepalive', body: { ID: id } });
export const leaseTimeToLive = (id: LeaseId, keys = false): EtcdRequest => ({ path: '/v3/lease/timetolive', body: keys ? { ID: id, keys: true } : { ID: id } });

/**
 * A lease id as its exact decimal text. Real etcd grants random int64 ids far above 2^53; as a
 * JavaScript number they round to another lease ("requested lease not found" on every use).
 */
export type LeaseId = string;
export const NO_LEASE: LeaseId = '0';

/** Reads a lease id field of a gateway response ("3704389103885817874" or 12; absent means "0"). */
export function leaseId(value: unknown): LeaseId {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return BigInt(value).toString();
  return NO_LEASE;
}

/** Reads a 64-bit integer field of a gateway response ("12" or 12; absent means 0). */
export function int64(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value !== '') return Number(value);
  return 0;
}

/** header.revision of a response, or 0. */
export function headerRevision(body: unknown): number {
  if (body === null || typeof body !== 'object') return 0;
  const header = (body as { header?: { revision?: unknown } }).header;
  return header === undefined ? 0 : int64(header.revision);
}

export interface WireKv {
  key: string;
  value: string;
  createRevision: number;
  modRevision: number;
  version: number;
  lease: LeaseId;
}

/** The kvs of a range response, decoded. */
export function rangeKvs(body: unknown): WireKv[] {
  if (body === null || typeof body !== 'object') return [];
  const kvs = (body as { kvs?: unknown }).kvs;
  if (!Array.isArray(kvs)) return [];
  return kvs.map(wireKv);
}

/** One kv of a gateway response, decoded. */
export function wireKv(raw: Record<string, unknown>): WireKv {
  return {
    key: typeof raw['key'] === 'string' ? unb64(raw['key']) : '',
    value: typeof raw['value'] === 'string' ? unb64(raw['value']) : '',
    createRevision: int64(raw['create_revision']),
    modRevision: int64(raw['mod_revision']),
    version: int64(raw['version']),
    lease: leaseId(raw['lease']),
  };
}
