// Lease checker rule 3 with the run's leader timeline: a keep-alive sent after the lease's
// deadline (its last renewal + TTL, leader changes, grace) renewed nothing, so its own "alive"
// answer is the violation and moves no deadline. Before, the late answer counted as a renewal
// and pushed the deadline past itself: campaign class lease-keepalive-after-expiry (a keep-alive
// a minute after the run, answered alive) was missed 6 times of 7.
import { describe, expect, it } from 'vitest';
import { checkLease } from '../../../sim/check/lease.ts';
import type { LeaseCheckOptions } from '../../../sim/check/lease.ts';
import type { Op } from '../../../sim/history/op.ts';
import { timedCalls as ops } from './history-builder.ts';
import type { TimedCall as Step } from './history-builder.ts';

const S = 1_000_000;
const header = { revision: '2', member_id: '1', raft_term: '2' };


const keepAlive = (process: number, at: number): Step => [process, at, 'lease/keepalive', { ID: '7' }, { header, ID: '7', TTL: '5' }];
/** A lease of TTL 5 s granted at 0 and kept alive at 1 s; then `more`. */
const history = (more: Step[]): Op[] => ops([[0, 0, 'lease/grant', { TTL: '5' }, { header, ID: '7', TTL: '5' }], keepAlive(1, S), ...more]);
const kinds = (h: Op[], o: LeaseCheckOptions = { leaderChangesUs: [] }) => checkLease(h, o).violations.map((v) => v.kind);

describe('a keep-alive sent after its lease\'s deadline', () => {
  it('must fail: answered alive a minute after the last renewal + TTL, no leader change', () => {
    const r = checkLease(history([keepAlive(2, 60 * S)]), { leaderChangesUs: [] });
    expect(r.violations.map((v) => [v.kind, v.lease])).toEqual([['expired-lease-renewed', '7']]);
    expect(r.violations[0]!.message).toMatch(/renewed at 60000000 µs, after it must have expired \(7001000 µs\)/);
  });

  it('must fail: renewals chained in time keep it alive, and one sent after the chain broke does not', () => {
    expect(kinds(history([keepAlive(2, 5 * S), keepAlive(3, 9 * S), keepAlive(4, 13 * S)]))).toEqual([]);
    expect(kinds(history([keepAlive(2, 5 * S), keepAlive(3, 30 * S), keepAlive(4, 33 * S)]))).toEqual(['expired-lease-renewed', 'expired-lease-renewed']);
  });

  it('must pass: within TTL and grace, a renewal still in flight, a leader change that restarted the TTL, no leader timeline', () => {
    expect(kinds(history([keepAlive(2, 6.5 * S)]))).toEqual([]);
    // Sent at 5.9 s (before the deadline) and answered at 6.9 s: alive then, so one sent at 6.8 s + TTL is in time.
    const inFlight: Step = [2, 5.9 * S, 'lease/keepalive', { ID: '7' }, { header, ID: '7', TTL: '5' }];
    const h = history([inFlight]);
    h[h.length - 1]!.time = 6.9 * S;
    expect(kinds([...h, ...ops([keepAlive(3, 12.5 * S)]).map((op) => ({ ...op }))].map((op, index) => ({ ...op, index })))).toEqual([]);
    expect(kinds(history([keepAlive(2, 60 * S)]), { leaderChangesUs: [58 * S] })).toEqual([]);
    expect(kinds(history([keepAlive(2, 60 * S)]), { leaderChangesUnknown: true })).toEqual([]);
  });
});
