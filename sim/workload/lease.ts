// Leases: grant (short TTLs, so some expire during the run; some below etcd's minimum, which the
// member raises), grants with a client-chosen id (one still held, which etcd refuses, one revoked,
// or a new one), puts attached to leases, keep-alives, revokes, time-to-live queries and reads of
// the leased keys. The lease checker then verifies that no key outlives its lease.
import { repeatFn } from './generator.ts';
import type { Gen } from './generator.ts';
import type { Dispatched, Outcome } from './interpreter.ts';
import { leaseGrant, leaseGrantWithId, leaseKeepAlive, leaseRevoke, leaseTimeToLive, prefixEnd, put, range } from './etcd-request.ts';
import { TrafficState } from './traffic-state.ts';
import { LEASE_TTL_SECONDS_DEFAULT } from '../scenario/schema.ts';
import { single, uniqueValue } from './workload.ts';
import { LEASE_MIX } from './lease-op-names.ts';
import type { LeaseId } from './etcd-request.ts';
import { withWeights } from './etcd-op-names.ts';
import type { ClientCall, Workload, WorkloadEnv } from './workload.ts';

export { LEASE_MIX } from './lease-op-names.ts';

const PREFIX = 'leased/';
/** Short TTLs (etcd's minimum is 2 s) so that leases expire inside a run. */
const TTL_SECONDS_MIN = 2;
const TTL_SECONDS_MAX = 6;
/**
 * The shortest TTL drawn: 1 s, below etcd's minimum (2 s with its default election timeout), so
 * that the member raises some grants and must answer the TTL it granted, not the one asked for
 * (etcd's LeaseGrant answers l.TTL()): the lease checker compares later answers with it.
 */
const TTL_SECONDS_DRAWN_MIN = 1;
/**
 * Client-chosen lease ids are drawn below this: small, so that the workers' new ids meet now and
 * then; far below the ids a member draws (its request ids, 63-bit), which they never meet.
 */
const CHOSEN_LEASE_ID_MAX = 100_000;

/**
 * The longest TTL this workload grants: 6 s, or the scenario's workload.leaseTtlSeconds when it
 * names one (lease-checkpoint-leader-change: leases that live through checkpoints and a leader
 * change). The draw is the same one either way: no other scenario's run moves.
 */
function ttlSecondsMax(leaseTtlSeconds: number): number {
  return leaseTtlSeconds === LEASE_TTL_SECONDS_DEFAULT ? TTL_SECONDS_MAX : Math.max(TTL_SECONDS_MIN, leaseTtlSeconds);
}
/**
 * A late keep-alive goes to a lease whose last renewal (a keep-alive answered with a TTL) was
 * answered at least TTL and at most this much more ago: expired on its leader, whose expiry loop
 * (every 500 ms) and the revoke's commit may not have ended it yet.
 */
const LATE_US_MAX = 600_000;
/** Leases whose renewals a late keep-alive remembers (the oldest are forgotten). */
const RENEWED_KEPT_MAX = 256;

/** A lease's last renewal as this client saw it: its answer's time and TTL. */
interface Renewed {
  readonly atUs: number;
  readonly ttlUs: number;
}

export class LeaseWorkload implements Workload {
  private readonly state = new TrafficState();
  private readonly renewed = new Map<LeaseId, Renewed>();

  constructor(private readonly env: WorkloadEnv) {}

  generator(): Gen {
    const keys = this.env.scenario.workload.keys;
    const mix = withWeights(LEASE_MIX, this.env.scenario.workload.mix);
    const total = mix.reduce((s, [, w]) => s + w, 0);
    return repeatFn((ctx) => {
      let r = ctx.prng.int(total);
      let f = 'get';
      for (const [name, w] of mix) {
        if (r < w) {
          f = name;
          break;
        }
        r -= w;
      }
      return { f, value: { key: `${PREFIX}${ctx.prng.int(keys)}` } };
    });
  }

  execute(op: Dispatched, call: ClientCall, done: (outcome: Outcome) => void): void {
    const key = (op.value as { key: string }).key;
    const prng = this.env.prng;
    const observe = (body: unknown): void => this.state.observe(body);
    const lease = this.state.pickLease(prng);
    const ttl = (): number => prng.intRange(TTL_SECONDS_DRAWN_MIN, ttlSecondsMax(this.env.scenario.workload.leaseTtlSeconds));
    const grant = (): void => single(leaseGrant(ttl()), op, call, done, (b) => this.state.addLease(b));
    switch (op.f) {
      case 'grant':
        return grant();
      case 'grant-with-id': {
        // etcd refuses an id its lessor holds ("lease already exists") and grants one that ended
        // or was never used: an id this client holds, one it revoked, or a new one.
        const ended = this.state.pickEndedLease(prng);
        const from = prng.int(3);
        const id = from === 0 && lease !== undefined ? lease : from === 1 && ended !== undefined ? ended : String(1 + prng.int(CHOSEN_LEASE_ID_MAX));
        return single(leaseGrantWithId(ttl(), id), op, call, done, (b) => this.state.addLease(b));
      }
      case 'put-with-lease':
        return lease === undefined ? grant() : single(put(key, uniqueValue(op), lease), op, call, done, observe);
      case 'keepalive':
        return lease === undefined ? grant() : single(leaseKeepAlive(lease), op, call, done, (b) => this.noteRenewal(lease, b));
      case 'keepalive-late': {
        const late = this.pickExpired();
        return late === undefined ? grant() : single(leaseKeepAlive(late), op, call, done, (b) => this.noteRenewal(late, b));
      }
      case 'revoke':
        if (lease === undefined) return grant();
        this.state.forgetLease(lease);
        return single(leaseRevoke(lease), op, call, done, observe);
      case 'time-to-live':
        return lease === undefined ? grant() : single(leaseTimeToLive(lease, true), op, call, done, observe);
      case 'get':
        return single(range(key), op, call, done, observe);
      case 'list':
        return single(range(PREFIX, { rangeEnd: prefixEnd(PREFIX) }), op, call, done, observe);
      default:
        throw new Error(`lease: unknown op ${op.f}`);
    }
  }

  /** A keep-alive answered: a TTL renewed the lease now; none means it is gone. */
  private noteRenewal(lease: LeaseId, body: unknown): void {
    this.state.observe(body);
    const ttlSeconds = Number((body as { TTL?: unknown } | null)?.TTL ?? 0);
    this.renewed.delete(lease);
    if (!(ttlSeconds > 0)) return;
    this.renewed.set(lease, { atUs: this.env.clock.nowUs(), ttlUs: ttlSeconds * 1_000_000 });
    if (this.renewed.size > RENEWED_KEPT_MAX) this.renewed.delete(this.renewed.keys().next().value!);
  }

  /** The renewed lease that expired most recently, within LATE_US_MAX, if any (map order breaks ties). */
  private pickExpired(): LeaseId | undefined {
    const now = this.env.clock.nowUs();
    let best: LeaseId | undefined;
    let bestExpiryUs = -Infinity;
    for (const [id, r] of this.renewed) {
      const expiryUs = r.atUs + r.ttlUs;
      if (expiryUs <= now && now - expiryUs <= LATE_US_MAX && expiryUs > bestExpiryUs) {
        best = id;
        bestExpiryUs = expiryUs;
      }
    }
    return best;
  }
}
