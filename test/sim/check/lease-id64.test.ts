// Real etcd grants lease ids that are random int64s far above 2^53 (the member id in the high
// bits). The model and the lease checker must carry them exactly: as doubles they round, and a
// real etcd 3.4 history (recorded by `detcd run --target etcd`) was called not linearizable.
import { describe, expect, it } from 'vitest';
import { checkHistory } from '../../../sim/check/check-history.ts';
import { checkLease } from '../../../sim/check/lease.ts';
import { b64, hdr, history, type Line } from './history-builder.ts';

const ID = '3704389103885817874'; // from a real etcd 3.4.23 run; Number(ID) rounds to ...818000
const OTHER = '3704389103885817875'; // one above: a different lease, equal as doubles

const grantPutRead = (readLease: string, compareLease: string): Line[] => [
  [0, 'invoke', 'lease/grant', { TTL: '7200' }],
  [0, 'ok', 'lease/grant', { ...hdr(1), ID, TTL: '7200' }],
  [0, 'invoke', 'kv/put', { key: b64('k'), value: b64('v'), lease: ID }],
  [0, 'ok', 'kv/put', hdr(2)],
  [1, 'invoke', 'kv/range', { key: b64('k') }],
  [1, 'ok', 'kv/range', { ...hdr(2), count: '1', kvs: [{ key: b64('k'), value: b64('v'), create_revision: '2', mod_revision: '2', version: '1', lease: readLease }] }],
  [1, 'invoke', 'kv/txn', { compare: [{ key: b64('k'), target: 'LEASE', result: 'EQUAL', lease: compareLease }] }],
  [1, 'ok', 'kv/txn', { ...hdr(2), succeeded: compareLease === ID }],
];

describe('64-bit lease ids', () => {
  it('a real etcd lease id round-trips through grant, put, range and a LEASE compare: linearizable', () => {
    expect(checkHistory(history(grantPutRead(ID, ID)), 'etcd').valid).toBe(true);
  });

  it('a read returning a neighbouring id (equal as a double) is not linearizable', () => {
    expect(checkHistory(history(grantPutRead(OTHER, ID)), 'etcd').valid).toBe(false);
  });

  it('a LEASE compare against a neighbouring id that the history says succeeded is not linearizable', () => {
    const lines = grantPutRead(ID, OTHER);
    lines[7] = [1, 'ok', 'kv/txn', { ...hdr(2), succeeded: true }];
    expect(checkHistory(history(lines), 'etcd').valid).toBe(false);
  });

  it('the lease checker keeps big ids apart', () => {
    const ops = history(grantPutRead(ID, ID)).ops;
    expect(checkLease(ops, { leaderChangesUs: [], electionTimeoutUs: 1_000_000 }).valid).toBe(true);
  });
});
