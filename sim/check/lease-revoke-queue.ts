// How late etcd 3.4's leader may propose an expired lease's revoke when other leases expire with
// it (rule 3's proof needs the revoke proposed before the write it leans on was sent). Every
// 500 ms the lessor hands the leases it finds expired over as one batch, at most
// leaseRevokeRate / 2 = 500 (lessor.go revokeExpiredLeases; the rest wait for the next round),
// and the server proposes each batch's revokes with its own semaphore of maxPendingRevokes = 16
// (server.go run: one per expiredLeaseC receive; each LeaseRevoke holds its slot until it applies
// or fails at ReqTimeout). So the 17th lease of a batch waits for one of the first 16 to return:
// a client's write sent meanwhile reaches the log first, and a read at that write's revision
// still shows the 17th lease's keys. Batches do not wait for each other (detcd's lessor,
// src/server/lease-expiry.ts, does the same).
//
// Who may be in a lease L's batch, ahead of it: a lease the lessor still holds expired when it
// finds L, in a round between L's earliest expiry and its deadline. That is one that may expire
// by L's deadline (its own earliest expiry at or before it), unless its revoke had certainly
// applied before L's earliest expiry: a lease found before and not revoked is found again 3 s
// later (expiredLeaseRetryInterval) in a later round's batch, so one whose revoke stalls may meet
// L's batch however long ago it expired. Applied before a time, for sure: a client revoke or a
// "gone" answer (lease-revoked-early.ts) came by then, or a write sent after that lease's own
// revoke was proposed at the latest (its deadline + its own delay, computed first: its earliest
// expiry comes before L's) was answered by then (lease-revoke-committed.ts: it applied after the
// revoke). The member that answered applied the revoke; the leader had: it hands committed
// entries to its apply loop before it tells the followers the commit (etcd raftNode.start;
// detcd's leader applies as it commits), and a new leader applies every committed entry before
// it promotes its lessor. Each 16 ahead cost at most one ReqTimeout, each 500 one more round.
//
// Before (sixteenth session to s17): every lease whose expiry window, widened by a ReqTimeout
// and a round, met L's counted, as if one pool of 16 served every round; at a few grants a second
// it pushed nearly every deadline past the run, and rule 3 judged almost nothing.
import { lowerBound } from '../../src/sort/lower-bound.ts';

/** etcd's maxPendingRevokes: revokes proposed and not yet returned, per batch. */
export const REVOKES_IN_FLIGHT_MAX = 16;
/** leaseRevokeRate / 2: expired leases handed over per round. */
export const EXPIRED_PER_ROUND_MAX = 500;
export const EXPIRY_ROUND_US = 500_000;

export interface ExpiryWindow {
  /** The earliest the lease can have expired on a leader (its grant sent + TTL). */
  readonly fromUs: number;
  /** The latest (its deadline). */
  readonly toUs: number;
  /** When an answer proved the lease gone before its deadline (a client revoke, a "gone" answer), if one did. */
  readonly endedUs?: number;
}

/**
 * Per lease, how much later than its deadline its revoke may be proposed: the leases that may be
 * expired and not yet revoked when the lessor finds it (the head of this file). `answeredAfter(t)`:
 * when a write sent after t was answered at the earliest (Infinity: none was). `steps`: work spent
 * (the caller's budget).
 */
export function revokeQueueDelaysUs(windows: ReadonlyMap<string, ExpiryWindow>, requestTimeoutUs: number, answeredAfter: (proposedByUs: number) => number): { delays: Map<string, number>; steps: number } {
  const delays = new Map<string, number>();
  const byFrom = [...windows].sort((a, b) => a[1].fromUs - b[1].fromUs);
  const starts = byFrom.map(([, w]) => w.fromUs);
  // When each lease processed so far was certainly revoked (never before its deadline, when the
  // lessor finds it at the latest; Infinity: not known), ascending. A lease not processed yet
  // expires no earlier than the one processed now, and counts as not revoked: the same answer.
  const revokedUs: number[] = [];
  let steps = windows.size * 2;
  for (const [id, w] of byFrom) {
    steps++;
    const expiredBy = lowerBound(starts, w.toUs + 1);
    const revokedBefore = lowerBound(revokedUs, w.fromUs);
    const ahead = Math.max(0, expiredBy - 1 - revokedBefore);
    const delay = ahead < REVOKES_IN_FLIGHT_MAX ? 0 : Math.floor(ahead / REVOKES_IN_FLIGHT_MAX) * requestTimeoutUs + Math.floor(ahead / EXPIRED_PER_ROUND_MAX) * EXPIRY_ROUND_US;
    if (delay > 0) delays.set(id, delay);
    const revoked = Math.max(w.toUs, Math.min(w.endedUs ?? Infinity, answeredAfter(w.toUs + delay)));
    revokedUs.splice(lowerBound(revokedUs, revoked), 0, revoked);
    steps += Math.ceil(revokedUs.length / 64);
  }
  return { delays, steps };
}
