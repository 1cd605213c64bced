// Lease safety (a key outliving its revoked or expired lease must fail), convergence (all
// members agree, or it fails naming the field), and composition (false > unknown > true).
import { describe, expect, it } from 'vitest';
import { compose } from '../../../sim/check/compose.ts';
import { checkConvergence } from '../../../sim/check/convergence.ts';
import { checkLease } from '../../../sim/check/lease.ts';
import type { Op } from '../../../sim/history/op.ts';
import { b64, hdr, kv } from './history-builder.ts';

let clock = 0;
function op(process: number, f: string, request: unknown, response: unknown, durationUs = 1000): Op[] {
  const start = clock;
  clock += durationUs;
  return [
    { index: 0, time: start, process, type: 'invoke', f, value: request },
    { index: 0, time: clock, process, type: 'ok', f, value: response },
  ];
}
const indexed = (ops: Op[]): Op[] => ops.map((o, index) => ({ ...o, index }));

/** `writeAt`: a put of another key sent just before the read, answered at that revision. */
function leaseHistory(readAfterUs: number, readRevision: number, revoke: boolean, writeAt?: number): Op[] {
  clock = 0;
  const ops = [
    ...op(0, 'lease/grant', { ID: '7', TTL: '5' }, { ...hdr(1), ID: '7', TTL: '5' }),
    ...op(0, 'kv/put', { key: b64('k'), value: b64('v'), lease: '7' }, hdr(2)),
    ...(revoke ? op(0, 'lease/revoke', { ID: '7' }, hdr(3)) : []),
  ];
  clock += readAfterUs;
  if (writeAt !== undefined) ops.push(...op(2, 'kv/put', { key: b64('other'), value: b64('w') }, hdr(writeAt)));
  ops.push(...op(1, 'kv/range', { key: b64('k') }, { ...hdr(readRevision), kvs: [kv('k', 'v', 2, 2, 1, 7)], count: '1' }));
  return indexed(ops);
}

describe('lease safety', () => {
  it('passes a key read while its lease is alive', () => {
    expect(checkLease(leaseHistory(1_000_000, 2, false)).valid).toBe(true);
  });

  it('fails a key still visible at the revision its lease was revoked', () => {
    const r = checkLease(leaseHistory(0, 3, true));
    expect(r.valid).toBe(false);
    expect(r.violations[0]!.kind).toBe('revoked-key-visible');
  });

  it('fails a key read long after its lease must have expired, at or past a write sent after that', () => {
    // The leader proposed the revoke when the lease expired: the write, which reached it later,
    // applied after the revoke, so the state at the write's revision has no key of the lease.
    const r = checkLease(leaseHistory(60_000_000, 4, false, 3));
    expect(r.violations[0]!.kind).toBe('expired-key-visible');
    expect(r.violations[0]!.message).toMatch(/a write sent after that was answered at revision 3/);
    expect(checkLease(leaseHistory(60_000_000, 3, false, 3)).valid).toBe(false);
  });

  it('passes a key read long after its lease expired while no write sent after that is known applied (the revoke may commit late)', () => {
    // etcd's revoke of an expired lease deletes its keys only when it commits: slow disks on a
    // majority or a backlog delay that by any amount (ground-truth late revokes, seeds 1230, 1246).
    expect(checkLease(leaseHistory(60_000_000, 2, false)).valid).toBe(true);
    // The write's revision is past the read's: the read may have come before the revoke applied.
    expect(checkLease(leaseHistory(60_000_000, 2, false, 3)).valid).toBe(true);
  });

  it('passes the same read when a leader change restarted the TTL in time', () => {
    const h = leaseHistory(8_000_000, 3, false, 3);
    expect(checkLease(h, { leaderChangesUs: [5_000_000], electionTimeoutUs: 1_000_000 }).valid).toBe(true);
    expect(checkLease(h).valid).toBe(false);
  });
});

/** Grant at revision 5, put at 6, a "not found" answered at `goneRevision`, then a read of the key. */
function goneHistory(goneRevision: number, f: 'lease/timetolive' | 'lease/keepalive'): Op[] {
  clock = 0;
  const notFound = f === 'lease/timetolive' ? { ...hdr(goneRevision), ID: '7', TTL: '-1' } : { ...hdr(goneRevision), ID: '7', TTL: '0' };
  const ops = [
    ...op(0, 'lease/grant', { ID: '7', TTL: '5' }, { ...hdr(5), ID: '7', TTL: '5' }),
    ...op(0, 'kv/put', { key: b64('k'), value: b64('v'), lease: '7' }, hdr(6)),
    ...op(2, f, { ID: '7' }, notFound),
  ];
  clock += 1000;
  ops.push(...op(1, 'kv/range', { key: b64('k') }, { ...hdr(6), kvs: [kv('k', 'v', 6, 6, 1, 7)], count: '1' }));
  return indexed(ops);
}

describe('lease gone', () => {
  for (const f of ['lease/timetolive', 'lease/keepalive'] as const) {
    it(`fails a key read after a member that applied the grant answered ${f} "not found"`, () => {
      const r = checkLease(goneHistory(6, f));
      expect(r.valid).toBe(false);
      expect(r.violations[0]!.kind).toBe('gone-lease-key-visible');
    });

    it(`passes when the ${f} "not found" came from a member behind the grant (a deposed leader)`, () => {
      expect(checkLease(goneHistory(4, f)).valid).toBe(true);
      expect(checkLease(goneHistory(5, f)).valid).toBe(true);
    });
  }
});

