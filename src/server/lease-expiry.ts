// Lease expiry as etcd's leader runs it (lessor.runLoop + EtcdServer.run): only the leader looks
// for expired leases, every LEASE_CHECK_INTERVAL_MS, and hands what one check found over as one
// batch; each batch proposes its LeaseRevokes with its own LEASE_REVOKES_IN_FLIGHT_MAX slots
// (server.go: a semaphore of maxPendingRevokes made per expiredLeaseC receive), a slot held until
// the revoke applies or ReqTimeout passes. Batches do not wait for each other: the lease checker's
// revoke-queue bound (sim/check/lease-revoke-queue.ts) counts only a lease's own batch, and a
// shared pool of 16 (this file before) could hold a lease behind earlier batches' stalled
// revokes, later than etcd would propose it. A lease still not revoked
// EXPIRED_LEASE_RETRY_INTERVAL_MS after it was handed over is found again, in a later batch (etcd
// 3.4's lessor re-registers a found lease in its expiry heap at now + expiredLeaseRetryInterval,
// 3 s, whatever became of the proposal: dropped during a leader transfer, lost, or still waiting
// out its ReqTimeout). A deposed leader stops at once, and what it proposed never commits unless
// a later leader's log holds it. One deviation: a waiting lease whose revoke applied meanwhile is
// not proposed (etcd proposes it, and it fails at once with "lease not found").
import { EXPIRED_LEASE_RETRY_INTERVAL_MS, LEASE_CHECK_INTERVAL_MS, LEASE_REVOKES_IN_FLIGHT_MAX } from './member-config.ts';
import { violated } from '../invariant-violation.ts';

export interface LeaseExpiryPort {
  /** Ids of leases whose expiry is at or before nowMs on this (primary) lessor, at most `max`. */
  expiredLeases(nowMs: number, max: number): number[];
  /** Proposes LeaseRevoke{id} through raft. */
  proposeRevoke(id: number): void;
}

/** etcd checks at most this many expired leases per round (leaseRevokeRate / 2). */
const EXPIRED_PER_CHECK_MAX = 500;

/** What one check found (etcd: one expiredLeaseC receive), proposed with its own slots. */
interface RevokeBatch {
  /** Leases not proposed yet, in the order found. */
  readonly waiting: number[];
  /** Lease id → local time its revoke was proposed: a slot, held until it applies or ReqTimeout passes. */
  readonly slots: Map<number, number>;
}

export class LeaseExpiry {
  /** Lease id → local time it was handed over: not handed over again before EXPIRED_LEASE_RETRY_INTERVAL_MS. */
  private readonly inFlight = new Map<number, number>();
  private batches: RevokeBatch[] = [];
  private nextCheckMs = 0;
  private primary = false;

  /** `requestTimeoutMs`: etcd's ReqTimeout, how long a revoke holds its slot at most. */
  constructor(private readonly port: LeaseExpiryPort, private readonly requestTimeoutMs: number) {}

  /** Revokes proposed and holding a slot, over every batch. */
  get revokesInFlight(): number {
    let n = 0;
    for (const b of this.batches) n += b.slots.size;
    return n;
  }

  /** This member became leader and promoted its lessor. */
  promote(nowMs: number): void {
    this.primary = true;
    this.inFlight.clear();
    this.batches = [];
    this.nextCheckMs = nowMs + LEASE_CHECK_INTERVAL_MS;
  }

  /** This member lost leadership: it must not revoke anything any more. */
  demote(): void {
    this.primary = false;
    this.inFlight.clear();
    this.batches = [];
  }

  /** A LeaseRevoke for `id` was applied (by anyone's proposal): its slots free, and it waits no more. */
  onRevoked(id: number): void {
    this.inFlight.delete(id);
    for (const b of this.batches) {
      b.slots.delete(id);
      const at = b.waiting.indexOf(id);
      if (at >= 0) b.waiting.splice(at, 1);
    }
  }

  tick(nowMs: number): void {
    if (!this.primary) return;
    if (nowMs >= this.nextCheckMs) this.check(nowMs);
    if (this.batches.length > 0) this.proposeWaiting(nowMs);
  }

  private check(nowMs: number): void {
    this.nextCheckMs = nowMs + LEASE_CHECK_INTERVAL_MS;
    for (const [id, sentMs] of this.inFlight) {
      if (nowMs - sentMs >= EXPIRED_LEASE_RETRY_INTERVAL_MS) this.inFlight.delete(id);
    }
    const expired = this.port.expiredLeases(nowMs, EXPIRED_PER_CHECK_MAX);
    const waiting: number[] = [];
    for (const id of expired) {
      if (this.inFlight.has(id)) continue;
      this.inFlight.set(id, nowMs);
      waiting.push(id);
    }
    if (waiting.length > 0) this.batches.push({ waiting, slots: new Map() });
  }

  /** Each batch proposes while it has a slot free (one freed when its revoke applied or ReqTimeout passed). */
  private proposeWaiting(nowMs: number): void {
    let done = 0;
    for (const b of this.batches) {
      for (const [id, sentMs] of b.slots) if (nowMs - sentMs >= this.requestTimeoutMs) b.slots.delete(id);
      while (b.slots.size < LEASE_REVOKES_IN_FLIGHT_MAX && b.waiting.length > 0) {
        const id = b.waiting.shift()!;
        b.slots.set(id, nowMs);
        this.port.proposeRevoke(id);
      }
      if (b.slots.size > LEASE_REVOKES_IN_FLIGHT_MAX) throw violated('server', 'lease-revokes-bounded', 'too many revokes in flight in one batch');
      if (b.waiting.length === 0 && b.slots.size === 0) done++;
    }
    if (done > 0) this.batches = this.batches.filter((b) => b.waiting.length > 0 || b.slots.size > 0);
  }
}
