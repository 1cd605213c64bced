// What a lease's answers say about its TTL, against what the history proves (etcd 3.4's lessor):
// - a keep-alive that renews answers the granted TTL (the grant's answer's TTL);
// - a TimeToLive answers the granted TTL as grantedTTL;
// - a TimeToLive answers at most the time the lease can have left, in whole seconds rounded
//   down (etcd: int64(Remaining().Seconds())). A keep-alive that renewed it was served by the
//   leader no later than its answer arrived, so after keep-alives K (answered by K_done at the
//   latest) the lease expires no later than K_done + TTL on that leader's clock, and a TimeToLive
//   invoked at t sees at most K_done + TTL - t, plus the leader clock's error. Only keep-alives
//   answered in the TimeToLive's raft term count: the one leader of that term served both, and
//   its lessor (promoted once, before it renewed anything) restarts no TTL meanwhile, while a new
//   leader restarts every TTL (etcd#9888). Not judged when the scenario's clock jumps are
//   unbounded, nor for a lease whose lessor has no expiry (9223372036 s).
import type { Op } from '../history/op.ts';
import { id64, int } from './models/etcd/json.ts';

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
}

export interface TtlAnswer {
  readonly lease: string;
  readonly index: number;
  readonly message: string;
}

interface Pair {
  readonly invoke: Op;
  readonly ok: Op;
}

interface Renewal {
  readonly invokeUs: number;
  readonly doneUs: number;
  /** The raft term of the leader that answered. */
  readonly term: number;
}

/** TTL answers that contradict the grant or the renewals; `pairs` are the ok ops with their invocations, in history order. */
export function findTtlAnswers(pairs: readonly Pair[], o: TtlAnswerOptions, max: number): TtlAnswer[] {
  const out: TtlAnswer[] = [];
  const granted = new Map<string, number>();
  const renewals = new Map<string, Renewal[]>();
  const report = (a: TtlAnswer): void => {
    if (out.length < max) out.push(a);
  };
  for (const { invoke, ok } of pairs) {
    const req = obj(invoke.value);
    const resp = obj(ok.value);
    if (invoke.f === 'lease/grant') {
      const id = id64(req['ID']) !== '0' ? id64(req['ID']) : id64(resp['ID']);
      if (int(resp['TTL']) > 0) granted.set(id, int(resp['TTL']));
      continue;
    }
    const id = id64(req['ID']);
    const ttl = granted.get(id);
    if (ttl === undefined) continue;
    const answered = int(resp['TTL']);
    if (invoke.f === 'lease/keepalive' && answered > 0) {
      if (answered !== ttl) report({ lease: id, index: ok.index, message: `keep-alive of lease ${id} answered TTL ${answered}, but it was granted ${ttl}` });
      const list = renewals.get(id);
      const r = { invokeUs: invoke.time, doneUs: ok.time, term: int(obj(resp['header'])['raft_term']) };
      if (list === undefined) renewals.set(id, [r]);
      else list.push(r);
      continue;
    }
    if (invoke.f !== 'lease/timetolive' || answered < 0) continue;
    if (resp['grantedTTL'] !== undefined && int(resp['grantedTTL']) !== ttl) report({ lease: id, index: ok.index, message: `TimeToLive of lease ${id} answered grantedTTL ${int(resp['grantedTTL'])}, but it was granted ${ttl}` });
    if (answered >= FOREVER_SECONDS || !Number.isFinite(o.clockJumpUsMax ?? 0)) continue;
    const term = int(obj(resp['header'])['raft_term']);
    const before = (renewals.get(id) ?? []).filter((r) => r.invokeUs < ok.time && r.term === term && term > 0);
    if (before.length === 0) continue;
    const first = before.reduce((a, r) => Math.min(a, r.invokeUs), Infinity);
    const doneUs = before.reduce((a, r) => Math.max(a, r.doneUs), -Infinity);
    const elapsedUs = ok.time - first;
    const slackUs = ((o.clockDriftPpmMax ?? 0) * elapsedUs) / PPM + (o.clockJumpUsMax ?? 0) + CLOCK_RESOLUTION_US;
    const leftUs = doneUs + ttl * PPM - invoke.time + slackUs;
    // etcd truncates toward zero, and truncation keeps order: at most trunc(left) whole seconds.
    const mostS = Math.trunc(leftUs / PPM);
    if (answered > mostS) {
      report({ lease: id, index: ok.index, message: `TimeToLive of lease ${id} invoked at ${invoke.time} µs answered TTL ${answered} s, but its last keep-alive was answered at ${doneUs} µs with TTL ${ttl} s: at most ${mostS} s can be left` });
    }
  }
  return out;
}
