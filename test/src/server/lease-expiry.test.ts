// Leader-driven lease expiry: only a promoted (leader) member proposes revokes, every 500 ms,
// at most 16 in flight, a lease still not revoked found again and re-proposed 3 s later (etcd 3.4's
// expiredLeaseRetryInterval); a demoted member proposes nothing.
import { describe, expect, test } from 'vitest';
import { LeaseExpiry } from '../../../src/server/lease-expiry.ts';

function driver(expired: number[]): { e: LeaseExpiry; proposed: number[] } {
  const proposed: number[] = [];
  const e = new LeaseExpiry({ expiredLeases: (_now, max) => expired.slice(0, max), proposeRevoke: (id) => proposed.push(id) });
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
