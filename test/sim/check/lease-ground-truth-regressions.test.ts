// False "lease violated" verdicts the ground-truth generator (etcd-ground-truth.test.ts, which
// runs the lease checker on histories whose leader revokes expired leases as etcd does) found,
// shrunk, each with histories that must still fail.
import { describe, expect, it } from 'vitest';
import { checkLease } from '../../../sim/check/lease.ts';
import type { Op } from '../../../sim/history/op.ts';

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
