// A put answered ok with a lease proves the lease existed when the put applied (etcd answers "lease
// not found" otherwise), as a read showing the lease's key would. Before, only reads were evidence:
// holdout 8's revoke-never-retried (a lost revoke never proposed again) kept every put with the
// lease answered ok long after its TTL, and no run failed (the lead's lease-failed-transfer shape:
// 0 of 8), because no read showed the lease's keys by then.
import { describe, expect, it } from 'vitest';
import type { Op } from '../../../sim/history/op.ts';
import { checkLease } from '../../../sim/check/lease.ts';
import { b64, hdr } from './history-builder.ts';

const ID = '7';
const S = 1_000_000;
type Line = [process: number, timeUs: number, type: Op['type'], f: string, value: unknown];

const grant: Line[] = [
  [0, 0, 'invoke', 'lease/grant', { TTL: '2' }],
  [0, 1_000, 'ok', 'lease/grant', { ...hdr(1), ID, TTL: '2' }],
];
const put = (process: number, atUs: number, revision: number, key = 'k', request: Record<string, unknown> = { lease: ID }): Line[] => [
  [process, atUs, 'invoke', 'kv/put', { key: b64(key), value: b64('v'), ...request }],
  [process, atUs + 1_000, 'ok', 'kv/put', hdr(revision)],
];
const build = (lines: Line[]): Op[] =>
  [...lines].sort((a, b) => a[1] - b[1]).map(([process, time, type, f, value], index): Op => ({ index, time, process, type, f, value }));
const kinds = (lines: Line[], o = { leaderChangesUs: [] as number[], electionTimeoutUs: S }) => checkLease(build(lines), o).violations.map((v) => v.kind);

describe('a put answered ok with a lease is evidence that the lease was alive', () => {
  it('must fail: a put with the lease sent long after its TTL (no renewal, no leader change) answered ok', () => {
    const r = checkLease(build([...grant, ...put(1, 10 * S, 2)]), { leaderChangesUs: [], electionTimeoutUs: S });
    expect(r.valid).toBe(false);
    expect(r.violations.map((v) => v.kind)).toEqual(['expired-key-visible']);
    expect(r.violations[0]!.message).toMatch(/put with lease 7 at 10000000 µs answered ok at revision 2, after the lease must have expired/);
  });

  it('must fail: a put with the lease answered past the revision of its revoke', () => {
    const revoke: Line[] = [[2, 2 * S, 'invoke', 'lease/revoke', { ID }], [2, 2 * S + 1_000, 'ok', 'lease/revoke', hdr(3)]];
    expect(kinds([...grant, ...put(1, 500_000, 2), ...revoke, ...put(1, 2.5 * S, 4)])).toEqual(['revoked-key-visible']);
  });

  it('must fail: a put with the lease sent after a keep-alive answered it gone', () => {
    const gone: Line[] = [[2, 2.5 * S, 'invoke', 'lease/keepalive', { ID }], [2, 2.5 * S + 1_000, 'ok', 'lease/keepalive', { ...hdr(3), ID, TTL: '0' }]];
    expect(kinds([...grant, ...put(1, 500_000, 2, 'other', {}), ...gone, ...put(1, 2.8 * S, 4)])).toEqual(['gone-lease-key-visible']);
  });

  it('must fail: a put with the lease inside a txn, answered ok after its deadline', () => {
    const txn: Line[] = [
      [1, 10 * S, 'invoke', 'kv/txn', { success: [{ request_put: { key: b64('k'), value: b64('v'), lease: ID } }] }],
      [1, 10 * S + 1_000, 'ok', 'kv/txn', { ...hdr(2), succeeded: true, responses: [{ response_put: hdr(2) }] }],
    ];
    expect(kinds([...grant, ...txn])).toEqual(['expired-key-visible']);
  });

  it('must pass: within its TTL and grace, after a leader change that restarted it, with no timeline, ignore_lease, another lease', () => {
    expect(kinds([...grant, ...put(1, 1.5 * S, 2)])).toEqual([]);
    expect(kinds([...grant, ...put(1, 2.9 * S, 2)])).toEqual([]);
    expect(kinds([...grant, ...put(1, 10 * S, 2)], { leaderChangesUs: [9 * S], electionTimeoutUs: S })).toEqual([]);
    expect(checkLease(build([...grant, ...put(1, 10 * S, 2)]), { leaderChangesUnknown: true }).valid).toBe(true);
    expect(kinds([...grant, ...put(1, 10 * S, 2, 'k', { ignore_lease: true })])).toEqual([]);
    expect(kinds([...grant, ...put(1, 10 * S, 2, 'k', { lease: '8' })])).toEqual([]);
  });

  it('must pass: a put sent before the deadline and answered long after it (its entry committed late)', () => {
    const slow: Line[] = [[1, 2.9 * S, 'invoke', 'kv/put', { key: b64('k'), value: b64('v'), lease: ID }], [1, 20 * S, 'ok', 'kv/put', hdr(2)]];
    expect(kinds([...grant, ...slow, ...put(2, 10 * S, 3, 'other', {})])).toEqual([]);
  });

  it('must pass: a put with the lease after a revoke whose id a grant made again in between', () => {
    const revoke: Line[] = [[2, 2 * S, 'invoke', 'lease/revoke', { ID }], [2, 2 * S + 1_000, 'ok', 'lease/revoke', hdr(3)]];
    const regrant: Line[] = [[3, 2.1 * S, 'invoke', 'lease/grant', { ID, TTL: '2' }], [3, 2.1 * S + 1_000, 'ok', 'lease/grant', { ...hdr(3), ID, TTL: '2' }]];
    expect(kinds([...grant, ...revoke, ...regrant, ...put(1, 2.5 * S, 4)])).toEqual([]);
  });
});

