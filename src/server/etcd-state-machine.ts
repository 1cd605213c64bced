// The etcd state machine as the member sees it (StateMachinePort), over the applier in
// src/server/apply/: gateway requests are decoded and checked as etcd's v3rpc layer does,
// writes become InternalRaftRequests, reads go to the applier's read path, lease keep-alive and
// time-to-live to the (leader's) lessor, and every response leaves in gateway JSON with the
// member's header (cluster id, member id, raft term; revision from the store).
import type { EtcdError } from '../api/errors.ts';
import { ErrCompacted, ErrFutureRev, errBadRequest, errMessageTooLarge, wireError } from '../api/errors.ts';
import type { JsonObject } from '../api/json-codec.ts';
import { decodeMessage, encodeMessage, encodeWithEncodedHeader, encodeWithHeader } from '../api/json-codec.ts';
import { apiPath } from '../api/paths.ts';
import { MAX_GRPC_RECV_BYTES, messageSize } from '../api/proto-size.ts';
import type { Schema } from '../api/schema.ts';
import * as S from '../api/schema.ts';
import type {
  HashKVRequest, LeaseGrantRequest, LeaseKeepAliveRequest, LeaseTimeToLiveRequest, RangeRequest, ResponseHeader, TxnRequest, WatchRequest,
} from '../api/types.ts';
import { checkDeleteRequest, checkPutRequest, checkRangeRequest, checkTxn, isTxnReadonly, isTxnSerializable } from '../api/validate.ts';
import { minLeaseTtlSeconds, DEFAULT_LESSOR_CONFIG } from '../lease/lessor.ts';
import type { LeaseId } from '../mvcc/key-value.ts';
import { Applier } from './apply/applier.ts';
import type { RaftRequest } from './apply/raft-request.ts';
import { decodeRaftRequest, normalRaftRequestData, raftRequestData, raftRequestSize } from './apply/raft-request.ts';
import type { MeasuredNormal } from '../api/normal-form.ts';
import { normalizeMeasured } from '../api/normal-form.ts';
import type { BuggifyPort, MemberEventSink } from './buggify.ts';
import { NO_BUGGIFY } from './buggify.ts';
import type { MemberConfig } from './member-config.ts';
import type { Applied, Classified, MemberHeader, Proposal, ProposeFirst, Refused, StateMachinePort, WatchStreamPort, WireReply } from './state-machine-port.ts';
import { violated } from '../invariant-violation.ts';
import type { EntryData } from '../raft/types.ts';
import { withFields } from '../object/with-fields.ts';
import type { AuthRaftKind, AuthRequest } from '../api/auth-schema.ts';
import { AUTH_METHODS, AuthenticateRequest, authKindOf } from '../api/auth-schema.ts';
import type { AuthInfo } from '../auth/auth-store.ts';
import { ErrInvalidAuthToken, untranslated } from '../auth/auth-errors.ts';
import { simpleTokenIndex, simpleTokenPrefix } from '../auth/simple-tokens.ts';
import { checkTxnAuth, permissionEnd } from './apply/auth-checks.ts';

/** etcd syncs unsynced watchers every 100 ms. */
const WATCH_SYNC_INTERVAL_MS_DEFAULT = 100;
/**
 * etcd retries victim watchers every 10 ms; 0 retries them on every member tick, which is
 * never finer than that with etcd's 100 ms heartbeat.
 */
const WATCH_VICTIM_INTERVAL_MS_DEFAULT = 0;
/** Progress notifications for watches that asked for them (etcd: 10 min; the robustness tests: 100 ms). */
const PROGRESS_NOTIFY_INTERVAL_MS_DEFAULT = 600_000;
/** Lease checkpoints proposed per entry (etcd's maxLeaseCheckpointBatchSize). */
const CHECKPOINT_BATCH_MAX_DEFAULT = 1_000;

const RESPONSE_SCHEMA: Record<RaftRequest['kind'], Schema> = {
  put: S.PutResponse,
  delete_range: S.DeleteRangeResponse,
  txn: S.TxnResponse,
  compaction: S.CompactionResponse,
  lease_grant: S.LeaseGrantResponse,
  lease_revoke: S.LeaseRevokeResponse,
  lease_checkpoint: S.LeaseCheckpointResponse,
  ...(Object.fromEntries(Object.entries(AUTH_METHODS).map(([kind, m]) => [kind, m.response])) as Record<AuthRaftKind, Schema>),
};

/** etcd's AuthInfoFromCtx: no token, none; a token the member does not hold, "invalid auth token". */
type TokenAuth = { readonly ai: AuthInfo | undefined } | { readonly error: EtcdError };
/** tokenAuth of a request without a token (nearly all): one answer, not an object per request. */
const NO_TOKEN: TokenAuth = Object.freeze({ ai: undefined });

interface StateMachineSnapshot {
  readonly applier: ReturnType<Applier['snapshot']>;
  readonly appliedRequestIds: string[];
}

