// Every checker of detcd/check that takes ops reads them as checkHistory does (one reader,
// sim/history/history-argument.ts): index and time filled from array order when every op leaves
// them out, and an op that is not one, or an etcd field of the wrong type, refused as one
// UsageError naming the function, the argument, the op and the field.
import { describe, expect, it } from 'vitest';
import { checkHistory, checkLease, checkMutex, checkWatch, parseHistory } from '../../../sim/check/index.ts';
import { checkLease as leaseInner } from '../../../sim/check/lease.ts';
import { checkMutex as mutexInner } from '../../../sim/check/mutex.ts';
import type { Op } from '../../../sim/history/op.ts';
import { hdr, kv } from './history-builder.ts';
import { refusal } from './refusal.ts';

const anyOps = (v: unknown): Op[] => v as Op[];

// A lease granted, a key put under it, the lease revoked, the key still read: invalid by checkLease.
const leaseOps = [
  { process: 1, type: 'invoke', f: 'lease/grant', value: { ID: '7', TTL: '5' } },
  { process: 1, type: 'ok', f: 'lease/grant', value: { ...hdr(1), ID: '7', TTL: '5' } },
  { process: 2, type: 'invoke', f: 'kv/put', value: { key: 'aw==', value: 'dg==', lease: '7' } },
  { process: 2, type: 'ok', f: 'kv/put', value: hdr(2) },
  { process: 1, type: 'invoke', f: 'lease/revoke', value: { ID: '7' } },
  { process: 1, type: 'ok', f: 'lease/revoke', value: hdr(3) },
  { process: 3, type: 'invoke', f: 'kv/range', value: { key: 'aw==' } },
  { process: 3, type: 'ok', f: 'kv/range', value: { ...hdr(3), kvs: [kv('k', 'v', 2, 2, 1, 7)], count: '1' } },
] as const;
const lockOps = [
  { process: 1, type: 'invoke', f: 'acquire', value: null },
  { process: 1, type: 'ok', f: 'acquire', value: null },
  { process: 2, type: 'invoke', f: 'acquire', value: null },
  { process: 2, type: 'ok', f: 'acquire', value: null },
] as const;
const ordered = (ops: readonly object[]): Op[] => ops.map((op, i) => ({ ...op, index: i, time: i }) as Op);

describe('the checkers that take ops fill index and time from array order, as checkHistory does', () => {
  it('checkLease, checkWatch and checkMutex take ops without index and time', () => {
    const lease = checkLease(anyOps(leaseOps));
    expect(lease).toEqual(leaseInner(ordered(leaseOps)));
    expect(lease.valid).toBe(false);
    // No watch: nothing to check (never valid on nothing), and the ops without index and time were read.
    expect(checkWatch([], anyOps(leaseOps))).toMatchObject({ valid: 'unknown', nothing: true });
    const mutex = checkMutex(anyOps(lockOps));
    expect(mutex).toEqual(mutexInner(ordered(lockOps)));
    expect(mutex.valid).toBe(false);
  });

  it('keep a retried request\'s tries (the lease checker reads it), from op objects and from a file', () => {
    const op = { index: 0, time: 0, process: 1, type: 'invoke', f: 'lease/keepalive', value: { ID: '7' }, tries: 2 };
    expect(parseHistory(`${JSON.stringify(op)}\n`, 'jsonl').ops[0]!.tries).toBe(2);
    expect(refusal(() => checkLease(anyOps([{ ...op, tries: 'twice' }])))).toBe('checkLease: history[0].tries: must be a whole number ≥ 1, got "twice"');
  });
});

describe('an op that is not one is refused alike by every checker, naming the function, the argument, the op and the field', () => {
  const badType = [lockOps[0], { ...lockOps[1], type: 'done' }];
  const halfTimed = [{ ...lockOps[0], time: 5 }, lockOps[1]];
  const badEtcd = [leaseOps[0], { ...leaseOps[1], value: { ...hdr(1), ID: '7', TTL: 'five' } }];
  const badFlag = [{ process: 3, type: 'invoke', f: 'kv/range', value: { key: 'aw==', keys_only: 'true' } }];
  const calls: [string, (ops: Op[]) => unknown][] = [
    ['checkHistory', (ops) => checkHistory(ops, 'etcd')],
    ['checkLease', (ops) => checkLease(ops)],
    ['checkWatch', (ops) => checkWatch([], ops)],
    ['checkMutex', (ops) => checkMutex(ops)],
  ];
  it.each(calls)('%s', (fn, call) => {
    expect(refusal(() => call(anyOps(badType)))).toBe(`${fn}: history[1].type: must be invoke, ok, fail or info, got "done"`);
    expect(refusal(() => call(anyOps(halfTimed)))).toBe(`${fn}: history[1].time: is left out here but given on history[0]: give it on every op or on none`);
    expect(refusal(() => call(anyOps(badEtcd)))).toBe(`${fn}: history[1].value.TTL: must be an int64 (a decimal string or an integer), got "five" (lease/grant's etcd message)`);
    expect(refusal(() => call(anyOps(badFlag)))).toBe(`${fn}: history[0].value.keys_only: must be true or false, got "true" (kv/range's etcd message)`);
    expect(refusal(() => call(anyOps([null])))).toBe(`${fn}: history[0]: must be an op object ({process, type, f, value})`);
  });

  it('checkWatch types its records by etcd\'s WatchRequest and WatchResponse', () => {
    const record = { process: 'w', time: 1, request: { create_request: { key: 'aw==' } }, response: { header: { revision: 'x' }, created: true, watch_id: '0' } };
    expect(refusal(() => checkWatch([record]))).toBe('checkWatch: records[0].response.header.revision: must be an int64 (a decimal string or an integer), got "x"');
  });
});
