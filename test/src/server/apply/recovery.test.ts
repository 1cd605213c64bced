// Crash recovery of the applier: a member that crashes at any point, restores its last persisted
// snapshot (state + consistent index) and replays the whole log applies no entry twice, ends in
// exactly the state of a member that never crashed, and its revision never goes backwards.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Applier } from '../../../../src/server/apply/applier.ts';
import type { ApplierSnapshot } from '../../../../src/server/apply/applier.ts';
import type { InternalRaftRequest, RaftRequest } from '../../../../src/server/apply/raft-request.ts';
import { decodeRaftRequest, encodeRaftRequest } from '../../../../src/server/apply/raft-request.ts';
import { EtcdStateMachine } from '../../../../src/server/etcd-state-machine.ts';
import { DEFAULT_MEMBER_CONFIG } from '../../../../src/server/member-config.ts';
import { fcParams } from '../../../property-seed.ts';

const key = fc.constantFrom('a', 'b', 'c', 'd');
const entry: fc.Arbitrary<RaftRequest> = fc.oneof(
  fc.record({ key, value: fc.constantFrom('1', '2', '3'), lease: fc.constantFrom(0n, 0n, 9n) }).map((request): RaftRequest => ({ kind: 'put', request })),
  key.map((k): RaftRequest => ({ kind: 'delete_range', request: { key: k } })),
  fc.tuple(key, key).map(([k1, k2]): RaftRequest => ({ kind: 'txn', request: {
    compare: [{ key: k1, target: 'VERSION', result: 'GREATER', version: 0 }],
    success: [{ request_put: { key: k1, value: 'x' } }, { request_delete_range: { key: k2 === k1 ? `${k2}z` : k2 } }],
    failure: [{ request_put: { key: k1, value: 'y' } }],
  } })),
  fc.integer({ min: 0, max: 30 }).map((revision): RaftRequest => ({ kind: 'compaction', request: { revision } })),
  fc.constant<RaftRequest>({ kind: 'lease_grant', request: { ID: 9n, TTL: 60 } }),
  fc.constant<RaftRequest>({ kind: 'lease_revoke', request: { ID: 9n } }),
);

const entries = fc.array(entry, { minLength: 1, maxLength: 40, size: 'max' }).map((es) =>
  es.map((body, i): InternalRaftRequest => decodeRaftRequest(encodeRaftRequest({ id: String(i + 1), body }))));

const roundTrip = (s: ApplierSnapshot): ApplierSnapshot => JSON.parse(JSON.stringify(s, (_k, v: unknown) => v)) as ApplierSnapshot;

describe('applier recovery', () => {
  it('restoring any snapshot and replaying the whole log gives the never-crashed state', () => {
    fc.assert(fc.property(entries, fc.nat(), (log, cut) => {
      const ref = new Applier();
      const snaps: ApplierSnapshot[] = [roundTrip(ref.snapshot())];
      const responses = log.map((e, i) => {
        const r = ref.apply(i + 1, e, i * 10)!;
        snaps.push(roundTrip(ref.snapshot()));
        return JSON.stringify(r.response, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v));
      });
      const k = cut % snaps.length;
      const crashed = new Applier();
      crashed.restore(snaps[k]!);
      expect(crashed.consistentIndex()).toBe(k);
      let lastRev = crashed.store.currentRev;
      log.forEach((e, i) => {
        const r = crashed.apply(i + 1, e, i * 10);
        if (i + 1 <= k) {
          expect(r).toBeUndefined();
        } else {
          expect(JSON.stringify(r!.response, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v))).toBe(responses[i]);
        }
        expect(crashed.store.currentRev).toBeGreaterThanOrEqual(lastRev);
        lastRev = crashed.store.currentRev;
      });
      expect(crashed.hash()).toEqual(ref.hash());
      expect(crashed.consistentIndex()).toBe(log.length);
      expect(crashed.lessor.snapshot()).toEqual(ref.lessor.snapshot());
      expect(roundTrip(crashed.snapshot())).toEqual(roundTrip(ref.snapshot()));
    }), fcParams(200));
  });

  it('the state machine snapshot string restores to the same status on another member', () => {
    const config = { ...DEFAULT_MEMBER_CONFIG, id: 1, peers: [1] };
    const a = new EtcdStateMachine(config);
    const h = { clusterId: '1', memberId: '2', raftTerm: () => 1 };
    a.bindHeader(h);
    let i = 0;
    for (const k of ['a', 'b', 'c']) a.apply(++i, 1, encodeRaftRequest({ id: String(i), body: { kind: 'put', request: { key: k, value: k } } }), 0);
    const b = new EtcdStateMachine(config);
    b.restore(a.snapshot(), 0);
    expect(b.status()).toEqual(a.status());
    expect(b.consistentIndex()).toBe(3);
    expect(a.status()).toMatchObject({ revision: 4, compactRevision: -1 });
  });

  it('two members applying different entries have different hashes (the check can fail)', () => {
    const a = new Applier();
    const b = new Applier();
    a.apply(1, { id: '1', body: { kind: 'put', request: { key: 'k', value: '1' } } }, 0);
    b.apply(1, { id: '1', body: { kind: 'put', request: { key: 'k', value: '2' } } }, 0);
    expect(a.hash().revision).toBe(b.hash().revision);
    expect(a.hash().hash).not.toBe(b.hash().hash);
  });
});
