// False "lease violated" verdicts the ground-truth generator (etcd-ground-truth.test.ts, which
// runs the lease checker on histories whose leader revokes expired leases as etcd does) found,
// shrunk, each with histories that must still fail.
import { describe, expect, it } from 'vitest';
import { checkLease } from '../../../sim/check/lease.ts';
import type { Op } from '../../../sim/history/op.ts';
import { generate } from './etcd-ground-truth/history.ts';
import { leaseOptions } from './etcd-ground-truth/lease-options.ts';
import { sizeOf } from './etcd-ground-truth/sizes.ts';
import { withExpiredKey } from './etcd-ground-truth/twins.ts';

type Line = [process: number, type: Op['type'], f: string, value: unknown, error?: string];
const hdr = (term = 2): { header: { member_id: string; revision: string; raft_term: string } } => ({ header: { member_id: '1', revision: '1', raft_term: String(term) } });
function ops(lines: Line[]): Op[] {
  return lines.map(([process, type, f, value, error], index) => {
    const op: Op = { index, time: index * 1000, process, type, f, value };
    if (error !== undefined) op.error = error;
    return op;
  });
}
const verdict = (lines: Line[]): boolean | 'unknown' => checkLease(ops(lines), { answersCarryLeaderTerm: true, clockDriftPpmMax: 0, clockJumpUsMax: 0 }).valid;

const grant = (ttl: number): Line[] => [[0, 'invoke', 'lease/grant', { ID: '104', TTL: String(ttl) }], [0, 'ok', 'lease/grant', { ...hdr(), ID: '104', TTL: String(ttl) }]];
const keepAlive = (ttl: number): Line[] => [[1, 'invoke', 'lease/keepalive', { ID: '104' }], [1, 'ok', 'lease/keepalive', { ...hdr(), ID: '104', TTL: String(ttl) }]];
const timeToLive = (granted: number): Line[] => [[1, 'invoke', 'lease/timetolive', { ID: '104' }], [1, 'ok', 'lease/timetolive', { ...hdr(), ID: '104', TTL: '1', grantedTTL: String(granted) }]];
const revoke: Line[] = [[2, 'invoke', 'lease/revoke', { ID: '104' }], [2, 'ok', 'lease/revoke', hdr()]];

describe('a lease id granted again with another TTL', () => {
  it('answers before the second grant are judged by the first (ground-truth seeds 4277, 1966)', () => {
    expect(verdict([...grant(4), ...keepAlive(4), ...timeToLive(4), ...revoke, ...grant(2)])).toBe(true);
    expect(verdict([...grant(4), ...revoke, ...grant(2), ...keepAlive(2), ...timeToLive(2)])).toBe(true);
  });

  it('still caught: a TTL no grant sent before the answer gave', () => {
    expect(verdict([...grant(4), ...keepAlive(2), ...revoke, ...grant(2)])).toBe(false);
    expect(verdict([...grant(4), ...timeToLive(3), ...revoke, ...grant(2)])).toBe(false);
    expect(verdict([...grant(4), ...revoke, ...grant(2), ...keepAlive(3)])).toBe(false);
  });

  it('a grant of unknown outcome may have made the lease with its TTL', () => {
    const timedOut: Line[] = [[3, 'invoke', 'lease/grant', { ID: '104', TTL: '5' }], [3, 'info', 'lease/grant', null, 'timeout']];
    expect(verdict([...grant(4), ...revoke, ...timedOut, ...keepAlive(5)])).toBe(true);
    // A grant refused because the lease existed made nothing.
    const refused: Line[] = [[3, 'invoke', 'lease/grant', { ID: '104', TTL: '5' }], [3, 'fail', 'lease/grant', null, 'etcdserver: lease already exists']];
    expect(verdict([...grant(4), ...refused, ...keepAlive(5)])).toBe(false);
    // Nor one sent after the answer.
    expect(verdict([...grant(4), ...revoke, ...keepAlive(5), ...timedOut])).toBe(false);
  });
});