/** The reply of an entry applied where no client waits for it (proposedHere said no): never read. */
const UNREAD_REPLY: WireReply = Object.freeze({ ok: true, body: Object.freeze({}) });
const NO_LEASES: readonly number[] = Object.freeze([]);

/** Request ids remembered for duplicate detection; older ones are forgotten in apply order. */
const APPLIED_REQUEST_IDS_MAX = 20_000;

/**
 * The request ids of the last APPLIED_REQUEST_IDS_MAX entries applied, in order. Whether an id
 * is a duplicate depends only on that window, which every member (restored ones included, from
 * the snapshot) holds exactly, so all members decide alike.
 */
class AppliedRequestIds {
  private readonly seq = new Map<string, number>();
  /** Recorded ids in order; order[i] was recorded as number base + i. */
  private order: string[] = [];
  private base = 0;

  constructor(ids: readonly string[] = []) {
    for (const id of ids.slice(-APPLIED_REQUEST_IDS_MAX)) this.record(id);
  }

  /** True if `id` is in the window; records it otherwise. Id '0' (none) is never a duplicate. */
  seen(id: string): boolean {
    if (id === '0' || id === '') return false;
    const at = this.seq.get(id);
    if (at !== undefined && this.base + this.order.length - at <= APPLIED_REQUEST_IDS_MAX) return true;
    this.record(id);
    return false;
  }

  list(): string[] {
    return this.order.slice(-APPLIED_REQUEST_IDS_MAX);
  }

  private record(id: string): void {
    this.seq.set(id, this.base + this.order.length);
    this.order.push(id);
    if (this.order.length <= 2 * APPLIED_REQUEST_IDS_MAX) return;
    const drop = this.order.length - APPLIED_REQUEST_IDS_MAX;
    for (let i = 0; i < drop; i++) {
      const oldId = this.order[i] as string;
      if (this.seq.get(oldId) === this.base + i) this.seq.delete(oldId);
    }
    this.order = this.order.slice(drop);
    this.base += drop;
  }
}

function fail(err: EtcdError): WireReply {
  return { ok: false, error: wireError(err) };
}

function isErr(x: object): x is EtcdError {
  return 'code' in x && 'message' in x && !('header' in x);
}

export interface EtcdStateMachineOptions {
  /** --experimental-watch-progress-notify-interval: 10 min by default (robustness tests: 100 ms). */
  readonly progressNotifyIntervalMs?: number;
  /** --experimental-enable-lease-checkpoint. */
  readonly checkpointingEnabled?: boolean;
  /** --experimental-lease-checkpoint-interval: 5 min by default, as etcd. */
  readonly checkpointIntervalMs?: number;
  /** How often unsynced watchers catch up: 100 ms by default, as etcd. */
  readonly watchSyncIntervalMs?: number;
  /** How often victim watchers (blocked on a full channel) are retried: every tick by default. */
  readonly watchVictimIntervalMs?: number;
  /** Lease checkpoints per proposed entry: 1,000 by default, as etcd. */
  readonly checkpointBatchMax?: number;
}

export class EtcdStateMachine implements StateMachinePort {
  readonly applier: Applier;
  private header: MemberHeader = { clusterId: '', memberId: '', raftTerm: () => 0 };
  private lastSyncMs = -Infinity;
  private lastVictimMs = -Infinity;
  private lastProgressMs = 0;
  private readonly streams = new Set<EtcdWatchStream>();
  /** Request ids of recently applied entries: replicated state, saved in snapshots. */
  private appliedIds = new AppliedRequestIds();
  /**
   * Exact lease ids by the number the port carries, so that ids above 2^53 (etcd's are random
   * 63-bit) survive expiry and revoke; an entry lives from expiry report to applied revoke.
   */
  private readonly leaseIdByNumber = new Map<number, LeaseId>();
  /** The member clock as last seen (ticks and applies): simple tokens expire on it. */
  private nowMs = 0;
  /** MemberConfig.compactionDeletesDeferred: which compactions leave their deletes to the next one. */
  private readonly deferCompactionDeletes: (() => boolean) | undefined;

  constructor(config: MemberConfig, private readonly options: EtcdStateMachineOptions = {}) {
    this.applier = new Applier(withFields(DEFAULT_LESSOR_CONFIG, {
      minTtlSeconds: minLeaseTtlSeconds(config.electionTicks, config.tickMs),
      checkpointingEnabled: options.checkpointingEnabled ?? false,
      checkpointIntervalMs: options.checkpointIntervalMs ?? DEFAULT_LESSOR_CONFIG.checkpointIntervalMs,
    }), new Set(config.unsafe?.stateMachine ?? []));
    if (config.watchStreamBuffer !== undefined) this.applier.watchStreamBuffer = config.watchStreamBuffer;
    if (config.watchBatchMaxRevs !== undefined) this.applier.watchable.batchMaxRevs = config.watchBatchMaxRevs;
    if (config.compactionDeletesDeferred === true) {
      // Every other compaction, out of step between members (by member id): at one compact
      // revision some members still hold what others deleted, and hashes, snapshots and restores
      // meet both.
      const store = this.applier.store;
      this.deferCompactionDeletes = () => (store.compactMainRev + config.id) % 2 === 1;
      store.deferCompactionDeletes = this.deferCompactionDeletes;
    }
  }