/** Lease 7 with key k put at revision 2 and revoked at 3, then a txn whose range reads k at `rangeRevision` (0: current). */
function txnReadHistory(rangeRevision: number, nested: boolean): Op[] {
  clock = 0;
  const rangeReq = rangeRevision > 0 ? { key: b64('k'), revision: String(rangeRevision) } : { key: b64('k') };
  const inner = { compare: [], success: [{ request_range: rangeReq }], failure: [] };
  const innerResp = { ...hdr(4), succeeded: true, responses: [{ response_range: { ...hdr(4), kvs: [kv('k', 'v', 2, 2, 1, 7)], count: '1' } }] };
  const req = nested ? { compare: [], success: [{ request_txn: inner }], failure: [] } : inner;
  const resp = nested ? { ...hdr(4), succeeded: true, responses: [{ response_txn: innerResp }] } : innerResp;
  return indexed([
    ...op(0, 'lease/grant', { ID: '7', TTL: '5' }, { ...hdr(1), ID: '7', TTL: '5' }),
    ...op(0, 'kv/put', { key: b64('k'), value: b64('v'), lease: '7' }, hdr(2)),
    ...op(0, 'lease/revoke', { ID: '7' }, hdr(3)),
    ...op(1, 'kv/txn', req, resp),
  ]);
}

describe('lease reads inside txns and prev_kv', () => {
  for (const nested of [false, true]) {
    it(`passes a txn${nested ? ' (nested)' : ''} range at a revision before the revoke that shows the key`, () => {
      expect(checkLease(txnReadHistory(2, nested)).valid).toBe(true);
    });

    it(`fails a txn${nested ? ' (nested)' : ''} range at the current revision that shows the revoked key`, () => {
      const r = checkLease(txnReadHistory(0, nested));
      expect(r.valid).toBe(false);
      expect(r.violations[0]!.kind).toBe('revoked-key-visible');
    });
  }

  it('fails a put whose prev_kv shows a key of a lease revoked before it', () => {
    clock = 0;
    const h = indexed([
      ...op(0, 'lease/grant', { ID: '7', TTL: '5' }, { ...hdr(1), ID: '7', TTL: '5' }),
      ...op(0, 'kv/put', { key: b64('k'), value: b64('v'), lease: '7' }, hdr(2)),
      ...op(0, 'lease/revoke', { ID: '7' }, hdr(3)),
      ...op(1, 'kv/put', { key: b64('k'), value: b64('w'), prev_kv: true }, { ...hdr(4), prev_kv: kv('k', 'v', 2, 2, 1, 7) }),
    ]);
    const r = checkLease(h);
    expect(r.valid).toBe(false);
    expect(r.violations[0]!.kind).toBe('revoked-key-visible');
    expect(checkLease(h.slice(0, 6)).valid).toBe(true);
  });

  it('passes a delete whose prev_kvs show the key just before the delete, at the revision a later revoke reports', () => {
    // The delete makes revision 3; the revoke finds no key left and answers at revision 3 too.
    clock = 0;
    const h = indexed([
      ...op(0, 'lease/grant', { ID: '7', TTL: '5' }, { ...hdr(1), ID: '7', TTL: '5' }),
      ...op(0, 'kv/put', { key: b64('k'), value: b64('v'), lease: '7' }, hdr(2)),
      ...op(1, 'kv/deleterange', { key: b64('k'), prev_kv: true }, { ...hdr(3), deleted: '1', prev_kvs: [kv('k', 'v', 2, 2, 1, 7)] }),
      ...op(0, 'lease/revoke', { ID: '7' }, hdr(3)),
    ]);
    expect(checkLease(h).valid).toBe(true);
  });
});

describe('convergence', () => {
  it('passes when all members agree', () => {
    const m = (node: string) => ({ node, revision: 10, compactRevision: 4, hash: 1234 });
    expect(checkConvergence([m('n1'), m('n2'), m('n3')]).valid).toBe(true);
  });

  it('fails naming the field the members disagree on', () => {
    const r = checkConvergence([
      { node: 'n1', revision: 10, compactRevision: 4, hash: 1 },
      { node: 'n2', revision: 10, compactRevision: 4, hash: 2 },
    ]);
    expect(r.valid).toBe(false);
    expect(r.disagreements.map((d) => d.field)).toEqual(['hash']);
  });

  it('is unknown with no member status', () => {
    expect(checkConvergence([]).valid).toBe('unknown');
  });

  it('fails when a member is down, even if the others agree, naming it', () => {
    const m = (node: string, up = true) => ({ node, up, revision: 10, compactRevision: 4, hash: 1234 });
    const r = checkConvergence([m('n1'), m('n2', false), m('n3')]);
    expect(r.valid).toBe(false);
    expect(r.down).toEqual(['n2']);
    expect(r.disagreements).toEqual([]);
    expect(r.summary).toContain('members down: n2');
  });
});

describe('compose', () => {
  it('false beats unknown beats true', () => {
    expect(compose({ a: { valid: true }, b: { valid: 'unknown' } }).valid).toBe('unknown');
    expect(compose({ a: { valid: false }, b: { valid: 'unknown' }, c: { valid: true } }).valid).toBe(false);
    expect(compose({ a: { valid: true }, b: { valid: true } }).valid).toBe(true);
  });
});
