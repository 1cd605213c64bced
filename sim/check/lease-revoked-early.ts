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
// - A new leader restarts every lease's TTL (etcd#9888), from its full TTL, or with lease
//   checkpointing from the remaining TTL of the last checkpoint applied before it promoted
//   (leaderChangeTtls, as the lease checker's other rules read them). A checkpoint taken before a
//   renewal and applied after it is not undone by that renewal (etcd 3.4's Renew clears only a
//   remaining TTL its lessor already holds), so a new leader may end a lease its checkpoint's
//   remaining TTL after it promoted, sooner than the last renewal + TTL (swarm 2431: renewed at
//   8.5 s with TTL 4 s, all members killed, the new leader promoted at 9.47 s with the 1 s a
//   checkpoint of 8.47 s left, revoked at 11.15 s). The promotion comes after the change the
//   timeline saw less one sample; its extend (an election timeout) covers that sample.
//
// A lease's TTL is the one its last renewal answered: a grant that succeeds on an id already seen
// made a new lease (etcd refuses an id that is still held), with its own TTL, from its own
// revision; a keep-alive answers the TTL of the lease it renewed, which may be a grant's of unknown
// outcome. Swarm 716: lease granted with TTL 3 s, expired, granted again under its id with 1 s,
// kept alive (TTL 1) and gone 1.4 s later, judged against the first grant's 3 s. A key a read
// misses is judged against the grant its put attached it to (the latest grant below the put).
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
  /** Times (µs) the leader changes were seen (the lease checker's leaderChangesUs). */
  readonly leaderChangesUs?: readonly number[];
  /**
   * With lease checkpointing: per leader change, the remaining TTL (s) its leader restarted each
   * checkpointed lease from (the lease checker's leaderChangeTtls); a lease it does not name, or a
   * change without an entry, restarted from its full TTL.
   */
  readonly leaderChangeTtls?: readonly (ReadonlyMap<string, number> | undefined)[];
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

/** One grant of a lease id and its renewals: a later grant of the id is another lease. */
interface Renewals {
  /** The TTL the latest renewal answered (a grant's or a keep-alive's). */
  ttlUs: number;
  /** The revision of the grant: a member at or below it never knew this lease. */
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

/** Adds a grant of `id` in revision order (answers may arrive out of it); one grant per revision. */
function addGrant(leases: Map<string, Renewals[]>, id: string, grant: Renewals): void {
  const grants = leases.get(id);
  if (grants === undefined) return void leases.set(id, [grant]);
  if (grants.some((g) => g.grantRevision === grant.grantRevision)) return;
  let i = grants.length;
  while (i > 0 && grants[i - 1]!.grantRevision > grant.grantRevision) i--;
  grants.splice(i, 0, grant);
}

/**
 * The grant an answer or a put at `revision` is about: the latest one below it (a member at that
 * revision had applied it and none after); the latest of all when the revision is unknown (0).
 */
function grantBelow(grants: readonly Renewals[] | undefined, revision: number): Renewals | undefined {
  if (grants === undefined) return undefined;
  if (revision <= 0) return grants[grants.length - 1];
  for (let i = grants.length - 1; i >= 0; i--) if (grants[i]!.grantRevision < revision) return grants[i];
  // A member that had applied no grant of it yet: judged against the first, which it never knew.
  return grants[0];
}

/**
 * The earliest moment a leader may end lease `id`'s grant `l`, judged for an answer at `beforeUs`:
 * its last renewal + TTL, or sooner, a leader change after that renewal that restarted it from a
 * checkpoint's remaining TTL; on a clock that runs fast by the drift or jumps forward.
 */
function earliestEnd(options: RevokedEarlyOptions, jumpUs: number): (id: string, l: Renewals, beforeUs: number) => { us: number; why: string } {
  const drift = Math.max(0, options.clockDriftPpmMax ?? 0);
  const scaled = (us: number): number => Math.floor(us * PPM / (PPM + drift));
  const changes = options.leaderChangesUs ?? [];
  const ttls = options.leaderChangeTtls;
  return (id, l, beforeUs) => {
    let us = l.renewedAtUs + scaled(l.ttlUs) - jumpUs;
    let why = `renewed at ${l.renewedAtUs} µs with TTL ${l.ttlUs / 1e6} s: no leader may end it before ${us} µs`;
    for (let i = 0; ttls !== undefined && i < changes.length; i++) {
      const c = changes[i]!;
      const leftSeconds = ttls[i]?.get(id);
      if (c <= l.renewedAtUs || c >= beforeUs || leftSeconds === undefined) continue;
      const restartedUs = c + scaled(Math.min(leftSeconds * 1e6, l.ttlUs)) - jumpUs;
      if (restartedUs >= us) continue;
      us = restartedUs;
      why = `renewed at ${l.renewedAtUs} µs with TTL ${l.ttlUs / 1e6} s and restarted by the leader change at ${c} µs from its checkpoint's ${leftSeconds} s: no leader may end it before ${us} µs`;
    }
    return { us, why };
  };
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
  const bound = earliestEnd(options, jumpUs);
  const leases = new Map<string, Renewals[]>();
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
    const revision = int(header['revision']);
    if (f === 'lease/grant') {
      const id = id64(req['ID']) !== '0' ? id64(req['ID']) : id64(resp['ID']);
      addGrant(leases, id, { ttlUs: (int(resp['TTL']) || int(req['TTL'])) * 1e6, grantRevision: revision, renewedAtUs: invoke.time });
      continue;
    }
    if (invoke.f === 'kv/range') {
      for (const v of keyWrites.vanished(req, resp, op.time)) {
        const l = grantBelow(leases.get(v.lease), v.revision);
        if (l === undefined || op.time >= (revokeInvokedUs.get(v.lease) ?? Infinity)) continue;
        const end = bound(v.lease, l, op.time);
        if (op.time < end.us && found.length < max) {
          found.push({ lease: v.lease, key: v.key, index: op.index, message: `key ${JSON.stringify(v.key)} of lease ${v.lease} gone from a read at ${op.time} µs with no revoke asked for and no write of it, but the lease was ${end.why}` });
        }
      }
      continue;
    }
    const id = id64(req['ID']);
    const l = grantBelow(leases.get(id), revision);
    if (l === undefined) continue;
    const keepAlive = invoke.f === 'lease/keepalive';
    if (keepAlive && int(resp['TTL']) > 0) {
      const renewed = options.renewalProof !== undefined ? options.renewalProof(invoke.time, op.time) : !staleAnswer(int(header['raft_term']), op.time, options.leaders);
      if (renewed && invoke.time >= l.renewedAtUs) {
        l.renewedAtUs = invoke.time;
        l.ttlUs = int(resp['TTL']) * 1e6;
      }
      continue;
    }
    const gone = (keepAlive && int(resp['TTL']) === 0) || (invoke.f === 'lease/timetolive' && timeToLiveNotFound(resp));
    // A member that has not applied the grant (its revision is not past the grant's) knows nothing of the lease.
    if (!gone || revision <= l.grantRevision || op.time >= (revokeInvokedUs.get(id) ?? Infinity)) continue;
    const end = bound(id, l, op.time);
    if (op.time < end.us && found.length < max) {
      found.push({ lease: id, index: op.index, message: `lease ${id} reported gone at ${op.time} µs with no revoke asked for, but ${end.why}` });
    }
  }
  return { found, exhausted: keyWrites.exhausted };
}
