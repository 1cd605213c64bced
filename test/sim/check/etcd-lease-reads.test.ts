// Lease reads in the etcd model. etcd answers keep-alive and time-to-live from the leader's own
// lessor without a ReadIndex, so a leader cut off from the others answers them until its
// check-quorum step-down, after the others may have elected a new leader that revoked the
// lease, or says "not found" for a lease granted by the new leader: neither answer is
// linearizable in etcd and neither is checked as such (regressions for sweep
// lease-expiry-partition seeds 36 and 44). Reads of the keys stay checked.
import { describe, expect, it } from 'vitest';
import { checkHistory } from '../../../sim/check/check-history.ts';
import { b64, hdr, history, type Line } from './history-builder.ts';

const check = (lines: Line[]) => checkHistory(history(lines), 'etcd');
const grantAndPut: Line[] = [
  [0, 'invoke', 'lease/grant', { ID: '100', TTL: '60' }],
  [0, 'ok', 'lease/grant', { ...hdr(1), ID: '100', TTL: '60' }],
  [0, 'invoke', 'kv/put', { key: b64('k'), value: b64('a'), lease: '100' }],
  [0, 'ok', 'kv/put', hdr(2)],
];
const revoke: Line[] = [
  [0, 'invoke', 'lease/revoke', { ID: '100' }],
  [0, 'ok', 'lease/revoke', hdr(3)],
];

describe('etcd model: lease reads', () => {
  it('pass: a time-to-live that still lists the key after the revoke returned (a deposed leader not yet stepped down)', () => {
    const lines: Line[] = [...grantAndPut, ...revoke,
      [1, 'invoke', 'lease/timetolive', { ID: '100', keys: true }],
      [1, 'ok', 'lease/timetolive', { ...hdr(2), ID: '100', TTL: '50', grantedTTL: '60', keys: [b64('k')] }]];
    expect(check(lines).valid).toBe(true);
  });

  it('pass: a keep-alive that renews after the revoke returned (a deposed leader not yet stepped down)', () => {
    const lines: Line[] = [...grantAndPut, ...revoke,
      [1, 'invoke', 'lease/keepalive', { ID: '100' }],
      [1, 'ok', 'lease/keepalive', { ...hdr(2), ID: '100', TTL: '60' }]];
    expect(check(lines).valid).toBe(true);
  });

  it('pass: a keep-alive that says "not found" (TTL 0) from a deposed leader that never applied the grant', () => {
    const lines: Line[] = [...grantAndPut,
      [1, 'invoke', 'lease/keepalive', { ID: '100' }],
      [1, 'ok', 'lease/keepalive', { ...hdr(2), ID: '100' }],
      [1, 'invoke', 'kv/range', { key: b64('k') }],
      [1, 'ok', 'kv/range', { ...hdr(2), count: '1', kvs: [{ key: b64('k'), value: b64('a'), create_revision: '2', mod_revision: '2', version: '1', lease: '100' }] }]];
    expect(check(lines).valid).toBe(true);
  });

  it('pass: a time-to-live that says "not found" (TTL -1) from a deposed leader that never applied the grant (seed 44)', () => {
    const lines: Line[] = [...grantAndPut,
      [1, 'invoke', 'lease/timetolive', { ID: '100' }],
      [1, 'ok', 'lease/timetolive', { ...hdr(2), ID: '100', TTL: '-1' }],
      [1, 'invoke', 'kv/range', { key: b64('k') }],
      [1, 'ok', 'kv/range', { ...hdr(2), count: '1', kvs: [{ key: b64('k'), value: b64('a'), create_revision: '2', mod_revision: '2', version: '1', lease: '100' }] }]];
    expect(check(lines).valid).toBe(true);
  });

  it('fail: leaving lease reads out does not blind the model to a key read after its revoke returned', () => {
    const lines: Line[] = [...grantAndPut, ...revoke,
      [1, 'invoke', 'lease/timetolive', { ID: '100', keys: true }],
      [1, 'ok', 'lease/timetolive', { ...hdr(3), ID: '100', TTL: '-1' }],
      [1, 'invoke', 'kv/range', { key: b64('k') }],
      [1, 'ok', 'kv/range', { ...hdr(3), count: '1', kvs: [{ key: b64('k'), value: b64('a'), create_revision: '2', mod_revision: '2', version: '1', lease: '100' }] }]];
    expect(check(lines).valid).toBe(false);
  });
});
