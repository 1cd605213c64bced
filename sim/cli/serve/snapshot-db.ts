// Maintenance.Snapshot for `detcd serve`: the asked member's state written as etcd 3.4's backend
// (the bbolt file etcd streams), in etcd's chunks. The buckets and their encodings are etcd
// 3.4.23's, checked against a snapshot of a real etcd (mvcc/kvstore.go, lease/lessor.go,
// etcdserver/api/membership/store.go, auth/store.go, etcdserver/cindex):
//   key      — revision (8-byte big-endian main, '_', 8-byte sub; a tombstone adds 't') →
//              mvccpb.KeyValue (a tombstone: the key alone), every revision the store keeps;
//   lease    — id (8-byte big-endian) → leasepb.Lease {ID, TTL, RemainingTTL};
//   meta     — consistent_index (8 bytes), and after a compaction scheduledCompactRev and
//              finishedCompactRev (revision bytes);
//   members  — id in hex → the member as JSON (id, peerURLs, isLearner, name, clientURLs);
//   auth     — authRevision (8 bytes), and authEnabled (one byte, 1) while authentication is on;
//   authUsers — name → authpb.User {name, password as a bcrypt hash (bcrypt.ts, etcd's default
//              cost 10), roles, options {no_password}}; authRoles — name → authpb.Role {name,
//              keyPermission {permType, key, range_end}...}: a restored etcd keeps the users,
//              their passwords, roles and permissions, and whether authentication is on;
//   cluster  — clusterVersion "3.4.0"; alarm, members_removed — empty (serve raises no alarm).
// The stream: the file in 32 KiB blobs, each with the bytes still to come, then its SHA-256 as a
// last blob (etcdctl's `snapshot restore` checks it), as v3rpc/maintenance.go sends them.
import { createHash } from 'node:crypto';
import type { MvccSnapshot } from '../../../src/mvcc/snapshot.ts';
import { bytesToUint8Array } from '../../../src/mvcc/key.ts';
import { boltFile, compareBytes, type BoltBucket } from './bbolt-file.ts';
import type { MemberInfo } from './cluster-admin.ts';
import type { AuthSnapshot } from '../../../src/auth/auth-store.ts';
import type { PermType } from '../../../src/auth/range-permissions.ts';
import { bcryptHash } from './bcrypt.ts';

/** A member's state as the detcd applier snapshots it (etcd-state-machine.ts, applier.ts). */
export interface BackendState {
  readonly consistentIndex: number;
  readonly mvcc: MvccSnapshot;
  /** [id (decimal), ttl, remaining ttl] */
  readonly leases: readonly (readonly [string, number, number])[];
  readonly members: readonly MemberInfo[];
  /** The auth store; absent while it is a new cluster's. */
  readonly auth?: AuthSnapshot | undefined;
}

/** v3rpc's snapshotSendBufferSize. */
const SNAPSHOT_CHUNK_BYTES = 32 * 1024;
const CLUSTER_VERSION = '3.4.0';

const text = (s: string): Uint8Array => new TextEncoder().encode(s);

function uint64(n: bigint): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, BigInt.asUintN(64, n), false);
  return out;
}

/** mvcc's revToBytes (and a tombstone's trailing 't'). */
function revisionKey(main: number, sub: number, tombstone: boolean): Uint8Array {
  const out = new Uint8Array(tombstone ? 18 : 17);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(main), false);
  out[8] = 0x5f;
  view.setBigUint64(9, BigInt(sub), false);
  if (tombstone) out[17] = 0x74;
  return out;
}

/**
 * Protobuf encoding of the fields etcd's messages use: varints and byte strings, zero values left
 * out. Written as parts (tags and lengths, then each byte string as it is) joined once at the
 * end, so a value is copied once: pushed byte by byte into a JS array, a 1 KiB value cost ≈30 KiB.
 */
class ProtoWriter {
  private readonly parts: Uint8Array[] = [];
  /** Tag and varint bytes since the last part. */
  private pending: number[] = [];
  private length = 0;

