import { describe, expect, it } from 'vitest';
import * as E from '../../../src/api/errors.ts';
import type { RequestOp, TxnRequest } from '../../../src/api/types.ts';
import { checkPutRequest, checkTxn, isTxnReadonly, isTxnSerializable } from '../../../src/api/validate.ts';

const put = (key: string): RequestOp => ({ request_put: { key } });
const del = (key: string, range_end?: string): RequestOp => ({ request_delete_range: { key, ...(range_end !== undefined ? { range_end } : {}) } });
const range = (key: string, serializable = false): RequestOp => ({ request_range: { key, serializable } });
const txn = (t: TxnRequest): RequestOp => ({ request_txn: t });
const ops = (n: number, f: (i: number) => RequestOp) => Array.from({ length: n }, (_, i) => f(i));

describe('request checks', () => {
  it('put: empty key, value with ignore_value, lease with ignore_lease', () => {
    expect(checkPutRequest({ key: '' })).toBe(E.ErrEmptyKey);
    expect(checkPutRequest({ key: 'a', value: 'x', ignore_value: true })).toBe(E.ErrValueProvided);
    expect(checkPutRequest({ key: 'a', lease: 5n, ignore_lease: true })).toBe(E.ErrLeaseProvided);
    expect(checkPutRequest({ key: 'a', ignore_value: true, ignore_lease: true })).toBeUndefined();
  });

  it('txn: more than 128 compares or ops in a branch is too many; 128 is fine', () => {
    expect(checkTxn({ compare: Array.from({ length: 129 }, (_, i) => ({ key: `k${i}` })) })).toBe(E.ErrTooManyOps);
    expect(checkTxn({ success: ops(129, (i) => put(`k${i}`)) })).toBe(E.ErrTooManyOps);
    expect(checkTxn({ failure: ops(129, (i) => put(`k${i}`)) })).toBe(E.ErrTooManyOps);
    expect(checkTxn({ success: ops(128, (i) => put(`k${i}`)), failure: ops(128, (i) => put(`k${i}`)) })).toBeUndefined();
  });

  it('txn: nested txns get the budget left by their parent level', () => {
    const inner = { success: ops(29, (i) => range(`r${i}`)) };
    expect(checkTxn({ success: [...ops(99, (i) => put(`k${i}`)), txn(inner)] })).toBe(E.ErrTooManyOps);
    expect(checkTxn({ success: [...ops(98, (i) => put(`k${i}`)), txn({ success: ops(29, (i) => range(`r${i}`)) })] })).toBeUndefined();
    expect(checkTxn({ success: [...ops(50, (i) => put(`k${i}`)), txn({ success: ops(77, (i) => range(`r${i}`)) })] })).toBeUndefined();
  });

  it('txn: empty keys anywhere and empty ops are rejected', () => {
    expect(checkTxn({ compare: [{ key: '' }] })).toBe(E.ErrEmptyKey);
    expect(checkTxn({ success: [range('')] })).toBe(E.ErrEmptyKey);
    expect(checkTxn({ failure: [del('')] })).toBe(E.ErrEmptyKey);
    expect(checkTxn({ success: [{}] })).toBe(E.ErrKeyNotFound);
    expect(checkTxn({ success: [txn({ success: [put('')] })] })).toBe(E.ErrEmptyKey);
  });

  it('txn: duplicate puts, and puts inside deletes, at one level are duplicate keys', () => {
    expect(checkTxn({ success: [put('k'), put('k')] })).toBe(E.ErrDuplicateKey);
    expect(checkTxn({ success: [put('k'), del('a', 'z')] })).toBe(E.ErrDuplicateKey);
    expect(checkTxn({ success: [del('k'), put('k')] })).toBe(E.ErrDuplicateKey);
    expect(checkTxn({ failure: [put('k'), put('k')] })).toBe(E.ErrDuplicateKey);
    expect(checkTxn({ success: [put('k'), txn({ success: [put('k')] })] })).toBe(E.ErrDuplicateKey);
    expect(checkTxn({ success: [put('k'), txn({ failure: [put('k')] })] })).toBe(E.ErrDuplicateKey);
    expect(checkTxn({ success: [del('a', 'z'), txn({ success: [put('k')] })] })).toBe(E.ErrDuplicateKey);
    expect(checkTxn({ success: [put('k'), txn({ success: [del('k')] })] })).toBe(E.ErrDuplicateKey);
  });

  it('txn: allowed overlaps: then/else, overlapping deletes, puts next to a "\\0" delete (etcd quirk)', () => {
    expect(checkTxn({ success: [put('k')], failure: [put('k')] })).toBeUndefined();
    expect(checkTxn({ success: [del('k'), del('a', 'z')] })).toBeUndefined();
    expect(checkTxn({ success: [txn({ success: [put('m')], failure: [put('m')] })] })).toBeUndefined();
    expect(checkTxn({ success: [put('k'), del('a', '\0')] })).toBeUndefined();
    expect(checkTxn({ success: [put('z'), del('a', 'z')] })).toBeUndefined();
  });

  it('read-only and serializable txns', () => {
    expect(isTxnReadonly({})).toBe(true);
    expect(isTxnReadonly({ success: [range('a')], failure: [range('b')] })).toBe(true);
    expect(isTxnReadonly({ success: [range('a')], failure: [put('b')] })).toBe(false);
    expect(isTxnReadonly({ success: [txn({ success: [range('a')] })] })).toBe(false);
    expect(isTxnSerializable({ success: [range('a', true)] })).toBe(true);
    expect(isTxnSerializable({ success: [range('a', true)], failure: [range('b')] })).toBe(false);
  });
});
