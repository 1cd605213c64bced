// The lessor (etcd's lease/lessor.go): grants, revokes, renews and expires leases and tracks the
// keys attached to each. Grant, revoke and checkpoint are applied from raft entries on every
// member; renew, time-to-live and expiry are the primary's (leader's) business. Only the primary
// has finite expiries: a follower's leases last forever, and promotion restarts every lease's
// TTL from now + extend (etcd #9888). Expired leases are reported, never revoked here: the member
// proposes their revoke through raft.
import type { Bytes } from '../mvcc/key.ts';
import type { LeaseId } from '../mvcc/key-value.ts';
import { NO_LEASE } from '../mvcc/key-value.ts';
import type { LeaseAttachments, MvccStore } from '../mvcc/store.ts';
import { assert } from '../mvcc/errors.ts';
import { Lease } from './lease.ts';
import { violated } from '../invariant-violation.ts';

/** etcd's MaxLeaseTTL: 9,000,000,000 seconds. */
export const MAX_LEASE_TTL_SECONDS = 9_000_000_000;
/** etcd's leaseRevokeRate: revokes per second the promotion spreads expiries over. */
export const LEASE_REVOKE_RATE = 1000;

export interface LessorConfig {
  /** ceil(1.5 * electionTicks * heartbeatMs / 1000): 2 s with etcd's defaults. */
  readonly minTtlSeconds: number;
  /** How long an expired lease waits before it is reported again (etcd: 3 s). */
  readonly expiredLeaseRetryIntervalMs: number;
  /** Lease checkpointing (etcd --experimental-enable-lease-checkpoint). */
  readonly checkpointingEnabled: boolean;
  /** etcd: 5 minutes. */
  readonly checkpointIntervalMs: number;
}

/** minTTL = ceil((3 * electionTicks / 2) * heartbeat), as etcd computes it. */
export function minLeaseTtlSeconds(electionTicks: number, heartbeatMs: number): number {
  return Math.ceil(((3 * electionTicks) / 2) * heartbeatMs / 1000);
}

export const DEFAULT_LESSOR_CONFIG: LessorConfig = {
  minTtlSeconds: minLeaseTtlSeconds(10, 100),
  expiredLeaseRetryIntervalMs: 3000,
  checkpointingEnabled: false,
  checkpointIntervalMs: 5 * 60 * 1000,
};

export type GrantError = 'lease-not-found' | 'ttl-too-large' | 'lease-exists';
export type RenewResult =
  | { readonly kind: 'renewed'; readonly ttlSeconds: number }
  /**
   * The lease has a checkpointed remaining TTL: etcd's Renew first proposes a checkpoint of 0
   * through raft and waits for it to apply (or for the request timeout), then refreshes
   * (renewCleared). Nothing is refreshed yet.
   */
  | { readonly kind: 'clear-checkpoint'; readonly lease: Lease }
  | { readonly kind: 'not-primary' }
  | { readonly kind: 'lease-not-found' }
  /** Expired and waiting for its revoke: etcd blocks the renew until the revoke applies (then not found) or a demotion. */
  | { readonly kind: 'expired' };

export interface TimeToLive {
  readonly id: LeaseId;
  readonly ttlSeconds: number;
  readonly grantedTtlSeconds: number;
  readonly keys: Bytes[];
}

export interface LeaseCheckpoint {
  readonly id: LeaseId;
  readonly remainingTtlSeconds: number;
}

/** A scheduled checkpoint (etcd's leaseCheckpointHeap item). */
interface DueCheckpoint {
  readonly id: LeaseId;
  readonly dueMs: number;
}

export class Lessor implements LeaseAttachments {
  private readonly leases = new Map<LeaseId, Lease>();
  private readonly itemMap = new Map<Bytes, LeaseId>();
  private primary = false;
  /**
   * Scheduled checkpoints. A multiset, as etcd's heap: a lease may have several (each applied
   * checkpoint, and each grant, promotion or renewal's clearing checkpoint, schedules one more);
   * entries of a revoked lease stay until due, and are skipped then.
   */
  private checkpointDue: DueCheckpoint[] = [];

