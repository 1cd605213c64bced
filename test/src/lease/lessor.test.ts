import { describe, expect, it } from 'vitest';
import { DEFAULT_LESSOR_CONFIG, Lessor, minLeaseTtlSeconds } from '../../../src/lease/lessor.ts';
import { FOREVER_REMAINING_SECONDS } from '../../../src/lease/lease.ts';
import { RequestIdGenerator } from '../../../src/lease/request-id.ts';
import { MvccStore } from '../../../src/mvcc/store.ts';

function setup(config = DEFAULT_LESSOR_CONFIG) {
  const store = new MvccStore();
  const lessor = new Lessor(config);
  store.leases = lessor;
  const put = (key: string, lease: bigint) => {
    const t = store.write();
    t.put(key, 'v', lease);
    t.end();
  };
  return { store, lessor, put };
}

describe('lessor', () => {
  it('computes the minimum TTL as etcd does: 2 s with 10 election ticks of 100 ms', () => {
    expect(minLeaseTtlSeconds(10, 100)).toBe(2);
    expect(minLeaseTtlSeconds(10, 29)).toBe(1);
    expect(minLeaseTtlSeconds(5, 100)).toBe(1);
  });

  it('grant raises the TTL to the minimum, rejects id 0, duplicates and too large TTLs', () => {
    const { lessor } = setup();
    expect(lessor.grant(1n, 1, 0)).toMatchObject({ id: 1n, ttlSeconds: 2 });
    expect(lessor.grant(2n, -5, 0)).toMatchObject({ ttlSeconds: 2 });
    expect(lessor.grant(1n, 10, 0)).toBe('lease-exists');
    expect(lessor.grant(0n, 10, 0)).toBe('lease-not-found');
    expect(lessor.grant(3n, 9_000_000_001, 0)).toBe('ttl-too-large');
    expect(lessor.grant(3n, 9_000_000_000, 0)).toMatchObject({ ttlSeconds: 9_000_000_000 });
    expect(lessor.grant(-5n, 10, 0)).toMatchObject({ id: -5n });
  });

  it('on a follower no lease expires; the promoted leader expires at now + extend + TTL (#9888)', () => {
    const { lessor } = setup();
    lessor.grant(1n, 10, 0);
    expect(lessor.findExpiredLeases(1e9, 10)).toEqual([]);
    expect(lessor.timeToLive(1n, 5000)?.ttlSeconds).toBe(FOREVER_REMAINING_SECONDS);
    lessor.promote(50_000, 1000);
    expect(lessor.timeToLive(1n, 50_000)).toMatchObject({ ttlSeconds: 11, grantedTtlSeconds: 10 });
    expect(lessor.findExpiredLeases(60_999, 10)).toEqual([]);
    expect(lessor.findExpiredLeases(61_000, 10)).toEqual([1n]);
    // Reported once per retry interval, in case the revoke is lost.
    expect(lessor.findExpiredLeases(61_500, 10)).toEqual([]);
    expect(lessor.findExpiredLeases(64_000, 10)).toEqual([1n]);
    lessor.demote();
    expect(lessor.findExpiredLeases(1e9, 10)).toEqual([]);
  });

  it('renew answers the granted TTL on the primary, not-found for unknown leases, expired ones wait', () => {
    const { lessor } = setup();
    expect(lessor.renew(1n, 0)).toEqual({ kind: 'not-primary' });
    lessor.promote(0, 0);
    lessor.grant(1n, 5, 0);
    expect(lessor.renew(9n, 0)).toEqual({ kind: 'lease-not-found' });
    expect(lessor.renew(1n, 4000)).toMatchObject({ kind: 'renewed', ttlSeconds: 5 });
    expect(lessor.timeToLive(1n, 4000)?.ttlSeconds).toBe(5);
    expect(lessor.renew(1n, 9000)).toEqual({ kind: 'expired' });
    expect(lessor.timeToLive(9n, 0)).toBeUndefined();
  });

  it('reports remaining TTL truncated toward zero, like int64(Remaining().Seconds())', () => {
    const { lessor } = setup();
    lessor.promote(0, 0);
    lessor.grant(1n, 100, 0);
    expect(lessor.timeToLive(1n, 1)?.ttlSeconds).toBe(99);
    expect(lessor.timeToLive(1n, 100_500)?.ttlSeconds).toBe(0);
    expect(lessor.timeToLive(1n, 101_500)?.ttlSeconds).toBe(-1);
  });

  it('revoke deletes every attached key in one revision, and no revision without keys', () => {
    const { store, lessor, put } = setup();
    lessor.grant(1n, 10, 0);
    lessor.grant(2n, 10, 0);
    put('b', 1n);
    put('a', 1n);
    put('c', 1n);
    put('c', 0n); // a put without lease detaches
    expect(lessor.timeToLive(1n, 0)?.keys).toEqual(['a', 'b']);
    const revs: number[] = [];
    store.onCommit = (rev, evs) => revs.push(rev, ...evs.map((e) => e.kv.key.charCodeAt(0)));
    const before = store.currentRev;
    expect(lessor.revoke(1n, store)).toBeUndefined();
    expect(store.currentRev).toBe(before + 1);
    expect(revs).toEqual([before + 1, 'a'.charCodeAt(0), 'b'.charCodeAt(0)]);
    expect(lessor.revoke(2n, store)).toBeUndefined();
    expect(store.currentRev).toBe(before + 1);
    expect(lessor.revoke(1n, store)).toBe('lease-not-found');
  });

  it('lists leases by expiry, ties by id', () => {
    const { lessor } = setup();
    lessor.promote(0, 0);
    lessor.grant(5n, 100, 0);
    lessor.grant(3n, 10, 0);
    lessor.grant(4n, 10, 0);
    expect(lessor.list().map((l) => l.id)).toEqual([3n, 4n, 5n]);
  });

  it('checkpoints remaining TTLs of long leases, and promotion restarts from the checkpoint', () => {
    const { lessor } = setup({ ...DEFAULT_LESSOR_CONFIG, checkpointingEnabled: true, checkpointIntervalMs: 60_000 });
    lessor.promote(0, 0);
    lessor.grant(1n, 600, 0);
    lessor.grant(2n, 30, 0);
    expect(lessor.findDueCheckpoints(59_999, 10)).toEqual([]);
    const cps = lessor.findDueCheckpoints(60_000, 10);
    expect(cps).toEqual([{ id: 1n, remainingTtlSeconds: 540 }]);
    lessor.checkpoint(1n, 540, 60_000);
    lessor.demote();
    lessor.promote(100_000, 1000);
    expect(lessor.timeToLive(1n, 100_000)?.ttlSeconds).toBe(541);
    // etcd's Renew: the checkpoint of 0 goes through raft first; the refresh comes after it applied.
    const res = lessor.renew(1n, 100_000);
    if (res.kind !== 'clear-checkpoint') throw new Error(`expected clear-checkpoint, got ${res.kind}`);
    expect(lessor.timeToLive(1n, 100_000)?.ttlSeconds).toBe(541);
    lessor.checkpoint(1n, 0, 100_500);
    expect(lessor.renewCleared(res.lease, 100_500)).toBe(600);
    expect(lessor.timeToLive(1n, 100_500)?.ttlSeconds).toBe(600);
    expect(lessor.renew(1n, 101_000)).toEqual({ kind: 'renewed', ttlSeconds: 600 });
  });

  it('keeps every scheduled checkpoint of a lease, as etcd\'s heap: each one due proposes one', () => {
    const { lessor } = setup({ ...DEFAULT_LESSOR_CONFIG, checkpointingEnabled: true, checkpointIntervalMs: 10_000 });
    lessor.promote(0, 0);
    lessor.grant(1n, 60, 0);
    lessor.checkpoint(1n, 55, 5_000);
    // Two entries now (grant's at 10 s, the checkpoint's at 15 s); a renewal schedules none.
    expect(lessor.renew(1n, 6_000).kind).toBe('clear-checkpoint');
    expect(lessor.findDueCheckpoints(10_000, 10)).toEqual([{ id: 1n, remainingTtlSeconds: 50 }]);
    expect(lessor.findDueCheckpoints(15_000, 10)).toEqual([{ id: 1n, remainingTtlSeconds: 45 }]);
    expect(lessor.findDueCheckpoints(100_000, 10)).toEqual([]);
  });

  it('snapshot and restore keep leases and reattach keys, with expiry forever', () => {
    const { store, lessor, put } = setup();
    lessor.promote(0, 0);
    lessor.grant(1n, 10, 0);
    put('k', 1n);
    const other = new Lessor();
    other.restore(lessor.snapshot(), store);
    expect(other.timeToLive(1n, 0)).toEqual({ id: 1n, ttlSeconds: FOREVER_REMAINING_SECONDS, grantedTtlSeconds: 10, keys: ['k'] });
    expect(other.leaseOf('k')).toBe(1n);
  });

  it('spreads expiries on promotion when 1000 or more leases would pile up', () => {
    const { lessor } = setup();
    for (let i = 1; i <= 1200; i++) lessor.grant(BigInt(i), 10, 0);
    lessor.promote(0, 0);
    const perSecond = new Map<number, number>();
    for (const l of lessor.list()) perSecond.set(Math.floor(l.expiryMs / 1000), (perSecond.get(Math.floor(l.expiryMs / 1000)) ?? 0) + 1);
    for (const n of perSecond.values()) expect(n).toBeLessThanOrEqual(750);
  });

  it('generates request and lease ids like etcd idutil: member prefix, time, counter', () => {
    const g = new RequestIdGenerator(0x1234_5678n, 1000);
    const a = g.next();
    const b = g.next();
    expect(b - a).toBe(1n);
    expect(a >> 48n).toBe(0x5678n);
    expect(g.nextLeaseId() > 0n).toBe(true);
  });
});