  varint(field: number, value: bigint): this {
    if (value === 0n) return this;
    this.raw((field << 3) | 0);
    this.rawVarint(BigInt.asUintN(64, value));
    return this;
  }

  /** A length-delimited field, left out when empty unless `keepEmpty` (an empty sub-message that is set). */
  bytesField(field: number, value: Uint8Array, keepEmpty = false): this {
    if (value.length === 0 && !keepEmpty) return this;
    this.raw((field << 3) | 2);
    this.rawVarint(BigInt(value.length));
    this.flush();
    this.parts.push(value);
    this.length += value.length;
    return this;
  }

  done(): Uint8Array {
    this.flush();
    const out = new Uint8Array(this.length);
    let at = 0;
    for (const part of this.parts) {
      out.set(part, at);
      at += part.length;
    }
    return out;
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    this.parts.push(Uint8Array.from(this.pending));
    this.length += this.pending.length;
    this.pending = [];
  }

  private raw(b: number): void {
    this.rawVarint(BigInt(b));
  }

  private rawVarint(v: bigint): void {
    while (v >= 0x80n) {
      this.pending.push(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    this.pending.push(Number(v));
  }
}

function keyBucket(mvcc: MvccSnapshot): BoltBucket {
  const entries = mvcc.log.map(([main, sub, key, value, create, version, lease, tomb]): [Uint8Array, Uint8Array] => {
    const k = bytesToUint8Array(key);
    if (tomb === 1) return [revisionKey(main, sub, true), new ProtoWriter().bytesField(1, k).done()];
    const kv = new ProtoWriter().bytesField(1, k).varint(2, BigInt(create)).varint(3, BigInt(main)).varint(4, BigInt(version)).bytesField(5, bytesToUint8Array(value)).varint(6, BigInt(lease)).done();
    return [revisionKey(main, sub, false), kv];
  });
  return { name: text('key'), entries };
}

function leaseBucket(leases: BackendState['leases']): BoltBucket {
  const entries = leases.map(([id, ttl, remaining]): [Uint8Array, Uint8Array] => [uint64(BigInt(id)), new ProtoWriter().varint(1, BigInt(id)).varint(2, BigInt(ttl)).varint(3, BigInt(remaining)).done()]);
  return { name: text('lease'), entries: entries.sort((a, b) => compareBytes(a[0], b[0])) };
}

function metaBucket(state: BackendState): BoltBucket {
  const entries: [Uint8Array, Uint8Array][] = [[text('consistent_index'), uint64(BigInt(state.consistentIndex))]];
  const compacted = state.mvcc.compactMainRev;
  if (compacted > 0) {
    entries.push([text('finishedCompactRev'), revisionKey(compacted, 0, false)]);
    entries.push([text('scheduledCompactRev'), revisionKey(compacted, 0, false)]);
  }
  return { name: text('meta'), entries };
}

/** membership.Member as encoding/json writes it (embedded structs flattened, in field order). */
function memberJson(m: MemberInfo): string {
  const parts = [`"id":${m.ID}`, `"peerURLs":${JSON.stringify(m.peerURLs)}`];
  if (m.isLearner === true) parts.push('"isLearner":true');
  if (m.name !== undefined && m.name !== '') parts.push(`"name":${JSON.stringify(m.name)}`);
  if (m.clientURLs !== undefined && m.clientURLs.length > 0) parts.push(`"clientURLs":${JSON.stringify(m.clientURLs)}`);
  return `{${parts.join(',')}}`;
}

function membersBucket(members: readonly MemberInfo[]): BoltBucket {
  const entries = members.map((m): [Uint8Array, Uint8Array] => [text(BigInt(m.ID).toString(16)), text(memberJson(m))]);
  return { name: text('members'), entries: entries.sort((a, b) => compareBytes(a[0], b[0])) };
}

const PERM_TYPE: Record<PermType, bigint> = { READ: 0n, WRITE: 1n, READWRITE: 2n };
/** Binary strings (one char per byte), as the auth store keeps keys. */
const binary = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'latin1'));

