// The requests that go through raft (etcd's InternalRaftRequest), and their encoding as raft
// entry data: one JSON object {"ID": request id, <kind>: the request in gateway JSON}. Using the
// wire codec keeps entries readable in traces and exactly as expressive as the API. A request
// proposed in this process travels as a RaftRequestPayload: the request itself plus its text's
// exact length, so no member builds, hashes or parses the text.
import { encodedTextLength } from '../../api/encoded-length.ts';
import { decodeMessage, encodeMessage, normalizeMessage } from '../../api/json-codec.ts';
import { jsonStringLength } from '../../api/json-length.ts';
import type { MeasuredNormal } from '../../api/normal-form.ts';
import { freezeNormal } from '../../api/normal-form.ts';
import type { RaftRequestKind } from '../../api/proto-size.ts';
import { RAFT_REQUEST_FIELD, internalRaftRequestSize, raftRequestField } from '../../api/proto-size.ts';
import type { AuthRaftKind, AuthRequest } from '../../api/auth-schema.ts';
import { AUTH_METHODS } from '../../api/auth-schema.ts';
import type { AuthInfo } from '../../auth/auth-store.ts';
import type {
  CompactionRequest, DeleteRangeRequest, LeaseCheckpointRequest, LeaseGrantRequest, LeaseRevokeRequest, PutRequest, TxnRequest,
} from '../../api/types.ts';
import { violated } from '../../invariant-violation.ts';
import type { EntryData, EntryPayload } from '../../raft/types.ts';
import { entryDataText } from '../../raft/types.ts';

export type RaftRequest =
  | { readonly kind: 'put'; readonly request: PutRequest }
  | { readonly kind: 'delete_range'; readonly request: DeleteRangeRequest }
  | { readonly kind: 'txn'; readonly request: TxnRequest }
  | { readonly kind: 'compaction'; readonly request: CompactionRequest }
  | { readonly kind: 'lease_grant'; readonly request: LeaseGrantRequest }
  | { readonly kind: 'lease_revoke'; readonly request: LeaseRevokeRequest }
  | { readonly kind: 'lease_checkpoint'; readonly request: LeaseCheckpointRequest }
  | { readonly kind: AuthRaftKind; readonly request: AuthRequest };

export interface InternalRaftRequest {
  /** The proposer's request id (uint64, decimal); '0' for none. */
  readonly id: string;
  readonly body: RaftRequest;
  /**
   * The proposer's user and auth revision (etcd's RequestHeader username and auth_revision),
   * when the client sent a token; the applier checks permissions against them.
   */
  readonly auth?: AuthInfo;
}

const KINDS = [...Object.keys(RAFT_REQUEST_FIELD), ...Object.keys(AUTH_METHODS)] as (RaftRequestKind | AuthRaftKind)[];

/**
 * Decoded entries, by their data. Every member applies every entry, and in one process (the
 * simulation) the members share the entry's string, so each entry is decoded once instead of
 * once per member. Decoding is a pure function of the text and the decoded requests are frozen
 * (deeply), so sharing them cannot couple members; the memo is bounded (cleared when full).
 */
const DECODED = new Map<string, InternalRaftRequest>();
const DECODED_MAX = 4096;

function deepFreeze<T>(x: T): T {
  if (typeof x === 'object' && x !== null && !Object.isFrozen(x)) {
    Object.freeze(x);
    for (const v of Object.values(x)) deepFreeze(v);
  }
  return x;
}

/** The entry text: {"ID": request id, ["username", "auth_revision",] <kind>: the request in gateway JSON}. */
function raftRequestText(r: InternalRaftRequest): string {
  const kind = r.body.kind;
  const [, schema] = raftRequestField(kind);
  const request = encodeMessage(schema, r.body.request);
  if (r.auth === undefined) return JSON.stringify({ ID: r.id, [kind]: request });
  return JSON.stringify({ ID: r.id, username: r.auth.username, auth_revision: String(r.auth.revision), [kind]: request });
}

/**
 * The entry text, and what decodeRaftRequest will answer for it remembered at once: the request
 * as decoding the text would give it (normalizeMessage), so that no member parses the text.
 */
export function encodeRaftRequest(r: InternalRaftRequest): string {
  const data = raftRequestText(r);
  if (!DECODED.has(data)) {
    const normal = normalizedRequest(r);
    if (normal !== undefined) remember(data, normal);
  }
  return data;
}