  constructor(readonly config: LessorConfig = DEFAULT_LESSOR_CONFIG) {
    assert(config.minTtlSeconds > 0, 'lessor: minTtlSeconds > 0');
  }

  isPrimary(): boolean {
    return this.primary;
  }

  lookup(id: LeaseId): Lease | undefined {
    return this.leases.get(id);
  }

  /** The lease a key is attached to, or 0n. */
  leaseOf(key: Bytes): LeaseId {
    return this.itemMap.get(key) ?? NO_LEASE;
  }

  grant(id: LeaseId, ttlSeconds: number, nowMs: number): Lease | GrantError {
    if (id === NO_LEASE) return 'lease-not-found';
    if (ttlSeconds > MAX_LEASE_TTL_SECONDS) return 'ttl-too-large';
    if (this.leases.has(id)) return 'lease-exists';
    const l = new Lease(id, Math.max(ttlSeconds, this.config.minTtlSeconds));
    if (this.primary) l.refresh(nowMs, 0);
    else l.forever();
    this.leases.set(id, l);
    this.scheduleCheckpointIfNeeded(l, nowMs);
    assert(this.leases.get(id) === l && l.keys.size === 0, 'lessor: a granted lease starts with no keys');
    assert(this.primary ? l.expiryMs > nowMs : l.expiryMs === Infinity, 'lessor: a granted lease expires after now on the primary, never elsewhere');
    return l;
  }

  /**
   * Revokes a lease: deletes its keys in byte order in ONE write txn (one revision, one watch
   * response; no revision when it has no keys), then forgets the lease.
   */
  revoke(id: LeaseId, store: MvccStore): 'lease-not-found' | undefined {
    const l = this.leases.get(id);
    if (l === undefined) return 'lease-not-found';
    assert([...l.keys].every((key) => this.itemMap.get(key) === id), 'lessor: a lease\'s keys map back to it');
    const txn = store.write();
    for (const key of l.sortedKeys()) txn.deleteRange(key, undefined);
    this.leases.delete(id);
    txn.end();
    assert(!this.leases.has(id), 'lessor: a revoked lease is forgotten');
    assert(l.keys.size === 0, 'lessor: revoke detached every key');
    return undefined;
  }

  renew(id: LeaseId, nowMs: number): RenewResult {
    if (!this.primary) return { kind: 'not-primary' };
    const l = this.leases.get(id);
    if (l === undefined) return { kind: 'lease-not-found' };
    if (l.expired(nowMs)) return { kind: 'expired' };
    if (this.config.checkpointingEnabled && l.remainingTtlSeconds > 0) return { kind: 'clear-checkpoint', lease: l };
    // No checkpoint is scheduled here: etcd's Renew schedules none (an applied checkpoint,
    // a grant and a promotion do).
    l.refresh(nowMs, 0);
    assert(!l.expired(nowMs) && l.expiryMs !== Infinity, 'lessor: a renewed lease is live and expires');
    return { kind: 'renewed', ttlSeconds: l.ttlSeconds };
  }

  /**
   * The end of a renewal that cleared a checkpoint (etcd 3.4's Renew after le.cp returns, the
   * checkpoint of 0 applied or its wait timed out): the lease starts again from its remaining
   * TTL, the full TTL once the clearing checkpoint applied. Answers the granted TTL whatever
   * happened meanwhile, as etcd 3.4.23 does (a lease revoked during the wait is still answered
   * as renewed: etcd#20547, fixed in 3.4.38). etcd refreshes the Lease object even when it was
   * revoked or its lessor demoted meanwhile; no one reads that expiry then (a follower's
   * leases never expire, a revoked lease is gone), so it is refreshed here only when still held
   * by a primary lessor.
   */
  renewCleared(l: Lease, nowMs: number): number {
    if (this.primary && this.leases.get(l.id) === l) {
      l.refresh(nowMs, 0);
      assert(!l.expired(nowMs) && l.expiryMs !== Infinity, 'lessor: a renewed lease is live and expires');
    }
    return l.ttlSeconds;
  }

