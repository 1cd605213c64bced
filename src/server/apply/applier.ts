// The applier: what every member runs on each committed entry, and the local read path. It owns
// the replicated state machine (mvcc store, lessor, watchable store) and the consistent index,
// the raft index of the last applied entry, stored with the state so that recovery never applies
// an entry twice and the revision never goes backwards. Deterministic: the same entries in the
// same order give the same state, responses and hash on every member.
import type { EtcdError } from '../../api/errors.ts';
import { ErrLeaseExist, ErrLeaseNotFound, ErrLeaseTTLTooLarge } from '../../api/errors.ts';
import type {
  CompactionResponse, DeleteRangeResponse, LeaseCheckpointResponse, LeaseGrantResponse, LeaseRevokeResponse, PutResponse,
  RangeRequest, RangeResponse, TxnRequest, TxnResponse,
} from '../../api/types.ts';
import type { LeaseId } from '../../mvcc/key-value.ts';
import { assert } from '../../mvcc/errors.ts';
import type { LessorConfig } from '../../lease/lessor.ts';
import { DEFAULT_LESSOR_CONFIG, Lessor } from '../../lease/lessor.ts';
import { MvccStore } from '../../mvcc/store.ts';
import type { MvccSnapshot } from '../../mvcc/snapshot.ts';
import { restoreStore, snapshotStore } from '../../mvcc/snapshot.ts';
import type { KvHash } from '../../mvcc/hash.ts';
import { CurrentKvHash, hashKv } from '../../mvcc/hash.ts';
import { WatchableStore } from '../../watch/watchable-store.ts';
import { WATCH_STREAM_BUFFER, WatchStream } from '../../watch/watch-stream.ts';
import { MAX_REQUEST_BYTES } from '../../api/proto-size.ts';
import type { StateMachineBug } from './bugs.ts';
import { applyDeleteRange, applyPut, applyTxn } from './kv-ops.ts';
import type { InternalRaftRequest } from './raft-request.ts';
import { applyRange, mvccErrorToEtcd } from './range.ts';
import { storeView } from './read-view.ts';
import { withFields } from '../../object/with-fields.ts';
import type { AuthInfo, AuthSnapshot } from '../../auth/auth-store.ts';
import { AuthStore } from '../../auth/auth-store.ts';
import { checkRequestAuth } from './auth-checks.ts';
import type { AuthRaftKind } from '../../api/auth-schema.ts';

/** An auth method's response: the header and its fields (token, users, roles, perm). */
export interface AuthResponse {
  readonly header: { revision: number };
  readonly [field: string]: unknown;
}

export type ApplyResponse =
  | PutResponse | DeleteRangeResponse | TxnResponse | CompactionResponse
  | LeaseGrantResponse | LeaseRevokeResponse | LeaseCheckpointResponse | AuthResponse;

export interface ApplyResult {
  readonly requestId: string;
  /** The response (header holds the revision only) or etcd's error. */
  readonly response: ApplyResponse | EtcdError;
  readonly ok: boolean;
  /** Leases this entry revoked. */
  readonly revokedLeases: readonly LeaseId[];
}

export interface ApplierSnapshot {
  readonly consistentIndex: number;
  readonly mvcc: MvccSnapshot;
  readonly leases: [string, number, number][];
  /** The auth store, left out while it is as a new cluster's (so snapshots without users are as before). */
  readonly auth?: AuthSnapshot;
}

export class Applier {
  readonly store = new MvccStore();
  readonly lessor: Lessor;
  /** Users, roles and permissions, replicated like the keys (etcd's auth store in the same backend). */
  readonly auth = new AuthStore();
  readonly watchable: WatchableStore;
  /** Planted bug (etcd#17780): restore takes the revision from the log. */
  private readonly restoreRevFromLog: boolean;
  /** Responses a watch stream buffers before its watchers become victims (etcd's chanBufLen, 128). */
  watchStreamBuffer = WATCH_STREAM_BUFFER;
  /** The raft index of the last applied entry. Invariant: never decreases. */
  private consistentIdx = 0;
  /** The hash at the current revision, extended by each write rather than walked again. */
  readonly currentHash = new CurrentKvHash();

  constructor(lessorConfig: LessorConfig = DEFAULT_LESSOR_CONFIG, readonly bugs: ReadonlySet<StateMachineBug> = new Set()) {
    this.lessor = new Lessor(lessorConfig);
    this.store.leases = this.lessor;
    // etcd 3.4 dropped a delete at the compact revision too, which #17780 needs (see restoreStore).
    this.store.compactionDropsDelete = bugs.has('compaction-drops-delete') || bugs.has('restore-rev-from-log');
    this.watchable = new WatchableStore(this.store);
    this.watchable.replayAfterRestore = bugs.has('watch-replay-after-restore');
    this.watchable.bugs = {
      futureRevLowered: bugs.has('future-watch-rev-lowered'),
      skipsCompactRevision: bugs.has('watch-skips-compact-revision'),
      compactedStarved: bugs.has('compacted-watcher-starved'),
      victimReplay: bugs.has('victim-replay'),
    };
    this.restoreRevFromLog = bugs.has('restore-rev-from-log');
  }

  consistentIndex(): number {
    return this.consistentIdx;
  }

