// Builders of etcd v3 requests in the gateway JSON form (base64 keys and values, 64-bit
// integers as strings), which is what the simulated client sends and records. Workloads speak
// in keys and values; these helpers turn them into wire requests and read responses back.
import { base64Decode, base64Encode } from '../../src/api/base64.ts';

/** A request for the client: gateway path ("/v3/kv/put") and JSON body. */
export interface EtcdRequest {
  readonly path: string;
  readonly body: Record<string, unknown>;
}

/** Base64 of a string's UTF-8 bytes, by the codec the server uses (src/api/base64.ts, memoized there). */
export function b64(text: string): string {
  return base64Encode(isAscii(text) ? text : utf8Bytes(text));
}

/** Decodes base64 of UTF-8 text. */
export function unb64(text: string): string {
  const d = base64Decode(text);
  if (!d.ok) throw new Error(`unb64: not base64: ${text}`);
  return isAscii(d.bytes) ? d.bytes : utf8Text(d.bytes);
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

export const put = (key: string, value: string, lease?: LeaseId): EtcdRequest => ({
  path: '/v3/kv/put',
  body: lease === undefined ? { key: b64(key), value: b64(value) } : { key: b64(key), value: b64(value), lease },
});

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
  return { path: '/v3/kv/range', body };
}

export const deleteRange = (key: string, rangeEnd?: string): EtcdRequest => ({
  path: '/v3/kv/deleterange',
  body: rangeEnd === undefined ? { key: b64(key) } : { key: b64(key), range_end: b64(rangeEnd) },
});

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

export const txn = (compare: readonly Compare[], success: readonly TxnOp[], failure: readonly TxnOp[] = []): EtcdRequest => ({
  path: '/v3/kv/txn',
  body: { compare: compare.map(compareBody), success: success.map(opBody), failure: failure.map(opBody) },
});

export const compact = (revision: number): EtcdRequest => ({ path: '/v3/kv/compaction', body: { revision: String(revision) } });
export const leaseGrant = (ttlSeconds: number): EtcdRequest => ({ path: '/v3/lease/grant', body: { TTL: String(ttlSeconds) } });
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
  return kvs.map((raw: Record<string, unknown>) => ({
    key: typeof raw['key'] === 'string' ? unb64(raw['key']) : '',
    value: typeof raw['value'] === 'string' ? unb64(raw['value']) : '',
    createRevision: int64(raw['create_revision']),
    modRevision: int64(raw['mod_revision']),
    version: int64(raw['version']),
    lease: leaseId(raw['lease']),
  }));
}