  private buggify: BuggifyPort = NO_BUGGIFY;

  bindHooks(buggify: BuggifyPort, onEvent: MemberEventSink): void {
    this.buggify = buggify;
    this.applier.watchable.hooks = { fire: (site) => buggify(site), note: (event) => onEvent(event) };
    this.applier.store.deferCompactionDeletes = this.deferCompactionDeletes ?? (() => buggify('mvcc.compaction-deferred'));
  }

  consistentIndex(): number {
    return this.applier.consistentIndex();
  }

  bindHeader(header: MemberHeader): void {
    this.header = header;
    this.headerJson = undefined;
  }

  /** The member's header, filled into every response. */
  fill(header: ResponseHeader | undefined, keepZeroRevision = false): ResponseHeader {
    const rev = header?.revision ?? 0;
    return {
      cluster_id: this.header.clusterId,
      member_id: this.header.memberId,
      revision: rev === 0 && !keepZeroRevision ? this.applier.store.currentRev : rev,
      raft_term: this.header.raftTerm(),
    };
  }

  /**
   * fill(header, keepZeroRevision) encoded (encodeMessage(S.ResponseHeader, ...)): the last one
   * is kept, and responses of the same revision and term (a read and the watch events of one
   * write, every watcher's) share it instead of encoding the same header again.
   */
  encodedHeader(header: ResponseHeader | undefined, keepZeroRevision = false): JsonObject {
    const rev = header?.revision ?? 0;
    const revision = rev === 0 && !keepZeroRevision ? this.applier.store.currentRev : rev;
    const term = this.header.raftTerm();
    const cached = this.headerJson;
    if (cached !== undefined && revision === this.headerJsonRevision && term === this.headerJsonTerm) return cached;
    const json = encodeMessage(S.ResponseHeader, { cluster_id: this.header.clusterId, member_id: this.header.memberId, revision, raft_term: term });
    this.headerJson = json;
    this.headerJsonRevision = revision;
    this.headerJsonTerm = term;
    return json;
  }

  /** The last encodedHeader answer, for the revision and term it holds (bindHeader forgets it). */
  private headerJson: JsonObject | undefined = undefined;
  private headerJsonRevision = 0;
  private headerJsonTerm = 0;

  private ok(schema: Schema, resp: { header?: ResponseHeader }): WireReply {
    return { ok: true, body: encodeWithEncodedHeader(schema, resp, this.encodedHeader(resp.header)) };
  }

  /** Whether this member holds `token` now (a look that does not count as a use: its TTL stays). */
  holdsToken(token: string): boolean {
    return this.applier.auth.tokens.holds(token, this.nowMs);
  }

  /** The user a token stands for now, as etcd's AuthInfoFromCtx finds it. */
  tokenAuth(token: string | undefined): TokenAuth {
    if (token === undefined) return NO_TOKEN;
    const ai = this.applier.auth.authInfoFromToken(token, this.nowMs);
    return ai === undefined ? { error: ErrInvalidAuthToken } : { ai };
  }

