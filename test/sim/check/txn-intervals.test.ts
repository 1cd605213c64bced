// A txn's "duplicate key" refusal is decided by the request alone (etcd's checkIntervals): the
// error-replies checker fails a refusal etcd would not give and an answer where etcd refuses.
// Every verdict below is what a real etcd 3.4.23 answered over its JSON gateway (checked by hand).
import { describe, expect, it } from 'vitest';
import { checkErrorReplies } from '../../../sim/check/error-replies.ts';
import { txnHasDuplicateKey } from '../../../sim/check/txn-intervals.ts';
import type { Op } from '../../../sim/history/op.ts';

const b = (s: string): string => btoa(s);
const del = (key: string, end?: string): object => ({ request_delete_range: end === undefined ? { key: b(key) } : { key: b(key), range_end: end === '\0' ? 'AA==' : b(end) } });
const put = (key: string): object => ({ request_put: { key: b(key), value: b('v') } });
const txn = (...success: object[]): object => ({ success });
const DUPLICATE = 'etcdserver: duplicate key given in txn request';

function answered(request: object, refused: boolean): Op[] {
  const value = refused ? { error: DUPLICATE, message: DUPLICATE, code: 3 } : { header: { revision: '2' }, succeeded: true };
  return [
    { index: 0, time: 1, process: 0, type: 'invoke', f: 'kv/txn', value: request },
    { index: 1, time: 2, process: 0, type: refused ? 'fail' : 'ok', f: 'kv/txn', value, ...(refused ? { error: DUPLICATE } : {}) },
  ];
}

describe('txn intervals (etcd 3.4.23 by hand)', () => {
  it('accept a put at a delete\'s range end, in either order, a delete to "\\0", an empty range', () => {
    expect(txnHasDuplicateKey(txn(del('a', 'c'), put('c')))).toBe(false);
    expect(txnHasDuplicateKey(txn(put('c'), del('a', 'c')))).toBe(false);
    expect(txnHasDuplicateKey(txn(del('a', '\0'), put('b')))).toBe(false);
    expect(txnHasDuplicateKey(txn(del('a', 'a'), put('a')))).toBe(false);
  });

  it('refuse a put inside a delete\'s range or on its key, two puts of a key, a nested put inside a delete', () => {
    expect(txnHasDuplicateKey(txn(del('a', 'c'), put('b')))).toBe(true);
    expect(txnHasDuplicateKey(txn(del('b'), put('b')))).toBe(true);
    expect(txnHasDuplicateKey(txn(put('b'), put('b')))).toBe(true);
    const nested = { request_txn: { success: [put('k')], failure: [put('k')] } };
    expect(txnHasDuplicateKey(txn(nested, del('j', 'l')))).toBe(true);
    // Then and else may share a key.
    expect(txnHasDuplicateKey(txn(nested))).toBe(false);
  });

  it('leave undecided a txn refused earlier for another reason', () => {
    expect(txnHasDuplicateKey(txn(put(''), put('')))).toBeUndefined();
    expect(txnHasDuplicateKey(txn({}))).toBeUndefined();
  });

  it('fail a duplicate-key refusal etcd does not give, and an answer where it refuses', () => {
    const wrongRefusal = checkErrorReplies(answered(txn(del('a', 'c'), put('c')), true));
    expect(wrongRefusal.valid).toBe(false);
    expect(wrongRefusal.summary).toMatch(/refused as a duplicate key.*checkIntervals accepts it/);
    const wrongAnswer = checkErrorReplies(answered(txn(del('a', 'c'), put('b')), false));
    expect(wrongAnswer.valid).toBe(false);
    expect(wrongAnswer.summary).toMatch(/etcd refuses it before raft/);
  });

  it('pass etcd\'s own answers, and count the txns judged', () => {
    const ok = checkErrorReplies(answered(txn(del('a', 'c'), put('c')), false));
    expect(ok).toMatchObject({ valid: true, txnsJudged: 1 });
    expect(ok.summary).toBe("0 error replies with etcd's code; 1 txn putting and deleting refused or served as etcd's checkIntervals decides");
    expect(checkErrorReplies(answered(txn(del('a', 'c'), put('b')), true)).valid).toBe(true);
    // A txn that cannot collide is not judged: nothing to check.
    expect(checkErrorReplies(answered(txn(put('a')), false)).nothing).toBe(true);
  });
});