describe('a lease id granted again by a grant of unknown outcome', () => {
  it('its new keys are not the revoked lease outliving its revoke (ground-truth seed 16391)', () => {
    const read: Line[] = [[5, 'invoke', 'kv/range', { key: btoa('k') }], [5, 'ok', 'kv/range', { header: { revision: '5' }, kvs: [{ key: btoa('k'), value: btoa('v'), create_revision: '4', mod_revision: '4', version: '1', lease: '104' }], count: '1' }]];
    const revokeAt3: Line[] = [[2, 'invoke', 'lease/revoke', { ID: '104' }], [2, 'ok', 'lease/revoke', { header: { revision: '3' } }]];
    const timedOut: Line[] = [[3, 'invoke', 'lease/grant', { ID: '104', TTL: '5' }], [3, 'info', 'lease/grant', null, 'timeout']];
    expect(verdict([...grant(4), ...revokeAt3, ...timedOut, ...read])).toBe(true);
    // Still caught: no grant after the revoke, or one sent only after the read.
    expect(verdict([...grant(4), ...revokeAt3, ...read])).toBe(false);
    expect(verdict([...grant(4), ...revokeAt3, ...read, ...timedOut])).toBe(false);
  });
});

describe('a range inside a txn is judged at the revision its own answer shows', () => {
  const kv = { key: btoa('k'), create_revision: '2', mod_revision: '2', version: '1', value: btoa('v'), lease: '104' };
  const put: Line[] = [[0, 'invoke', 'kv/put', { key: btoa('k'), value: btoa('v'), lease: '104' }], [0, 'ok', 'kv/put', { header: { revision: '2' } }]];
  const revokeAt3: Line[] = [[2, 'invoke', 'lease/revoke', { ID: '104' }], [2, 'ok', 'lease/revoke', { header: { revision: '3' } }]];
  const txn = (rangeHeader: Record<string, string> | undefined, withDelete: boolean): Line[] => {
    const success: unknown[] = [{ request_range: { key: btoa('k') } }];
    const responses: unknown[] = [{ response_range: { ...(rangeHeader !== undefined ? { header: rangeHeader } : {}), kvs: [kv], count: '1' } }];
    if (withDelete) {
      success.push({ request_delete_range: { key: btoa('k') } });
      responses.push({ response_delete_range: { header: { revision: '3' }, deleted: '1' } });
    }
    return [[3, 'invoke', 'kv/txn', { compare: [], success, failure: [] }], [3, 'ok', 'kv/txn', { header: { revision: withDelete ? '3' : '2' }, succeeded: true, responses }]];
  };

  it('a range before the txn deleted the lease\'s last key read the state before the txn (ground-truth seeds 57389, 94452)', () => {
    // etcd 3.4.23: range, delete, range in one txn answer nested headers 2, 3, 3 (the txn's own is 3).
    expect(verdict([...grant(4), ...put, ...txn({ revision: '2' }, true), ...revokeAt3])).toBe(true);
    // Without nested headers, a txn that wrote may have read the state before its writes.
    expect(verdict([...grant(4), ...put, ...txn(undefined, true), ...revokeAt3])).toBe(true);
  });

  it('still caught: a txn range that saw the state at or after the revoke shows the key', () => {
    expect(verdict([...grant(4), ...put, ...txn({ revision: '3' }, true), ...revokeAt3])).toBe(false);
    // A txn that wrote nothing read its own revision; revoked at 2 (the key deleted then), it shows the key at 2.
    const revokeAt2: Line[] = [[2, 'invoke', 'lease/revoke', { ID: '104' }], [2, 'ok', 'lease/revoke', { header: { revision: '2' } }]];
    expect(verdict([...grant(4), ...put, ...revokeAt2, ...txn(undefined, false)])).toBe(false);
  });
});