  /**
   * `token`: the client's auth token (gRPC metadata "token", the gateway's Authorization header).
   * Writes carry its user to the applier, which checks their permissions; reads and the
   * maintenance hashes are checked here, on the member's applied auth store, when they run.
   * `decoded`: the body already decoded by its sender (ClientRequestMessage.decoded), read instead
   * of decoding `body`.
   */
  classify(path: string, body: unknown, _memberHeader?: MemberHeader, decoded?: object, token?: string): Classified {
    const authKind = authKindOf(path);
    if (authKind !== undefined) return this.classifyAuth(authKind, body, token);
    const api = apiPath(path);
    if (api === undefined || api.path === '/v3/watch') {
      return { kind: 'invalid', error: { error: 'Not Found', code: 12, message: 'Not Found' } };
    }
    let r: object;
    if (decoded !== undefined) r = decoded;
    else {
      const d = decodeMessage<object>(api.request, body ?? {});
      if (!d.ok) return { kind: 'invalid', error: wireError(errBadRequest(d.error)) };
      r = d.value;
    }
    // A proposal is measured and put in the normal form its raft entry carries in one walk; a
    // read is only measured.
    const normal = proposes(api.path, r) ? normalizeMeasured(api.request, r) : undefined;
    // gRPC refuses a message over MaxRequestBytes + 512 KiB before etcd sees it.
    const sizeBytes = normal !== undefined ? normal.protoSize : messageSize(api.request, r);
    if (sizeBytes > MAX_GRPC_RECV_BYTES) return { kind: 'invalid', error: wireError(errMessageTooLarge(sizeBytes, MAX_GRPC_RECV_BYTES)) };
    // The decoded value has the shape of this path's request schema (every field optional).
    switch (api.path) {
      case '/v3/kv/range': return this.classifyRange(r, token);
      case '/v3/kv/put': return this.checked(checkPutRequest(r), { kind: 'put', request: r }, sizeBytes, token, normal);
      case '/v3/kv/deleterange': return this.checked(checkDeleteRequest(r), { kind: 'delete_range', request: r }, sizeBytes, token, normal);
      case '/v3/kv/txn': return this.classifyTxn(r, sizeBytes, token, normal);
      case '/v3/kv/compaction': return this.propose({ kind: 'compaction', request: r }, sizeBytes, token, normal);
      case '/v3/lease/grant': return this.classifyGrant(r, token);
      case '/v3/lease/revoke': case '/v3/kv/lease/revoke': return this.propose({ kind: 'lease_revoke', request: r }, sizeBytes, token, normal);
      case '/v3/lease/keepalive': return { kind: 'leader-lease', serve: (now) => this.keepAlive(r, now), ready: (now) => this.renewReady(r, now) };
      case '/v3/lease/timetolive': case '/v3/kv/lease/timetolive': return { kind: 'leader-lease', serve: (now) => this.timeToLive(r, now) };
      case '/v3/lease/leases': case '/v3/kv/lease/leases': return { kind: 'local', serve: () => this.leases() };
      case '/v3/maintenance/hash': return this.tokenWait(token) ?? { kind: 'local', serve: () => this.asAdmin(token, () => this.ok(S.HashResponse, { header: {}, hash: this.applier.hash().hash } as never)) };
      case '/v3/maintenance/hashkv': return this.tokenWait(token) ?? { kind: 'local', serve: () => this.asAdmin(token, () => this.hashKV(r)) };
      default: return { kind: 'local', serve: () => this.ok(api.response, {}) };
    }
  }

  private classifyRange(r: RangeRequest, token: string | undefined): Classified {
    const err = checkRangeRequest(r);
    if (err !== undefined) return { kind: 'invalid', error: wireError(err) };
    const read = (): WireReply => this.reply(S.RangeResponse, this.applier.range(r));
    return this.tokenWait(token) ?? { kind: 'read', serializable: r.serializable === true, read: () => this.serialized(token, (ai) => this.applier.auth.isRangePermitted(ai, r.key ?? '', permissionEnd(r)), read) };
  }

  private classifyTxn(r: TxnRequest, sizeBytes: number, token: string | undefined, normal: MeasuredNormal | undefined): Classified {
    const err = checkTxn(r);
    if (err !== undefined) return { kind: 'invalid', error: wireError(err) };
    if (!isTxnReadonly(r)) return this.propose({ kind: 'txn', request: r }, sizeBytes, token, normal);
    const read = (): WireReply => this.reply(S.TxnResponse, this.applier.readTxn(r));
    return this.tokenWait(token) ?? { kind: 'read', serializable: isTxnSerializable(r), read: () => this.serialized(token, (ai) => checkTxnAuth(this.applier.auth, ai, r), read) };
  }

  /**
   * etcd's isValidSimpleToken: a token issued at a raft index this member has not applied yet
   * (Authenticate went through another member, ahead of this one) holds the request until the
   * member has applied it; etcd waits for as long as the client does, the member up to its
   * request timeout, then answers what etcd answers when the wait ends unfinished.
   */
  private tokenWait(token: string | undefined): Classified | undefined {
    if (token === undefined) return undefined;
    const index = simpleTokenIndex(token);
    if (index === undefined || index <= this.consistentIndex()) return undefined;
    return { kind: 'wait-applied', index, timeoutError: wireError(ErrInvalidAuthToken) };
  }

  /**
   * etcd's doSerialize: once the read may run (after ReadIndex), the token's user is looked up
   * and checked on the applied auth store, then the read runs (no user: "user name is empty"
   * while authentication is enabled).
   */
  private serialized(token: string | undefined, check: (ai: AuthInfo | undefined) => EtcdError | undefined, read: () => WireReply): WireReply {
    const t = this.tokenAuth(token);
    if ('error' in t) return fail(t.error);
    const denied = check(t.ai ?? { username: '', revision: 0 });
    return denied !== undefined ? fail(denied) : read();
  }

  /** The maintenance server's isAuthenticated (Hash, HashKV): root only, errors untranslated. */
  private asAdmin(token: string | undefined, serve: () => WireReply): WireReply {
    const t = this.tokenAuth(token);
    if ('error' in t) return fail(untranslated(t.error));
    const denied = this.applier.auth.isAdminPermitted(t.ai);
    return denied !== undefined ? fail(untranslated(denied)) : serve();
  }

