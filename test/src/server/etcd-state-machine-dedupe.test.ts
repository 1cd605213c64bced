// A raft entry committed twice with the same request id is applied once, by every member alike.
// Regression for the sweep failures of duplicating-network seeds 1-3, lossy-network seed 1 and
// swarm seed 2: the simulated peer network delivered a follower's forwarded MsgProp to the
// leader twice, raft appended both copies (it does not dedupe proposals) and every member
// applied the put twice (put returned revision 3, reads then saw mod_revision 4, version 2).
// The window of applied request ids is replicated state in the snapshot, so a member restored
// from a snapshot taken between the two copies skips the second copy exactly like the others.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MEMBER_CONFIG } from '../../../src/server/member-config.ts';
import { makeEtcdStateMachine } from '../../../src/server/etcd-state-machine.ts';
import type { EntryData } from '../../../src/raft/types.ts';
import type { MemberHeader, StateMachinePort } from '../../../src/server/state-machine-port.ts';
import { fcParams } from '../../property-seed.ts';

const HEADER: MemberHeader = { clusterId: '1', memberId: '1', raftTerm: () => 1 };
const b64 = (s: string): string => Buffer.from(s).toString('base64');

function newStateMachine(): StateMachinePort {
  const sm = makeEtcdStateMachine({ ...DEFAULT_MEMBER_CONFIG, id: 1, peers: [1] });
  sm.bindHeader(HEADER);
  return sm;
}

/** The raft entry data a member proposes for `path`/`body` with request id `requestId`. */
function entry(sm: StateMachinePort, requestId: string, path: string, body: unknown): EntryData {
  const c = sm.classify(path, body, HEADER);
  if (c.kind !== 'propose') throw new Error(`${path} is not proposed through raft`);
  return c.encode(requestId).data;
}

const put = (sm: StateMachinePort, requestId: string, key: string, value: string): EntryData =>
  entry(sm, requestId, '/v3/kv/put', { key: b64(key), value: b64(value) });

function revisionOf(reply: { ok: boolean; body?: unknown }): number {
  return Number((reply as { body: { header: { revision: string } } }).body.header.revision);
}

describe('a proposal committed twice', () => {
  it('is applied once: the second copy changes no revision and answers nobody', () => {
    const sm = newStateMachine();
    const data = put(sm, '7001', 'key5', 'v3-p5');
    const first = sm.apply(1, 1, data, 0);
    expect(first.requestId).toBe('7001');
    expect(revisionOf(first.reply)).toBe(2);
    const second = sm.apply(2, 1, data, 0);
    expect(second.requestId).toBe('');
    expect(sm.consistentIndex()).toBe(2);
    expect(sm.status().revision).toBe(2);
    const read = sm.classify('/v3/kv/range', { key: b64('key5') }, HEADER);
    if (read.kind !== 'read') throw new Error('range is a read');
    const kv = (read.read() as { body: { kvs: { mod_revision: string; version: string }[] } }).body.kvs[0];
    expect(kv).toMatchObject({ mod_revision: '2', version: '1' });
  });

  it('is skipped by a member restored from a snapshot taken between the two copies', () => {
    const a = newStateMachine();
    const data = put(a, '7001', 'k', 'v');
    a.apply(1, 1, data, 0);
    const b = newStateMachine();
    b.restore(a.snapshot(), 0);
    a.apply(2, 1, data, 0);
    b.apply(2, 1, data, 0);
    expect(b.status()).toEqual(a.status());
    expect(b.status().revision).toBe(2);
  });

  it('is a different request when only the data matches: distinct ids both apply', () => {
    const sm = newStateMachine();
    sm.apply(1, 1, put(sm, '1', 'k', 'same'), 0);
    sm.apply(2, 1, put(sm, '2', 'k', 'same'), 0);
    expect(sm.status().revision).toBe(3);
  });
});

type Op = { kind: 'put'; key: string; value: string } | { kind: 'delete'; key: string } | { kind: 'txn'; key: string; value: string };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('put' as const), key: fc.constantFrom('a', 'b', 'c'), value: fc.constantFrom('1', '2') }),
  fc.record({ kind: fc.constant('delete' as const), key: fc.constantFrom('a', 'b', 'c') }),
  fc.record({ kind: fc.constant('txn' as const), key: fc.constantFrom('a', 'b', 'c'), value: fc.constantFrom('1', '2') }),
);

