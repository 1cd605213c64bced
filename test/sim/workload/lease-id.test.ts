// Lease ids are carried as exact decimal text from grant to use: real etcd's ids are random
// int64s above 2^53, and as doubles every keep-alive, put and revoke named another lease.
import { describe, expect, it } from 'vitest';
import { leaseId, leaseKeepAlive, put } from '../../../sim/workload/etcd-request.ts';
import { TrafficState } from '../../../sim/workload/traffic-state.ts';
import { Prng } from '../../../sim/world/prng.ts';

const REAL = '3187601047071188741'; // granted by etcd 3.4.23; Number() gives ...188700

describe('lease ids in workloads', () => {
  it('a granted id reaches the requests that use it unchanged', () => {
    expect(leaseId(REAL)).toBe(REAL);
    expect(leaseKeepAlive(leaseId(REAL)).body).toEqual({ ID: REAL });
    expect((put('k', 'v', leaseId(REAL)).body as { lease: string }).lease).toBe(REAL);
  });

  it('the traffic state keeps granted ids exactly and ignores absent or zero ids', () => {
    const state = new TrafficState();
    state.addLease({ ID: REAL });
    state.addLease({});
    state.addLease({ ID: '0' });
    expect(state.pickLease(new Prng(1))).toBe(REAL);
  });
});