describe('a write that failed with an error after which it may have applied', () => {
  const put: Line[] = [[4, 'invoke', 'kv/put', { key: btoa('k'), value: btoa('v'), lease: '104' }], [4, 'ok', 'kv/put', { header: { revision: '2' } }]];
  const deleter = (error: string): Line[] => [[3, 'invoke', 'kv/txn', { compare: [], success: [{ request_delete_range: { key: btoa('k') } }], failure: [] }], [3, 'fail', 'kv/txn', { error }, error]];
  const read: Line[] = [[5, 'invoke', 'kv/range', { key: btoa('\0'), range_end: btoa('\0') }], [5, 'ok', 'kv/range', { header: { revision: '3' } }]];

  it('may have deleted the leased key: its absence is no early revoke (ground-truth seed 53023, "leader changed")', () => {
    expect(verdict([...grant(5), ...put, ...deleter('etcdserver: leader changed'), ...read])).toBe(true);
    expect(verdict([...grant(5), ...put, ...deleter('etcdserver: request timed out'), ...read])).toBe(true);
  });

  it('still caught: a write that certainly failed deleted nothing, so only the lease\'s end can have', () => {
    expect(verdict([...grant(5), ...put, ...deleter('etcdserver: requested lease not found'), ...read])).toBe(false);
    expect(verdict([...grant(5), ...put, ...read])).toBe(false);
  });
});

describe('a keep-alive of unknown outcome may have renewed the lease', () => {
  type Timed = [timeUs: number, ...line: Line];
  const timedVerdict = (lines: Timed[]): boolean | 'unknown' =>
    checkLease(
      lines.map(([time, process, type, f, value, error], index) => ({ index, time, process, type, f, value, ...(error !== undefined ? { error } : {}) })),
      { answersCarryLeaderTerm: true, clockDriftPpmMax: 0, clockJumpUsMax: 0 },
    ).valid;
  const grant3: Timed[] = [[1_000, 0, 'invoke', 'lease/grant', { ID: '104', TTL: '3' }], [2_000, 0, 'ok', 'lease/grant', { ...hdr(), ID: '104', TTL: '3' }]];
  const timedOutKeepAlive = (atUs: number): Timed[] => [[atUs, 1, 'invoke', 'lease/keepalive', { ID: '104' }], [atUs + 2_000, 1, 'info', 'lease/keepalive', null, 'timeout']];
  const readAt = (atUs: number, revision = 2): Timed[] => [
    [atUs, 2, 'invoke', 'kv/range', { key: btoa('k') }],
    [atUs + 1_000, 2, 'ok', 'kv/range', { header: { revision: String(revision) }, kvs: [{ key: btoa('k'), value: btoa('v'), create_revision: '2', mod_revision: '2', version: '1', lease: '104' }], count: '1' }],
  ];
  /** A put of another key sent at `atUs`, answered at revision 3: the revoke proposed before it had applied by then. */
  const writeAt = (atUs: number): Timed[] => [[atUs, 6, 'invoke', 'kv/put', { key: btoa('other'), value: btoa('w') }], [atUs + 1_000, 6, 'ok', 'kv/put', { header: { revision: '3' } }]];

  it('a timed-out keep-alive sent while the lease lived keeps its key alive one TTL longer (ground-truth seed 47191)', () => {
    // Granted TTL 3 s by 2 ms; kept alive (its answer lost) at 2.79 s; a key of it read at 4.01 s.
    expect(timedVerdict([...grant3, ...timedOutKeepAlive(2_793_000), ...readAt(4_010_000)])).toBe(true);
  });

  it('still caught: the key read past what every renewal could give, or a keep-alive sent after the lease expired', () => {
    // Each read at or past a write sent after the deadline (the revoke, proposed by then, applied before it).
    expect(timedVerdict([...grant3, ...writeAt(4_005_000), ...readAt(4_010_000, 3)])).toBe(false);
    // 2 ms + 3 s + 1 s grace + one more TTL: gone by 7.002 s.
    expect(timedVerdict([...grant3, ...timedOutKeepAlive(2_793_000), ...writeAt(7_050_000), ...readAt(7_100_000, 3)])).toBe(false);
    // Sent at 4.5 s, after the lease had expired (4.002 s with the grace): it renewed nothing.
    expect(timedVerdict([...grant3, ...timedOutKeepAlive(4_500_000), ...writeAt(4_550_000), ...readAt(4_600_000, 3)])).toBe(false);
  });
});