/** The request as decoding its entry text would give it, frozen; undefined where only the text can say. */
function normalizedRequest(r: InternalRaftRequest): InternalRaftRequest | undefined {
  const kind = r.body.kind;
  const [, schema] = raftRequestField(kind);
  const request = normalizeMessage(schema, r.body.request);
  if (request === undefined) return undefined;
  const body = Object.freeze({ kind, request } as RaftRequest);
  return Object.freeze(r.auth === undefined ? { id: r.id, body } : { id: r.id, body, auth: Object.freeze({ username: r.auth.username, revision: r.auth.revision }) });
}

/**
 * A raft entry's data as a value (src/raft/types.ts EntryPayload): the request as decoding its
 * text would give it, and that text's exact length, counted without building it. Every member
 * of this process applies the request itself; the text is built only when asked (reports, the
 * Raft observer comparing two distinct payloads, tests).
 */
export class RaftRequestPayload implements EntryPayload {
  readonly length: number;

  /** `requestTextLength`: encodedTextLength of the request, where the proposer measured it already (normalizeMeasured). */
  constructor(readonly request: InternalRaftRequest, requestTextLength?: number) {
    const kind = request.body.kind;
    // {"ID":<id>,<kind>:<request>}: 6 + id + 1 + kind + 1 + request + 1 characters. Entries with
    // a user (auth enabled, rare) are measured on their text.
    this.length = request.auth !== undefined
      ? raftRequestText(request).length
      : 9 + jsonStringLength(request.id) + jsonStringLength(kind) + (requestTextLength ?? encodedTextLength(raftRequestField(kind)[1], request.body.request));
    Object.freeze(this);
  }

  text(): string {
    return raftRequestText(this.request);
  }
}

/**
 * The entry data of a request proposed in this process: a payload carrying the request (no text,
 * nothing to decode), or, where only the text can say what a member would apply (an int64 beyond
 * 2^53 held as a number), the text as encodeRaftRequest writes it.
 */
export function raftRequestData(r: InternalRaftRequest): EntryData {
  const normal = normalizedRequest(r);
  return normal === undefined ? encodeRaftRequest(r) : new RaftRequestPayload(normal);
}

/**
 * raftRequestData for a request measured by normalizeMeasured (its normal form and text length
 * known): the normal form is frozen in place and carried, nothing is walked again. The same
 * data as raftRequestData(r) gives (test/src/api/normal-form.test.ts).
 */
export function normalRaftRequestData(r: InternalRaftRequest, normal: MeasuredNormal): EntryData {
  if (r.auth !== undefined) return raftRequestData(r);
  const body = Object.freeze({ kind: r.body.kind, request: freezeNormal(normal.value) } as RaftRequest);
  return new RaftRequestPayload(Object.freeze({ id: r.id, body }), normal.textLength);
}

/** Decodes entry data written by encodeRaftRequest or raftRequestData; anything else is a bug (entries are ours). */
export function decodeRaftRequest(data: EntryData): InternalRaftRequest {
  if (data instanceof RaftRequestPayload) return data.request;
  const text = entryDataText(data);
  let r = DECODED.get(text);
  if (r === undefined) {
    r = deepFreeze(decodeRaftRequestText(text));
    remember(text, r);
  }
  return r;
}

function remember(data: string, r: InternalRaftRequest): void {
  if (DECODED.size >= DECODED_MAX) DECODED.clear();
  DECODED.set(data, r);
}

/** For tests: decodes the text itself, without the memo (what a member of another process does). */
export function decodeRaftRequestUncached(data: string): InternalRaftRequest {
  return decodeRaftRequestText(data);
}

function decodeRaftRequestText(data: string): InternalRaftRequest {
  const obj = JSON.parse(data) as Record<string, unknown>;
  const id = typeof obj.ID === 'string' ? obj.ID : '0';
  const auth = typeof obj.username === 'string' ? { username: obj.username, revision: Number(obj.auth_revision ?? 0) } : undefined;
  for (const kind of KINDS) {
    if (!(kind in obj)) continue;
    const [, schema] = raftRequestField(kind);
    const d = decodeMessage<never>(schema, obj[kind]);
    if (!d.ok) throw violated('server', 'raft-entry-decodes', `raft entry decodes (${d.error})`);
    const body = { kind, request: d.value } as RaftRequest;
    return auth === undefined ? { id, body } : { id, body, auth };
  }
  throw violated('server', 'raft-entry-known', 'raft entry holds a known request');
}

/**
 * The size etcd would check against MaxRequestBytes for this request; `requestBytes`, when
 * given, is messageSize of the request (already measured by the caller).
 */
export function raftRequestSize(r: InternalRaftRequest, requestBytes?: number): number {
  return internalRaftRequestSize(r.body.kind, r.body.request, BigInt(r.id), requestBytes, r.auth);
}
