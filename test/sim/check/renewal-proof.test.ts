// The real target's leader timeline: a keep-alive counts as a renewal on the leader in office only
// when every member's polled applied term pins the one primary lessor of [t0, t1] to a term no
// leader had passed by t1 — or the member was stopped all along. What it proves convicts an early
// revoke (the lease and lock checkers); anything less proves nothing.
import { describe, expect, it } from 'vitest';
import { renewalProof, STOP_EFFECT_US } from '../../../sim/check/renewal-proof.ts';
import type { StatusSample, StoppedSpan } from '../../../sim/check/renewal-proof.ts';
import { findRevokedEarly } from '../../../sim/check/lease-revoked-early.ts';
import { checkMutex } from '../../../sim/check/mutex.ts';
import type { Op } from '../../../sim/history/op.ts';

const MS = 1000;
const S = 1_000_000;
const MEMBERS = ['n1', 'n2', 'n3'];

/** Polls of `members` every 100 ms in [fromUs, toUs), each answered 1 ms later with `term`. */
function polls(members: readonly string[], fromUs: number, toUs: number, term: number): StatusSample[] {
  const out: StatusSample[] = [];
  for (let t = fromUs; t < toUs; t += 100 * MS) for (const member of members) out.push({ member, sentUs: t, atUs: t + MS, appliedTerm: term });
  return out;
}

// Term 2 led by n1 until n1 is paused at 1 s; n2 leads term 3 from 2.5 s (its polls say so from
// 2.6 s); n1 resumes at 5 s still at applied term 2. A renewal in [3 s, 3.01 s].
const steady = [...polls(MEMBERS, 0, 1 * S, 2), ...polls(['n2', 'n3'], 1 * S, 2.6 * S, 2), ...polls(['n2', 'n3'], 2.6 * S, 8 * S, 3), ...polls(['n1'], 5 * S, 8 * S, 2)];
const paused: StoppedSpan[] = [{ member: 'n1', kind: 'paused', fromUs: 1 * S, toUs: 5 * S }];

describe('renewal proof from polled statuses', () => {
  it('proves a renewal while the old leader is paused throughout and every running member applied the new term (etcd#15247\'s setting)', () => {
    expect(renewalProof(MEMBERS, steady, paused)(3 * S, 3 * S + 10 * MS)).toBe(true);
  });

  it('proves nothing when a running member shows no poll at the new term before the renewal (cut off from the poller, a stale lessor maybe)', () => {
    expect(renewalProof(MEMBERS, steady, [])(3 * S, 3 * S + 10 * MS)).toBe(false);
    // Before n2 and n3 applied term 3, term 2 is the lower bound and n2/n3 show 3 after: no single term.
    expect(renewalProof(MEMBERS, steady, paused)(2.55 * S, 2.62 * S)).toBe(false);
  });

  it('proves nothing when the pause began too late to count, or ended inside the renewal', () => {
    const late: StoppedSpan[] = [{ member: 'n1', kind: 'paused', fromUs: 3 * S - STOP_EFFECT_US + 1, toUs: 5 * S }];
    expect(renewalProof(MEMBERS, steady, late)(3 * S, 3 * S + 10 * MS)).toBe(false);
    const early: StoppedSpan[] = [{ member: 'n1', kind: 'paused', fromUs: 1 * S, toUs: 3 * S + 5 * MS }];
    expect(renewalProof(MEMBERS, steady, early)(3 * S, 3 * S + 10 * MS)).toBe(false);
  });

  it('proves nothing when a member applied a newer term after the renewal (a newer leader may have taken office before it), or never answered after it', () => {
    const newer = steady.map((s) => (s.member === 'n3' && s.sentUs >= 3.15 * S ? { ...s, appliedTerm: 4 } : s));
    expect(renewalProof(MEMBERS, newer, paused)(3 * S, 3 * S + 10 * MS)).toBe(true);
    expect(renewalProof(MEMBERS, newer, paused)(3 * S, 3.12 * S)).toBe(false);
    const silent = steady.filter((s) => !(s.member === 'n3' && s.sentUs >= 3 * S));
    expect(renewalProof(MEMBERS, silent, paused)(3 * S, 3 * S + 10 * MS)).toBe(false);
  });

  it('proves nothing from a poll after a member was killed and restarted (its applied term may start lower again)', () => {
    const killed: StoppedSpan[] = [...paused, { member: 'n3', kind: 'down', fromUs: 3.02 * S, toUs: 3.5 * S }];
    expect(renewalProof(MEMBERS, steady.filter((s) => !(s.member === 'n3' && s.sentUs > 3 * S && s.sentUs < 3.5 * S)), killed)(3 * S, 3 * S + 10 * MS)).toBe(false);
  });
});