/**
 * bcrypt hashes by user and password: a hash takes a tenth of a second, and Status sizes the
 * file on every call. Bounded; the oldest is dropped first.
 */
const hashes = new Map<string, string>();
const HASHES_MAX = 1_000;

function passwordHash(name: string, password: string): string {
  const key = `${name}\0${password}`;
  let h = hashes.get(key);
  if (h !== undefined) return h;
  h = bcryptHash(password);
  if (hashes.size >= HASHES_MAX) hashes.delete(hashes.keys().next().value as string);
  hashes.set(key, h);
  return h;
}

function authBuckets(auth: AuthSnapshot | undefined): BoltBucket[] {
  const authEntries: [Uint8Array, Uint8Array][] = [];
  if (auth?.enabled === true) authEntries.push([text('authEnabled'), Uint8Array.of(1)]);
  authEntries.push([text('authRevision'), uint64(BigInt(auth?.revision ?? 1))]);
  const users = (auth?.users ?? []).map((u): [Uint8Array, Uint8Array] => {
    const w = new ProtoWriter().bytesField(1, text(u.name));
    if (!u.noPassword) w.bytesField(2, text(passwordHash(u.name, u.password ?? '')));
    for (const role of u.roles) w.bytesField(3, text(role), true);
    if (u.noPassword) w.bytesField(4, new ProtoWriter().varint(1, 1n).done());
    return [text(u.name), w.done()];
  });
  const roles = (auth?.roles ?? []).map((r): [Uint8Array, Uint8Array] => {
    const w = new ProtoWriter().bytesField(1, text(r.name));
    for (const p of r.perms) w.bytesField(2, new ProtoWriter().varint(1, PERM_TYPE[p.permType]).bytesField(2, binary(p.key)).bytesField(3, binary(p.rangeEnd)).done(), true);
    return [text(r.name), w.done()];
  });
  const sorted = (e: [Uint8Array, Uint8Array][]): [Uint8Array, Uint8Array][] => e.sort((a, b) => compareBytes(a[0], b[0]));
  return [
    { name: text('auth'), entries: sorted(authEntries) },
    { name: text('authRoles'), entries: sorted(roles) },
    { name: text('authUsers'), entries: sorted(users) },
  ];
}

/** The member's backend as etcd 3.4 would hold it, as a bbolt file. */
export function backendFile(state: BackendState): Uint8Array {
  const empty = (name: string): BoltBucket => ({ name: text(name), entries: [] });
  return boltFile([
    empty('alarm'),
    ...authBuckets(state.auth),
    { name: text('cluster'), entries: [[text('clusterVersion'), text(CLUSTER_VERSION)]] },
    keyBucket(state.mvcc),
    leaseBucket(state.leases),
    membersBucket(state.members),
    empty('members_removed'),
    metaBucket(state),
  ], Math.max(2, state.consistentIndex));
}

/** One SnapshotResponse (gateway JSON form: bytes as base64, 64-bit integers as strings). */
export interface SnapshotChunk {
  readonly remaining_bytes?: string;
  readonly blob: string;
}

/** The stream etcd sends for `file`: 32 KiB blobs, each with what remains, then the SHA-256. */
export function snapshotChunks(file: Uint8Array): SnapshotChunk[] {
  const chunks: SnapshotChunk[] = [];
  for (let at = 0; at < file.length; at += SNAPSHOT_CHUNK_BYTES) {
    const blob = file.subarray(at, Math.min(file.length, at + SNAPSHOT_CHUNK_BYTES));
    const remaining = file.length - at - blob.length;
    chunks.push({ ...(remaining > 0 ? { remaining_bytes: String(remaining) } : {}), blob: Buffer.from(blob).toString('base64') });
  }
  chunks.push({ blob: createHash('sha256').update(file).digest('base64') });
  return chunks;
}
