// The requests that go through raft (etcd's InternalRaftRequest), and their encoding as raft
// entry data: one JSON object {"ID": request id, <kind>: the request in gateway JSON}. Using the
// wire codec keeps entries readable in traces and exactly as expressive as the API.
import { decodeMessage, encodeMessage, normalizeMessage } from '../../api/json-codec.ts';
import type { RaftRequestKind } from '../../api/proto-size.ts';
import { RAFT_REQUEST_FIELD, internalRaftRequestSize } from '../../api/proto-size.ts';
import type {
  CompactionRequest, DeleteRangeRequest, LeaseCheckpointRequest, LeaseGrantRequest, LeaseRevokeRequest, PutRequest, TxnRequest,
} from '../../api/types.ts';
import { violated } from '../../invariant-violation.ts';

export type RaftRequest =
  | { readonly kind: 'put'; readonly request: PutRequest }
  | { readonly kind: 'delete_range'; readonly request: DeleteRangeRequest }
  | { readonly kind: 'txn'; readonly request: TxnRequest }
  | { readonly kind: 'compaction'; readonly request: CompactionRequest }
  | { readonly kind: 'lease_grant'; readonly request: LeaseGrantRequest }
  | { readonly kind: 'lease_revoke'; readonly request: LeaseRevokeRequest }
  | { readonly kind: 'lease_checkpoint'; readonly request: LeaseCheckpointRequest };

export interface InternalRaftRequest {
  /** The proposer's request id (uint64, decimal); '0' for none. */
  readonly id: string;
  readonly body: RaftRequest;
}

const KINDS = Object.keys(RAFT_REQUEST_FIELD) as RaftRequestKind[];

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

/**
 * The entry text, and what decodeRaftRequest will answer for it remembered at once: the request
 * as decoding the text would give it (normalizeMessage), so that no member parses the text of an
 * entry proposed in this process (in the simulation, every entry).
 */
export function encodeRaftRequest(r: InternalRaftRequest): string {
  const kind = r.body.kind;
  const [, schema] = RAFT_REQUEST_FIELD[kind];
  const data = JSON.stringify({ ID: r.id, [kind]: encodeMessage(schema, r.body.request) });
  if (!DECODED.has(data)) {
    const request = normalizeMessage(schema, r.body.request);
    if (request !== undefined) remember(data, Object.freeze({ id: r.id, body: Object.freeze({ kind, request }) }));
  }
  return data;
}

/** Decodes entry data written by encodeRaftRequest; anything else is a bug (entries are ours). */
export function decodeRaftRequest(data: string): InternalRaftRequest {
  let r = DECODED.get(data);
  if (r === undefined) {
    r = deepFreeze(decodeRaftRequestText(data));
    remember(data, r);
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
  for (const kind of KINDS) {
    if (!(kind in obj)) continue;
    const [, schema] = RAFT_REQUEST_FIELD[kind];
    const d = decodeMessage<never>(schema, obj[kind]);
    if (!d.ok) throw violated('server', 'raft-entry-decodes', `raft entry decodes (${d.error})`);
    return { id, body: { kind, request: d.value } };
  }
  throw violated('server', 'raft-entry-known', 'raft entry holds a known request');
}

/**
 * The size etcd would check against MaxRequestBytes for this request; `requestBytes`, when
 * given, is messageSize of the request (already measured by the caller).
 */
export function raftRequestSize(r: InternalRaftRequest, requestBytes?: number): number {
  return internalRaftRequestSize(r.body.kind, r.body.request, BigInt(r.id), requestBytes);
}
