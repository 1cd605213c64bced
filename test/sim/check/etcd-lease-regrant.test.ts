// A grant answered ok with the id of a lease still live: etcd refuses it ("lease already exists",
// lessor.go Grant: ErrLeaseExists), whether the client chose the id or the member drew it. The
// model knows a lease's end only as a virtual expiry; with the leader clock's error bounded
// (leaseClock), a lease granted again cannot have expired before its TTL (at least etcd's minimum,
// 1 s, when the history records none: etcd's robustness reports) ran out since its grant was sent.
import { describe, expect, it } from 'vitest';
import { checkHistory } from '../../../sim/check/check-history.ts';
import type { CheckHistoryOptions } from '../../../sim/check/history-check/options.ts';
import { hdr, timedCalls, type TimedCall } from './history-builder.ts';

const CLOCK: CheckHistoryOptions = { leaseClock: { driftPpmMax: 1000, jumpUsMax: 0 } };
const check = (calls: TimedCall[], options: CheckHistoryOptions = CLOCK) => checkHistory({ ops: timedCalls(calls), lines: undefined as never }, 'etcd', {}, options).valid;
const grant = (process: number, atUs: number, revision: number, request: Record<string, string>, answer: Record<string, string>): TimedCall =>
  [process, atUs, 'lease/grant', request, { ...hdr(revision), ...answer }];

describe('etcd model: a lease granted again with its id', () => {
  it('fail: a server-chosen id answered again 20 ms after its grant with TTL 5 s (must-fail)', () => {
    expect(check([grant(0, 1_000_000, 1, { TTL: '5' }, { ID: '7', TTL: '5' }), grant(1, 1_020_000, 1, { TTL: '5' }, { ID: '7', TTL: '5' })])).toBe(false);
  });

  it('fail: a client-chosen id granted twice 20 ms apart', () => {
    expect(check([grant(0, 1_000_000, 1, { ID: '7', TTL: '5' }, { ID: '7', TTL: '5' }), grant(1, 1_020_000, 1, { ID: '7', TTL: '5' }, { ID: '7', TTL: '5' })])).toBe(false);
  });

  it('fail: grants that record no TTL (an etcd robustness report) 20 ms apart: every lease lives at least 1 s', () => {
    expect(check([grant(0, 1_000_000, 1, { ID: '7' }, { ID: '7' }), grant(1, 1_020_000, 1, { ID: '7' }, { ID: '7' })])).toBe(false);
  });

  it('pass: granted again after its TTL ran out', () => {
    expect(check([grant(0, 1_000_000, 1, { TTL: '5' }, { ID: '7', TTL: '5' }), grant(1, 6_100_000, 1, { TTL: '5' }, { ID: '7', TTL: '5' })])).toBe(true);
    expect(check([grant(0, 1_000_000, 1, { ID: '7' }, { ID: '7' }), grant(1, 2_100_000, 1, { ID: '7' }, { ID: '7' })])).toBe(true);
  });

  it('pass: revoked before it was granted again', () => {
    expect(check([grant(0, 1_000_000, 1, { ID: '7', TTL: '5' }, { ID: '7', TTL: '5' }), [0, 1_010_000, 'lease/revoke', { ID: '7' }, hdr(1)], grant(1, 1_020_000, 1, { ID: '7', TTL: '5' }, { ID: '7', TTL: '5' })])).toBe(true);
  });

  it('pass: not judged without a bound on the leader clock (a scenario with unbounded jumps), nor within a jump it allows', () => {
    const calls = [grant(0, 1_000_000, 1, { TTL: '5' }, { ID: '7', TTL: '5' }), grant(1, 1_020_000, 1, { TTL: '5' }, { ID: '7', TTL: '5' })];
    expect(check(calls, {})).toBe(true);
    expect(check(calls, { leaseClock: { driftPpmMax: 0, jumpUsMax: Infinity } })).toBe(true);
    expect(check(calls, { leaseClock: { driftPpmMax: 0, jumpUsMax: 5_000_000 } })).toBe(true);
  });
});
