// What the member's state machine took over from the apply layer's former adapter: exact lease
// ids above 2^53 through expiry and revoke, gRPC's receive limit, the maintenance hash, and the
// watch and checkpoint settings as options.
import { describe, expect, it } from 'vitest';
import { DEFAULT_MEMBER_CONFIG } from '../../../src/server/member-config.ts';
import { EtcdStateMachine } from '../../../src/server/etcd-state-machine.ts';
import type { EtcdStateMachineOptions } from '../../../src/server/etcd-state-machine.ts';
import { decodeRaftRequest } from '../../../src/server/apply/raft-request.ts';
import { MAX_GRPC_RECV_BYTES } from '../../../src/api/proto-size.ts';
import type { MemberHeader } from '../../../src/server/state-machine-port.ts';

const HEADER: MemberHeader = { clusterId: '1', memberId: '1', raftTerm: () => 1 };
const b64 = (s: string): string => Buffer.from(s).toString('base64');

function leader(options: EtcdStateMachineOptions = {}): EtcdStateMachine {
  const sm = new EtcdStateMachine({ ...DEFAULT_MEMBER_CONFIG, id: 1, peers: [1] }, options);
  sm.bindHeader(HEADER);
  sm.promoteLessor(0, 0);
  return sm;
}

function propose(sm: EtcdStateMachine, index: number, requestId: string, path: string, body: unknown, nowMs = 0): unknown {
  const c = sm.classify(path, body, HEADER);
  if (c.kind !== 'propose') throw new Error(`${path} is not proposed`);
  const r = sm.apply(index, 1, c.encode(requestId).data, nowMs).reply;
  if (!r.ok) throw new Error(r.error.message);
  return r.body;
}

describe('the member state machine', () => {
  it('revokes a lease whose id is above 2^53 by its exact id once it expires', () => {
    const sm = leader();
    const id = (1n << 62n) + 3n; // Number() of it is another integer
    expect(BigInt(Number(id))).not.toBe(id);
    propose(sm, 1, '11', '/v3/lease/grant', { ID: String(id), TTL: '5' });
    propose(sm, 2, '12', '/v3/kv/put', { key: b64('k'), value: b64('v'), lease: String(id) });
    const expired = sm.expiredLeases(10_000, 16);
    expect(expired).toEqual([Number(id)]);
    const data = sm.encodeLeaseRevoke(expired[0]!, '13');
    const req = decodeRaftRequest(data);
    expect(req.body).toEqual({ kind: 'lease_revoke', request: { ID: id } });
    const applied = sm.apply(3, 1, data, 10_000);
    expect(applied.reply.ok).toBe(true);
    expect(applied.revokedLeases).toEqual([Number(id)]);
    expect(sm.status().revision).toBe(3); // the put made revision 2, the revoke deleting its key 3
    expect(sm.applier.lessor.list()).toEqual([]);
  });

  it('refuses a message over gRPC receive limit before it reaches raft, and one under it is proposed', () => {
    const sm = leader();
    const big = sm.classify('/v3/kv/range', { key: b64('x'.repeat(MAX_GRPC_RECV_BYTES)) }, HEADER);
    expect(big.kind).toBe('invalid');
    if (big.kind === 'invalid') expect(big.error).toMatchObject({ code: 8, message: expect.stringContaining('grpc: received message larger than max') as unknown });
    expect(sm.classify('/v3/kv/put', { key: b64('k'), value: b64('x'.repeat(1_600_000)) }, HEADER).kind).toBe('propose');
  });

  it('answers the maintenance hash with the store hash, which changes with the data', () => {
    const sm = leader();
    const hash = (): unknown => {
      const c = sm.classify('/v3/maintenance/hash', {}, HEADER);
      if (c.kind !== 'local') throw new Error('hash is local');
      const r = c.serve();
      return r.ok ? (r.body as { hash?: unknown }).hash : undefined;
    };
    const before = hash();
    propose(sm, 1, '21', '/v3/kv/put', { key: b64('k'), value: b64('v') });
    expect(hash()).not.toBe(before);
    expect(hash()).toBe(sm.status().hashKV);
  });

  it('proposes at most checkpointBatchMax lease checkpoints per entry', () => {
    const sm = new EtcdStateMachine({ ...DEFAULT_MEMBER_CONFIG, id: 1, peers: [1], leaseCheckpointing: true }, { checkpointingEnabled: true, checkpointBatchMax: 2 });
    sm.bindHeader(HEADER);
    sm.promoteLessor(0, 0);
    for (let i = 1; i <= 3; i++) propose(sm, i, String(30 + i), '/v3/lease/grant', { ID: String(i), TTL: '3600' });
    const entries = sm.checkpoints(10 * 60_000, () => '99');
    expect(entries).toHaveLength(1);
    const req = decodeRaftRequest(entries[0]!);
    expect(req.body.kind).toBe('lease_checkpoint');
    expect((req.body.request as { checkpoints: unknown[] }).checkpoints).toHaveLength(2);
  });

  it('catches up an unsynced watcher on the next sync interval, not before', () => {
    const eventsBy = (options: EtcdStateMachineOptions, nowMs: number): number => {
      const sm = leader(options);
      sm.onTick(0);
      propose(sm, 1, '41', '/v3/kv/put', { key: b64('w'), value: b64('1') });
      const stream = sm.openWatchStream();
      stream.handle({ create_request: { key: b64('w'), start_revision: '1' } });
      sm.onTick(nowMs);
      return stream.poll().filter((r) => (r as { events?: unknown[] }).events !== undefined).length;
    };
    expect(eventsBy({}, 100)).toBe(1);
    expect(eventsBy({ watchSyncIntervalMs: 1_000 }, 100)).toBe(0);
    expect(eventsBy({ watchSyncIntervalMs: 1_000 }, 1_000)).toBe(1);
  });
});

describe('keep-alives on a leader whose lessor is not primary yet', () => {
  it('are held until the lessor is promoted, then renew: etcd never answers a keep-alive "not primary" (#6922)', () => {
    // A new leader that has not applied its term's first entry: its lessor is not promoted.
    const sm = new EtcdStateMachine({ ...DEFAULT_MEMBER_CONFIG, id: 1, peers: [1] });
    sm.bindHeader(HEADER);
    propose(sm, 1, '11', '/v3/lease/grant', { ID: '7', TTL: '5' });
    const c = sm.classify('/v3/lease/keepalive', { ID: '7' }, HEADER);
    if (c.kind !== 'leader-lease') throw new Error('a keep-alive is served by the leader');
    // Before the fix it was ready and answered "etcdserver: not leader" with gRPC code 14 at once
    // (found by the error-replies checker on lease-renew-expiry).
    expect(c.ready?.(100)).toBe(false);
    sm.promoteLessor(100, 1000);
    expect(c.ready?.(200)).toBe(true);
    const r = c.serve(200);
    if (!('ok' in r)) throw new Error('no checkpoint to clear');
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.body).toMatchObject({ ID: '7', TTL: '5' });
  });
});