  /**
   * Every auth method goes through raft, as in etcd 3.4. Authenticate first makes a
   * linearizable read (etcd's linearizableReadNotify: a user added or re-passworded through
   * another member is seen), then checks the password on this member's store (CheckPassword)
   * and proposes the token's random prefix with it.
   */
  private classifyAuth(kind: AuthRaftKind, body: unknown, token: string | undefined): Classified {
    const decoded = decodeMessage<AuthRequest>(kind === 'authenticate' ? AuthenticateRequest : AUTH_METHODS[kind].request, body ?? {});
    if (!decoded.ok) return { kind: 'invalid', error: wireError(errBadRequest(decoded.error)) };
    const r = decoded.value;
    if (kind !== 'authenticate') return this.propose({ kind, request: r }, undefined, token);
    return this.tokenWait(token) ?? { kind: 'read-then-propose', after: () => this.authenticate(r, token) };
  }

  /**
   * After Authenticate's read: the password, then the caller's own token (raftRequestOnce's
   * AuthInfoFromCtx). Once the entry applied, etcd compares the auth revision the password was
   * checked at with the store's: if another auth request applied in between (the password
   * changed, the user went), it checks and proposes again, and the client gets that answer.
   */
  private authenticate(r: AuthRequest, token: string | undefined): Refused | Proposal {
    const err = this.applier.auth.checkPassword(r.name ?? '', r.password ?? '');
    if (err !== undefined) return { kind: 'invalid', error: wireError(err) };
    const checkedRevision = this.applier.auth.revision;
    const t = this.tokenAuth(token);
    if ('error' in t) return { kind: 'invalid', error: wireError(t.error) };
    return {
      kind: 'propose',
      encode: (requestId) => this.encode(requestId, { kind: 'authenticate', request: withFields(r, { simple_token: simpleTokenPrefix(requestId) }) }, undefined, t.ai),
      recheck: () => (this.applier.auth.revision === checkedRevision ? undefined : this.authenticate(r, token)),
    };
  }

  /** ID 0: the member picks a positive id from its request id generator, as etcd does. */
  private classifyGrant(r: LeaseGrantRequest, token: string | undefined): Classified {
    const wait = this.tokenWait(token);
    if (wait !== undefined) return wait;
    const t = this.tokenAuth(token);
    if ('error' in t) return { kind: 'invalid', error: wireError(t.error) };
    return {
      kind: 'propose',
      encode: (requestId) => {
        const id = (r.ID ?? 0n) === 0n ? BigInt(requestId) & ((1n << 63n) - 1n) : r.ID!;
        return this.encode(requestId, { kind: 'lease_grant', request: withFields(r, { ID: id }) }, undefined, t.ai);
      },
    };
  }

  private checked(err: EtcdError | undefined, req: RaftRequest, requestBytes: number, token: string | undefined, normal: MeasuredNormal | undefined): Classified {
    if (err !== undefined) return { kind: 'invalid', error: wireError(err) };
    return this.propose(req, requestBytes, token, normal);
  }

  /**
   * `requestBytes`: the request's encoded size (classify measured it), not measured again. The
   * token's user goes into the entry (etcd's processInternalRaftRequestOnce); an unknown token
   * is refused before raft.
   */
  private propose(req: RaftRequest, requestBytes: number | undefined, token: string | undefined, normal?: MeasuredNormal): Classified {
    const wait = this.tokenWait(token);
    if (wait !== undefined) return wait;
    const t = this.tokenAuth(token);
    if ('error' in t) return { kind: 'invalid', error: wireError(t.error) };
    return { kind: 'propose', encode: (requestId) => this.encode(requestId, req, requestBytes, t.ai, normal) };
  }

  /** `normal`: the request's normal form and text length (classify measured them): the entry carries it as it is. */
  private encode(requestId: string, body: RaftRequest, requestBytes?: number, auth?: AuthInfo, normal?: MeasuredNormal): { data: EntryData; sizeBytes: number } {
    const r = auth === undefined ? { id: requestId, body } : { id: requestId, body, auth };
    return { data: normal !== undefined ? normalRaftRequestData(r, normal) : raftRequestData(r), sizeBytes: raftRequestSize(r, requestBytes) };
  }

  private reply(schema: Schema, resp: { header?: ResponseHeader } | EtcdError): WireReply {
    return isErr(resp) ? fail(resp) : this.ok(schema, resp);
  }

  /** etcd's HashKV: the hash of the store up to `revision` (0: now); compacted and future revisions are errors. */
  private hashKV(r: HashKVRequest): WireReply {
    const rev = r.revision ?? 0;
    const store = this.applier.hash();
    if (rev > 0 && rev > store.revision) return fail(ErrFutureRev);
    // etcd 3.4 refuses the compact revision itself too (kvstore HashByRev: rev <= compactRev; 3.6 serves it).
    if (rev > 0 && rev <= store.compactRevision) return fail(ErrCompacted);
    const h = this.applier.hash(rev);
    return this.ok(S.HashKVResponse, { header: {}, hash: h.hash, compact_revision: h.compactRevision } as never);
  }

