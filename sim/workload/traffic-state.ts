// What the client side of a workload has learned from responses: the highest revision seen
// (for stale reads at a past revision and for compactions), the last mod revision seen per key
// (for optimistic updates), the leases it granted and has not revoked, and the last ones it revoked.
import { b64, headerRevision, int64, leaseId, NO_LEASE, wireKv } from './etcd-request.ts';
import type { LeaseId, WireKv } from './etcd-request.ts';
import type { Prng } from '../world/prng.ts';

const LEASES_KEPT_MAX = 64;

export class TrafficState {
  maxRevision = 1;
  /**
   * By the key as answers spell it (base64): every ok answer is observed, and decoding each of
   * its keys and values costs more than encoding the one key an operation looks up.
   */
  private readonly modRevision = new Map<string, number>();
  /** The last kv read per (base64) key, as the answer gave it; decoded when asked for (kvOf). */
  private readonly lastKv = new Map<string, Record<string, unknown>>();
  private readonly leases: LeaseId[] = [];
  /** Leases this client asked to revoke, newest last (their revoke may have failed: usually they are gone). */
  private readonly ended: LeaseId[] = [];

  observe(body: unknown): void {
    const rev = headerRevision(body);
    if (rev > this.maxRevision) this.maxRevision = rev;
    if (body === null || typeof body !== 'object') return;
    const kvs = (body as { kvs?: unknown }).kvs;
    if (!Array.isArray(kvs)) return;
    for (let i = 0; i < kvs.length; i++) {
      const kv = kvs[i] as Record<string, unknown>;
      // A kv without a key (the empty key) is spelled '' on the wire, as b64('') is.
      const key = typeof kv['key'] === 'string' ? kv['key'] : '';
      this.modRevision.set(key, int64(kv['mod_revision']));
      this.lastKv.set(key, kv);
    }
  }

  /** The key-value last read for `key` (any revision), or undefined. */
  kvOf(key: string): WireKv | undefined {
    const kv = this.lastKv.get(b64(key));
    return kv === undefined ? undefined : wireKv(kv);
  }

  setModRevision(key: string, rev: number): void {
    this.modRevision.set(b64(key), rev);
  }

  /** The last mod revision seen for `key`; 0 when never seen (a create). */
  modRevisionOf(key: string): number {
    return this.modRevision.get(b64(key)) ?? 0;
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
    this.ended.push(id);
    if (this.ended.length > LEASES_KEPT_MAX) this.ended.shift();
  }

  /** A lease this client revoked (asked to), or undefined when it revoked none. */
  pickEndedLease(prng: Prng): LeaseId | undefined {
    return this.ended.length === 0 ? undefined : prng.pick(this.ended);
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
