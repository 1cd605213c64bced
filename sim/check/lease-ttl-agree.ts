// One lease, one TTL: the answers about a lease no grant of the history made agree on its TTL.
// etcd 3.4's keep-alive answers the lease's ttl (lessor.Renew returns l.ttl, on the leader or
// through it: leasehttp) and a TimeToLive answers it as grantedTTL (l.TTL()): one field, set when
// the grant was applied (raised to the lessor's minimum TTL) and never changed after; checkpoints
// and a new leader's promotion move the lease's remaining TTL and expiry only. So every such
// answer about one lease says one TTL. The grant-based rule (lease-ttl-answers.ts) compares the
// answers after a grant with it; the answers before any grant that may have made the lease (one
// naming its id, unless refused; one answered with its id) are about a lease the history found —
// an etcd that held it before the history began — and were judged by nothing but a TimeToLive's
// own ceiling. A grant with ID 0 whose outcome is unknown is taken to make a new id, as the
// grant-based rules take it (lease-grants.ts): etcd 3.4 draws it from the member's request id
// generator (member id in the top 16 bits, then its millisecond clock at start and a counter). They are
// judged here against each other; one alone has nothing to be compared with, and the not-judged
// line counts it (ungrantedAnswersNotJudged).
// Exposed as the grant-based rule is: a member whose election timeout differs has another minimum
// TTL, and a lease below it answers that minimum from that member's lessor (not reproduced).
import type { Op } from '../history/op.ts';
import type { LeasePair } from './lease-pairs.ts';
import { REFUSED_GRANT } from './lease-grants.ts';
import { id64, int } from './models/etcd/json.ts';
import type { TtlAnswer } from './lease-ttl-answers.ts';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (typeof v === 'object' && v !== null ? (v as Obj) : {});
/** etcd's Remaining() of a lease without expiry, in seconds (a TimeToLive of such a lease has no TTL ceiling). */
const FOREVER_SECONDS = 9223372036;

interface Pair {
  readonly invoke: Op;
  readonly ok: Op;
}

/** The TTL an answer says its lease was granted: a keep-alive's TTL, a TimeToLive's grantedTTL; undefined: it says none ("not found"). */
function ttlSaid(invoke: Op, ok: Op): number | undefined {
  const resp = obj(ok.value);
  const ttl = invoke.f === 'lease/keepalive' ? int(resp['TTL']) : invoke.f === 'lease/timetolive' ? int(resp['grantedTTL']) : 0;
  return ttl > 0 ? ttl : undefined;
}

/** When a grant may first have made each lease id (µs, its invocation). */
function firstGrants(grants: readonly LeasePair[]): Map<string, number> {
  const byId = new Map<string, number>();
  const at = (id: string, us: number): void => {
    if (us < (byId.get(id) ?? Infinity)) byId.set(id, us);
  };
  for (let i = 0; i < grants.length; i++) {
    const { invoke, completion } = grants[i]!;
    const named = id64(obj(invoke.value)['ID']);
    if (completion?.type === 'fail' && REFUSED_GRANT.test(completion.error ?? '')) continue;
    if (named !== '0') at(named, invoke.time);
    else if (completion?.type === 'ok') at(id64(obj(completion.value)['ID']), invoke.time);
  }
  return byId;
}

/** The answers that say a TTL about a lease before any grant may have made it, by lease id in history order. */
function ungrantedGroups(pairs: readonly Pair[], grants: readonly LeasePair[]): Map<string, Pair[]> {
  const first = firstGrants(grants);
  const out = new Map<string, Pair[]>();
  for (let i = 0; i < pairs.length; i++) {
    const p = pairs[i]!;
    if (p.invoke.f !== 'lease/keepalive' && p.invoke.f !== 'lease/timetolive') continue;
    if (ttlSaid(p.invoke, p.ok) === undefined) continue;
    const id = id64(obj(p.invoke.value)['ID']);
    if (p.ok.time >= (first.get(id) ?? Infinity)) continue;
    const list = out.get(id);
    if (list === undefined) out.set(id, [p]);
    else list.push(p);
  }
  return out;
}

const said = (p: Pair): string => (p.invoke.f === 'lease/keepalive' ? `keep-alive (op ${p.ok.index}) answered TTL` : `TimeToLive (op ${p.ok.index}) answered grantedTTL`);

/**
 * Answers about a lease no grant made before them that say another TTL than the first such
 * answer; `judged`: the answers compared (of leases with two or more).
 */
export function findTtlDisagreements(pairs: readonly Pair[], grants: readonly LeasePair[], max: number): { answers: TtlAnswer[]; judged: number; steps: number } {
  const answers: TtlAnswer[] = [];
  let judged = 0;
  let steps = pairs.length;
  for (const [id, list] of ungrantedGroups(pairs, grants)) {
    steps += list.length;
    if (list.length < 2) continue;
    judged += list.length;
    const first = list[0]!;
    const ttl = ttlSaid(first.invoke, first.ok)!;
    for (let i = 1; i < list.length && answers.length < max; i++) {
      const p = list[i]!;
      const t = ttlSaid(p.invoke, p.ok)!;
      if (t !== ttl) answers.push({ lease: id, index: p.ok.index, message: `lease ${id}, which no grant of the history made before: ${said(p)} ${t}, but ${said(first)} ${ttl}: one lease has one TTL (etcd 3.4: a keep-alive answers the lessor's l.ttl, a TimeToLive the same as grantedTTL)` });
    }
  }
  return { answers, judged, steps };
}

/**
 * The keep-alive and TimeToLive answers about a lease no grant of the history made before them
 * that no rule judges: a "not found" one (rule 2 needs the grant), and one alone that says a TTL
 * with nothing to be compared with — but a TimeToLive judged against its own grantedTTL
 * (lease-ttl-answers.ts, with a new leader's extension given).
 */
export function ungrantedAnswersNotJudged(history: readonly Op[], grants: readonly LeasePair[]): number {
  const open = new Map<number | string, Op>();
  const pairs: Pair[] = [];
  let gone = 0;
  const first = firstGrants(grants);
  for (let i = 0; i < history.length; i++) {
    const op = history[i]!;
    if (op.f !== 'lease/keepalive' && op.f !== 'lease/timetolive') continue;
    if (op.type === 'invoke') {
      open.set(op.process, op);
      continue;
    }
    const invoke = open.get(op.process);
    open.delete(op.process);
    if (invoke === undefined || op.type !== 'ok') continue;
    if (ttlSaid(invoke, op) !== undefined) pairs.push({ invoke, ok: op });
    else if (op.time < (first.get(id64(obj(invoke.value)['ID'])) ?? Infinity)) gone++;
  }
  let alone = 0;
  for (const list of ungrantedGroups(pairs, grants).values()) {
    if (list.length !== 1) continue;
    const p = list[0]!;
    const resp = obj(p.ok.value);
    const ownCeiling = p.invoke.f === 'lease/timetolive' && int(resp['TTL']) > 0 && int(resp['TTL']) < FOREVER_SECONDS;
    if (!ownCeiling) alone++;
  }
  return gone + alone;
}
