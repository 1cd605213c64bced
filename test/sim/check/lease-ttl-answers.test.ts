// TTL answers (lease checker rule 5): a keep-alive answers the granted TTL; a TimeToLive answers
// the granted TTL and, after a keep-alive its own leader (same raft term) answered at K, at most
// trunc(K + TTL - its invocation) whole seconds, give or take the clock error the scenario allows —
// judged only when answers carry the serving leader's term (detcd's members; not a real etcd's).
import { describe, expect, it } from 'vitest';
import { checkLease } from '../../../sim/check/lease.ts';
import type { LeaseCheckOptions } from '../../../sim/check/lease.ts';
import type { Op } from '../../../sim/history/op.ts';

const S = 1_000_000;
const header = (term: number) => ({ revision: '2', raft_term: String(term) });

function pairs(list: [number, number, string, unknown, unknown][]): Op[] {
  const out: Op[] = [];
  for (const [process, at, f, req, resp] of list) {
    out.push({ index: out.length, time: at, process, type: 'invoke', f, value: req });
    out.push({ index: out.length, time: at + 1000, process, type: 'ok', f, value: resp });
  }
  return out;
}

/** A lease granted 5 s at t=0 and kept alive at t=1 s, both answered by the leader of term 2; then `more`. */
function history(more: [number, number, string, unknown, unknown][]): Op[] {
  return pairs([
    [0, 0, 'lease/grant', { TTL: '5' }, { header: header(2), ID: '7', TTL: '5' }],
    [1, S, 'lease/keepalive', { ID: '7' }, { header: header(2), ID: '7', TTL: '5' }],
    ...more,
  ]);
}

const ttl = (at: number, term: number, answered: number, granted = 5): [number, number, string, unknown, unknown] =>
  [2, at, 'lease/timetolive', { ID: '7' }, { header: header(term), ID: '7', TTL: String(answered), grantedTTL: String(granted) }];

/** detcd's members answer with the serving leader's term, which the remaining-TTL bound needs. */
const LEADER_TERMS: LeaseCheckOptions = { answersCarryLeaderTerm: true };
const kinds = (ops: Op[], o: LeaseCheckOptions = {}) => checkLease(ops, { ...LEADER_TERMS, ...o }).violations.map((v) => v.kind);

