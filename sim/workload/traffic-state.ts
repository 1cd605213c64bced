// What the client side of a workload has learned from responses: the highest revision seen
// (for stale reads at a past revision and for compactions), the last mod revision seen per key
// (for optimistic updates), and the leases it granted and has not revoked.
import { headerRevision, leaseId, NO_LEASE, rangeKvs } from './etcd-request.ts';
import type { LeaseId, WireKv } from './etcd-request.ts';
import type { Prng } from '../world/prng.ts';

const LEASES_KEPT_MAX = 64;

export class TrafficState {
  maxRevision = 1;
  private readonly modRevision = new Map<string, number>();
  private readonly lastKv = new Map<string, WireKv>();
  private readonly leases: LeaseId[] = [];

  observe(body: unknown): void {
    const rev = headerRevision(body);
    if (rev > this.maxRevision) this.maxRevision = rev;
    for (const kv of rangeKvs(body)) {
      this.modRevision.set(kv.key, kv.modRevision);
      this.lastKv.set(kv.key, kv);
    }
  }

  /** The key-value last read for `key` (any revision), or undefined. */
  kvOf(key: string): WireKv | undefined {
    return this.lastKv.get(key);
  }

  setModRevision(key: string, rev: number): void {
    this.modRevision.set(key, rev);
  }

  /** The last mod revision seen for `key`; 0 when never seen (a create). */
  modRevisionOf(key: string): number {
    return this.modRevision.get(key) ?? 0;
  }

  /** A revision at most `back` behind the newest seen, at least 1 (etcd's stale reads). */
  staleRevision(prng: Prng, back = 10): number {
    return Math.max(1, this.maxRevision - prng.int(back + 1));
  }

  addLease(body: unknown): void {
    const id = leaseId((body as { ID?: unknown } | null)?.ID);
    if (id === NO_LEASE || id.startsWith('-')) return;
    this.leases.push(id);
    if (this.leases.length > LEASES_KEPT_MAX) this.leases.shift();
  }

  /** A granted lease to attach or revoke, or undefined when none is known. */
  pickLease(prng: Prng): LeaseId | undefined {
    return this.leases.length === 0 ? undefined : prng.pick(this.leases);
  }

  forgetLease(id: LeaseId): void {
    const i = this.leases.indexOf(id);
    if (i >= 0) this.leases.splice(i, 1);
  }
}

/**
 * A compaction target: like etcd's robustness traffic near the newest revision seen, up to 5
 * past it ("recent"), or exactly the newest seen ("newest").
 */
export function compactionRevision(state: TrafficState, prng: Prng, aim: 'recent' | 'newest' = 'recent'): number {
  if (aim === 'newest') return state.maxRevision;
  return Math.max(1, state.maxRevision + prng.intRange(-5, 5));
}
