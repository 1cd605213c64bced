// A lease revoked too early: etcd's leader ends a lease no sooner than TTL after its last
// renewal (its grant or a keep-alive), by its own clock. So when a member that applied the
// grant answers that the lease is gone (a keep-alive with TTL 0 or a TimeToLive of -1), or a
// read no longer shows a key only the lease's end can have deleted (lease-key-vanished.ts),
// before the last renewal's invocation + TTL, and no client asked to revoke it before that
// answer, the lease was revoked early: by a deposed leader's lessor that goes on expiring what the new
// leader keeps alive (etcd#15247), a lease table restored wrong, a revoke applied twice...
//
// What is excused, as etcd documents it:
// - A keep-alive a stale leader answered renewed only that leader's lessor, which the new
//   leader never sees (etcd serves LeaseKeepAlive on whoever thinks it leads). A keep-alive
//   counts as a renewal only when no leader of a newer term than its answer's raft_term had
//   taken office by the time the answer arrived; without the leaders' terms only the grant counts.
//   A real etcd's answer carries the term of the member the client talked to: there the run's
//   leader timeline (renewal-proof.ts) says which keep-alives the leader in office answered.
// - A leader's clock that runs fast or jumps ends leases early by its error: the caller gives
//   the drift (ppm) and the sum of forward jumps the scenario allows.
// - A new leader restarts every lease's TTL (etcd#9888): that only makes leases live longer.
import type { Op } from '../history/op.ts';
import type { RenewalProof } from './renewal-proof.ts';
import { KeyWrites } from './lease-key-vanished.ts';
import { id64, int } from './models/etcd/json.ts';

/** A leader taking office (the harness's leader timeline). */
export interface LeaderInOffice {
  readonly term: number;
  readonly startUs: number;
}

export interface RevokedEarlyOptions {
  /** Leaders as they took office; without them a keep-alive is no proof of a renewal. */
  readonly leaders?: readonly LeaderInOffice[];
  /**
   * A real etcd's answers do not name the renewing leader's term: its leader timeline decides
   * which keep-alives renewed on the leader in office (renewal-proof.ts). Replaces `leaders`.
   */
  readonly renewalProof?: RenewalProof;
  /** How much faster than real time a leader's clock may run, ppm. Default 0. */
  readonly clockDriftPpmMax?: number;
  /** The sum of the forward jumps a leader's clock may take, µs; Infinity turns the check off. Default 0. */
  readonly clockJumpUsMax?: number;
}

