// Lease safety over an etcd history (detcd's JSONL form). The evidence, precisely:
//
// 1. Revoked: a `lease/revoke` ok at header.revision R deleted the lease's keys at R. Any ok
//    range that read at a revision ≥ R (its header.revision, or its explicit revision) and
//    shows a key attached to that lease is a key that outlived its revoked lease.
// 2. Gone: a `lease/keepalive` ok with TTL 0 or a `lease/timetolive` ok with TTL -1 proves
//    the lease no longer existed when that op completed — if the member that answered had
//    applied the grant: its header.revision is above the grant's (a put after the grant). A
//    deposed leader that never saw the grant answers "not found" too (etcd serves lease
//    lookups from the leader's lessor without a linearizable check); that is no evidence.
//    Any range invoked after that completion that shows a key attached to the lease is a
//    key that outlived its lease.
// 3. Expired: the lease is known alive at the completion of its grant and of every
//    keep-alive ok with TTL > 0; it may live at most TTL after the latest of those, plus
//    (when given) electionTimeoutUs + TTL after each leader change (a new leader restarts
//    every lease's TTL, etcd#9888), plus graceUs for clock drift. A range invoked after
//    that deadline that shows a key attached to the lease, or a keep-alive invoked after it
//    that answers TTL > 0, is a lease that outlived its TTL.
import type { Op } from '../history/op.ts';
import { id64, decodeKey, int } from './models/etcd/json.ts';
import type { CheckResult, Validity } from './verdict.ts';

export interface LeaseCheckOptions {
  /** Extra time a lease may outlive its TTL (clock drift, expiry check period). Default 1 s. */
  graceUs?: number;
  /** Times (µs) of leader changes; each restarts every lease's TTL. */
  leaderChangesUs?: readonly number[];
  electionTimeoutUs?: number;
  maxViolations?: number;
  /** Work units (ops, kvs and leader changes visited) before the verdict is "unknown". Default 50,000,000. */
  stepsMax?: number;
}

export interface LeaseViolation {
  kind: 'revoked-key-visible' | 'gone-lease-key-visible' | 'expired-key-visible' | 'expired-lease-renewed';
  lease: string;
  /** History index of the op that shows it. */
  index: number;
  message: string;
}

