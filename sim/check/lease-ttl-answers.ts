// What a lease's answers say about its TTL, against what the history proves (etcd 3.4's lessor):
// - a keep-alive that renews answers the granted TTL (the grant's answer's TTL);
// - a TimeToLive answers the granted TTL as grantedTTL;
// - a TimeToLive answers at most the time the lease can have left, in whole seconds rounded
//   down (etcd: int64(Remaining().Seconds())). A keep-alive renews the lease when its leader
//   serves it, before its answer arrives; one invoked before the TimeToLive's answer arrived may
//   have renewed it before the TimeToLive was served, by min(its answer, the TimeToLive's answer)
//   at the latest; judged only once one of them was answered before the TimeToLive was sent
//   (it certainly renewed the lease before: else all may have come after it). So the lease expires no later than that + TTL on the leader's clock, and a
//   TimeToLive invoked at t sees at most that + TTL - t, plus the leader clock's error. Only
//   keep-alives answered by the TimeToLive's member in its raft term count: one lessor served
//   both (not a deposed leader that answers under the new term before it steps down), and it (promoted once, before it renewed anything) restarts no TTL meanwhile,
//   while a new leader restarts every TTL (etcd#9888). Not judged when the scenario's clock steps
//   are unbounded, nor for a lease whose lessor has no expiry (9223372036 s), nor once a
//   keep-alive of the lease whose serving time no answer bounds (timed out, or sent more than
//   once: lease-keepalive-unknown.ts) was invoked before the TimeToLive's answer. A grant of the
//   lease's id sent before the answer arrived renews it too (a lease granted again under the id
//   after the first one ended starts its TTL when that grant applies).
//   The bound is judged only when an answer's raft_term is the serving leader's (detcd's members):
//   a real etcd member fills in its own term, and a follower that has not yet heard of a new
//   leader passes that leader's answer on under the old term — whose keep-alives then say nothing
//   of the TTL the new leader restarted at its promotion.
// - a TimeToLive answers at most the granted TTL plus Promote's extension (the election timeout),
//   whoever served it and whatever the terms say: a primary lessor's expiry is at most now + TTL
//   (a renewal, etcd lessor.Renew: refresh(0)) or now + extend + TTL (its promotion; a checkpointed
//   remaining TTL is below the TTL), on its own clock, so only a step back of that clock can add to
//   it. Not judged when the caller does not give the extension, nor when the history grants a
//   thousand leases or more (Promote then spreads expiries further: etcd's leaseRevokeRate).
// - a TimeToLive answers at most its own grantedTTL plus that extension, the same ceiling against
//   the TTL the answer itself says the lease has (etcd 3.4 v3_server LeaseTimeToLive: TTL and
//   GrantedTTL from one Lease of one lessor; lessor.refresh is the only place an expiry is set, at
//   most extend + getRemainingTTL() ≤ extend + ttl ahead), so it needs no grant: an answer
//   about a lease the history does not grant, or whose grant's outcome is unknown, is judged too.
//   It takes the history's leases to be those it grants (as the ceiling above does): a lessor of
//   a thousand leases or more could spread them further at a promotion.
import type { Op } from '../history/op.ts';
import { id64, int } from './models/etcd/json.ts';
import { packedNumbers } from './packed-map.ts';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (typeof v === 'object' && v !== null ? (v as Obj) : {});
const PPM = 1_000_000;
/** etcd's Remaining() of a lease without expiry, in seconds. */
const FOREVER_SECONDS = 9223372036;
/** The simulated lessor reads a millisecond clock. */
const CLOCK_RESOLUTION_US = 1000;

export interface TtlAnswerOptions {
  readonly clockDriftPpmMax?: number;
  /** Sum of a leader clock's jumps (µs); Infinity: the remaining-TTL bound is not judged. */
  readonly clockJumpUsMax?: number;
  /** Lease id → the earliest invocation of a keep-alive of unbounded serving time (unboundedKeepAlives). */
  readonly unboundedKeepAlivesUs?: ReadonlyMap<string, number>;
  /** An answer's raft_term is the term of the leader that served it (else the remaining-TTL bound is not judged). */
  readonly answersCarryLeaderTerm?: boolean;
  /** Lease id → the earliest invocation (µs) of a grant of that id whose outcome is unknown (lease-grants.ts unknownGrantsOf). */
  readonly unknownGrantsUs?: ReadonlyMap<string, number>;
  /** Promote's extension of every TTL (µs; etcd: the election timeout): bounds every TimeToLive answer. Undefined: not judged. */
  readonly promoteExtendUs?: number;
  /** Promote may spread expiries past its extension (the history grants etcd's leaseRevokeRate leases or more). */
  readonly pileUpPossible?: boolean;
}

