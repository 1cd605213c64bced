// The protobuf encoded size of v3 messages, computed from their schema, for etcd's size limits:
// a raft request (InternalRaftRequest) over MaxRequestBytes is "request is too large", a gRPC
// message over the receive limit is ResourceExhausted, and watch responses of MaxRequestBytes
// or more are fragmented when the watcher asked for it.
import type { Field, Kind, Schema, Scalar } from './schema.ts';
import * as S from './schema.ts';
import type { AuthRaftKind } from './auth-schema.ts';
import { AUTH_METHODS } from './auth-schema.ts';

/** etcd's default --max-request-bytes: 1.5 MiB. */
export const MAX_REQUEST_BYTES = 1_572_864;
/** The server's gRPC receive limit: MaxRequestBytes + 512 KiB (grpcOverheadBytes). */
export const MAX_GRPC_RECV_BYTES = MAX_REQUEST_BYTES + 512 * 1024;

/** Field numbers that are not the field's 1-based position in its schema. */
const FIELD_NUMBER_OVERRIDES = new Map<Schema, Map<string, number>>([
  [S.Compare, new Map([['range_end', 64]])],
  [S.WatchResponse, new Map([['events', 11]])],
]);

/** 2^7, 2^14, ..., 2^63: a uint64 below VARINT_LIMITS[k] takes k + 1 bytes. */
const VARINT_LIMITS: readonly bigint[] = Array.from({ length: 9 }, (_, k) => 1n << BigInt(7 * (k + 1)));

export function varintSize(v: bigint): number {
  const x = BigInt.asUintN(64, v);
  let n = 1;
  while (n < 10 && x >= (VARINT_LIMITS[n - 1] as bigint)) n++;
  return n;
}

export function smallVarintSize(n: number): number {
  return n < 0 ? 10 : n < 0x80 ? 1 : n < 0x4000 ? 2 : n < 0x200000 ? 3 : n < 0x10000000 ? 4 : varintSize(BigInt(n));
}

export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    n += c < 0x80 ? 1 : c < 0x800 ? 2 : c >= 0xd800 && c < 0xdc00 ? (i++, 4) : 3;
  }
  return n;
}

/** Size of the payload of a scalar (without tag), or undefined for a zero value not sent. */
function scalarSize(kind: Scalar, x: unknown, keepZero: boolean): number | undefined {
  switch (kind) {
    case 'bytes': {
      const s = x as string;
      return s === '' && !keepZero ? undefined : smallVarintSize(s.length) + s.length;
    }
    case 'string': {
      const s = x as string;
      const n = utf8Length(s);
      return n === 0 && !keepZero ? undefined : smallVarintSize(n) + n;
    }
    case 'int64':
    case 'uint32':
      return x === 0 && !keepZero ? undefined : Number.isSafeInteger(x) ? smallVarintSize(x as number) : varintSize(BigInt(Math.trunc(x as number)));
    case 'bigint':
      return x === 0n && !keepZero ? undefined : varintSize(x as bigint);
    case 'id':
      return (x === '' || x === '0') && !keepZero ? undefined : varintSize(BigInt(x as string));
    case 'bool':
      return x === false && !keepZero ? undefined : 1;
  }
}

function fieldSize(num: number, kind: Kind, x: unknown, keepZero: boolean): number {
  const tag = smallVarintSize(num << 3);
  if (typeof kind === 'string') {
    const n = scalarSize(kind, x, keepZero);
    return n === undefined ? 0 : tag + n;
  }
  if ('message' in kind) {
    const n = messageSize(kind.message(), x as object);
    return tag + smallVarintSize(n) + n;
  }
  if ('repeated' in kind) {
    const arr = x as unknown[];
    if (arr.length === 0) return 0;
    const inner = kind.repeated;
    if (typeof inner === 'object' && 'names' in inner) {
      // proto3 packs repeated enums.
      let n = 0;
      for (let i = 0; i < arr.length; i++) n += smallVarintSize(inner.names.indexOf(arr[i] as string));
      return tag + smallVarintSize(n) + n;
    }
    let n = 0;
    for (let i = 0; i < arr.length; i++) n += fieldSize(num, inner, arr[i], true);
    return n;
  }
  const idx = kind.names.indexOf(x as string);
  return idx === 0 && !keepZero ? 0 : tag + smallVarintSize(idx);
}