  private keepAlive(r: LeaseKeepAliveRequest, nowMs: number): WireReply | ProposeFirst {
    const id = r.ID ?? 0n;
    const lessor = this.applier.lessor;
    const res = lessor.renew(id, nowMs);
    if (res.kind === 'clear-checkpoint') {
      // etcd's Renew: the checkpoint of 0 goes through raft before the refresh, so every member
      // forgets the checkpointed remaining TTL and the next leader restarts the lease in full.
      const checkpoints = [{ ID: id, remaining_TTL: 0 }];
      return {
        entry: (requestId) => raftRequestData({ id: requestId, body: { kind: 'lease_checkpoint', request: { checkpoints } } }),
        then: (now) => this.ok(S.LeaseKeepAliveResponse, { header: {}, ID: id, TTL: lessor.renewCleared(res.lease, now) } as never),
      };
    }
    // The member holds a renew until its lessor is primary (renewReady): etcd never answers a
    // keep-alive with "not primary".
    if (res.kind === 'not-primary') throw violated('server', 'renew-on-primary', `keep-alive of lease ${id} served by a lessor that is not primary`);
    // An unknown lease answers TTL 0, not an error (one expired and not yet revoked is held
    // by the member until renewReady: then it is unknown, or the lessor was demoted).
    const ttl = res.kind === 'renewed' ? res.ttlSeconds : 0;
    return this.ok(S.LeaseKeepAliveResponse, { header: {}, ID: id, TTL: ttl } as never);
  }

  /**
   * False while etcd's LeaseRenew would wait:
   * - the lessor is not primary yet (a leader that has not applied its term's first entry):
   *   etcd retries the renew until it is, or answers "request timed out"; a client never sees
   *   "not primary" (etcd be1f36d, #6922);
   * - the lease has expired and its revoke has not applied (lessor.Renew blocks): answering TTL 0
   *   at once would say "not found" while the lease and its keys still exist (and live on if
   *   the revoke never commits).
   */
  private renewReady(r: LeaseKeepAliveRequest, nowMs: number): boolean {
    const lessor = this.applier.lessor;
    return lessor.isPrimary() && lessor.lookup(r.ID ?? 0n)?.expired(nowMs) !== true;
  }

  private timeToLive(r: LeaseTimeToLiveRequest, nowMs: number): WireReply {
    const id = r.ID ?? 0n;
    const t = this.applier.lessor.timeToLive(id, nowMs);
    if (t === undefined) return this.ok(S.LeaseTimeToLiveResponse, { header: {}, ID: id, TTL: -1 } as never);
    const resp = { header: {}, ID: id, TTL: t.ttlSeconds, grantedTTL: t.grantedTtlSeconds, ...(r.keys === true ? { keys: t.keys } : {}) };
    return this.ok(S.LeaseTimeToLiveResponse, resp);
  }

  private leases(): WireReply {
    const leases = this.applier.lessor.list().map((l) => ({ ID: l.id }));
    return this.ok(S.LeaseLeasesResponse, { header: {}, leases } as never);
  }

  apply(index: number, _term: number, data: EntryData, nowMs: number, proposedHere?: (requestId: string) => boolean): Applied {
    this.nowMs = nowMs;
    let req = decodeRaftRequest(data);
    // Planted bug (etcd#18667): a member that will not answer the client drops a txn's ranges
    // (nobody reads their results), and with them their revision checks: where a range asks
    // for a compacted revision, the proposer fails the txn and every other member applies it.
    if (this.applier.bugs.has('txn-ranges-stripped') && req.body.kind === 'txn' && proposedHere?.(req.id) !== true) {
      req = withFields(req, { body: { kind: 'txn' as const, request: stripRanges(req.body.request) } });
    }
    if (this.appliedIds.seen(req.id)) {
      // The same proposal committed twice: the simulated network duplicated a forwarded MsgProp
      // (TCP never would). It changes nothing the second time, and its client was answered.
      this.applier.applyNoop(index);
      return { requestId: '', reply: { ok: true, body: {} }, revokedLeases: [] };
    }
    const res = this.applier.apply(index, req, nowMs);
    if (res === undefined) throw violated('server', 'apply-once', `entry ${index} at or below consistent index ${this.consistentIndex()}`);
    // Only the member that proposed the request answers it: the others do not encode a reply.
    const answers = proposedHere === undefined || proposedHere(res.requestId);
    const reply = !answers ? UNREAD_REPLY : res.ok ? this.ok(RESPONSE_SCHEMA[req.body.kind], res.response as { header?: ResponseHeader }) : fail(res.response as EtcdError);
    const revokedLeases = res.revokedLeases.length === 0 ? NO_LEASES : res.revokedLeases.map((id) => this.forgetLeaseNumber(id));
    return { requestId: res.requestId, reply, revokedLeases };
  }

