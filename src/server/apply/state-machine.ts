// The member's StateMachinePort (../state-machine-port.ts) over the applier: request
// classification and validation, raft entry encoding, apply with wire replies, the read path,
// the leader's lease calls, watch streams and their background loops, snapshots and status.
import type { EtcdError } from '../../api/errors.ts';
import { ErrNoLeader, errBadRequest, errMessageTooLarge, GRPC_CODE } from '../../api/errors.ts';
import type { HeaderSource } from '../../api/header.ts';
import { fillWatchHeader } from '../../api/header.ts';
import type { Decoded } from '../../api/json-codec.ts';
import { decodeMessage, encodeMessage } from '../../api/json-codec.ts';
import { apiPath } from '../../api/paths.ts';
import { MAX_GRPC_RECV_BYTES, messageSize } from '../../api/proto-size.ts';
import * as S from '../../api/schema.ts';
import type {
  DeleteRangeRequest, LeaseGrantRequest, LeaseKeepAliveRequest, LeaseTimeToLiveRequest,
  PutRequest, RangeRequest, TxnRequest, WatchRequest, WatchResponse,
} from '../../api/types.ts';
import { checkDeleteRequest, checkPutRequest, checkRangeRequest, checkTxn, isTxnReadonly, isTxnSerializable } from '../../api/validate.ts';
import type { LessorConfig } from '../../lease/lessor.ts';
import { DEFAULT_LESSOR_CONFIG } from '../../lease/lessor.ts';
import type { LeaseId } from '../../mvcc/key-value.ts';
import { assert } from '../../mvcc/errors.ts';
import type { WatchStream } from '../../watch/watch-stream.ts';
import type { Applied, Classified, MemberHeader, StateMachinePort, WatchStreamPort, WireReply } from '../state-machine-port.ts';
import type { ApplierSnapshot } from './applier.ts';
import { Applier } from './applier.ts';
import type { RaftRequest } from './raft-request.ts';
import { decodeRaftRequest, encodeRaftRequest, raftRequestSize } from './raft-request.ts';
import { errorReply, wireReply } from './wire-reply.ts';

export interface StateMachineConfig {
  readonly lessor: LessorConfig;
  /** etcd syncs unsynced watchers every 100 ms. */
  readonly watchSyncIntervalMs: number;
  /** etcd retries victim watchers every 10 ms. */
  readonly watchVictimIntervalMs: number;
  /** --experimental-watch-progress-notify-interval: 10 min by default (robustness tests: 100 ms). */
  readonly progressNotifyIntervalMs: number;
  /** Lease checkpoints proposed per entry (etcd's maxLeaseCheckpointBatchSize). */
  readonly checkpointBatchMax: number;
}

export const DEFAULT_STATE_MACHINE_CONFIG: StateMachineConfig = {
  lessor: DEFAULT_LESSOR_CONFIG,
  watchSyncIntervalMs: 100,
  watchVictimIntervalMs: 10,
  progressNotifyIntervalMs: 10 * 60 * 1000,
  checkpointBatchMax: 1000,
};

const NOT_FOUND: EtcdError = { message: 'Not Found', code: GRPC_CODE.NotFound };

export class EtcdStateMachine implements StateMachinePort {
  readonly applier: Applier;
  private header: HeaderSource | undefined;
  private readonly streams = new Set<WatchStream>();
  /** Lease ids by their number form, so that ids above 2^53 survive the port's number type. */
  private readonly leaseIdByNumber = new Map<number, LeaseId>();
  private nextSyncMs = 0;
  private nextVictimMs = 0;
  private nextProgressMs: number | undefined;

  constructor(readonly config: StateMachineConfig = DEFAULT_STATE_MACHINE_CONFIG, header?: HeaderSource) {
    this.applier = new Applier(config.lessor);
    this.header = header;
  }

  /** The header source for replies produced outside classify (apply, watch streams). */
  bindHeader(h: MemberHeader): void {
    this.header = h;
  }

  consistentIndex(): number {
    return this.applier.consistentIndex();
  }

  classify(path: string, body: unknown, memberHeader: MemberHeader): Classified {
    this.header ??= memberHeader;
    const api = apiPath(path);
    if (api === undefined) return invalid(NOT_FOUND);
    const d = decodeMessage<Record<string, unknown>>(api.request, body);
    if (!d.ok) return invalid(errBadRequest(d.error));
    const size = messageSize(api.request, d.value);
    if (size > MAX_GRPC_RECV_BYTES) return invalid(errMessageTooLarge(size, MAX_GRPC_RECV_BYTES));
    return this.classifyDecoded(path, d, memberHeader);
  }

