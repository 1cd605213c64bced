// Whether a lease keep-alive of a real etcd run renewed the lease on the leader whose lessor any
// later revoke of it must come from: the real target's leader timeline, built from each member's
// Maintenance.Status polled during the run (sim/cli/target-etcd/status-poller.ts). A real etcd's
// keep-alive answer carries the term of the member the client talked to, not of the lessor that
// renewed (a follower forwards the renewal to whoever it thinks leads), so the answer alone
// proves nothing (sim/check/lease-revoked-early.ts); the polls can.
//
// What etcd 3.4 does (etcdserver/server.go, raft.go, lease/lessor.go):
// - Status's raftTerm is the term of the last entry the member applied (setTerm in apply), and
//   applied terms never go back within a process.
// - A lessor becomes primary (Promote) when its member, leading, applies the empty entry of its
//   term; it is demoted (Demote) in the raft loop as soon as the member stops leading, before any
//   entry of a later term reaches the apply loop. Only a primary lessor renews (LeaseRenew answers
//   a TTL only from one), and only a primary lessor expires leases.
// - A restarted member's lessor starts demoted; to lead again it must win a term above every
//   term it persisted, hence above every term it had applied.
//
// So, for a keep-alive invoked at t0 and answered with a TTL at t1, if for some term T:
// - lower: every member either answered a poll by t0 with an applied term ≥ T (from then on, a
//   primary lessor on it has a term ≥ T), or was stopped (SIGSTOP or killed) all through
//   [t0, t1] (it renewed nothing then); and
// - upper: every member answered a poll sent at or after t1 with an applied term ≤ T, and was
//   not killed between t0 and that answer (no lessor of a term above T was promoted by t1);
// then the renewal was made by the lessor of term T's leader, the only primary lessor of a
// member that ran in [t0, t1], and no leader of a newer term had taken office: every later
// leader promotes after t1 and restarts the lease's TTL then. A lease gone before t0 + TTL after
// such a renewal was revoked early: by a stale leader's lessor (etcd#15247) or another bug.
// Anything less (a member cut off from the poller, a poll missing on either side) proves nothing,
// and the renewal does not count (the checkers then fall back to the grant alone).
//
// Margins: a signal takes effect shortly after it is sent, so a member counts as stopped only
// from STOP_EFFECT_US after the signal until the moment its SIGCONT or restart was sent.
import { lowerBound } from '../../src/sort/lower-bound.ts';

/** One answered status poll. */
export interface StatusSample {
  readonly member: string;
  /** When the poll's request left (µs, the run's clock). */
  readonly sentUs: number;
  /** When its answer came back. */
  readonly atUs: number;
  /** Status raftTerm: the term of the last entry the member applied. */
  readonly appliedTerm: number;
}

/** A member that could run nothing: paused (SIGSTOP) or killed, from when the signal was sent until it was resumed or restarted. */
export interface StoppedSpan {
  readonly member: string;
  readonly kind: 'paused' | 'down';
  readonly fromUs: number;
  /** Infinity while it never came back. */
  readonly toUs: number;
}

/** How long after SIGSTOP or SIGKILL is sent the process is taken as stopped. */
export const STOP_EFFECT_US = 50_000;

/** Whether a keep-alive invoked at `invokeUs` and answered with a TTL at `answerUs` renewed its lease on the sole leader in office. */
export type RenewalProof = (invokeUs: number, answerUs: number) => boolean;

interface MemberSamples {
  /** Answers by arrival, with the running maximum of their applied terms. */
  atUs: number[];
  termMaxUpTo: number[];
  /** Answers by send time (the same answers, in send order). */
  sentUs: number[];
  sent: StatusSample[];
}

function indexSamples(samples: readonly StatusSample[]): Map<string, MemberSamples> {
  const out = new Map<string, MemberSamples>();
  const byMember = new Map<string, StatusSample[]>();
  for (const s of samples) (byMember.get(s.member) ?? byMember.set(s.member, []).get(s.member)!).push(s);
  for (const [member, list] of byMember) {
    const byArrival = [...list].sort((a, b) => a.atUs - b.atUs);
    const termMaxUpTo: number[] = [];
    for (const s of byArrival) termMaxUpTo.push(Math.max(s.appliedTerm, termMaxUpTo[termMaxUpTo.length - 1] ?? 0));
    const bySend = [...list].sort((a, b) => a.sentUs - b.sentUs);
    out.set(member, { atUs: byArrival.map((s) => s.atUs), termMaxUpTo, sentUs: bySend.map((s) => s.sentUs), sent: bySend });
  }
  return out;
}

/** The renewal proof of a run with these members, answered polls and stopped spans. */
export function renewalProof(members: readonly string[], samples: readonly StatusSample[], stopped: readonly StoppedSpan[]): RenewalProof {
  if (members.length === 0) throw new Error('renewal proof: a cluster has members');
  const indexed = indexSamples(samples);
  const spans = new Map<string, StoppedSpan[]>();
  for (const s of stopped) (spans.get(s.member) ?? spans.set(s.member, []).get(s.member)!).push(s);
  const stoppedThroughout = (m: string, t0: number, t1: number): boolean => (spans.get(m) ?? []).some((s) => s.fromUs + STOP_EFFECT_US <= t0 && s.toUs >= t1);
  const killedWithin = (m: string, from: number, to: number): boolean => (spans.get(m) ?? []).some((s) => s.kind === 'down' && s.fromUs <= to && s.toUs >= from);
  return (t0, t1) => {
    if (!(t0 <= t1)) throw new Error(`renewal proof: invoked at ${t0} µs after its answer at ${t1} µs`);
    let low = Infinity;
    let high = 0;
    for (const m of members) {
      const s = indexed.get(m);
      if (s === undefined) return false;
      if (!stoppedThroughout(m, t0, t1)) {
        let n = lowerBound(s.atUs, t0);
        while (n < s.atUs.length && s.atUs[n] === t0) n++;
        if (n === 0) return false;
        low = Math.min(low, s.termMaxUpTo[n - 1]!);
      }
      const after = s.sent[lowerBound(s.sentUs, t1)];
      if (after === undefined || killedWithin(m, t0, after.atUs)) return false;
      high = Math.max(high, after.appliedTerm);
    }
    return low !== Infinity && high > 0 && high <= low;
  };
}