export interface RevokedEarly {
  readonly lease: string;
  /** The key that vanished, when a read (not a lease answer) shows it. */
  readonly key?: string;
  /** History index of the answer that reports the lease gone. */
  readonly index: number;
  readonly message: string;
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (typeof v === 'object' && v !== null ? (v as Obj) : {});
const PPM = 1_000_000;

interface Renewals {
  ttlUs: number;
  grantRevision: number;
  /** The latest invocation of a grant or of a keep-alive that renewed the lease on a leader in office. */
  renewedAtUs: number;
}

/**
 * Whether a TimeToLive answer says "not found": TTL -1 without grantedTTL. etcd 3.4 answers a
 * lease it still holds with int64(Remaining().Seconds()), which is -1 (or less) for a lease
 * expired more than a second ago whose revoke has not applied yet, and with its grantedTTL; a
 * lease it does not hold gets {ID, TTL: -1} only (v3rpc LeaseTimeToLive on ErrLeaseNotFound).
 */
export function timeToLiveNotFound(resp: Obj): boolean {
  return int(resp['TTL']) === -1 && int(resp['grantedTTL']) === 0;
}

/** True when a leader of a newer term than `term` had taken office by `atUs`: the answer may be a stale leader's. */
function staleAnswer(term: number, atUs: number, leaders: readonly LeaderInOffice[] | undefined): boolean {
  if (leaders === undefined || term <= 0) return true;
  for (const l of leaders) if (l.term > term && l.startUs <= atUs) return true;
  return false;
}

/**
 * The leases some answer reports gone before the earliest moment a leader could have ended them.
 * A client's revoke excuses every answer after its invocation, whatever its outcome (a revoke
 * that timed out may still apply).
 */
export function findRevokedEarly(history: readonly Op[], options: RevokedEarlyOptions = {}, max = 100): { found: RevokedEarly[]; exhausted: boolean } {
  const jumpUs = options.clockJumpUsMax ?? 0;
  if (!Number.isFinite(jumpUs)) return { found: [], exhausted: false };
  const keyWrites = new KeyWrites(history);
  const drift = Math.max(0, options.clockDriftPpmMax ?? 0);
  const leases = new Map<string, Renewals>();
  const revokeInvokedUs = new Map<string, number>();
  const open = new Map<number | string, Op>();
  const found: RevokedEarly[] = [];
  for (const op of history) {
    if (op.type === 'invoke') {
      open.set(op.process, op);
      if (op.f === 'lease/revoke') {
        const id = id64(obj(op.value)['ID']);
        if (!revokeInvokedUs.has(id)) revokeInvokedUs.set(id, op.time);
      }
      continue;
    }
    const invoke = open.get(op.process);
    open.delete(op.process);
    if (invoke === undefined || op.type !== 'ok') continue;
    const f = invoke.f;
    // Only lease answers and reads tell anything here (a write's ID field is absent: no lease).
    if (f !== 'kv/range' && !f.startsWith('lease/')) continue;
    const req = obj(invoke.value);
    const resp = obj(op.value);
    const header = obj(resp['header']);
    if (f === 'lease/grant') {
      const id = id64(req['ID']) !== '0' ? id64(req['ID']) : id64(resp['ID']);
      const ttlSeconds = int(resp['TTL']) || int(req['TTL']);
      if (!leases.has(id)) leases.set(id, { ttlUs: ttlSeconds * 1e6, grantRevision: int(header['revision']), renewedAtUs: invoke.time });
      continue;
    }
    if (invoke.f === 'kv/range') {
      for (const { key, lease } of keyWrites.vanished(req, resp, op.time)) {
        const l = leases.get(lease);
        if (l === undefined || op.time >= (revokeInvokedUs.get(lease) ?? Infinity)) continue;
        const earliestEndUs = l.renewedAtUs + Math.floor(l.ttlUs * PPM / (PPM + drift)) - jumpUs;
        if (op.time < earliestEndUs && found.length < max) {
          found.push({
            lease,
            key,
            index: op.index,
            message: `key ${JSON.stringify(key)} of lease ${lease} gone from a read at ${op.time} µs with no revoke asked for and no write of it, but the lease was renewed at ${l.renewedAtUs} µs with TTL ${l.ttlUs / 1e6} s: no leader may end it before ${earliestEndUs} µs`,
          });
        }
      }
      continue;
    }
    const id = id64(req['ID']);
    const l = leases.get(id);
    if (l === undefined) continue;
    const keepAlive = invoke.f === 'lease/keepalive';
    if (keepAlive && int(resp['TTL']) > 0) {
      const renewed = options.renewalProof !== undefined ? options.renewalProof(invoke.time, op.time) : !staleAnswer(int(header['raft_term']), op.time, options.leaders);
      if (renewed) l.renewedAtUs = Math.max(l.renewedAtUs, invoke.time);
      continue;
    }
    const gone = (keepAlive && int(resp['TTL']) === 0) || (invoke.f === 'lease/timetolive' && timeToLiveNotFound(resp));
    // A member that has not applied the grant (its revision is not past the grant's) knows nothing of the lease.
    if (!gone || int(header['revision']) <= l.grantRevision || op.time >= (revokeInvokedUs.get(id) ?? Infinity)) continue;
    const earliestEndUs = l.renewedAtUs + Math.floor(l.ttlUs * PPM / (PPM + drift)) - jumpUs;
    if (op.time < earliestEndUs && found.length < max) {
      found.push({
        lease: id,
        index: op.index,
        message: `lease ${id} reported gone at ${op.time} µs with no revoke asked for, but renewed at ${l.renewedAtUs} µs with TTL ${l.ttlUs / 1e6} s: no leader may end it before ${earliestEndUs} µs`,
      });
    }
  }
  return { found, exhausted: keyWrites.exhausted };
}
