// What the member needs from the replicated state machine (mvcc + lessor + watchable store, run
// by the applier in src/server/apply/). The member never looks inside: it classifies client
// requests, proposes what must go through raft, applies committed entries, serves reads, drives
// lease expiry and watch streams, and snapshots or restores the whole state machine. The
// adapter in etcd-state-machine.ts implements this over the applier.

import type { EntryData } from '../raft/types.ts';
import type { BuggifyPort, MemberEventSink } from './buggify.ts';

/** A member-level or state-machine error in wire form. */
export interface WireError {
  readonly error: string;
  readonly code: number;
  readonly message: string;
}

/** The outcome of one request: a response body or an error, both in wire JSON form. */
export type WireReply = { readonly ok: true; readonly body: unknown } | { readonly ok: false; readonly error: WireError };

/** How the member must handle a client request, decided by validation. */
export type Classified =
  /** Rejected before raft (bad request, too many txn ops, duplicate key, ...). */
  | { readonly kind: 'invalid'; readonly error: WireError }
  /** A read served from local applied state: after ReadIndex unless serializable. */
  | { readonly kind: 'read'; readonly serializable: boolean; readonly read: () => WireReply }
  /**
   * A write (or nested txn, compaction, lease grant/revoke): proposed as a raft entry. `encode`
   * gets the request id (a uint64 in decimal) and returns the entry data and the size etcd
   * checks against MaxRequestBytes.
   */
  | {
      readonly kind: 'propose';
      readonly encode: (requestId: string) => { data: EntryData; sizeBytes: number };
      /**
       * etcd's Authenticate loop: called once the entry applied on the member that proposed it;
       * undefined answers the entry's reply, anything else is the request again (the auth store
       * moved between the password check and the apply: checked again, proposed again).
       */
      readonly recheck?: () => Refused | Proposal | undefined;
    }
  /**
   * Served by the leader's lessor (keep-alive, time-to-live); followers forward it. `ready`
   * false means etcd's LeaseRenew would block now (the lease has expired and its revoke has
   * not applied yet): the member holds the request and serves it once `ready` turns true
   * (the revoke applied: TTL 0) or its lessor is demoted.
   */
  | { readonly kind: 'leader-lease'; readonly serve: (nowMs: number) => WireReply | ProposeFirst; readonly ready?: (nowMs: number) => boolean }
  /** Served at once from local state (lease list, maintenance status and hash). */
  | { readonly kind: 'local'; readonly serve: () => WireReply }
  /**
   * etcd's Authenticate: a linearizable read first (ReadIndex, then applied up to it), then
   * `after` decides on the state the member holds by then (the password check): refused, or
   * proposed.
   */
  | { readonly kind: 'read-then-propose'; readonly after: () => Refused | Proposal }
  /**
   * The request names state this member has not applied yet (an auth token issued at a later
   * raft index, etcd's simple token wait): the member holds it until it has applied `index`,
   * then classifies it again; after the request timeout it answers `timeoutError`.
   */
  | { readonly kind: 'wait-applied'; readonly index: number; readonly timeoutError: WireError };

/**
 * A lease request that proposes an entry through raft and waits before it answers: etcd 3.4's
 * Renew of a lease with a checkpointed remaining TTL proposes a checkpoint of 0 (raftRequestOnce)
 * and refreshes the lease once it applied, or once the request timeout passed (the error is
 * ignored: the lease is refreshed either way). `then` answers at that moment.
 */
export interface ProposeFirst {
  readonly entry: (requestId: string) => EntryData;
  readonly then: (nowMs: number) => WireReply;
}

export type Refused = Extract<Classified, { kind: 'invalid' }>;
export type Proposal = Extract<Classified, { kind: 'propose' }>;

/** The effects of applying one committed entry. */
export interface Applied {
  /** The request id the entry was proposed with; '' for internal entries. */
  readonly requestId: string;
  readonly reply: WireReply;
  /** Leases this entry revoked (to stop re-proposing their expiry). */
  readonly revokedLeases: readonly number[];
}

/** Events of a watch stream to send, in order, each a gateway WatchResponse. */
export interface WatchStreamPort {
  /** Handles one WatchRequest JSON; returns responses to send now (created, canceled, progress). */
  handle(body: unknown): readonly unknown[];
  /** Responses that became ready (new events, sync of unsynced watchers, compaction cancels); read only (may be shared when empty). */
  poll(): readonly unknown[];
  /** Closes every watcher of the stream. */
  close(): void;
}

export interface StateMachinePort {
  /** Buggify sites and rare-event reports of the state machine (watches); inert unless bound. */
  bindHooks?(buggify: BuggifyPort, onEvent: MemberEventSink): void;
  /** The member tells the state machine what to put into response headers. */
  bindHeader(header: MemberHeader): void;
  /** The raft index of the last applied entry, as recorded in the state machine (consistent index). */
  consistentIndex(): number;
  /**
   * `decoded`: the body already decoded by its sender; `token`: the client's auth token, for a
   * state machine that checks users (etcd's auth store).
   */
  classify(path: string, body: unknown, memberHeader: MemberHeader, decoded?: object, token?: string): Classified;
  /**
   * Applies one committed normal entry at `index`. Never throws for bad requests (they are
   * replies). `proposedHere(requestId)` false: no client here waits for the reply, which may
   * then be a placeholder (not encoded); without it the reply is always built.
   */
  apply(index: number, term: number, data: EntryData, nowMs: number, proposedHere?: (requestId: string) => boolean): Applied;
  /** Records that `index` was applied without changing state (empty or conf-change entries). */
  applyNoop(index: number): void;
  /** The leader's lessor: every lease expires at now + extendMs + remaining TTL. */
  promoteLessor(nowMs: number, extendMs: number): void;
  /** A follower's lessor: no lease expires. */
  demoteLessor(): void;
  expiredLeases(nowMs: number, max: number): number[];
  /** The raft entry that revokes lease `id` (an internal request, no client waiting). */
  encodeLeaseRevoke(id: number, requestId: string): EntryData;
  /** Lease checkpoints the leader should propose now (remaining TTLs), as encoded entries. */
  checkpoints(nowMs: number, newRequestId: () => string): EntryData[];
  /** `token`: the stream's auth token, if the client sent one. */
  openWatchStream(token?: string): WatchStreamPort;
  /** Background work on the member's clock: watcher sync, victims, progress notifications. */
  onTick(nowMs: number): void;
  /** The whole state machine (mvcc, lessor, consistent index) as a string, for raft snapshots. */
  snapshot(): string;
  restore(data: string, nowMs: number): void;
  /** Maintenance figures for convergence checks. */
  status(): { revision: number; compactRevision: number; hashKV: number };
}

/** What the member tells the state machine to put into response headers. */
export interface MemberHeader {
  readonly clusterId: string;
  readonly memberId: string;
  raftTerm(): number;
}