describe('lease TTL answers', () => {
  it('pass when a TimeToLive after a keep-alive answers what can be left, rounded down', () => {
    expect(kinds(history([ttl(1.2 * S, 2, 4)]))).toEqual([]);
    expect(kinds(history([ttl(1.2 * S, 2, 0)]))).toEqual([]);
    // Past the expiry etcd's truncation toward zero answers 0.
    expect(kinds(history([ttl(6.5 * S, 2, 0)]))).toEqual([]);
  });

  it('judge no bound from keep-alives all concurrent with the TimeToLive (swarm seed 9: served after it, which saw the promotion\'s expiry)', () => {
    const fresh = pairs([
      [0, 0, 'lease/grant', { TTL: '6' }, { header: header(1), ID: '7', TTL: '6' }],
      [1, 4 * S, 'lease/keepalive', { ID: '7' }, { header: header(1), ID: '7', TTL: '6' }],
      // Term 3's leader, promoted just before: expiry = promotion + 1 s + 6 s.
      [1, 9 * S, 'lease/keepalive', { ID: '7' }, { header: header(3), ID: '7', TTL: '6' }],
    ]);
    // The keep-alive, sent 32 µs before the TimeToLive, answered 15 ms after it.
    fresh[5] = { ...fresh[5]!, time: 9 * S + 20_000 };
    fresh.push({ index: 6, time: 9 * S + 32, process: 2, type: 'invoke', f: 'lease/timetolive', value: { ID: '7' } });
    fresh.push({ index: 7, time: 9 * S + 4_000, process: 2, type: 'ok', f: 'lease/timetolive', value: { header: header(3), ID: '7', TTL: '7', grantedTTL: '6' } });
    expect(kinds(fresh)).toEqual([]);
  });

  it('count a grant of the id after the lease ended as its renewal (a client-chosen id granted again: deposed-lessor seed 3)', () => {
    const again: [number, number, string, unknown, unknown][] = [
      [3, 2 * S, 'lease/revoke', { ID: '7' }, { header: header(2) }],
      [4, 4 * S, 'lease/grant', { TTL: '5', ID: '7' }, { header: header(2), ID: '7', TTL: '5' }],
    ];
    expect(kinds(history([...again, ttl(7 * S, 2, 2)]))).toEqual([]);
    // Still bounded: by the second grant's answer.
    expect(kinds(history([...again, ttl(7 * S, 2, 3)]))).toEqual(['ttl-answer']);
  });

  it('fail when a TimeToLive answers more than the time left since the last keep-alive', () => {
    const r = checkLease(history([ttl(1.2 * S, 2, 5)]), LEADER_TERMS);
    expect(r.valid).toBe(false);
    expect(r.violations[0]).toMatchObject({ kind: 'ttl-answer', lease: '7' });
    expect(r.violations[0]!.message).toMatch(/at most 4 s can be left/);
    expect(kinds(history([ttl(6.5 * S, 2, 1)]))).toEqual(['ttl-answer']);
  });

  it('count a keep-alive still in flight when the TimeToLive was answered as renewed by then', () => {
    const inFlight: [number, number, string, unknown, unknown] = [3, 1.1 * S, 'lease/keepalive', { ID: '7' }, { header: header(2), ID: '7', TTL: '5' }];
    const ops = history([ttl(1.2 * S, 2, 5)]);
    // The keep-alive is invoked at 1.1 s and answered at 1.5 s, after the TimeToLive's answer.
    ops.push({ index: ops.length, time: inFlight[1], process: 3, type: 'invoke', f: 'lease/keepalive', value: inFlight[3] });
    ops.push({ index: ops.length, time: 1.5 * S, process: 3, type: 'ok', f: 'lease/keepalive', value: inFlight[4] });
    expect(kinds(ops)).toEqual([]);
  });

  it('judge nothing once a keep-alive of unbounded serving time was invoked before the answer', () => {
    // The keep-alive at 1 s needed a second try: its first try may have been served at any time
    // after 1 s, so just before the TimeToLive (lease-renew-expiry seed 49 before this rule).
    const retried = history([ttl(1.2 * S, 2, 5)]).map((op) => (op.type === 'ok' && op.f === 'lease/keepalive' ? { ...op, tries: 2 } : op));
    expect(kinds(retried)).toEqual([]);
    // A keep-alive that timed out (info) at 1.1 s may have been served later too.
    const timedOut = history([ttl(1.8 * S, 2, 5)]);
    timedOut.push({ index: timedOut.length, time: 1.1 * S, process: 3, type: 'invoke', f: 'lease/keepalive', value: { ID: '7' } });
    timedOut.push({ index: timedOut.length, time: 1.5 * S, process: 3, type: 'info', f: 'lease/keepalive', value: null, error: 'timeout' });
    timedOut.sort((a, b) => a.time - b.time);
    expect(kinds(timedOut.map((op, index) => ({ ...op, index })))).toEqual([]);
  });

  it('judge nothing by a keep-alive another member answered in the same term (a deposed leader before it steps down)', () => {
    // lease-checkpoint-leader-change seed 2: the old leader (member 3) answered a keep-alive under
    // term 2 from its own lessor; term 2's leader (member 2) had restarted the lease at its
    // promotion, election timeout included, and answered more than that keep-alive leaves.
    const withMember = (term: number, member: string) => ({ ...header(term), member_id: member });
    const ops = pairs([
      [0, 0, 'lease/grant', { TTL: '3' }, { header: withMember(1, '3'), ID: '7', TTL: '3' }],
      [1, S, 'lease/keepalive', { ID: '7' }, { header: withMember(2, '3'), ID: '7', TTL: '3' }],
      [2, 2.75 * S, 'lease/timetolive', { ID: '7' }, { header: withMember(2, '2'), ID: '7', TTL: '2', grantedTTL: '3' }],
    ]);
    expect(kinds(ops)).toEqual([]);
    // The same member's answers in one term are still judged.
    const same = pairs([
      [0, 0, 'lease/grant', { TTL: '3' }, { header: withMember(1, '3'), ID: '7', TTL: '3' }],
      [1, S, 'lease/keepalive', { ID: '7' }, { header: withMember(2, '2'), ID: '7', TTL: '3' }],
      [2, 2.75 * S, 'lease/timetolive', { ID: '7' }, { header: withMember(2, '2'), ID: '7', TTL: '2', grantedTTL: '3' }],
    ]);
    expect(kinds(same)).toEqual(['ttl-answer']);
  });

  it('judge nothing across a leader change (a new leader restarts the TTL), or with unbounded clock steps', () => {
    expect(kinds(history([ttl(1.2 * S, 3, 5)]))).toEqual([]);
    expect(kinds(history([ttl(1.2 * S, 2, 5)]), { slowClock: { driftPpmMax: 0, jumpUsMax: Infinity } })).toEqual([]);
    // A clock that may step back 0.5 s leaves room for a TTL that rounds to 5 only when invoked within 0.5 s.
    expect(kinds(history([ttl(1.2 * S, 2, 5)]), { slowClock: { driftPpmMax: 0, jumpUsMax: 500_000 } })).toEqual([]);
    expect(kinds(history([ttl(1.8 * S, 2, 5)]), { slowClock: { driftPpmMax: 0, jumpUsMax: 500_000 } })).toEqual(['ttl-answer']);
  });

  it('fail when a keep-alive or a TimeToLive answers another TTL than the one granted', () => {
    const bad = pairs([
      [0, 0, 'lease/grant', { TTL: '5' }, { header: header(2), ID: '7', TTL: '5' }],
      [1, S, 'lease/keepalive', { ID: '7' }, { header: header(2), ID: '7', TTL: '2' }],
    ]);
    expect(kinds(bad)).toEqual(['ttl-answer']);
    expect(kinds(history([ttl(1.2 * S, 2, 4, 6)]))).toEqual(['ttl-answer']);
    // A lease whose lessor has no expiry (a demoted lessor) answers etcd's "forever": not judged.
    expect(kinds(history([ttl(1.2 * S, 2, 9223372036)]))).toEqual([]);
  });

  it('judge no remaining TTL when an answer may carry the answering member\'s own term (a real etcd)', () => {
    // A real etcd follower fills in its own raft_term: one that has not yet heard of a new leader
    // passes on that leader's answer — a TTL it restarted at its promotion — under the old term,
    // whose keep-alives say nothing of it. The same history is a violation with leader terms.
    const followerOfNewLeader = history([ttl(1.2 * S, 2, 5)]);
    expect(checkLease(followerOfNewLeader).valid).toBe(true);
    expect(kinds(followerOfNewLeader)).toEqual(['ttl-answer']);
    // The granted TTL must still be answered: that needs no term.
    const wrongGrant = checkLease(history([ttl(1.2 * S, 2, 4, 6)]));
    expect(wrongGrant.violations.map((v) => v.kind)).toEqual(['ttl-answer']);
  });

  it('fail a TimeToLive above the granted TTL plus a new leader\'s extension, whatever the terms say (planted lease-ttl-above-grant)', () => {
    // Answered in a term no keep-alive was answered in, and as from a real etcd (no leader terms):
    // the remaining-TTL bound does not apply, but no lessor ever has more than TTL + extend left.
    const extend1s: LeaseCheckOptions = { electionTimeoutUs: S };
    const r = checkLease(history([ttl(1.2 * S, 3, 65)]), extend1s);
    expect(r.valid).toBe(false);
    expect(r.violations[0]!.message).toMatch(/answered TTL 65 s.*at most 6 s left/);
    expect(checkLease(history([ttl(1.2 * S, 3, 7)]), extend1s).valid).toBe(false);
    // A new leader's promotion leaves up to TTL + extend, truncated: 6 passes, and so does a step back.
    expect(checkLease(history([ttl(1.2 * S, 3, 6)]), extend1s).valid).toBe(true);
    expect(checkLease(history([ttl(1.2 * S, 3, 7)]), { ...extend1s, slowClock: { driftPpmMax: 0, jumpUsMax: S } }).valid).toBe(true);
    // Not judged without the extension, with unbounded clock steps, or with a thousand leases (Promote spreads expiries).
    expect(checkLease(history([ttl(1.2 * S, 3, 65)])).valid).toBe(true);
    expect(checkLease(history([ttl(1.2 * S, 3, 65)]), { ...extend1s, slowClock: { driftPpmMax: 0, jumpUsMax: Infinity } }).valid).toBe(true);
    const many = history([ttl(1.2 * S, 3, 65)]);
    for (let i = 0; i < 1000; i++) many.push({ index: many.length, time: 2 * S + i, process: 100 + i, type: 'invoke', f: 'lease/grant', value: { TTL: '5' } });
    expect(checkLease(many, extend1s).valid).toBe(true);
  });

  it('fail a TimeToLive above its own grantedTTL plus a new leader\'s extension, with no grant to judge it by', () => {
    // The answer alone says its lease's TTL: one lessor answered both fields, and no lessor sets an
    // expiry past extend + TTL. Judged where rule 5's grant-based ceiling cannot be: no grant of
    // the lease in the history, or a grant whose outcome is unknown.
    const extend1s: LeaseCheckOptions = { electionTimeoutUs: S };
    const alone = pairs([ttl(1.2 * S, 3, 65)]);
    const r = checkLease(alone, extend1s);
    expect(r.valid).toBe(false);
    expect(r.violations[0]).toMatchObject({ kind: 'ttl-answer', lease: '7' });
    expect(r.violations[0]!.message).toMatch(/answered TTL 65 s with grantedTTL 5 s: a lessor can have at most 6 s left/);
    const unknownGrant: Op[] = [
      { index: 0, time: 0, process: 0, type: 'invoke', f: 'lease/grant', value: { TTL: '5', ID: '7' } },
      { index: 1, time: 1000, process: 0, type: 'info', f: 'lease/grant', value: null, error: 'timeout' },
      ...pairs([ttl(1.2 * S, 3, 65)]).map((op) => ({ ...op, index: op.index + 2 })),
    ];
    expect(checkLease(unknownGrant, extend1s).violations.map((v) => v.kind)).toEqual(['ttl-answer']);
    // Up to TTL + extend, truncated, is what a promotion leaves: valid, and says what was judged.
    const fine = checkLease(pairs([ttl(1.2 * S, 3, 6)]), extend1s);
    expect(fine.valid).toBe(true);
    expect(fine.summary).toBe('no lease granted: 1 TimeToLive answer judged against its own grantedTTL alone');
    expect(checkLease(unknownGrant.map((op) => (op.f === 'lease/timetolive' && op.type === 'ok' ? { ...op, value: { ...(op.value as object), TTL: '6' } } : op)), extend1s).valid).toBe(true);
    // Not judged without the extension, with unbounded clock steps, or for an answer without grantedTTL: nothing to check.
    expect(checkLease(alone).nothing).toBe(true);
    expect(checkLease(alone, { ...extend1s, slowClock: { driftPpmMax: 0, jumpUsMax: Infinity } }).nothing).toBe(true);
    const noGranted = pairs([[2, 1.2 * S, 'lease/timetolive', { ID: '7' }, { header: header(3), ID: '7', TTL: '65' }]]);
    expect(checkLease(noGranted, extend1s).nothing).toBe(true);
  });
});
