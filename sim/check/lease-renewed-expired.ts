// A keep-alive that renewed a lease its leader had already let expire (etcd 3.4's lessor.Renew:
// an expired lease is not renewed; the keep-alive waits for the revoke and answers "not found").
//
// The evidence, when the history's lease answers carry the member and raft term of the lessor
// that served them (detcd's members pass the leader's answer through; a real etcd follower fills
// in its own header, so real histories are not judged): the answers of one member in one term
// come from one primary period of its lessor. (Not always the term's leader: a deposed leader
// that has seen the new term but not yet stepped down still serves from the lessor it promoted
// in its own term; it cannot lead the term it was deposed into.) A renewal sets the lease's
// expiry to the moment it is served + TTL, replacing any earlier expiry (a promotion only comes
// before the period's first renewal), and it is served before its answer arrives. So when
// keep-alive K, answered with a TTL by member M in term T, was invoked more than TTL (plus the
// slow-clock allowance) after the latest answer of another renewal by M in T, and no other
// renewal by M in T and no keep-alive of unknown outcome (timed out, failed, unanswered: it may
// have been served at any time) can have been served between them, the lease had expired on
// that lessor before K was served, and K renewed an expired lease. A keep-alive the client sent
// more than once is of unknown serving time too: another try may be served after its answer
// (lease-keepalive-unknown.ts). Nor when a grant of the lease id may have been applied between
// them (lease-grants.ts): the lease expired, was granted again, and K renewed the new one
// (ground-truth seeds 52967, 60902).
import type { Op } from '../history/op.ts';
import { id64, int } from './models/etcd/json.ts';
import { unboundedKeepAlives } from './lease-keepalive-unknown.ts';
import { pairLeaseOps, type LeasePair, type LeasePairs } from './lease-pairs.ts';
import { grantWindowsOf, mayHaveGrantedBetween, type GrantWindow } from './lease-grants.ts';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (typeof v === 'object' && v !== null ? (v as Obj) : {});
const PPM = 1_000_000;
/** The simulated lessor reads a millisecond clock. */
const CLOCK_RESOLUTION_US = 1000;

export interface RenewedExpiredOptions {
  /** How much slower than real time a leader's clock may run (ppm). */
  readonly clockDriftPpmMax: number;
  /** Sum of a leader clock's backward steps (µs); Infinity: not judged. */
  readonly clockJumpUsMax: number;
}

export interface RenewedExpired {
  readonly lease: string;
  readonly index: number;
  readonly message: string;
}

interface Renewal {
  readonly invokeUs: number;
  readonly doneUs: number;
  readonly ttlSeconds: number;
  readonly index: number;
}

interface KeepAlives {
  /** Keep-alives answered with a TTL, by the member and raft term of their answer ("2@5"). */
  readonly renewalsByTerm: Map<string, Renewal[]>;
}

/** Every keep-alive of every lease, as renewals by term and invocations of unknown outcome. */
function gather(keepAlives: readonly LeasePair[]): Map<string, KeepAlives> {
  const byLease = new Map<string, KeepAlives>();
  const of = (id: string): KeepAlives => {
    let k = byLease.get(id);
    if (k === undefined) byLease.set(id, (k = { renewalsByTerm: new Map() }));
    return k;
  };
  for (let i = 0; i < keepAlives.length; i++) {
    const { invoke: inv, completion: op } = keepAlives[i]!;
    if (op === undefined) continue;
    const k = of(id64(obj(inv.value)['ID']));
    const resp = obj(op.value);
    const term = int(obj(resp['header'])['raft_term']);
    const memberId = obj(resp['header'])['member_id'];
    const member = typeof memberId === 'string' || typeof memberId === 'number' ? String(memberId) : '';
    if (op.type !== 'ok' || term <= 0 || member === '' || member === '0') continue;
    const ttlSeconds = int(resp['TTL']);
    if (ttlSeconds <= 0) continue; // the lease was gone: nothing renewed
    const period = `${member}@${term}`;
    const list = k.renewalsByTerm.get(period);
    const r: Renewal = { invokeUs: inv.time, doneUs: op.time, ttlSeconds, index: op.index };
    if (list === undefined) k.renewalsByTerm.set(period, [r]);
    else list.push(r);
  }
  return byLease;
}

/**
 * Keep-alives that renewed a lease already expired on the leader that served them. Quadratic in
 * the renewals of one lease in one term at worst; `stepsMax` bounds the work (then `exhausted`).
 */
export function findRenewedExpired(
  history: readonly Op[],
  o: RenewedExpiredOptions,
  max: number,
  stepsMax: number,
  paired: LeasePairs = pairLeaseOps(history),
  grants: ReadonlyMap<string, readonly GrantWindow[]> = grantWindowsOf(paired.grants),
): { found: RenewedExpired[]; steps: number; exhausted: boolean } {
  const found: RenewedExpired[] = [];
  let steps = history.length;
  if (!Number.isFinite(o.clockJumpUsMax)) return { found, steps, exhausted: false };
  const unbounded = unboundedKeepAlives(paired.keepAlives);
  for (const [lease, k] of gather(paired.keepAlives)) {
    const firstUnknownUs = unbounded.get(lease) ?? Infinity;
    for (const [period, renewals] of k.renewalsByTerm) {
      const [member, term] = period.split('@');
      for (const kk of renewals) {
        // A keep-alive of unknown outcome invoked before K's answer may have been served just before K.
        if (firstUnknownUs < kk.doneUs) continue;
        let lastDoneUs = -Infinity;
        let last: Renewal | undefined;
        let overlapped = false;
        for (const r of renewals) {
          if (++steps > stepsMax) return { found, steps, exhausted: true };
          if (r === kk || r.invokeUs >= kk.doneUs) continue;
          if (r.doneUs >= kk.invokeUs) overlapped = true; // may have been served after K was invoked
          else if (r.doneUs > lastDoneUs) {
            lastDoneUs = r.doneUs;
            last = r;
          }
        }
        if (overlapped || last === undefined) continue;
        // The lease may have expired and been granted again in between: K renewed the new lease.
        if (mayHaveGrantedBetween(grants.get(lease), last.invokeUs, kk.doneUs)) continue;
        const slackUs = (o.clockDriftPpmMax * (kk.doneUs - last.doneUs)) / PPM + o.clockJumpUsMax + CLOCK_RESOLUTION_US;
        const expiredByUs = last.doneUs + last.ttlSeconds * PPM + slackUs;
        if (kk.invokeUs > expiredByUs && found.length < max) {
          found.push({
            lease, index: kk.index,
            message: `keep-alive of lease ${lease} invoked at ${kk.invokeUs} µs renewed it (member ${member}, term ${term}), but that member had renewed it last in term ${term} by ${last.doneUs} µs with TTL ${last.ttlSeconds} s: it had expired by ${Math.ceil(expiredByUs)} µs`,
          });
        }
      }
    }
  }
  return { found, steps, exhausted: false };
}
