// One lease (etcd's lease/lease.go). Time is simulated milliseconds; an expiry of Infinity is
// etcd's "forever" (a follower's leases, or leases just restored, never expire).
import type { Bytes } from '../mvcc/key.ts';
import type { LeaseId } from '../mvcc/key-value.ts';

/** etcd's Remaining() for a lease without expiry: math.MaxInt64 nanoseconds, in seconds. */
export const FOREVER_REMAINING_SECONDS = 9223372036;

export class Lease {
  readonly id: LeaseId;
  /** The granted TTL (raised to the minimum TTL). */
  readonly ttlSeconds: number;
  /** A checkpointed remaining TTL (0: none); Promote starts from it instead of the full TTL. */
  remainingTtlSeconds = 0;
  expiryMs = Infinity;
  /** When findExpiredLeases may report this lease again (etcd's expiredLeaseRetryInterval). */
  nextExpiryCheckMs = Infinity;
  readonly keys = new Set<Bytes>();

  constructor(id: LeaseId, ttlSeconds: number) {
    this.id = id;
    this.ttlSeconds = ttlSeconds;
  }

  /** The TTL a refresh starts from: the checkpointed remaining TTL if any, else the full TTL. */
  remainingTtl(): number {
    return this.remainingTtlSeconds > 0 ? this.remainingTtlSeconds : this.ttlSeconds;
  }

  refresh(nowMs: number, extendMs: number): void {
    this.expiryMs = nowMs + extendMs + this.remainingTtl() * 1000;
    this.nextExpiryCheckMs = this.expiryMs;
  }

  forever(): void {
    this.expiryMs = Infinity;
    this.nextExpiryCheckMs = Infinity;
  }

  remainingMs(nowMs: number): number {
    return this.expiryMs - nowMs;
  }

  /** Remaining seconds as etcd reports them: int64(Remaining().Seconds()), truncated toward zero. */
  remainingSeconds(nowMs: number): number {
    if (this.expiryMs === Infinity) return FOREVER_REMAINING_SECONDS;
    const s = Math.trunc((this.expiryMs - nowMs) / 1000);
    // No negative zero: it would print as "0" but compare unequal in tests and hashes.
    return s === 0 ? 0 : s;
  }

  expired(nowMs: number): boolean {
    return this.expiryMs - nowMs <= 0;
  }

  /** Attached keys in byte order (etcd returns map order; sorted here for determinism). */
  sortedKeys(): Bytes[] {
    return [...this.keys].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }
}