/** Lease 7 (TTL 2 s) granted at 0 s; kept alive at 3 s (answer at 3.01 s); gone (TTL 0) at 4 s. */
function leaseHistory(): Op[] {
  const ops: Op[] = [];
  const add = (process: number, atUs: number, f: string, value: unknown, response: unknown): void => {
    ops.push({ index: ops.length, time: atUs, process, type: 'invoke', f, value });
    ops.push({ index: ops.length, time: atUs + 10 * MS, process, type: 'ok', f, value: response });
  };
  add(0, 0, 'lease/grant', { ID: '7', TTL: '2' }, { header: { revision: '2', raft_term: '2' }, ID: '7', TTL: '2' });
  add(0, 3 * S, 'lease/keepalive', { ID: '7' }, { header: { revision: '3', raft_term: '3' }, ID: '7', TTL: '2' });
  add(1, 4 * S, 'lease/keepalive', { ID: '7' }, { header: { revision: '4', raft_term: '3' }, ID: '7', TTL: '0' });
  return ops;
}

describe('the lease and lock checkers with a real run\'s renewal proof', () => {
  it('convicts a lease gone before a proven renewal + TTL, and excuses it where the renewal is not proven', () => {
    const proven = renewalProof(MEMBERS, steady, paused);
    expect(findRevokedEarly(leaseHistory(), { renewalProof: proven }).found.map((f) => f.lease)).toEqual(['7']);
    expect(findRevokedEarly(leaseHistory(), { renewalProof: renewalProof(MEMBERS, steady, []) }).found).toEqual([]);
    expect(findRevokedEarly(leaseHistory(), {}).found).toEqual([]);
  });

  it('leaves a lock overlap unexplained when the first holder\'s renewal is proven, and "lease-expired" when it is not', () => {
    // p1 acquires at 0 s (lease a, TTL 2 s), renews at 3 s; p2 asks at 3.5 s and acquires at 4 s while p1 holds.
    const ops: Op[] = [
      { index: 0, time: 0, process: 1, type: 'invoke', f: 'acquire', value: null },
      { index: 1, time: 10 * MS, process: 1, type: 'ok', f: 'acquire', value: { lease: 'a', ttlMs: 2000, pauseMs: 0 } },
      { index: 2, time: 3 * S, process: 1, type: 'invoke', f: 'keepalive', value: null },
      { index: 3, time: 3 * S + 10 * MS, process: 1, type: 'ok', f: 'keepalive', value: { lease: 'a', ttlMs: 2000 } },
      { index: 4, time: 3.5 * S, process: 2, type: 'invoke', f: 'acquire', value: null },
      { index: 5, time: 4 * S, process: 2, type: 'ok', f: 'acquire', value: { lease: 'b', ttlMs: 2000, pauseMs: 0 } },
    ];
    const unproven = checkMutex(ops, undefined, renewalProof(MEMBERS, steady, []));
    expect([unproven.valid, unproven['unexplained'], unproven['anomalies']]).toEqual([false, 0, ['lease-expired']]);
    const proven = checkMutex(ops, undefined, renewalProof(MEMBERS, steady, paused));
    expect([proven.valid, proven['unexplained']]).toEqual([false, 1]);
  });
});
