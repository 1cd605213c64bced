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

function leaseHistory(readAfterUs: number, readRevision: number, revoke: boolean): Op[] {
  clock = 0;
  const ops = [
    ...op(0, 'lease/grant', { ID: '7', TTL: '5' }, { ...hdr(1), ID: '7', TTL: '5' }),
    ...op(0, 'kv/put', { key: b64('k'), value: b64('v'), lease: '7' }, hdr(2)),
    ...(revoke ? op(0, 'lease/revoke', { ID: '7' }, hdr(3)) : []),
  ];
  clock += readAfterUs;
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

  it('fails a key read long after its lease must have expired', () => {
    const r = checkLease(leaseHistory(60_000_000, 2, false));
    expect(r.violations[0]!.kind).toBe('expired-key-visible');
  });

  it('passes the same read when a leader change restarted the TTL in time', () => {
    const h = leaseHistory(8_000_000, 2, false);
    expect(checkLease(h, { leaderChangesUs: [5_000_000], electionTimeoutUs: 1_000_000 }).valid).toBe(true);
    expect(checkLease(h).valid).toBe(false);
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