describe('a lease id granted again after it expired', () => {
  type Timed = [timeUs: number, ...line: Line];
  const timedVerdict = (lines: Timed[]): boolean | 'unknown' =>
    checkLease(
      lines.map(([time, process, type, f, value, error], index) => ({ index, time, process, type, f, value, ...(error !== undefined ? { error } : {}) })),
      { answersCarryLeaderTerm: true, clockDriftPpmMax: 0, clockJumpUsMax: 0 },
    ).valid;
  const withTerm = { header: { member_id: '1', revision: '1', raft_term: '2' } };
  const grant2: Timed[] = [[1_000, 0, 'invoke', 'lease/grant', { ID: '100', TTL: '2' }], [2_000, 0, 'ok', 'lease/grant', { ...withTerm, ID: '100', TTL: '2' }]];
  const keepAlive = (atUs: number, p = 3): Timed[] => [[atUs, p, 'invoke', 'lease/keepalive', { ID: '100' }], [atUs + 1_000, p, 'ok', 'lease/keepalive', { ...withTerm, ID: '100', TTL: '2' }]];
  const regrant = (atUs: number, outcome: 'open' | 'ok' | 'refused'): Timed[] => {
    const inv: Timed = [atUs, 5, 'invoke', 'lease/grant', { ID: '100', TTL: '2' }];
    if (outcome === 'open') return [inv];
    if (outcome === 'ok') return [inv, [atUs + 500, 5, 'ok', 'lease/grant', { ...withTerm, ID: '100', TTL: '2' }]];
    const error = 'etcdserver: lease already exists';
    return [inv, [atUs + 500, 5, 'fail', 'lease/grant', { error }, error]];
  };
  const renewal = keepAlive(4_000);

  it('a keep-alive after the expiry renewed the new lease a grant in flight made (ground-truth seeds 52967, 60902)', () => {
    // Renewed by 5 ms with TTL 2 s, expired (revoked) by 2.005 s; a grant of the id sent at 2.023 s made it again.
    const late = keepAlive(2_022_777, 2);
    expect(timedVerdict([...grant2, ...renewal, late[0]!, ...regrant(2_023_000, 'open'), late[1]!])).toBe(true);
    expect(timedVerdict([...grant2, ...renewal, ...regrant(2_010_000, 'ok'), ...late])).toBe(true);
  });

  it('still caught: no grant in between, one refused, or one sent only after the renewal answered', () => {
    const late = keepAlive(2_022_777, 2);
    expect(timedVerdict([...grant2, ...renewal, ...late])).toBe(false);
    expect(timedVerdict([...grant2, ...renewal, ...regrant(2_010_000, 'refused'), ...late])).toBe(false);
    expect(timedVerdict([...grant2, ...renewal, ...late, ...regrant(2_030_000, 'open')])).toBe(false);
  });
});

