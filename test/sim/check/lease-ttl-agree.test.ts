// One lease, one TTL (lease-ttl-agree.ts): the keep-alive and TimeToLive answers about a lease no
// grant of the history made before them (an etcd that held it before the history began) say the
// TTL its grant set, all the same. They were judged by nothing (a keep-alive) or by a TimeToLive's
// own ceiling alone; the planted lease-ttl-disagree-ungranted (bench/tools/anomalies) was missed.
import { describe, expect, it } from 'vitest';
import { checkLease } from '../../../sim/check/lease.ts';
import { ungrantedAnswersNotJudged } from '../../../sim/check/lease-ttl-agree.ts';
import { pairLeaseOps } from '../../../sim/check/lease-pairs.ts';
import { HISTORY_LEASE_OPTIONS } from '../../../sim/check/history-check/lease-of-history.ts';
import { timedCalls as ops } from './history-builder.ts';
import type { TimedCall as Call } from './history-builder.ts';

const S = 1_000_000;
const header = { revision: '2', raft_term: '2', member_id: '1' };
const keepAlive = (process: number, at: number, ttl: string, id = '7'): Call => [process, at, 'lease/keepalive', { ID: id }, { header, ID: id, TTL: ttl }];
const timeToLive = (process: number, at: number, granted: string, id = '7'): Call => [process, at, 'lease/timetolive', { ID: id }, { header, ID: id, TTL: '2', grantedTTL: granted }];
const grant = (process: number, at: number, ttl: string, id = '7'): Call => [process, at, 'lease/grant', { ID: id, TTL: ttl }, { header, ID: id, TTL: ttl }];
const check = (calls: Call[]) => checkLease(ops(calls), HISTORY_LEASE_OPTIONS);
const messages = (calls: Call[]): string[] => check(calls).violations.map((v) => `${v.kind}: ${v.message}`);

describe('the answers about a lease no grant made agree on one TTL', () => {
  it('fails a keep-alive and a TimeToLive, or two keep-alives, that say two TTLs', () => {
    expect(messages([keepAlive(0, S, '5'), timeToLive(1, 2 * S, '6')])).toEqual([
      'ttl-answer: lease 7, which no grant of the history made before: TimeToLive (op 3) answered grantedTTL 6, but keep-alive (op 1) answered TTL 5: one lease has one TTL (etcd 3.4: a keep-alive answers the lessor\'s l.ttl, a TimeToLive the same as grantedTTL)',
    ]);
    expect(check([keepAlive(0, S, '5'), keepAlive(1, 2 * S, '7')]).valid).toBe(false);
    expect(check([timeToLive(0, S, '5'), timeToLive(1, 2 * S, '7')]).valid).toBe(false);
    // Before the grant of its id: the lease the history found, whatever the grant later says.
    expect(check([keepAlive(0, S, '5'), keepAlive(1, 2 * S, '7'), grant(2, 3 * S, '5')]).valid).toBe(false);
    // A grant of the id refused "lease already exists" made no lease.
    const refused: Call = [2, 1.5 * S, 'lease/grant', { ID: '7', TTL: '9' }, null];
    const h = ops([keepAlive(0, S, '5'), refused, keepAlive(1, 2 * S, '9')]);
    const failed = h.map((op) => (op.f === 'lease/grant' && op.type === 'ok' ? { ...op, type: 'fail' as const, error: 'etcdserver: lease already exists' } : op));
    expect(checkLease(failed, HISTORY_LEASE_OPTIONS).valid).toBe(false);
  });

  it('passes answers that agree, with the summary saying what was judged', () => {
    const r = check([keepAlive(0, S, '5'), timeToLive(1, 2 * S, '5'), keepAlive(2, 3 * S, '5')]);
    expect(r.valid).toBe(true);
    expect(r.summary).toBe('no lease granted: 1 TimeToLive answer judged against its own grantedTTL alone; 3 keep-alive or TimeToLive answers about one lease agreeing on its TTL');
  });

  it('passes answers about two leases, "not found" answers, and answers on either side of a grant that may have made the lease again', () => {
    expect(messages([keepAlive(0, S, '5'), keepAlive(1, 2 * S, '7', '8')])).toEqual([]);
    expect(messages([keepAlive(0, S, '5'), keepAlive(1, 2 * S, '0'), [2, 3 * S, 'lease/timetolive', { ID: '7' }, { header, ID: '7', TTL: '-1' }]])).toEqual([]);
    // Answered, or of unknown outcome (no completion): either may have made lease 7 again, with its TTL.
    expect(messages([keepAlive(0, S, '5'), grant(2, 1.5 * S, '9'), keepAlive(1, 3 * S, '9')])).toEqual([]);
    const unknown = ops([keepAlive(0, S, '5'), grant(2, 1.5 * S, '9'), keepAlive(1, 3 * S, '8')]).filter((op) => !(op.f === 'lease/grant' && op.type === 'ok'));
    expect(checkLease(unknown, HISTORY_LEASE_OPTIONS).violations).toEqual([]);
    // An answer that came after the grant was sent may be the new lease's.
    expect(messages([keepAlive(0, S, '5'), grant(2, 2 * S, '9'), keepAlive(1, 2 * S - 500, '9')])).toEqual([]);
  });

  it('counts what it could not compare: an answer alone, a "not found" one; not a TimeToLive its own grantedTTL judged', () => {
    const count = (calls: Call[]): number => {
      const h = ops(calls);
      return ungrantedAnswersNotJudged(h, pairLeaseOps(h).grants);
    };
    expect(count([keepAlive(0, S, '5')])).toBe(1);
    expect(count([keepAlive(0, S, '0')])).toBe(1);
    expect(count([timeToLive(0, S, '5')])).toBe(0);
    expect(count([keepAlive(0, S, '5'), keepAlive(1, 2 * S, '5')])).toBe(0);
    // After the lease's grant: the grant-based rules judge it.
    expect(count([grant(2, 0, '5'), keepAlive(0, S, '5')])).toBe(0);
    expect(count([keepAlive(0, S, '5'), grant(2, 2 * S, '5'), keepAlive(1, 4 * S, '5')])).toBe(1);
  });
});
