// Lease checker rule 8: two grants answered ok with one id while the first lease was certainly
// alive (etcd refuses a live id: "lease already exists"). Planted lease-grant-live-id
// (bench/tools/anomalies.mjs: a grant answered the id of a lease granted ms before) was missed.
import { describe, expect, it } from 'vitest';
import { checkLease } from '../../../sim/check/lease.ts';
import type { LeaseCheckOptions } from '../../../sim/check/lease.ts';
import { timedCalls as ops } from './history-builder.ts';
import type { TimedCall as Call } from './history-builder.ts';

const S = 1_000_000;
const header = { revision: '2', raft_term: '2', member_id: '1' };


const grant = (process: number, at: number, id = '7', ttl = '5'): Call => [process, at, 'lease/grant', { TTL: ttl }, { header, ID: id, TTL: ttl }];
const kinds = (calls: Call[], o: LeaseCheckOptions = {}) => checkLease(ops(calls), o).violations.map((v) => v.kind);

describe('lease checker rule 8: a grant answered with the id of a live lease', () => {
  it('fails a grant answered with the id of a lease granted before and certainly alive', () => {
    const r = checkLease(ops([grant(0, 0), grant(1, 2 * S)]));
    expect(r.valid).toBe(false);
    expect(r.violations.map((v) => v.kind)).toEqual(['grant-reused-id']);
    expect(r.violations[0]!.message).toMatch(/grant answered lease 7, which a grant answered at 1000 µs made with TTL 5 s/);
  });

  it('passes once the first lease may have ended: its TTL ran out, a revoke was sent (whatever its outcome), it was answered gone', () => {
    expect(kinds([grant(0, 0), grant(1, 5 * S)])).toEqual([]);
    expect(kinds([grant(0, 0), [2, S, 'lease/revoke', { ID: '7' }, { header }], grant(1, 2 * S)])).toEqual([]);
    expect(kinds([grant(0, 0), [2, S, 'lease/keepalive', { ID: '7' }, { header, ID: '7' }], grant(1, 2 * S)])).toEqual([]);
    expect(kinds([grant(0, 0), [2, S, 'lease/timetolive', { ID: '7' }, { header, ID: '7', TTL: '-1' }], grant(1, 2 * S)])).toEqual([]);
    // Another id.
    expect(kinds([grant(0, 0), grant(1, 2 * S, '8')])).toEqual([]);
  });

  it('allows the leader clock\'s error: a fast or jumping clock ends the lease sooner', () => {
    expect(kinds([grant(0, 0), grant(1, 4.5 * S)])).toEqual(['grant-reused-id']);
    expect(kinds([grant(0, 0), grant(1, 4.5 * S)], { clockJumpUsMax: S })).toEqual([]);
    expect(kinds([grant(0, 0), grant(1, 4.5 * S)], { clockDriftPpmMax: 200_000 })).toEqual([]);
    expect(kinds([grant(0, 0), grant(1, 2 * S)], { clockJumpUsMax: Infinity })).toEqual([]);
  });
});