describe('a revoke answered after a grant of the same id again was answered', () => {
  const grantAgain: Line[] = [[3, 'invoke', 'lease/grant', { ID: '104', TTL: '5' }], [3, 'ok', 'lease/grant', { ...hdr(), ID: '104', TTL: '5' }]];
  const revokeInvoke: Line = [2, 'invoke', 'lease/revoke', { ID: '104' }];
  const revokeOk: Line = [2, 'ok', 'lease/revoke', { header: { revision: '1' } }];
  const put = (rev: number): Line[] => [[4, 'invoke', 'kv/put', { key: btoa('k'), value: btoa('v'), lease: '104' }], [4, 'ok', 'kv/put', { header: { revision: String(rev) } }]];
  const read = (mod: number): Line[] => [[5, 'invoke', 'kv/range', { key: btoa('k') }], [5, 'ok', 'kv/range', { header: { revision: '3' }, kvs: [{ key: btoa('k'), value: btoa('v'), create_revision: String(mod), mod_revision: String(mod), version: '1', lease: '104' }], count: '1' }]];

  it('keys put after the revoke belong to the lease granted again (ground-truth seed 49511)', () => {
    // The revoke applied before the second grant (which succeeded), though its answer came after.
    expect(verdict([...grant(4), revokeInvoke, ...grantAgain, revokeOk, ...put(2), ...read(2)])).toBe(true);
  });

  it('still caught: a key the revoke must have deleted, or one put after it with no grant again', () => {
    const putBefore: Line[] = [[4, 'invoke', 'kv/put', { key: btoa('k'), value: btoa('v'), lease: '104' }], [4, 'ok', 'kv/put', { header: { revision: '2' } }]];
    const revokeAt2: Line = [2, 'ok', 'lease/revoke', { header: { revision: '3' } }];
    const readAt4: Line[] = [[5, 'invoke', 'kv/range', { key: btoa('k') }], [5, 'ok', 'kv/range', { header: { revision: '4' }, kvs: [{ key: btoa('k'), value: btoa('v'), create_revision: '2', mod_revision: '2', version: '1', lease: '104' }], count: '1' }]];
    // Put at 2, revoked at 3 (its keys deleted), granted again: the key of revision 2 read at 4 outlived the revoke.
    expect(verdict([...grant(4), ...putBefore, revokeInvoke, revokeAt2, ...grantAgain, ...readAt4])).toBe(false);
    // No grant again: a key of the revoked lease written after the revoke.
    expect(verdict([...grant(4), revokeInvoke, revokeOk, ...put(2), ...read(2)])).toBe(false);
    // A grant again sent only after the read answered.
    expect(verdict([...grant(4), revokeInvoke, revokeOk, ...put(2), ...read(2), ...grantAgain])).toBe(false);
  });
});

describe('a serializable read is judged by its revision only', () => {
  type Timed = [timeUs: number, ...line: Line];
  const timedVerdict = (lines: Timed[]): boolean | 'unknown' =>
    checkLease(
      lines.map(([time, process, type, f, value, error], index) => ({ index, time, process, type, f, value, ...(error !== undefined ? { error } : {}) })),
      { answersCarryLeaderTerm: true, clockDriftPpmMax: 0, clockJumpUsMax: 0 },
    ).valid;
  const kv = { key: btoa('k'), value: btoa('v'), create_revision: '2', mod_revision: '2', version: '1', lease: '100' };
  const setup: Timed[] = [
    [1_000, 0, 'invoke', 'lease/grant', { ID: '100', TTL: '2' }], [2_000, 0, 'ok', 'lease/grant', { ...hdr(), ID: '100', TTL: '2' }],
    [3_000, 1, 'invoke', 'kv/put', { key: btoa('k'), value: btoa('v'), lease: '100' }], [4_000, 1, 'ok', 'kv/put', { header: { revision: '2' } }],
  ];
  const gone: Timed[] = [[4_000_000, 3, 'invoke', 'lease/timetolive', { ID: '100' }], [4_001_000, 3, 'ok', 'lease/timetolive', { header: { member_id: '1', revision: '3', raft_term: '2' }, ID: '100', TTL: '-1' }]];
  const read = (serializable: boolean, revision: number): Timed[] => [
    [5_000_000, 2, 'invoke', 'kv/range', serializable ? { key: btoa('k'), serializable: true } : { key: btoa('k') }],
    [5_001_000, 2, 'ok', 'kv/range', { header: { member_id: '2', revision: String(revision), raft_term: '2' }, kvs: [kv], count: '1' }],
  ];

  it('a lagging member shows a key of a lease expired or reported gone long before (etcd: serializable reads may be stale)', () => {
    expect(timedVerdict([...setup, ...read(true, 2)])).toBe(true);
    expect(timedVerdict([...setup, ...gone, ...read(true, 2)])).toBe(true);
  });

  it('still caught: the same read linearizable, or a serializable one at or past a revoke\'s revision', () => {
    const later: Timed[] = [[4_500_000, 6, 'invoke', 'kv/put', { key: btoa('other'), value: btoa('w') }], [4_501_000, 6, 'ok', 'kv/put', { header: { revision: '3' } }]];
    expect(timedVerdict([...setup, ...later, ...read(false, 3)])).toBe(false);
    expect(timedVerdict([...setup, ...gone, ...read(false, 3)])).toBe(false);
    const revoke: Timed[] = [[3_000_000, 4, 'invoke', 'lease/revoke', { ID: '100' }], [3_001_000, 4, 'ok', 'lease/revoke', { header: { revision: '3' } }]];
    expect(timedVerdict([...setup, ...revoke, ...read(true, 3)])).toBe(false);
  });
});