describe('with lease checkpointing, a new leader restarts a lease from its last checkpoint', () => {
  // TTL 6 s granted at 0; a leader change at 3 s whose leader promoted with 2 s left (checkpointed).
  const grant6: Line[] = [[0, 0, 'invoke', 'lease/grant', { TTL: '6' }], [0, 1_000, 'ok', 'lease/grant', { ...hdr(1), ID, TTL: '6' }]];
  const o = (ttls: (ReadonlyMap<string, number> | undefined)[]) => ({ leaderChangesUs: [3 * S], electionTimeoutUs: S, leaderChangeTtls: ttls });

  it('must fail: a put with the lease after the change + election timeout + the checkpointed 2 s + grace', () => {
    expect(checkLease(build([...grant6, ...put(1, 8 * S, 2)]), o([new Map([[ID, 2]])])).violations.map((v) => v.kind)).toEqual(['expired-key-visible']);
  });

  it('must pass: the same put when the leader restarted it from its full TTL (no checkpoint, or none known)', () => {
    expect(checkLease(build([...grant6, ...put(1, 8 * S, 2)]), o([new Map()])).valid).toBe(true);
    expect(checkLease(build([...grant6, ...put(1, 8 * S, 2)]), o([undefined])).valid).toBe(true);
    expect(checkLease(build([...grant6, ...put(1, 6.9 * S, 2)]), o([new Map([[ID, 2]])])).valid).toBe(true);
  });
});

describe('a TimeToLive answer is evidence of how long the lease lived (rule 3)', () => {
  // TTL 6 s granted at 0; a leader change at 3 s whose leader promoted with 2 s left (checkpointed):
  // it can live until 3 + 1 + 2 s, plus the 1 s grace. A TimeToLive at 4.2 s answering 5 s left
  // says it lives until 9.2 s at least (holdout 12's lease-checkpoints-ignored: the new leader
  // restarted the lease at its full TTL).
  const grant6: Line[] = [[0, 0, 'invoke', 'lease/grant', { TTL: '6' }], [0, 1_000, 'ok', 'lease/grant', { ...hdr(1), ID, TTL: '6' }]];
  const o = (ttls: (ReadonlyMap<string, number> | undefined)[]) => ({ leaderChangesUs: [3 * S], electionTimeoutUs: S, leaderChangeTtls: ttls });
  const ttl = (atUs: number, left: number): Line[] => [
    [2, atUs, 'invoke', 'lease/timetolive', { ID }],
    [2, atUs + 1_000, 'ok', 'lease/timetolive', { ...hdr(1), ID, TTL: String(left), grantedTTL: '6' }],
  ];
  const kindsOf = (lines: Line[], options: Parameters<typeof checkLease>[1]) => checkLease(build(lines), options).violations.map((v) => v.kind);

  it('must fail: more time left than the checkpoint the new leader restarted from allows', () => {
    expect(kindsOf([...grant6, ...ttl(4.2 * S, 5)], o([new Map([[ID, 2]])]))).toEqual(['ttl-answer']);
    // Without a leader change: more than the TTL since the grant allows.
    expect(kindsOf([...grant6, ...ttl(4.2 * S, 5)], { leaderChangesUs: [], electionTimeoutUs: S })).toEqual(['ttl-answer']);
  });

  it('must pass: what the checkpoint or the full TTL leaves, a keep-alive between, no timeline, an unbounded clock', () => {
    expect(kindsOf([...grant6, ...ttl(4.2 * S, 2)], o([new Map([[ID, 2]])]))).toEqual([]);
    expect(kindsOf([...grant6, ...ttl(4.2 * S, 5)], o([new Map()]))).toEqual([]);
    expect(kindsOf([...grant6, ...ttl(4.2 * S, 5)], o([undefined]))).toEqual([]);
    const keepAlive: Line[] = [[1, 4 * S, 'invoke', 'lease/keepalive', { ID }], [1, 4 * S + 1_000, 'ok', 'lease/keepalive', { ...hdr(1), ID, TTL: '6' }]];
    expect(kindsOf([...grant6, ...keepAlive, ...ttl(4.2 * S, 5)], o([new Map([[ID, 2]])]))).toEqual([]);
    expect(checkLease(build([...grant6, ...ttl(4.2 * S, 5)]), { leaderChangesUnknown: true }).valid).toBe(true);
    expect(kindsOf([...grant6, ...ttl(4.2 * S, 5)], { ...o([new Map([[ID, 2]])]), slowClock: { driftPpmMax: 0, jumpUsMax: Infinity } })).toEqual([]);
  });
});