/** etcd 3.4 lessor.go leaseRevokeRate: Promote spreads expiries only with this many leases or more. */
export const LEASE_REVOKE_RATE = 1000;

export interface TtlAnswer {
  readonly lease: string;
  readonly index: number;
  readonly message: string;
}

interface Pair {
  readonly invoke: Op;
  readonly ok: Op;
}

/** The keep-alives of one lease answered in one raft term, by invocation, with the latest and the earliest answer among the first i. */
interface Renewals {
  readonly invokeUs: number[];
  readonly doneMaxUs: number[];
  readonly doneMinUs: number[];
}

/** The answered grants of one lease id, by invocation: the largest TTL and the latest answer among the first i, each TTL's earliest invocation. */
interface Grants {
  readonly invokeUs: number[];
  readonly ttlMax: number[];
  readonly doneMaxUs: number[];
  readonly firstInvokeUs: ReadonlyMap<number, number>;
}

/** The lease id a lease op names (a grant with ID 0: the id it was answered). */
function leaseOf(invoke: Op, ok: Op): string {
  const id = id64(obj(invoke.value)['ID']);
  return invoke.f === 'lease/grant' && id === '0' ? id64(obj(ok.value)['ID']) : id;
}

const termOf = (ok: Op): number => int(obj(obj(ok.value)['header'])['raft_term']);
/**
 * The lessor an answer came from: its member and raft term. A deposed leader whose raft has
 * already seen the new term, before it steps down, still serves from the lessor it promoted in
 * the old one under the new term (lease-checkpoint-leader-change seed 2: a keep-alive the old
 * leader answered in term 2 did not renew the lease on term 2's leader, whose promotion had
 * restarted it at now + election timeout + the checkpointed TTL).
 */
const lessorOf = (id: string, ok: Op): string => {
  const h = obj(obj(ok.value)['header']);
  const member = h['member_id'];
  return `${id}@${termOf(ok)}@${typeof member === 'string' || typeof member === 'number' ? member : ''}`;
};

