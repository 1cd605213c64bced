// Renewed expired (lease checker rule 6): a keep-alive served by the leader of term T must not
// renew a lease more than TTL after that leader's last renewal of it, when the answers carry the
// serving leader's term (detcd's members). Found by planting renew-expired-lease (the expired
// check left out of Lessor.renew), which every shipped scenario missed before this rule.
import { describe, expect, it } from 'vitest';
import { checkLease } from '../../../sim/check/lease.ts';
import type { LeaseCheckOptions } from '../../../sim/check/lease.ts';
import type { Op } from '../../../sim/history/op.ts';

const S = 1_000_000;
const header = (term: number, member = 1) => ({ revision: '2', member_id: String(member), raft_term: String(term) });
type Step = [process: number, atUs: number, f: string, req: unknown, resp: unknown, type?: 'ok' | 'info'];

function ops(list: Step[]): Op[] {
  const out: Op[] = [];
  for (const [process, at, f, req, resp, type] of list) {
    out.push({ index: out.length, time: at, process, type: 'invoke', f, value: req });
    out.push({ index: out.length, time: at + 1000, process, type: type ?? 'ok', f, value: type === 'info' ? null : resp });
  }
  return out.sort((a, b) => a.time - b.time).map((op, index) => ({ ...op, index }));
}

const keepAlive = (process: number, at: number, term: number, type: 'ok' | 'info' = 'ok', member = 1): Step =>
  [process, at, 'lease/keepalive', { ID: '7' }, { header: header(term, member), ID: '7', TTL: '5' }, type];

/** A lease granted 5 s at t=0, kept alive at t=1 s by the leader of term 2; then `more`. */
const history = (more: Step[]): Op[] => ops([
  [0, 0, 'lease/grant', { TTL: '5' }, { header: header(2), ID: '7', TTL: '5' }],
  keepAlive(1, S, 2),
  ...more,
]);

const ON: LeaseCheckOptions = { answersCarryLeaderTerm: true };
const kinds = (h: Op[], o: LeaseCheckOptions = ON) => checkLease(h, o).violations.map((v) => v.kind);

describe('lease renewed after it expired', () => {
  it('fails a keep-alive its leader renewed more than TTL after the last renewal it served', () => {
    const r = checkLease(history([keepAlive(2, 6.5 * S, 2)]), ON);
    expect(r.valid).toBe(false);
    expect(r.violations[0]).toMatchObject({ kind: 'expired-lease-renewed', lease: '7' });
    expect(r.violations[0]!.message).toMatch(/member 1, term 2\), but that member had renewed it last in term 2 by 1001000 µs with TTL 5 s/);
  });

  it('passes a keep-alive within TTL of the last renewal, and one answered "gone"', () => {
    expect(kinds(history([keepAlive(2, 5.9 * S, 2)]))).toEqual([]);
    const gone: Step = [2, 6.5 * S, 'lease/keepalive', { ID: '7' }, { header: header(2), ID: '7', TTL: '0' }];
    expect(kinds(history([gone]))).toEqual([]);
  });

  it('judges nothing a keep-alive of unknown outcome, a renewal in flight or a new leader can explain', () => {
    // Timed out at 3 s: it may have been served at any time before the late one.
    expect(kinds(history([keepAlive(3, 3 * S, 2, 'info'), keepAlive(2, 6.5 * S, 2)]))).toEqual([]);
    // Invoked at 5.8 s and answered after the late one was invoked: it may have renewed first.
    const inFlight = history([keepAlive(2, 6.5 * S, 2)]);
    inFlight.push({ index: inFlight.length, time: 5.8 * S, process: 3, type: 'invoke', f: 'lease/keepalive', value: { ID: '7' } });
    inFlight.push({ index: inFlight.length, time: 6.6 * S, process: 3, type: 'ok', f: 'lease/keepalive', value: { header: header(2), ID: '7', TTL: '5' } });
    inFlight.sort((a, b) => a.time - b.time);
    expect(kinds(inFlight.map((op, index) => ({ ...op, index })))).toEqual([]);
    // Answered at 1 s after a second try: the first try may be served later (a paused member
    // that resumes), as lease-renew-expiry seed 5 showed.
    const retried = history([keepAlive(2, 6.5 * S, 2)]).map((op) => (op.type === 'ok' && op.time === S + 1000 ? { ...op, tries: 2 } : op));
    expect(kinds(retried)).toEqual([]);
    // Answered in term 3: a new leader, which restarted the TTL when it took office (etcd#9888).
    expect(kinds(history([keepAlive(2, 6.5 * S, 3)]))).toEqual([]);
    // Answered in term 2 by another member: the last renewal came from a deposed leader that had
    // seen term 2 but not stepped down yet (swarm-like lease-renew-expiry seed 3), another lessor.
    expect(kinds(history([keepAlive(2, 6.5 * S, 2, 'ok', 3)]))).toEqual([]);
    // The first renewal of a term: the leader's promotion set the expiry, not a renewal. (Rule 3
    // off: with a leader timeline and no leader change, a keep-alive sent past the grant + TTL +
    // grace is rule 3's violation, lease-renewal-after-deadline.test.ts.)
    expect(kinds(ops([[0, 0, 'lease/grant', { TTL: '5' }, { header: header(2), ID: '7', TTL: '5' }], keepAlive(2, 6.5 * S, 2)]), { ...ON, leaderChangesUnknown: true })).toEqual([]);
  });

  it('allows the slow-clock error the scenario allows, and is off for real etcd answers', () => {
    expect(kinds(history([keepAlive(2, 6.5 * S, 2)]), { ...ON, slowClock: { driftPpmMax: 0, jumpUsMax: 1 * S } })).toEqual([]);
    expect(kinds(history([keepAlive(2, 6.5 * S, 2)]), { ...ON, slowClock: { driftPpmMax: 0, jumpUsMax: Infinity } })).toEqual([]);
    expect(kinds(history([keepAlive(2, 6.5 * S, 2)]), { ...ON, slowClock: { driftPpmMax: 0, jumpUsMax: 0.2 * S } })).toEqual(['expired-lease-renewed']);
    // A real etcd follower answers in its own term: no rule 6 (the 1 s grace of rule 3 still applies).
    expect(kinds(history([keepAlive(2, 6.5 * S, 2)]), {})).toEqual([]);
  });
});