describe('a TimeToLive of -1 with its grantedTTL is a lease still held, overdue', () => {
  type Timed = [timeUs: number, ...line: Line];
  // A large grace: rule 3 (expired) stays out of the way, rule 2 (gone) is what is judged.
  const timedVerdict = (lines: Timed[]): boolean | 'unknown' =>
    checkLease(lines.map(([time, process, type, f, value]) => ({ index: 0, time, process, type, f, value })).map((o, index) => ({ ...o, index })), { graceUs: 10_000_000 }).valid;
  const setup: Timed[] = [
    [1_000, 0, 'invoke', 'lease/grant', { ID: '100', TTL: '2' }], [2_000, 0, 'ok', 'lease/grant', { ...hdr(), ID: '100', TTL: '2' }],
    [3_000, 1, 'invoke', 'kv/put', { key: btoa('k'), value: btoa('v'), lease: '100' }], [4_000, 1, 'ok', 'kv/put', { header: { revision: '2' } }],
  ];
  const timeToLive = (answer: Record<string, string>): Timed[] => [[3_500_000, 3, 'invoke', 'lease/timetolive', { ID: '100' }], [3_501_000, 3, 'ok', 'lease/timetolive', { header: { revision: '2' }, ID: '100', ...answer }]];
  const read: Timed[] = [[3_600_000, 2, 'invoke', 'kv/range', { key: btoa('k') }], [3_601_000, 2, 'ok', 'kv/range', { header: { revision: '2' }, kvs: [{ key: btoa('k'), value: btoa('v'), create_revision: '2', mod_revision: '2', version: '1', lease: '100' }], count: '1' }]];

  it('its keys are still there until the revoke applies (etcd 3.4: int64(Remaining().Seconds()) of an expired lease)', () => {
    expect(timedVerdict([...setup, ...timeToLive({ TTL: '-1', grantedTTL: '2' }), ...read])).toBe(true);
  });

  it('still caught: -1 without grantedTTL is "not found", and a key read after it outlived the lease', () => {
    expect(timedVerdict([...setup, ...timeToLive({ TTL: '-1' }), ...read])).toBe(false);
  });
});

describe('a revoke of an expired lease that commits late (slow disks, a backlog)', () => {
  // The ground truth's late revokes: the leader proposed the revoke when the lease expired, and its
  // key stayed readable until it committed, seconds past TTL + grace. Rule 3 called these
  // "expired-key-visible" by the clock alone; now a write sent after the deadline must have applied
  // at or below the read's revision (it is behind the revoke in the leader's log).
  it.each([1230, 1246, 1371, 1483])('ground-truth seed %i: no lease violation, and its expired-key twin is still caught', (seed) => {
    const g = generate(seed, sizeOf(seed));
    expect(g.cluster.revokesCommitLate).toBe(true);
    expect(checkLease(g.history, leaseOptions(g)).violations).toEqual([]);
    const twin = withExpiredKey(g.history);
    expect(twin).toBeDefined();
    expect(checkLease(twin!, leaseOptions(g)).valid).toBe(false);
  });
});