export interface LeaseCheckResult extends CheckResult {
  valid: Validity;
  violations: LeaseViolation[];
  leases: number;
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (typeof v === 'object' && v !== null ? (v as Obj) : {});

interface Completed {
  invoke: Op;
  ok: Op;
}

interface LeaseFacts {
  ttlSeconds: number;
  /** header.revision of the grant's answer: a member past it has applied the grant. */
  grantRevision: number;
  aliveAtUs: number[];
  grantedAtUs: number;
  revokedAtRevision: number;
  goneAtUs: number;
}

function completedOps(history: readonly Op[]): Completed[] {
  const open = new Map<number | string, Op>();
  const out: Completed[] = [];
  for (const op of history) {
    if (op.type === 'invoke') open.set(op.process, op);
    else {
      const inv = open.get(op.process);
      open.delete(op.process);
      if (inv !== undefined && op.type === 'ok') out.push({ invoke: inv, ok: op });
    }
  }
  return out;
}

/** Every kv with a lease shown by a range response (nested txn ranges included). */
function leasedKvs(resp: unknown, out: (key: string, lease: string) => void): void {
  if (Array.isArray(resp)) {
    for (const x of resp) leasedKvs(x, out);
    return;
  }
  if (typeof resp !== 'object' || resp === null) return;
  const o = resp as Obj;
  if (Array.isArray(o['kvs'])) for (const kv of o['kvs'] as Obj[]) if (id64(kv['lease']) !== '0') out(decodeKey(kv['key']), id64(kv['lease']));
  for (const v of Object.values(o)) if (typeof v === 'object' && v !== null && v !== o['kvs']) leasedKvs(v, out);
}

function gatherFacts(ops: readonly Completed[]): Map<string, LeaseFacts> {
  const leases = new Map<string, LeaseFacts>();
  const facts = (id: string): LeaseFacts | undefined => leases.get(id);
  for (const { invoke, ok } of ops) {
    const req = obj(invoke.value);
    const resp = obj(ok.value);
    if (invoke.f === 'lease/grant') {
      const id = (id64(req['ID']) !== '0' ? id64(req['ID']) : id64(resp['ID']));
      leases.set(id, { ttlSeconds: int(resp['TTL']) || int(req['TTL']), grantRevision: int(obj(resp['header'])['revision']), aliveAtUs: [ok.time], grantedAtUs: invoke.time, revokedAtRevision: Infinity, goneAtUs: Infinity });
    }
    const id = id64(req['ID']);
    const f = facts(id);
    if (f === undefined) continue;
    if (invoke.f === 'lease/revoke') f.revokedAtRevision = Math.min(f.revokedAtRevision, int(obj(resp['header'])['revision']));
    const sawGrant = int(obj(resp['header'])['revision']) > f.grantRevision;
    if (invoke.f === 'lease/keepalive') {
      if (int(resp['TTL']) > 0) f.aliveAtUs.push(ok.time);
      else if (sawGrant) f.goneAtUs = Math.min(f.goneAtUs, ok.time);
    }
    if (invoke.f === 'lease/timetolive' && int(resp['TTL']) === -1 && sawGrant) f.goneAtUs = Math.min(f.goneAtUs, ok.time);
  }
  return leases;
}

function deadlineUs(f: LeaseFacts, o: LeaseCheckOptions): number {
  const ttlUs = f.ttlSeconds * 1e6;
  // A loop, not Math.max(...): a lease kept alive a million times must not overflow the stack.
  let alive = -Infinity;
  for (const t of f.aliveAtUs) if (t > alive) alive = t;
  let d = alive + ttlUs;
  for (const c of o.leaderChangesUs ?? []) if (c >= f.grantedAtUs) d = Math.max(d, c + (o.electionTimeoutUs ?? 0) + ttlUs);
  return d + (o.graceUs ?? 1_000_000);
}

export function checkLease(history: readonly Op[], options: LeaseCheckOptions = {}): LeaseCheckResult {
  const maxViolations = options.maxViolations ?? 100;
  const ops = completedOps(history);
  const leases = gatherFacts(ops);
  const violations: LeaseViolation[] = [];
  const report = (v: LeaseViolation): void => {
    if (violations.length < maxViolations) violations.push(v);
  };
  const stepsMax = options.stepsMax ?? 50_000_000;
  let steps = leases.size * (1 + (options.leaderChangesUs?.length ?? 0));
  const deadlines = new Map<string, number>();
  if (steps <= stepsMax) for (const [id, f] of leases) deadlines.set(id, deadlineUs(f, options));
  for (const { invoke, ok } of ops) {
    if (steps > stepsMax) break;
    steps++;
    const resp = obj(ok.value);
    if (invoke.f === 'lease/keepalive' && int(resp['TTL']) > 0) {
      const id = id64(obj(invoke.value)['ID']);
      const d = deadlines.get(id);
      if (d !== undefined && invoke.time > d) report({ kind: 'expired-lease-renewed', lease: id, index: invoke.index, message: `lease ${id} renewed at ${invoke.time} µs, after it must have expired (${d} µs)` });
    }
    if (invoke.f !== 'kv/range' && invoke.f !== 'kv/txn') continue;
    const explicit = int(obj(invoke.value)['revision']);
    const readRevision = explicit > 0 ? explicit : int(obj(resp['header'])['revision']);
    leasedKvs(resp, (key, id) => {
      steps++;
      const f = leases.get(id);
      if (f === undefined) return;
      if (readRevision >= f.revokedAtRevision) report({ kind: 'revoked-key-visible', lease: id, index: invoke.index, message: `key ${JSON.stringify(key)} of lease ${id} read at revision ${readRevision}, but the lease was revoked at ${f.revokedAtRevision}` });
      else if (explicit === 0 && invoke.time > f.goneAtUs) report({ kind: 'gone-lease-key-visible', lease: id, index: invoke.index, message: `key ${JSON.stringify(key)} of lease ${id} read after the lease was reported gone (${f.goneAtUs} µs)` });
      else if (explicit === 0 && invoke.time > deadlines.get(id)!) report({ kind: 'expired-key-visible', lease: id, index: invoke.index, message: `key ${JSON.stringify(key)} of lease ${id} read at ${invoke.time} µs, after the lease must have expired (${deadlines.get(id)!} µs)` });
    });
  }
  const valid: Validity = violations.length > 0 ? false : steps > stepsMax ? 'unknown' : true;
  const summary = valid === true ? `lease safety holds for ${leases.size} lease(s)` : valid === false ? `lease violated: ${violations[0]!.message}` : `unknown: step budget of ${stepsMax} exhausted before every op was checked`;
  const result: LeaseCheckResult = { valid, violations, leases: leases.size, summary, steps };
  if (valid === 'unknown') result['unknownReason'] = `step budget: ${stepsMax}`;
  return result;
}
