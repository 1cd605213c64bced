// A lease renewed, or found alive by a TimeToLive, after the member that served the answer had
// ended it (lease checker rule 7).
// When member M answers a revoke of lease L (it applied the revoke: L left its lessor), or
// answers that L is gone (a keep-alive of TTL 0 or a TimeToLive "not found", once it had applied
// L's grant), M's lessor no longer holds L, in any later term (a revoke that applied is
// committed, and a restarted member applies it again before it can lead). So a keep-alive M
// answers with a TTL, invoked after that answer came, renewed a lease that had ended (etcd 3.4's
// Renew answers "not found"), unless a grant of L may have made it again in between
// (lease-grants.ts). Rule 3 sees such a renewal only past the lease's deadline plus a grace, and
// rule 6 only against an earlier renewal, not against the lease's end.
//
// Judged only when the history's lease answers carry the member and term of the lessor that
// served them (detcd's members): a real etcd follower fills in its own header and forwards the
// keep-alive to the leader, which may not have applied the revoke the follower answered.
import type { Op } from '../history/op.ts';
import { id64, int } from './models/etcd/json.ts';
import { grantWindows, mayHaveGrantedBetween, type GrantWindow } from './lease-grants.ts';
import { timeToLiveNotFound } from './lease-revoked-early.ts';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (typeof v === 'object' && v !== null ? (v as Obj) : {});

export interface RenewedEnded {
  readonly lease: string;
  readonly index: number;
  readonly message: string;
}

/** An answer by `member` that shows the lease had ended in its lessor. */
interface End {
  readonly member: string;
  readonly invokeUs: number;
  readonly doneUs: number;
  readonly what: string;
}

const NO_ENDS: readonly End[] = [];

const memberOf = (resp: Obj): string => {
  const m = obj(resp['header'])['member_id'];
  return typeof m === 'string' || typeof m === 'number' ? String(m) : '';
};

/**
 * Keep-alives that renewed a lease their member had ended before they were sent. Linear in the
 * history plus, per renewal, the ends of its lease; `stepsMax` bounds the work (then `exhausted`).
 */
export function findRenewedEnded(
  history: readonly Op[],
  max: number,
  stepsMax: number,
  grants: ReadonlyMap<string, readonly GrantWindow[]> = grantWindows(history),
): { found: RenewedEnded[]; steps: number; exhausted: boolean } {
  const found: RenewedEnded[] = [];
  /** Per lease, the highest header revision of a grant answered so far (a member past it applied the grant). */
  const grantRevision = new Map<string, number>();
  const ends = new Map<string, End[]>();
  const open = new Map<number | string, Op>();
  let steps = 0;
  for (let i = 0; i < history.length; i++) {
    const op = history[i]!;
    if (++steps > stepsMax) return { found, steps, exhausted: true };
    if (!op.f.startsWith('lease/')) continue;
    if (op.type === 'invoke') {
      open.set(op.process, op);
      continue;
    }
    const inv = open.get(op.process);
    open.delete(op.process);
    if (inv === undefined || op.type !== 'ok') continue;
    const req = obj(inv.value);
    const resp = obj(op.value);
    const revision = int(obj(resp['header'])['revision']);
    if (inv.f === 'lease/grant') {
      const id = id64(req['ID']) !== '0' ? id64(req['ID']) : id64(resp['ID']);
      grantRevision.set(id, Math.max(grantRevision.get(id) ?? 0, revision));
      continue;
    }
    const id = id64(req['ID']);
    const member = memberOf(resp);
    if (member === '' || member === '0') continue;
    const end = (what: string): void => {
      const list = ends.get(id);
      const e: End = { member, invokeUs: inv.time, doneUs: op.time, what };
      if (list === undefined) ends.set(id, [e]);
      else list.push(e);
    };
    const ttl = int(resp['TTL']);
    // A member that had not applied the grant (its revision not past the grant's) knows nothing of the lease.
    const sawGrant = grantRevision.has(id) && revision > grantRevision.get(id)!;
    if (inv.f === 'lease/revoke') end(`revoked it (answered at ${op.time} µs)`);
    else if (inv.f === 'lease/timetolive' && timeToLiveNotFound(resp) && sawGrant) end(`answered it not found at ${op.time} µs`);
    else if (inv.f === 'lease/keepalive' && ttl === 0 && sawGrant) end(`answered it gone at ${op.time} µs`);
    else if ((inv.f === 'lease/keepalive' && ttl > 0) || (inv.f === 'lease/timetolive' && !timeToLiveNotFound(resp))) {
      // A TimeToLive is looked up in the same lessor (etcd's LeaseTimeToLive on the leader): a
      // lease it no longer holds is "not found" (TTL -1), never listed with time left.
      const what = inv.f === 'lease/keepalive' ? `renewed it (member ${member}, TTL ${ttl})` : `found it alive (member ${member}, TTL ${ttl})`;
      const idEnds = ends.get(id) ?? NO_ENDS;
      for (let j = 0; j < idEnds.length; j++) {
        const e = idEnds[j]!;
        if (++steps > stepsMax) return { found, steps, exhausted: true };
        if (e.member !== member || e.doneUs >= inv.time) continue;
        if (mayHaveGrantedBetween(grants.get(id), e.invokeUs, op.time)) continue;
        if (found.length < max) found.push({ lease: id, index: op.index, message: `${inv.f === 'lease/keepalive' ? 'keep-alive' : 'TimeToLive'} of lease ${id} invoked at ${inv.time} µs ${what}, but that member had ${e.what} and no grant of it came between` });
        break;
      }
    }
  }
  return { found, steps, exhausted: false };
}
