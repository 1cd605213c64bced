// A txn's "duplicate key" refusal is decided by the request alone (etcd's checkIntervals): the
// error-replies checker fails a refusal etcd would not give and an answer where etcd refuses.
// Every verdict below is what a real etcd 3.4.23 answered over its JSON gateway (checked by hand).
import { describe, expect, it } from 'vitest';
import { checkErrorReplies } from '../../../sim/check/error-replies.ts';
import { txnHasDuplicateKey, txnRefusal } from '../../../sim/check/txn-intervals.ts';
import type { Op } from '../../../sim/history/op.ts';

const b = (s: string): string => btoa(s);
const del = (key: string, end?: string): object => ({ request_delete_range: end === undefined ? { key: b(key) } : { key: b(key), range_end: end === '\0' ? 'AA==' : b(end) } });
const put = (key: string): object => ({ request_put: { key: b(key), value: b('v') } });
const txn = (...success: object[]): object => ({ success });
const DUPLICATE = 'etcdserver: duplicate key given in txn request';

const TOO_MANY = 'etcdserver: too many operations in txn request';

function answered(request: object, refused: boolean, message = DUPLICATE): Op[] {
  const value = refused ? { error: message, message, code: 3 } : { header: { revision: '2' }, succeeded: true };
  return [
    { index: 0, time: 1, process: 0, type: 'invoke', f: 'kv/txn', value: request },
    { index: 1, time: 2, process: 0, type: refused ? 'fail' : 'ok', f: 'kv/txn', value, ...(refused ? { error: message } : {}) },
  ];
}

/** `n` compares on one key, then `success` (etcd's checkTxnRequest counts compares with the ops). */
const compared = (n: number, ...success: object[]): object => ({ compare: Array.from({ length: n }, () => ({ key: b('k'), target: 'VERSION', result: 'GREATER', version: '-1' })), success });
const nestedPuts = (n: number): object => ({ request_txn: { success: Array.from({ length: n }, (_, i) => put(`n${i}`)) } });

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
    expect(ok.summary).toBe("0 error replies with etcd's code; 1 txn putting and deleting, or past the op limit, refused or served as etcd's checks decide");
    expect(checkErrorReplies(answered(txn(del('a', 'c'), put('b')), true)).valid).toBe(true);
    // A txn that cannot collide is not judged: nothing to check.
    expect(checkErrorReplies(answered(txn(put('a')), false)).nothing).toBe(true);
  });

  // etcd 3.4.23 over its gateway: 128 compares pass, 129 do not; 127 compares leave a nested txn
  // one op (two are too many); a nested txn's own compares count against what its level leaves.
  it('decide the op limit as etcd 3.4.23 does: compares count, a nested txn gets what its level leaves', () => {
    expect(txnRefusal(compared(128, put('a')))).toBe('none');
    expect(txnRefusal(compared(129, put('a')))).toBe('too-many-ops');
    expect(txnRefusal(compared(127, nestedPuts(1)))).toBe('none');
    expect(txnRefusal(compared(127, nestedPuts(2)))).toBe('too-many-ops');
    expect(txnRefusal(txn({ request_txn: compared(127, put('x')) }))).toBe('none');
    expect(txnRefusal(txn({ request_txn: compared(128, put('x')) }))).toBe('too-many-ops');
    // The limit is checked before the duplicates, and an empty key of a level before its nested txns.
    expect(txnRefusal(compared(129, put('a'), put('a')))).toBe('too-many-ops');
    expect(txnRefusal(compared(2, put('a'), put('a')))).toBe('duplicate-key');
    expect(txnRefusal(compared(127, put(''), nestedPuts(2)))).toBe('other');
  });

  it('fail a too-many-ops refusal etcd does not give, and an answer where it refuses; pass etcd\'s own', () => {
    const wrongAnswer = checkErrorReplies(answered(compared(129, put('a')), false));
    expect(wrongAnswer.valid).toBe(false);
    expect(wrongAnswer.summary).toMatch(/too many operations in txn request/);
    expect(checkErrorReplies(answered(compared(127, nestedPuts(2)), false)).valid).toBe(false);
    const wrongRefusal = checkErrorReplies(answered(compared(128, put('a')), true, TOO_MANY));
    expect(wrongRefusal.valid).toBe(false);
    expect(wrongRefusal.summary).toMatch(/refused as too many operations/);
    expect(checkErrorReplies(answered(compared(129, put('a')), true, TOO_MANY))).toMatchObject({ valid: true, txnsJudged: 1 });
    expect(checkErrorReplies(answered(compared(127, nestedPuts(1)), false))).toMatchObject({ valid: true, txnsJudged: 1 });
  });
});