/** Index of the first element of the ascending `xs` that is >= x. */
function firstAtOrAfter(xs: readonly number[], x: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (xs[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The most whole seconds a primary lessor can answer for a lease granted `ttl` s (Infinity: not judged). */
function ttlCeilingS(ttl: number, o: TtlAnswerOptions): number {
  const backUs = o.clockJumpUsMax ?? 0;
  if (o.promoteExtendUs === undefined || o.pileUpPossible === true || !Number.isFinite(backUs)) return Infinity;
  return Math.trunc((ttl * PPM + o.promoteExtendUs + backUs + CLOCK_RESOLUTION_US) / PPM);
}

/**
 * TTL answers that contradict the grant or the renewals; `pairs` are the ok ops with their
 * invocations. Linear in the lease ops, plus a binary search per TimeToLive; `steps` counts them.
 */
export function findTtlAnswers(pairs: readonly Pair[], o: TtlAnswerOptions, max: number): { answers: TtlAnswer[]; steps: number; ownGrantJudged: number } {
  const out: TtlAnswer[] = [];
  let ownGrantJudged = 0;
  const report = (a: TtlAnswer): void => {
    if (out.length < max) out.push(a);
  };
  // Every answered grant of an id (a lease granted again after a revoke or an expiry may have another TTL).
  const granted = new Map<string, { invokeUs: number; doneUs: number; ttl: number }[]>();
  const byTerm = new Map<string, { invokeUs: number; doneUs: number }[]>();
  let steps = 0;
  for (let i = 0; i < pairs.length; i++) {
    const { invoke, ok } = pairs[i]!;
    if (!invoke.f.startsWith('lease/')) continue;
    steps++;
    const resp = obj(ok.value);
    const id = leaseOf(invoke, ok);
    if (invoke.f === 'lease/grant') {
      if (int(resp['TTL']) > 0) {
        const g = { invokeUs: invoke.time, doneUs: ok.time, ttl: int(resp['TTL']) };
        const list = granted.get(id);
        if (list === undefined) granted.set(id, [g]);
        else list.push(g);
      }
      continue;
    }
    if (invoke.f !== 'lease/keepalive' || int(resp['TTL']) <= 0 || termOf(ok) <= 0) continue;
    const key = lessorOf(id, ok);
    const list = byTerm.get(key);
    const r = { invokeUs: invoke.time, doneUs: ok.time };
    if (list === undefined) byTerm.set(key, [r]);
    else list.push(r);
  }
  // Per id, the grants by invocation with the largest TTL among the first i, and each TTL's
  // earliest grant: the grants sent before an answer arrived are a prefix (a binary search), not a
  // filter of every grant per answer (one id granted again and again was quadratic).
  const grantIndex = new Map<string, Grants>();
  for (const [id, list] of granted) {
    const sorted = [...list].sort((a, b) => a.invokeUs - b.invokeUs);
    const ttlMax: number[] = [];
    const doneMaxUs: number[] = [];
    const firstInvokeUs = new Map<number, number>();
    for (const x of sorted) {
      ttlMax.push(Math.max(x.ttl, ttlMax[ttlMax.length - 1] ?? -Infinity));
      doneMaxUs.push(Math.max(x.doneUs, doneMaxUs[doneMaxUs.length - 1] ?? -Infinity));
      if (!firstInvokeUs.has(x.ttl)) firstInvokeUs.set(x.ttl, x.invokeUs);
    }
    grantIndex.set(id, { invokeUs: packedNumbers(sorted, (x) => x.invokeUs), ttlMax, doneMaxUs, firstInvokeUs });
  }
  const renewals = new Map<string, Renewals>();
  for (const [key, list] of byTerm) {
    list.sort((a, b) => a.invokeUs - b.invokeUs);
    steps += list.length;
    const doneMaxUs: number[] = [];
    const doneMinUs: number[] = [];
    for (const r of list) {
      doneMaxUs.push(Math.max(r.doneUs, doneMaxUs[doneMaxUs.length - 1] ?? -Infinity));
      doneMinUs.push(Math.min(r.doneUs, doneMinUs[doneMinUs.length - 1] ?? Infinity));
    }
    renewals.set(key, { invokeUs: packedNumbers(list, (r) => r.invokeUs), doneMaxUs, doneMinUs });
  }
  for (let i = 0; i < pairs.length; i++) {
    const { invoke, ok } = pairs[i]!;
    if (invoke.f !== 'lease/keepalive' && invoke.f !== 'lease/timetolive') continue;
    const id = leaseOf(invoke, ok);
    if (invoke.f === 'lease/timetolive') {
      const own = ownGrantCeiling(obj(ok.value), o);
      if (own !== undefined) ownGrantJudged++;
      if (own !== undefined && own.answered > own.ceilingS) {
        report({ lease: id, index: ok.index, message: `TimeToLive of lease ${id} answered TTL ${own.answered} s with grantedTTL ${own.granted} s: a lessor can have at most ${own.ceilingS} s left of a lease it holds with that TTL (the TTL, plus ${o.promoteExtendUs! / PPM} s of a new leader's extension and the clock's steps back)` });
        continue;
      }
    }
    // The grants that may have made the lease this answer is about: those sent before it arrived
    // (ground-truth seeds 1966, 4277: a lease granted again with another TTL was judged by the
    // last grant's); a grant of unknown outcome sent before it may have made it with any TTL.
    if ((o.unknownGrantsUs?.get(id) ?? Infinity) < ok.time) continue;
    const g = grantIndex.get(id);
    const grantsBefore = g === undefined ? 0 : firstAtOrAfter(g.invokeUs, ok.time);
    if (grantsBefore === 0) continue;
    const ttl = g!.ttlMax[grantsBefore - 1]!;
    const wasGranted = (t: number): boolean => (g!.firstInvokeUs.get(t) ?? Infinity) < ok.time;
    // The message alone lists the TTLs, in grant order: built only for an answer that is kept.
    const said = (t: number): string => {
      if (grantsBefore === 1) return `${t}`;
      const ttls = packedNumbers(granted.get(id)!.filter((x) => x.invokeUs < ok.time), (x) => x.ttl);
      return `one of ${[...new Set(ttls)].join(', ')}`;
    };
    const resp = obj(ok.value);
    const answered = int(resp['TTL']);
    if (invoke.f === 'lease/keepalive') {
      if (answered > 0 && !wasGranted(answered) && out.length < max) report({ lease: id, index: ok.index, message: `keep-alive of lease ${id} answered TTL ${answered}, but it was granted ${said(ttl)}` });
      continue;
    }
    if (answered < 0) continue;
    if (resp['grantedTTL'] !== undefined && !wasGranted(int(resp['grantedTTL'])) && out.length < max) report({ lease: id, index: ok.index, message: `TimeToLive of lease ${id} answered grantedTTL ${int(resp['grantedTTL'])}, but it was granted ${said(ttl)}` });
    const ceilingS = ttlCeilingS(ttl, o);
    if (answered < FOREVER_SECONDS && answered > ceilingS) {
      if (out.length < max) report({ lease: id, index: ok.index, message: `TimeToLive of lease ${id} answered TTL ${answered} s, but it was granted ${said(ttl)} s: a lessor can have at most ${ceilingS} s left (the TTL, plus ${o.promoteExtendUs! / PPM} s of a new leader's extension and the clock's steps back)` });
      continue;
    }
    if (o.answersCarryLeaderTerm !== true || answered >= FOREVER_SECONDS || !Number.isFinite(o.clockJumpUsMax ?? 0)) continue;
    // A keep-alive that may have been served at any time since its invocation may have renewed
    // the lease just before this TimeToLive was served.
    if ((o.unboundedKeepAlivesUs?.get(id) ?? Infinity) < ok.time) continue;
    const r = renewals.get(lessorOf(id, ok));
    if (r === undefined) continue;
    // The keep-alives invoked before this answer arrived: each renewed the lease before its own
    // answer, and one that had not renewed it by the time this TimeToLive was served does not count.
    const n = firstAtOrAfter(r.invokeUs, ok.time);
    if (n === 0) continue;
    // Only once one of them had renewed it before this TimeToLive was served (answered before it
    // was sent) is its expiry then the latest renewal's + TTL: keep-alives all concurrent with it
    // may all have been served after it, which then saw the expiry the lessor's promotion set, up
    // to the election timeout later (swarm seed 9: a TimeToLive 0.1 s after a new leader's
    // promotion answered 7 s of a 6 s lease, beside a keep-alive sent 32 µs before it).
    if (r.doneMinUs[n - 1]! >= invoke.time) continue;
    // A grant of the id (granted again after the lease ended: etcd lets a client choose its lease's
    // id) sets the expiry as a renewal does, when it applies, before its answer: one sent before
    // this answer arrived may have made the lease this TimeToLive is about after every keep-alive.
    const renewedByUs = Math.min(Math.max(r.doneMaxUs[n - 1]!, g!.doneMaxUs[grantsBefore - 1]!), ok.time);
    const elapsedUs = ok.time - r.invokeUs[0]!;
    const slackUs = ((o.clockDriftPpmMax ?? 0) * elapsedUs) / PPM + (o.clockJumpUsMax ?? 0) + CLOCK_RESOLUTION_US;
    const leftUs = renewedByUs + ttl * PPM - invoke.time + slackUs;
    // etcd truncates toward zero, and truncation keeps order: at most trunc(left) whole seconds.
    const mostS = Math.trunc(leftUs / PPM);
    if (answered > mostS) {
      report({ lease: id, index: ok.index, message: `TimeToLive of lease ${id} invoked at ${invoke.time} µs answered TTL ${answered} s, but the keep-alives its leader answered renewed it by ${renewedByUs} µs with TTL ${ttl} s: at most ${mostS} s can be left` });
    }
  }
  return { answers: out, steps, ownGrantJudged };
}

/** A TimeToLive answer's TTL and its own grantedTTL, with the most a lessor can answer for that grantedTTL; undefined: not judged. */
function ownGrantCeiling(resp: Obj, o: TtlAnswerOptions): { answered: number; granted: number; ceilingS: number } | undefined {
  const answered = int(resp['TTL']);
  const granted = int(resp['grantedTTL']);
  if (answered <= 0 || answered >= FOREVER_SECONDS || granted <= 0) return undefined;
  const ceilingS = ttlCeilingS(granted, o);
  return Number.isFinite(ceilingS) ? { answered, granted, ceilingS } : undefined;
}
