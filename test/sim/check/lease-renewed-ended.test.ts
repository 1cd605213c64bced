// Renewed ended (lease checker rule 7): a keep-alive must not renew a lease that the member
// serving it had revoked, or had answered gone, before the keep-alive was sent (etcd 3.4's Renew
// answers "not found" for a lease its lessor no longer holds), unless a grant of the lease id
// may have made it again in between. Rules 3 and 6 miss it within the lease's TTL + grace.
import { describe, expect, it } from 'vitest';
import { checkLease } from '../../../sim/check/lease.ts';
import { timedCalls as ops } from './history-builder.ts';
import type { TimedCall as Step } from './history-builder.ts';

const S = 1_000_000;
const header = (member: number, revision = 2, term = 2) => ({ revision: String(revision), member_id: String(member), raft_term: String(term) });


const grant = (at: number): Step => [0, at, 'lease/grant', { ID: '7', TTL: '5' }, { header: header(1, 1), ID: '7', TTL: '5' }];
const put: Step = [1, 0.1 * S, 'kv/put', { key: btoa('k'), value: btoa('v'), lease: '7' }, { header: header(1, 2) }];
const revoke: Step = [2, 1 * S, 'lease/revoke', { ID: '7' }, { header: header(1, 3) }];
const keepAlive = (at: number, member = 1, ttl = 5, term = 2): Step => [3, at, 'lease/keepalive', { ID: '7' }, { header: header(member, 3, term), ID: '7', TTL: String(ttl) }];
const verdict = (steps: Step[]) => checkLease(ops(steps), { answersCarryLeaderTerm: true });

describe('lease renewed after its member ended it', () => {
  it('fails a keep-alive its member renewed after it answered the revoke', () => {
    const r = verdict([grant(0), put, revoke, keepAlive(2 * S)]);
    expect(r.valid).toBe(false);
    expect(r.violations[0]).toMatchObject({ kind: 'expired-lease-renewed', lease: '7' });
    expect(r.violations[0]!.message).toMatch(/member 1, TTL 5\), but that member had revoked it/);
  });

  it('fails one renewed after its member answered the lease gone (TTL 0, past the grant)', () => {
    expect(verdict([grant(0), put, keepAlive(1 * S, 1, 0), [4, 2 * S, 'lease/keepalive', { ID: '7' }, { header: header(1, 3), ID: '7', TTL: '5' }]]).valid).toBe(false);
    const notFound: Step = [5, 1 * S, 'lease/timetolive', { ID: '7' }, { header: header(1, 3), ID: '7', TTL: '-1' }];
    expect(verdict([grant(0), put, notFound, keepAlive(2 * S)]).valid).toBe(false);
  });

  it('passes what etcd may answer: another member, a grant between, a keep-alive sent before the end answered', () => {
    // Another member (a deposed leader that has not applied the revoke serves from its own lessor).
    expect(verdict([grant(0), put, revoke, keepAlive(2 * S, 2, 5, 2)]).valid).toBe(true);
    // Granted again between the revoke and the keep-alive.
    expect(verdict([grant(0), put, revoke, grant(1.5 * S), keepAlive(2 * S)]).valid).toBe(true);
    // Sent before the revoke's answer came: it may have been served first.
    expect(verdict([grant(0), put, revoke, keepAlive(0.9995 * S)]).valid).toBe(true);
    // A member that had not applied the grant (its revision not past the grant's) said TTL 0.
    const early: Step = [4, 0.05 * S, 'lease/keepalive', { ID: '7' }, { header: header(1, 1), ID: '7', TTL: '0' }];
    expect(verdict([grant(0), early, keepAlive(2 * S)]).valid).toBe(true);
    // A TimeToLive of -1 with its grantedTTL: the lease is still held (overdue), not ended.
    const overdue: Step = [5, 1 * S, 'lease/timetolive', { ID: '7' }, { header: header(1, 3), ID: '7', TTL: '-1', grantedTTL: '5' }];
    expect(verdict([grant(0), put, overdue, keepAlive(2 * S)]).valid).toBe(true);
  });

  // The same lessor answers TimeToLive (etcd's LeaseTimeToLive looks the lease up on the leader):
  // after it revoked the lease it says "not found" (TTL -1, no grantedTTL), never time left.
  const timeToLive = (at: number, member = 1, ttl = 4, granted = 5): Step => [6, at, 'lease/timetolive', { ID: '7' }, { header: header(member, 3), ID: '7', TTL: String(ttl), grantedTTL: String(granted) }];

  it('fails a TimeToLive its member answered alive after it answered the revoke', () => {
    const r = verdict([grant(0), put, revoke, timeToLive(2 * S)]);
    expect(r.valid).toBe(false);
    expect(r.violations[0]!.message).toMatch(/TimeToLive of lease 7 .* found it alive \(member 1, TTL 4\), but that member had revoked it/);
    // Overdue (TTL -1 with its grantedTTL) is still listed: not what a lessor without the lease answers.
    expect(verdict([grant(0), put, revoke, timeToLive(2 * S, 1, -1, 5)]).valid).toBe(false);
  });

  it('passes TimeToLive answers etcd may give: not found after the revoke, another member, sent before the revoke was answered, a grant between', () => {
    const notFound: Step = [6, 2 * S, 'lease/timetolive', { ID: '7' }, { header: header(1, 3), ID: '7', TTL: '-1' }];
    expect(verdict([grant(0), put, revoke, notFound]).valid).toBe(true);
    expect(verdict([grant(0), put, revoke, timeToLive(2 * S, 2)]).valid).toBe(true);
    expect(verdict([grant(0), put, revoke, timeToLive(0.9995 * S)]).valid).toBe(true);
    expect(verdict([grant(0), put, revoke, grant(1.5 * S), timeToLive(2 * S)]).valid).toBe(true);
  });

  it('is not judged without the serving leader\'s member in the answers (real etcd followers fill in their own)', () => {
    expect(checkLease(ops([grant(0), put, revoke, keepAlive(2 * S)])).valid).toBe(true);
  });
});