function encodeOp(sm: StateMachinePort, requestId: string, o: Op): EntryData {
  switch (o.kind) {
    case 'put': return put(sm, requestId, o.key, o.value);
    case 'delete': return entry(sm, requestId, '/v3/kv/deleterange', { key: b64(o.key) });
    case 'txn': return entry(sm, requestId, '/v3/kv/txn', {
      compare: [{ key: b64(o.key), target: 'VERSION', result: 'GREATER', version: '0' }],
      success: [{ request_put: { key: b64(o.key), value: b64(`${o.value}!`) } }],
      failure: [{ request_put: { key: b64(o.key), value: b64(o.value) } }],
    });
  }
}

describe('duplicated entries in any log', () => {
  it('leave every member, restored from any snapshot or not, in the state of the log without the copies', () => {
    // A log: each entry is a fresh request or a copy of an earlier one (by position).
    const log = fc.array(fc.tuple(op, fc.option(fc.nat(), { nil: undefined })), { minLength: 1, maxLength: 40 });
    fc.assert(fc.property(log, fc.nat(), (raw, cut) => {
      const enc = newStateMachine();
      const fresh: EntryData[] = [];
      const data: EntryData[] = [];
      const isCopy: boolean[] = [];
      raw.forEach(([o, copyOf], i) => {
        if (copyOf !== undefined && fresh.length > 0) {
          data.push(fresh[copyOf % fresh.length]!);
          isCopy.push(true);
        } else {
          const d = encodeOp(enc, String(100 + i), o);
          fresh.push(d);
          data.push(d);
          isCopy.push(false);
        }
      });
      // Reference: the copies never reach the state machine.
      const ref = newStateMachine();
      data.forEach((d, i) => (isCopy[i] ? ref.applyNoop(i + 1) : ref.apply(i + 1, 1, d, 0)));
      // A member that applies everything, snapshotting after entry k; one restored from there.
      const k = cut % (data.length + 1);
      const full = newStateMachine();
      let snap = full.snapshot();
      const replies = data.map((d, i) => {
        const r = full.apply(i + 1, 1, d, 0);
        if (i + 1 === k) snap = full.snapshot();
        return r;
      });
      replies.forEach((r, i) => expect(r.requestId === '').toBe(isCopy[i]));
      expect(full.status()).toEqual(ref.status());
      const restored = newStateMachine();
      restored.restore(snap, 0);
      expect(restored.consistentIndex()).toBe(k);
      data.slice(k).forEach((d, j) => {
        const r = restored.apply(k + j + 1, 1, d, 0);
        expect(r).toEqual(replies[k + j]);
      });
      expect(restored.status()).toEqual(ref.status());
    }), fcParams(150));
  });

  it('is remembered for the last 20,000 applied ids: a copy just inside is skipped, just outside applies', () => {
    const sm = newStateMachine();
    const first = put(sm, '1', 'k', 'first');
    const second = put(sm, '2', 'k', 'second');
    let index = 0;
    sm.apply(++index, 1, first, 0);
    sm.apply(++index, 1, second, 0);
    // 19,999 more ids: '2' is the 20,000th newest, '1' the 20,001st (forgotten).
    for (let i = 0; i < 19_999; i++) sm.apply(++index, 1, entry(sm, String(100_000 + i), '/v3/kv/compaction', {}), 0);
    // Several trims of the window happen while the copies arrive: go past 2 x 20,000.
    expect(sm.apply(++index, 1, second, 0).requestId).toBe('');
    expect(sm.apply(++index, 1, first, 0).requestId).toBe('1');
    for (let i = 0; i < 20_001; i++) sm.apply(++index, 1, entry(sm, String(200_000 + i), '/v3/kv/compaction', {}), 0);
    const restored = newStateMachine();
    restored.restore(sm.snapshot(), 0);
    // The newest 20,000 are '200001'..'220000': the same pair again, in the restored member too.
    for (const m of [sm, restored]) expect(m.apply(index + 1, 1, put(m, '200001', 'k', 'x'), 0).requestId).toBe('');
    for (const m of [sm, restored]) expect(m.apply(index + 2, 1, put(m, '200000', 'k', 'y'), 0).requestId).toBe('200000');
  });
});