  /**
   * Applies the committed entry at `index`. An index at or below the consistent index was
   * already applied (a replay after recovery) and returns undefined without touching the state.
   */
  apply(index: number, req: InternalRaftRequest, nowMs: number): ApplyResult | undefined {
    if (index <= this.consistentIdx) return undefined;
    const revBefore = this.store.currentRev;
    const result = this.applyRequest(req, index, nowMs);
    this.consistentIdx = index;
    assert(this.store.currentRev >= revBefore, 'applier: the revision never goes backwards');
    return result;
  }

  /** An entry with no state machine request (empty or conf change): only the index moves. */
  applyNoop(index: number): void {
    if (index > this.consistentIdx) this.consistentIdx = index;
  }

  /** The read path: a Range on local applied state (after ReadIndex, or serializable). */
  range(r: RangeRequest): RangeResponse | EtcdError {
    return applyRange(storeView(this.store), r);
  }

  /** A read-only txn on local state (every op a Range; the caller checked isTxnReadonly). */
  readTxn(r: TxnRequest): TxnResponse | EtcdError {
    return applyTxn(this.store, this.lessor, r);
  }

  openWatchStream(): WatchStream {
    return new WatchStream(this.watchable, this.watchStreamBuffer, MAX_REQUEST_BYTES, {
      progressWhileUnsynced: this.bugs.has('progress-while-unsynced'),
      progressBeforeStart: this.bugs.has('progress-before-start'),
    });
  }

  hash(rev = 0): KvHash {
    return rev <= 0 || rev >= this.store.currentRev ? this.currentHash.of(this.store) : hashKv(this.store, rev);
  }

  snapshot(): ApplierSnapshot {
    const snap = { consistentIndex: this.consistentIdx, mvcc: snapshotStore(this.store), leases: this.lessor.snapshot() };
    return this.auth.pristine ? snap : withFields(snap, { auth: this.auth.snapshot() });
  }

  /** Replaces the whole state (raft snapshot or recovery). Leases restart at forever; open watchers resync. */
  restore(snap: ApplierSnapshot): void {
    assert(snap.mvcc.currentRev >= 1, 'applier: a snapshot has a revision');
    restoreStore(snap.mvcc, this.store, this.restoreRevFromLog);
    this.lessor.restore(snap.leases, this.store);
    this.auth.restore(snap.auth);
    this.consistentIdx = snap.consistentIndex;
    this.watchable.restored();
  }

  private applyRequest(req: InternalRaftRequest, index: number, nowMs: number): ApplyResult {
    const b = req.body;
    let revoked: LeaseId[] = [];
    let response: ApplyResponse | EtcdError;
    // etcd's authApplierV3: with authentication enabled, a write is checked against the proposer's
    // permissions as of this entry (a no-op while it is disabled).
    const denied = checkRequestAuth(this.auth, this.lessor, req.auth, b);
    if (denied !== undefined) return { requestId: req.id, response: denied, ok: false, revokedLeases: [] };
    switch (b.kind) {
      case 'put':
        response = applyPut(this.store, this.lessor, b.request);
        break;
      case 'delete_range':
        response = applyDeleteRange(this.store, b.request);
        break;
      case 'txn':
        response = applyTxn(this.store, this.lessor, b.request);
        break;
      case 'compaction': {
        const err = this.store.compact(b.request.revision ?? 0);
        response = err !== undefined ? mvccErrorToEtcd(err) : { header: { revision: this.store.currentRev } };
        break;
      }
      case 'lease_grant':
        response = this.leaseGrant(b.request.ID ?? 0n, b.request.TTL ?? 0, nowMs);
        break;
      case 'lease_revoke': {
        const id = b.request.ID ?? 0n;
        const err = this.lessor.revoke(id, this.store);
        if (err === undefined) revoked = [id];
        response = err !== undefined ? ErrLeaseNotFound : { header: { revision: this.store.currentRev } };
        break;
      }
      case 'lease_checkpoint':
        for (const cp of b.request.checkpoints ?? []) this.lessor.checkpoint(cp.ID ?? 0n, cp.remaining_TTL ?? 0, nowMs);
        response = { header: { revision: this.store.currentRev } };
        break;
      default:
        response = this.applyAuth(b.kind, b.request, req.auth, index, nowMs);
    }
    return { requestId: req.id, response, ok: !('code' in response), revokedLeases: revoked };
  }

  private applyAuth(kind: AuthRaftKind, request: Parameters<AuthStore['apply']>[1], ai: AuthInfo | undefined, index: number, nowMs: number): AuthResponse | EtcdError {
    const r = this.auth.apply(kind, request, ai, index, nowMs);
    return r.ok ? withFields(r.body, { header: { revision: this.store.currentRev } }) : r.error;
  }

  private leaseGrant(id: LeaseId, ttlSeconds: number, nowMs: number): LeaseGrantResponse | EtcdError {
    const l = this.lessor.grant(id, ttlSeconds, nowMs);
    if (l === 'lease-not-found') return ErrLeaseNotFound;
    if (l === 'ttl-too-large') return ErrLeaseTTLTooLarge;
    if (l === 'lease-exists') return ErrLeaseExist;
    return { header: { revision: this.store.currentRev }, ID: l.id, TTL: l.ttlSeconds };
  }
}
