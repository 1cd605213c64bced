// Model-based test of lease expiry over time: random grants, renewals, revokes, leader changes
// (promote/demote) and clock advances against a plain model of expiry times. Only the primary
// ever reports expired leases; what it reports has really expired; a lease renewed or promoted
// is not reported before its TTL (plus the promotion's extension) has passed; a reported lease
// is not reported again within the retry interval.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LESSOR_CONFIG, Lessor } from '../../../src/lease/lessor.ts';
import { MvccStore } from '../../../src/mvcc/store.ts';
import { fcParams } from '../../property-seed.ts';

type Op =
  | { k: 'grant'; id: bigint; ttl: number }
  | { k: 'renew'; id: bigint }
  | { k: 'revoke'; id: bigint }
  | { k: 'promote'; extendMs: number }
  | { k: 'demote' }
  | { k: 'advance'; ms: number }
  | { k: 'expire' };

const id = fc.constantFrom(1n, 2n, 3n);
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ id, ttl: fc.integer({ min: 0, max: 8 }) }).map((o): Op => ({ k: 'grant', ...o })),
  id.map((i): Op => ({ k: 'renew', id: i })),
  id.map((i): Op => ({ k: 'revoke', id: i })),
  fc.integer({ min: 0, max: 2000 }).map((extendMs): Op => ({ k: 'promote', extendMs })),
  fc.constant<Op>({ k: 'demote' }),
  fc.integer({ min: 1, max: 4000 }).map((ms): Op => ({ k: 'advance', ms })),
  fc.constant<Op>({ k: 'expire' }),
);

describe('lessor expiry model', () => {
  it('only the primary expires leases, never early, and not twice within the retry interval', () => {
    fc.assert(fc.property(fc.array(op, { maxLength: 60, size: 'max' }), (ops) => {
      const lessor = new Lessor();
      const store = new MvccStore();
      store.leases = lessor;
      let now = 0;
      let primary = false;
      /** Earliest time each lease may expire: undefined = never (follower). */
      const earliest = new Map<bigint, number | undefined>();
      const ttl = new Map<bigint, number>();
      const reportedAt = new Map<bigint, number>();
      for (const o of ops) {
        switch (o.k) {
          case 'grant': {
            const r = lessor.grant(o.id, o.ttl, now);
            expect(typeof r === 'string').toBe(earliest.has(o.id));
            if (typeof r !== 'string') {
              const t = Math.max(o.ttl, DEFAULT_LESSOR_CONFIG.minTtlSeconds);
              ttl.set(o.id, t);
              earliest.set(o.id, primary ? now + t * 1000 : undefined);
            }
            break;
          }
          case 'renew': {
            const r = lessor.renew(o.id, now);
            if (!primary) expect(r.kind).toBe('not-primary');
            else if (!earliest.has(o.id)) expect(r.kind).toBe('lease-not-found');
            else if (r.kind === 'renewed') {
              expect(r.ttlSeconds).toBe(ttl.get(o.id));
              earliest.set(o.id, now + ttl.get(o.id)! * 1000);
              reportedAt.delete(o.id);
            } else expect(r.kind).toBe('expired');
            break;
          }
          case 'revoke':
            expect(lessor.revoke(o.id, store)).toBe(earliest.has(o.id) ? undefined : 'lease-not-found');
            earliest.delete(o.id);
            ttl.delete(o.id);
            reportedAt.delete(o.id);
            break;
          case 'promote':
            primary = true;
            lessor.promote(now, o.extendMs);
            for (const l of earliest.keys()) earliest.set(l, now + o.extendMs + ttl.get(l)! * 1000);
            reportedAt.clear();
            break;
          case 'demote':
            primary = false;
            lessor.demote();
            for (const l of earliest.keys()) earliest.set(l, undefined);
            break;
          case 'advance':
            now += o.ms;
            break;
          case 'expire': {
            const expired = lessor.findExpiredLeases(now, 10);
            if (!primary) expect(expired).toEqual([]);
            for (const l of expired) {
              const e = earliest.get(l);
              expect(e).toBeDefined();
              expect(now).toBeGreaterThanOrEqual(e!);
              const last = reportedAt.get(l);
              if (last !== undefined) expect(now - last).toBeGreaterThanOrEqual(DEFAULT_LESSOR_CONFIG.expiredLeaseRetryIntervalMs);
              reportedAt.set(l, now);
            }
            // Completeness: every lease past its expiry and not reported recently is reported.
            if (primary) {
              for (const [l, e] of earliest) {
                const last = reportedAt.get(l);
                if (e !== undefined && now >= e && (last === undefined || now - last >= DEFAULT_LESSOR_CONFIG.expiredLeaseRetryIntervalMs)) {
                  expect(expired).toContain(l);
                }
              }
            }
            break;
          }
        }
      }
    }), fcParams(500));
  });
});