  private classifyDecoded(path: string, d: Decoded<Record<string, unknown>> & { ok: true }, h: MemberHeader): Classified {
    const a = this.applier;
    switch (path) {
      case '/v3/kv/range': {
        const r = d.value as RangeRequest;
        const err = checkRangeRequest(r);
        if (err !== undefined) return invalid(err);
        return { kind: 'read', serializable: r.serializable === true, read: () => wireReply(S.RangeResponse, a.range(r), h, a.store.currentRev) };
      }
      case '/v3/kv/put': {
        const r = d.value as PutRequest;
        return checkOr(checkPutRequest(r), () => propose({ kind: 'put', request: r }));
      }
      case '/v3/kv/deleterange': {
        const r = d.value as DeleteRangeRequest;
        return checkOr(checkDeleteRequest(r), () => propose({ kind: 'delete_range', request: r }));
      }
      case '/v3/kv/txn': {
        const r = d.value as TxnRequest;
        const err = checkTxn(r);
        if (err !== undefined) return invalid(err);
        if (!isTxnReadonly(r)) return propose({ kind: 'txn', request: r });
        return { kind: 'read', serializable: isTxnSerializable(r), read: () => wireReply(S.TxnResponse, a.readTxn(r), h, a.store.currentRev) };
      }
      case '/v3/kv/compaction':
        return propose({ kind: 'compaction', request: d.value });
      case '/v3/lease/grant':
        return this.classifyGrant(d.value);
      case '/v3/lease/revoke':
      case '/v3/kv/lease/revoke':
        return propose({ kind: 'lease_revoke', request: d.value });
      case '/v3/lease/keepalive':
        return { kind: 'leader-lease', serve: (nowMs) => this.keepAlive(d.value, nowMs, h) };
      case '/v3/lease/timetolive':
      case '/v3/kv/lease/timetolive':
        return { kind: 'leader-lease', serve: (nowMs) => this.timeToLive(d.value, nowMs, h) };
      case '/v3/lease/leases':
      case '/v3/kv/lease/leases':
        return { kind: 'local', serve: () => this.leases(h) };
      case '/v3/maintenance/hash':
        return { kind: 'local', serve: () => wireReply(S.HashResponse, { header: {}, hash: a.hash().hash }, h, a.store.currentRev) };
      default:
        return invalid(NOT_FOUND);
    }
  }

  /** ID 0: the member picks a positive id before proposing (etcd: reqIDGen.Next() & (2^63-1)). */
  private classifyGrant(r: LeaseGrantRequest): Classified {
    return {
      kind: 'propose',
      encode: (requestId) => {
        let id = r.ID ?? 0n;
        if (id === 0n) id = BigInt(requestId) & ((1n << 63n) - 1n);
        if (id === 0n) id = 1n;
        return encodeEntry(requestId, { kind: 'lease_grant', request: { ...r, ID: id } });
      },
    };
  }