  timeToLive(id: LeaseId, nowMs: number): TimeToLive | undefined {
    const l = this.leases.get(id);
    if (l === undefined) return undefined;
    return { id, ttlSeconds: l.remainingSeconds(nowMs), grantedTtlSeconds: l.ttlSeconds, keys: l.sortedKeys() };
  }

  /** Every lease, by expiry (etcd's leasesByExpiry), ties by id for determinism. */
  list(): Lease[] {
    return [...this.leases.values()].sort((a, b) =>
      a.expiryMs !== b.expiryMs ? (a.expiryMs < b.expiryMs ? -1 : 1) : a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  }

  /** Applies a checkpoint: Promote will restart the lease from this remaining TTL. */
  checkpoint(id: LeaseId, remainingTtlSeconds: number, nowMs: number): void {
    const l = this.leases.get(id);
    if (l === undefined) return;
    l.remainingTtlSeconds = remainingTtlSeconds;
    if (this.primary) this.scheduleCheckpointIfNeeded(l, nowMs);
  }

  /** Becomes primary: every lease expires at now + extend + its remaining TTL. */
  promote(nowMs: number, extendMs: number): void {
    this.primary = true;
    for (const l of this.leases.values()) {
      l.refresh(nowMs, extendMs);
      this.scheduleCheckpointIfNeeded(l, nowMs);
    }
    if (this.leases.size >= LEASE_REVOKE_RATE) this.spreadExpiries(nowMs, extendMs);
    assert(this.primary && [...this.leases.values()].every((l) => l.expiryMs !== Infinity), 'lessor: every lease of the primary expires');
  }

  /** Stops being primary: no lease expires. */
  demote(): void {
    this.primary = false;
    for (const l of this.leases.values()) l.forever();
    this.checkpointDue = [];
    assert(this.checkpointDue.length === 0 && [...this.leases.values()].every((l) => l.expiryMs === Infinity), 'lessor: a follower\'s leases never expire');
  }

  /**
   * Expired leases to revoke now, at most `limit`, in expiry order. A reported lease is not
   * reported again before the retry interval, in case its revoke is lost (etcd's expireExists).
   */
  findExpiredLeases(nowMs: number, limit: number): LeaseId[] {
    if (!this.primary) return [];
    const due = [...this.leases.values()]
      .filter((l) => l.nextExpiryCheckMs <= nowMs && l.expired(nowMs))
      .sort((a, b) => a.nextExpiryCheckMs - b.nextExpiryCheckMs || (a.id < b.id ? -1 : 1))
      .slice(0, limit);
    for (const l of due) l.nextExpiryCheckMs = nowMs + this.config.expiredLeaseRetryIntervalMs;
    assert(due.length <= limit && due.every((l) => l.expired(nowMs) && this.leases.get(l.id) === l), 'lessor: only held, expired leases are reported, at most limit');
    return due.map((l) => l.id);
  }

  /**
   * Checkpoints to propose now (etcd's findDueScheduledCheckpoints): due entries in due order
   * (ties by lease id), until `limit` checkpoints; an entry whose lease is gone, expired or
   * renewed within the last second is dropped without a checkpoint (and without a next one).
   */
  findDueCheckpoints(nowMs: number, limit: number): LeaseCheckpoint[] {
    if (!this.config.checkpointingEnabled || !this.primary || this.checkpointDue.length === 0) return [];
    const due = this.checkpointDue.filter((c) => c.dueMs <= nowMs);
    if (due.length === 0) return [];
    due.sort((a, b) => a.dueMs - b.dueMs || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const out: LeaseCheckpoint[] = [];
    let taken = 0;
    for (const { id } of due) {
      if (out.length >= limit) break;
      taken++;
      const l = this.leases.get(id);
      if (l === undefined || l.expired(nowMs)) continue;
      const remaining = Math.ceil(l.remainingMs(nowMs) / 1000);
      if (remaining >= l.ttlSeconds) continue;
      out.push({ id, remainingTtlSeconds: remaining });
    }
    const popped = new Set(due.slice(0, taken));
    this.checkpointDue = this.checkpointDue.filter((c) => !popped.has(c));
    assert(out.length <= limit && out.every((c) => c.remainingTtlSeconds > 0 && c.remainingTtlSeconds < (this.leases.get(c.id)?.ttlSeconds ?? 0)), 'lessor: a checkpoint saves a remaining TTL between 0 and the granted TTL');
    return out;
  }

  attach(id: LeaseId, key: Bytes): void {
    const l = this.leases.get(id);
    assert(l !== undefined, 'lessor: attach to an existing lease (checked before the write)');
    l.keys.add(key);
    this.itemMap.set(key, id);
    assert(this.itemMap.get(key) === id && l.keys.has(key), 'lessor: an attached key maps to its lease and back');
  }

  detach(id: LeaseId, key: Bytes): void {
    // etcd logs and ignores a detach from an unknown lease.
    this.leases.get(id)?.keys.delete(key);
    this.itemMap.delete(key);
    assert(!this.itemMap.has(key) && this.leases.get(id)?.keys.has(key) !== true, 'lessor: a detached key belongs to no lease');
  }

  /** Leases as data for snapshots: [id, ttl, remaining ttl]. Attachments come from the KV. */
  snapshot(): [string, number, number][] {
    return [...this.leases.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .map((l) => [l.id.toString(), l.ttlSeconds, l.remainingTtlSeconds]);
  }

  /** Restores leases (expiry forever, as etcd does on start) and reattaches the KV's keys. */
  restore(leases: readonly [string, number, number][], store: MvccStore): void {
    this.leases.clear();
    this.itemMap.clear();
    this.checkpointDue = [];
    this.primary = false;
    for (const [id, ttl, remaining] of leases) {
      const l = new Lease(BigInt(id), ttl);
      l.remainingTtlSeconds = remaining;
      this.leases.set(l.id, l);
    }
    const live = store.range('\0', '', {});
    if (typeof live === 'string') throw violated('lease', 'lessor-restore-revision', 'lessor restore reads the current revision');
    for (const kv of live.kvs) {
      if (kv.lease !== NO_LEASE && this.leases.has(kv.lease)) this.attach(kv.lease, kv.key);
    }
    assert(!this.primary && this.checkpointDue.length === 0 && [...this.leases.values()].every((l) => l.expiryMs === Infinity), 'lessor: restored leases never expire until promotion');
    assert(this.attachmentsConsistent(), 'lessor: every attached key maps to its lease and back');
  }

  /** Every key of the item map is held by its lease, and the leases hold no other key. */
  private attachmentsConsistent(): boolean {
    let held = 0;
    for (const l of this.leases.values()) held += l.keys.size;
    if (held !== this.itemMap.size) return false;
    for (const [key, id] of this.itemMap) if (this.leases.get(id)?.keys.has(key) !== true) return false;
    return true;
  }

  private scheduleCheckpointIfNeeded(l: Lease, nowMs: number): void {
    if (!this.config.checkpointingEnabled || !this.primary) return;
    if (l.remainingTtl() * 1000 > this.config.checkpointIntervalMs) {
      this.checkpointDue.push({ id: l.id, dueMs: nowMs + this.config.checkpointIntervalMs });
    }
  }

  /** etcd's Promote pile-up avoidance: no more than 3/4 of the revoke rate expire per second. */
  private spreadExpiries(nowMs: number, extendMs: number): void {
    const leases = this.list();
    let baseWindow = leases[0]!.remainingMs(nowMs);
    let nextWindow = baseWindow + 1000;
    let expires = 0;
    const targetExpiresPerSecond = (3 * LEASE_REVOKE_RATE) / 4;
    for (const l of leases) {
      const remaining = l.remainingMs(nowMs);
      if (remaining > nextWindow) {
        baseWindow = remaining;
        nextWindow = baseWindow + 1000;
        expires = 1;
        continue;
      }
      expires++;
      if (expires <= targetExpiresPerSecond) continue;
      const delayMs = 1000 * (expires / targetExpiresPerSecond) - (remaining - baseWindow);
      nextWindow = baseWindow + delayMs;
      l.refresh(nowMs, delayMs + extendMs);
    }
  }
}