  applyNoop(index: number): void {
    this.applier.applyNoop(index);
  }

  promoteLessor(nowMs: number, extendMs: number): void {
    this.applier.lessor.promote(nowMs, extendMs);
  }

  demoteLessor(): void {
    this.applier.lessor.demote();
  }

  expiredLeases(nowMs: number, max: number): number[] {
    return this.applier.lessor.findExpiredLeases(nowMs, max).map((id) => this.leaseNumber(id));
  }

  encodeLeaseRevoke(id: number, requestId: string): EntryData {
    const lease = this.leaseIdByNumber.get(id) ?? BigInt(id);
    return raftRequestData({ id: requestId, body: { kind: 'lease_revoke', request: { ID: lease } } });
  }

  /** The port's number for a lease, remembering the exact id until its revoke applies. */
  private leaseNumber(id: LeaseId): number {
    const n = Number(id);
    this.leaseIdByNumber.set(n, id);
    return n;
  }

  private forgetLeaseNumber(id: LeaseId): number {
    const n = Number(id);
    this.leaseIdByNumber.delete(n);
    return n;
  }

  checkpoints(nowMs: number, newRequestId: () => string): EntryData[] {
    const due = this.applier.lessor.findDueCheckpoints(nowMs, this.options.checkpointBatchMax ?? CHECKPOINT_BATCH_MAX_DEFAULT);
    if (due.length === 0) return [];
    const checkpoints = due.map((c) => ({ ID: c.id, remaining_TTL: c.remainingTtlSeconds }));
    return [raftRequestData({ id: newRequestId(), body: { kind: 'lease_checkpoint', request: { checkpoints } } })];
  }

  openWatchStream(token?: string): WatchStreamPort {
    const s = new EtcdWatchStream(this, token);
    this.streams.add(s);
    return s;
  }

  /** @internal */
  forgetStream(s: EtcdWatchStream): void {
    this.streams.delete(s);
  }

  onTick(nowMs: number): void {
    this.nowMs = nowMs;
    const w = this.applier.watchable;
    if (nowMs - this.lastVictimMs >= (this.options.watchVictimIntervalMs ?? WATCH_VICTIM_INTERVAL_MS_DEFAULT) && !this.buggify('watch.victims-skipped')) {
      this.lastVictimMs = nowMs;
      w.moveVictims();
    }
    if (nowMs - this.lastSyncMs >= (this.options.watchSyncIntervalMs ?? WATCH_SYNC_INTERVAL_MS_DEFAULT)) {
      this.lastSyncMs = nowMs;
      w.syncWatchers();
    }
    const every = this.options.progressNotifyIntervalMs ?? PROGRESS_NOTIFY_INTERVAL_MS_DEFAULT;
    if (nowMs - this.lastProgressMs >= every) {
      this.lastProgressMs = nowMs;
      if (!this.buggify('watch.progress-skipped')) for (const s of this.streams) s.stream.progressTick();
    }
  }

  snapshot(): string {
    const snap: StateMachineSnapshot = { applier: this.applier.snapshot(), appliedRequestIds: this.appliedIds.list() };
    return JSON.stringify(snap);
  }

  restore(data: string, _nowMs?: number): void {
    this.statusCache = undefined;
    const snap = JSON.parse(data) as StateMachineSnapshot;
    this.applier.restore(snap.applier);
    this.appliedIds = new AppliedRequestIds(snap.appliedRequestIds);
  }

  /** Cached per (revision, compact revision): the hash walks the whole log, and checks poll often. */
  private statusCache: { revision: number; compactRevision: number; hashKV: number } | undefined;

  status(): { revision: number; compactRevision: number; hashKV: number } {
    const store = this.applier.store;
    const c = this.statusCache;
    if (c !== undefined && c.revision === store.currentRev && c.compactRevision === store.compactMainRev) return c;
    this.statusCache = { revision: store.currentRev, compactRevision: store.compactMainRev, hashKV: this.applier.hash().hash };
    return this.statusCache;
  }
}

/**
 * Bound on the requests a watch stream holds behind a create whose token waits for its raft
 * index (etcd's recvLoop blocks there, and gRPC's flow control then stops the sender); past it
 * the stream's further requests are dropped.
 */
const WATCH_HELD_REQUESTS_MAX = 1_000;

const NO_RESPONSES: readonly unknown[] = [];

/** One client watch stream: WatchRequests in, gateway WatchResponses out. */
class EtcdWatchStream implements WatchStreamPort {
  readonly stream;
  /**
   * Requests received since a create whose token names a raft index this member has not applied,
   * that create first: etcd's recvLoop waits in isWatchPermitted's AuthInfoFromCtx (the simple
   * token's index wait, as long as the stream lives) and reads nothing more meanwhile. Every
   * create of a stream carries the stream's token, so once the index applies none waits again.
   */
  private held: unknown[] = [];
  private heldUntilIndex = 0;