  apply(index: number, _term: number, data: string, nowMs: number): Applied {
    const req = decodeRaftRequest(data);
    const r = this.applier.apply(index, req, nowMs);
    assert(r !== undefined, 'state-machine: the member applies each index once');
    const schema = RESPONSE_SCHEMA[req.body.kind];
    const reply = wireReply(schema, r.response, this.header, this.applier.store.currentRev);
    return { requestId: req.id, reply, revokedLeases: r.revokedLeases.map((id) => this.leaseNumber(id)) };
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

  encodeLeaseRevoke(id: number, requestId: string): string {
    const lease = this.leaseIdByNumber.get(id) ?? BigInt(id);
    return encodeRaftRequest({ id: requestId, body: { kind: 'lease_revoke', request: { ID: lease } } });
  }

  checkpoints(nowMs: number, newRequestId: () => string): string[] {
    const cps = this.applier.lessor.findDueCheckpoints(nowMs, this.config.checkpointBatchMax);
    if (cps.length === 0) return [];
    const checkpoints = cps.map((c) => ({ ID: c.id, remaining_TTL: c.remainingTtlSeconds }));
    return [encodeRaftRequest({ id: newRequestId(), body: { kind: 'lease_checkpoint', request: { checkpoints } } })];
  }

  openWatchStream(): WatchStreamPort {
    const stream = this.applier.openWatchStream();
    this.streams.add(stream);
    const encode = (rs: WatchResponse[]): unknown[] => rs.map((r) => {
      const filled = this.header === undefined ? r : { ...r, header: fillWatchHeader(r.header, this.header) };
      return encodeMessage(S.WatchResponse, filled);
    });
    return {
      handle: (body) => {
        const d = decodeMessage<WatchRequest>(S.WatchRequest, body);
        if (d.ok) {
          const w = d.value;
          if (w.create_request !== undefined) stream.create(w.create_request);
          else if (w.cancel_request !== undefined) stream.cancel(w.cancel_request.watch_id ?? 0);
          else if (w.progress_request !== undefined) stream.requestProgress();
        }
        return encode(stream.take());
      },
      poll: () => encode(stream.take()),
      close: () => {
        stream.close();
        this.streams.delete(stream);
      },
    };
  }

  onTick(nowMs: number): void {
    const ws = this.applier.watchable;
    if (nowMs >= this.nextVictimMs) {
      ws.moveVictims();
      this.nextVictimMs = nowMs + this.config.watchVictimIntervalMs;
    }
    if (nowMs >= this.nextSyncMs) {
      ws.syncWatchers();
      this.nextSyncMs = nowMs + this.config.watchSyncIntervalMs;
    }
    this.nextProgressMs ??= nowMs + this.config.progressNotifyIntervalMs;
    if (nowMs >= this.nextProgressMs) {
      for (const s of this.streams) s.progressTick();
      this.nextProgressMs = nowMs + this.config.progressNotifyIntervalMs;
    }
  }

  snapshot(): string {
    return JSON.stringify(this.applier.snapshot());
  }

  restore(data: string, _nowMs: number): void {
    this.applier.restore(JSON.parse(data) as ApplierSnapshot);
  }

  status(): { revision: number; compactRevision: number; hashKV: number } {
    const h = this.applier.hash();
    return { revision: h.revision, compactRevision: h.compactRevision, hashKV: h.hash };
  }

  private keepAlive(r: LeaseKeepAliveRequest, nowMs: number, h: HeaderSource): WireReply {
    const id = r.ID ?? 0n;
    const res = this.applier.lessor.renew(id, nowMs);
    if (res.kind === 'not-primary') return errorReply(ErrNoLeader);
    // An unknown lease answers TTL 0, not an error. An expired lease waiting for its revoke
    // would block in etcd until the revoke applies and then answer the same TTL 0.
    const ttl = res.kind === 'renewed' ? res.ttlSeconds : 0;
    // Unwrapped: the HTTP bridge writes streaming calls as {"result": ...} lines, as the gateway does.
    return wireReply(S.LeaseKeepAliveResponse, { header: {}, ID: id, TTL: ttl }, h, this.applier.store.currentRev);
  }

  private timeToLive(r: LeaseTimeToLiveRequest, nowMs: number, h: HeaderSource): WireReply {
    const id = r.ID ?? 0n;
    const t = this.applier.lessor.timeToLive(id, nowMs);
    const rev = this.applier.store.currentRev;
    if (t === undefined) return wireReply(S.LeaseTimeToLiveResponse, { header: {}, ID: id, TTL: -1 }, h, rev);
    return wireReply(S.LeaseTimeToLiveResponse, {
      header: {}, ID: id, TTL: t.ttlSeconds, grantedTTL: t.grantedTtlSeconds, ...(r.keys === true ? { keys: t.keys } : {}),
    }, h, rev);
  }

  private leases(h: HeaderSource): WireReply {
    const leases = this.applier.lessor.list().map((l) => ({ ID: l.id }));
    return wireReply(S.LeaseLeasesResponse, { header: {}, leases }, h, this.applier.store.currentRev);
  }

  private leaseNumber(id: LeaseId): number {
    const n = Number(id);
    this.leaseIdByNumber.set(n, id);
    return n;
  }
}

const RESPONSE_SCHEMA: Record<RaftRequest['kind'], S.Schema> = {
  put: S.PutResponse,
  delete_range: S.DeleteRangeResponse,
  txn: S.TxnResponse,
  compaction: S.CompactionResponse,
  lease_grant: S.LeaseGrantResponse,
  lease_revoke: S.LeaseRevokeResponse,
  lease_checkpoint: S.LeaseCheckpointResponse,
};

function invalid(err: EtcdError): Classified {
  return { kind: 'invalid', error: { error: err.message, code: err.code, message: err.message } };
}

function checkOr(err: EtcdError | undefined, ok: () => Classified): Classified {
  return err !== undefined ? invalid(err) : ok();
}

function encodeEntry(requestId: string, body: RaftRequest): { data: string; sizeBytes: number } {
  const r = { id: requestId, body };
  return { data: encodeRaftRequest(r), sizeBytes: raftRequestSize(r) };
}

function propose(body: RaftRequest): Classified {
  return { kind: 'propose', encode: (requestId) => encodeEntry(requestId, body) };
}

