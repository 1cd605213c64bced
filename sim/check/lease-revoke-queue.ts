// How late etcd 3.4's leader may propose an expired lease's revoke when other leases expire with
// it (rule 3's proof needs the revoke proposed before the write it leans on was sent). Every
// 500 ms the lessor hands at most leaseRevokeRate / 2 = 500 expired leases to the server
// (lessor.go revokeExpiredLeases; the rest wait for the next round), and the server proposes
// them with at most maxPendingRevokes = 16 in flight (server.go run: a semaphore per batch; each
// LeaseRevoke holds its slot until it applies or fails at ReqTimeout). So the 17th lease of a
// batch waits for one of the first 16 to return: a client's write sent meanwhile reaches the log
// first, and a read at that write's revision still shows the 17th lease's keys. detcd's lessor
// (src/server/lease-expiry.ts) keeps 16 in flight across rounds, a slot freed when its revoke
// applies or when the lease is found again 3 s after (expiredLeaseRetryInterval): within etcd's bound.
// The delay is bounded by how many leases may be ahead of it: each 16 ahead cost at most one
// ReqTimeout, each 500 one more round.
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
}

/**
 * Per lease, how much later than its deadline its revoke may be proposed: the leases that may
 * be expired and waiting with it (their windows overlap its own, widened by the time a revoke
 * may hold its slot) ahead of it in the queue. `steps`: work spent (the caller's budget).
 */
export function revokeQueueDelaysUs(windows: ReadonlyMap<string, ExpiryWindow>, requestTimeoutUs: number): { delays: Map<string, number>; steps: number } {
  const delays = new Map<string, number>();
  const starts = [...windows.values()].map((w) => w.fromUs).sort((a, b) => a - b);
  const ends = [...windows.values()].map((w) => w.toUs).sort((a, b) => a - b);
  let steps = windows.size * 2;
  for (const [id, w] of windows) {
    steps++;
    // Others that may be queued with it: expired by its deadline (started), and not done before
    // it can have expired (a revoke holds its slot up to ReqTimeout, plus a round to be handed over).
    const started = lowerBound(starts, w.toUs + 1);
    const doneBefore = lowerBound(ends, w.fromUs - requestTimeoutUs - EXPIRY_ROUND_US);
    const ahead = Math.max(0, started - doneBefore - 1);
    if (ahead < REVOKES_IN_FLIGHT_MAX) continue;
    delays.set(id, Math.floor(ahead / REVOKES_IN_FLIGHT_MAX) * requestTimeoutUs + Math.floor(ahead / EXPIRED_PER_ROUND_MAX) * EXPIRY_ROUND_US);
  }
  return { delays, steps };
}