/** A schema's field numbers and kinds, and each field's index by name, worked out once per schema. */
export interface SizePlan {
  readonly numbers: readonly number[];
  readonly indexOf: ReadonlyMap<string, number>;
}

const SIZE_PLANS = new WeakMap<Schema, SizePlan>();

export function sizePlanOf(schema: Schema): SizePlan {
  let plan = SIZE_PLANS.get(schema);
  if (plan === undefined) {
    const overrides = FIELD_NUMBER_OVERRIDES.get(schema);
    plan = {
      numbers: schema.map(([name], i) => overrides?.get(name) ?? i + 1),
      indexOf: new Map(schema.map(([name], i) => [name, i])),
    };
    SIZE_PLANS.set(schema, plan);
  }
  return plan;
}

/**
 * The encoded size of a message value (types.ts) of the given schema. The size is a sum over
 * fields, so a plain object's own keys are walked (a decoded request holds only the fields it
 * sets; a range request's schema has 13); anything else walks the schema.
 */
export function messageSize(schema: Schema, value: object): number {
  const v = value as Record<string, unknown>;
  const { numbers, indexOf } = sizePlanOf(schema);
  let size = 0;
  const proto = Object.getPrototypeOf(v) as unknown;
  if (proto === Object.prototype || proto === null) {
    for (const name in v) {
      const i = indexOf.get(name);
      if (i === undefined) continue;
      const x = v[name];
      if (x === undefined) continue;
      const field = schema[i] as Field;
      size += fieldSize(numbers[i] as number, field[1], x, field[2] === true);
    }
    return size;
  }
  // An indexed loop: forEach with a destructuring closure allocated per message and per field.
  for (let i = 0; i < schema.length; i++) {
    const field = schema[i] as Field;
    const x = v[field[0]];
    if (x === undefined) continue;
    size += fieldSize(numbers[i] as number, field[1], x, field[2] === true);
  }
  return size;
}

/** InternalRaftRequest field numbers of the requests that go through raft (raft_internal.proto). */
export const RAFT_REQUEST_FIELD = {
  put: [4, S.PutRequest],
  delete_range: [5, S.DeleteRangeRequest],
  txn: [6, S.TxnRequest],
  compaction: [7, S.CompactionRequest],
  lease_grant: [8, S.LeaseGrantRequest],
  lease_revoke: [9, S.LeaseRevokeRequest],
  lease_checkpoint: [11, S.LeaseCheckpointRequest],
} as const;

export type RaftRequestKind = keyof typeof RAFT_REQUEST_FIELD;

/** The InternalRaftRequest field number and schema of a request kind, auth requests included. */
export function raftRequestField(kind: RaftRequestKind | AuthRaftKind): readonly [number, Schema] {
  if (Object.hasOwn(RAFT_REQUEST_FIELD, kind)) return RAFT_REQUEST_FIELD[kind as RaftRequestKind];
  const m = AUTH_METHODS[kind as AuthRaftKind];
  return [m.field, m.request];
}

/**
 * The size of the InternalRaftRequest etcd marshals for a request: header (field 100) with the
 * request id (and the proposer's user name and auth revision, when it sent a token), plus the
 * request itself. This is what "request is too large" measures.
 */
export function internalRaftRequestSize(
  kind: RaftRequestKind | AuthRaftKind, request: object, requestId: bigint, requestBytes?: number, auth?: { readonly username: string; readonly revision: number },
): number {
  let headerPayload = requestId === 0n ? 0 : 1 + varintSize(requestId);
  if (auth !== undefined) {
    const name = utf8Length(auth.username);
    if (name > 0) headerPayload += 1 + smallVarintSize(name) + name;
    if (auth.revision > 0) headerPayload += 1 + varintSize(BigInt(auth.revision));
  }
  const header = smallVarintSize(100 << 3) + smallVarintSize(headerPayload) + headerPayload;
  const [num, schema] = raftRequestField(kind);
  const n = requestBytes ?? messageSize(schema, request);
  return header + smallVarintSize(num << 3) + smallVarintSize(n) + n;
}
