// Lease expiry as etcd's leader runs it (lessor.runLoop + EtcdServer.revokeExpiredLeases): only
// the leader looks for expired leases, every LEASE_CHECK_INTERVAL_MS, and for each one it
// proposes a LeaseRevoke through raft, with at most LEASE_REVOKES_IN_FLIGHT_MAX in flight. A
// lease still not revoked EXPIRED_LEASE_RETRY_INTERVAL_MS after its revoke was proposed is found
// again and its revoke proposed again (etcd 3.4's lessor re-registers a found lease in its expiry
// heap at now + expiredLeaseRetryInterval, 3 s, whatever became of the proposal: dropped during a
// leader transfer, lost, or still waiting out its ReqTimeout). A deposed leader stops at once, and
// what it proposed never commits unless a later leader's log holds it.
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

export class LeaseExpiry {
  /** Lease id → local time the revoke was proposed. */
  private readonly inFlight = new Map<number, number>();
  private nextCheckMs = 0;
  private primary = false;

  constructor(private readonly port: LeaseExpiryPort) {}

  get revokesInFlight(): number {
    return this.inFlight.size;
  }

  /** This member became leader and promoted its lessor. */
  promote(nowMs: number): void {
    this.primary = true;
    this.inFlight.clear();
    this.nextCheckMs = nowMs + LEASE_CHECK_INTERVAL_MS;
  }

  /** This member lost leadership: it must not revoke anything any more. */
  demote(): void {
    this.primary = false;
    this.inFlight.clear();
  }

  /** A LeaseRevoke for `id` was applied (by anyone's proposal). */
  onRevoked(id: number): void {
    this.inFlight.delete(id);
  }

  tick(nowMs: number): void {
    if (!this.primary || nowMs < this.nextCheckMs) return;
    this.nextCheckMs = nowMs + LEASE_CHECK_INTERVAL_MS;
    for (const [id, sentMs] of this.inFlight) {
      if (nowMs - sentMs >= EXPIRED_LEASE_RETRY_INTERVAL_MS) this.inFlight.delete(id);
    }
    const room = LEASE_REVOKES_IN_FLIGHT_MAX - this.inFlight.size;
    if (room <= 0) return;
    const expired = this.port.expiredLeases(nowMs, EXPIRED_PER_CHECK_MAX);
    let proposed = 0;
    for (const id of expired) {
      if (proposed >= room) break;
      if (this.inFlight.has(id)) continue;
      this.inFlight.set(id, nowMs);
      this.port.proposeRevoke(id);
      proposed++;
    }
    if (this.inFlight.size > LEASE_REVOKES_IN_FLIGHT_MAX) throw violated('server', 'lease-revokes-bounded', 'too many revokes in flight');
  }
}