  constructor(private readonly sm: EtcdStateMachine, private readonly token: string | undefined) {
    this.stream = sm.applier.openWatchStream();
  }

  handle(body: unknown): readonly unknown[] {
    if (this.held.length > 0) {
      if (this.held.length < WATCH_HELD_REQUESTS_MAX) this.held.push(body);
      return this.poll();
    }
    return this.serve(body);
  }

  /** One request; its answers and whatever the stream has ready after it. */
  private serve(body: unknown): readonly unknown[] {
    const d = decodeMessage<WatchRequest>(S.WatchRequest, body ?? {});
    if (d.ok) {
      const r = d.value;
      if (r.create_request !== undefined && this.awaitsTokenIndex()) {
        this.held = [body];
        return this.poll();
      }
      const denied = r.create_request === undefined ? undefined : this.watchDenied(r.create_request.key ?? '', r.create_request.range_end ?? '');
      if (denied !== undefined) return [denied, ...this.poll()];
      if (r.create_request !== undefined) this.stream.create(r.create_request);
      else if (r.cancel_request !== undefined) this.stream.cancel(r.cancel_request.watch_id ?? 0);
      else if (r.progress_request !== undefined) this.stream.requestProgress();
    }
    return this.poll();
  }

  /** Whether the stream's token names a raft index this member has not applied yet (etcd's isValidSimpleToken wait). */
  private awaitsTokenIndex(): boolean {
    const index = this.token === undefined ? undefined : simpleTokenIndex(this.token);
    if (index === undefined || index <= this.sm.consistentIndex()) return false;
    this.heldUntilIndex = index;
    return true;
  }

  /**
   * etcd 3.4's isWatchPermitted: a create the stream's user may not read is answered created and
   * canceled at once, watch id -1, with the gRPC error's text as the reason (no watcher made).
   */
  private watchDenied(key: string, rangeEnd: string): JsonObject | undefined {
    const t = this.sm.tokenAuth(this.token);
    const err = 'error' in t ? t.error : this.sm.applier.auth.isRangePermitted(t.ai ?? { username: '', revision: 0 }, key, rangeEnd);
    if (err === undefined) return undefined;
    const reason = `rpc error: code = ${GRPC_CODE_NAMES[err.code] ?? 'Unknown'} desc = ${err.message}`;
    return encodeWithHeader(S.WatchResponse, { watch_id: -1, created: true, canceled: true, cancel_reason: reason }, this.sm.fill(undefined));
  }

  poll(): readonly unknown[] {
    if (this.held.length > 0 && this.heldUntilIndex <= this.sm.consistentIndex()) {
      const requests = this.held;
      this.held = [];
      return requests.flatMap((body) => this.serve(body));
    }
    // Asked after every persisted Ready for every stream: nothing ready answers one shared empty array.
    if (!this.stream.hasOutput()) return NO_RESPONSES;
    return this.stream.take().map((resp): JsonObject => {
      // A compaction cancel keeps its revision 0, as etcd sends it.
      const keepZero = resp.compact_revision !== undefined && resp.compact_revision !== 0;
      return encodeWithEncodedHeader(S.WatchResponse, resp, this.sm.encodedHeader(resp.header, keepZero));
    });
  }

  close(): void {
    this.stream.close();
    this.sm.forgetStream(this);
  }
}

/** Whether a request of this path (the decoded `r`) becomes a raft entry: every write, and a txn that is not read-only. */
function proposes(path: string, r: object): boolean {
  switch (path) {
    case '/v3/kv/put': case '/v3/kv/deleterange': case '/v3/kv/compaction': case '/v3/lease/revoke': case '/v3/kv/lease/revoke': return true;
    case '/v3/kv/txn': return !isTxnReadonly(r);
    default: return false;
  }
}

/** Go's codes.Code String() for the codes an auth check answers. */
const GRPC_CODE_NAMES: Record<number, string> = { 3: 'InvalidArgument', 7: 'PermissionDenied', 9: 'FailedPrecondition', 16: 'Unauthenticated' };

function stripRanges(t: TxnRequest): TxnRequest {
  const out: TxnRequest = { ...t };
  if (t.success !== undefined) out.success = t.success.filter((op) => op.request_range === undefined);
  if (t.failure !== undefined) out.failure = t.failure.filter((op) => op.request_range === undefined);
  return out;
}

export function makeEtcdStateMachine(config: MemberConfig): StateMachinePort {
  const options: { progressNotifyIntervalMs?: number; checkpointingEnabled?: boolean; checkpointIntervalMs?: number } = {};
  if (config.progressNotifyIntervalMs !== undefined) options.progressNotifyIntervalMs = config.progressNotifyIntervalMs;
  if (config.leaseCheckpointing !== undefined) options.checkpointingEnabled = config.leaseCheckpointing;
  if (config.leaseCheckpointIntervalMs !== undefined) options.checkpointIntervalMs = config.leaseCheckpointIntervalMs;
  return new EtcdStateMachine(config, options);
}
