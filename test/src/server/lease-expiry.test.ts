// Leader-driven lease expiry: only a promoted (leader) member proposes revokes, every 500 ms,
// at most 16 in flight per check's batch (etcd's semaphore per expiredLeaseC receive), a lease still not revoked found again and re-proposed 3 s later (etcd 3.4's
// expiredLeaseRetryInterval); a demoted member proposes nothing.
import { describe, expect, test } from 'vitest';
import { LeaseExpiry } from '../../../src/server/lease-expiry.ts';

function driver(expired: number[]): { e: LeaseExpiry; proposed: number[] } {
  const proposed: number[] = [];
  const e = new LeaseExpiry({ expiredLeases: (_now, max) => expired.slice(0, max), proposeRevoke: (id) => proposed.push(id) }, 7_000);
  return { e, proposed };
}

describe('lease expiry', () => {
  test('a follower never proposes a revoke', () => {
    const { e, proposed } = driver([1, 2]);
    for (let t = 0; t < 5_000; t += 100) e.tick(t);
    expect(proposed).toEqual([]);
  });

  test('the leader checks every 500 ms and keeps at most 16 revokes in flight', () => {
    const ids = Array.from({ length: 40 }, (_, i) => i + 1);
    const { e, proposed } = driver(ids);
    e.promote(0);
    e.tick(400);
    expect(proposed).toEqual([]);
    e.tick(500);
    expect(proposed).toEqual(ids.slice(0, 16));
    e.tick(1_000);
    expect(proposed.length).toBe(16);
    // Four revokes applied: the lessor forgets those leases.
    for (const id of ids.slice(0, 4)) {
      e.onRevoked(id);
      ids.splice(ids.indexOf(id), 1);
    }
    e.tick(1_500);
    expect(proposed.slice(16)).toEqual([17, 18, 19, 20]);
    expect(e.revokesInFlight).toBe(16);
  });

  test("every check's batch has its own 16 slots: a later batch proposes while an earlier one waits, and a slot frees at ReqTimeout (7 s)", () => {
    const ids = Array.from({ length: 20 }, (_, i) => i + 1);
    const expired = ids.slice(0, 18);
    const { e, proposed } = driver(expired);
    e.promote(0);
    e.tick(500);
    expect(proposed).toEqual(ids.slice(0, 16));
    // Two more leases expire: a new batch, not held behind the first one's 16 unapplied revokes.
    expired.push(19, 20);
    e.tick(1_000);
    expect(proposed.slice(16)).toEqual([19, 20]);
    // The first batch's 17th and 18th wait for a slot: none applied, so until ReqTimeout.
    e.tick(7_400);
    expect(proposed.filter((id) => id === 17)).toEqual([]);
    e.tick(7_500);
    expect(proposed).toContain(17);
    expect(proposed).toContain(18);
  });

  test('a revoke that never applied is proposed again at the first check 3 s after it, not after ReqTimeout (7 s); demotion stops everything', () => {
    const { e, proposed } = driver([7]);
    e.promote(0);
    e.tick(500);
    e.tick(3_000);
    expect(proposed).toEqual([7]);
    e.tick(3_500);
    expect(proposed).toEqual([7, 7]);
    e.tick(6_500);
    expect(proposed).toEqual([7, 7, 7]);
    e.demote();
    e.tick(20_000);
    expect(proposed).toEqual([7, 7, 7]);
  });
});
