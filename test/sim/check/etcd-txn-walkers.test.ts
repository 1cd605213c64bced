// The etcd model's txn walkers read a txn's branches without making arrays or callbacks per
// txn (txn-branches.ts): the model's step runs a txn at every try of the search, and the
// preparation walks every txn of a history several times. What they answer is pinned by
// etcd-txn-answer.test.ts (any txn, nested too); here, that an absent or null branch is no
// ops, as the `?? []` form read it, and that no forEach or some callback runs.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { applyTxn, type Req } from '../../../sim/check/models/etcd/apply.ts';
import { txnWrites } from '../../../sim/check/models/etcd/model.ts';
import { EtcdState } from '../../../sim/check/models/etcd/state.ts';
import { TXN_BRANCHES, txnBranch } from '../../../sim/check/models/etcd/txn-branches.ts';
import { putKeys } from '../../../sim/check/models/etcd/write-keys.ts';

const b64 = (s: string): string => btoa(s);
const put = (k: string, v: string): Req => ({ request_put: { key: b64(k), value: b64(v) } });
const range = (k: string): Req => ({ request_range: { key: b64(k) } });

describe('txn branches', () => {
  afterEach(() => vi.restoreAllMocks());

  it('are read without forEach or some callbacks, at the step and when an answer is read', () => {
    const forEach = vi.spyOn(Array.prototype, 'forEach');
    const some = vi.spyOn(Array.prototype, 'some');
    const req: Req = { compare: [], success: [put('a', '1'), range('a'), { request_txn: { success: [put('b', '2')] } }] };
    const applied = applyTxn(EtcdState.initial(), req);
    expect('response' in applied).toBe(true);
    const resp = (applied as { response: Req }).response;
    expect(txnWrites(req, resp)).toBe(true);
    expect(forEach).not.toHaveBeenCalled();
    expect(some).not.toHaveBeenCalled();
  });

  it('are no ops where absent or null, and the ops where given, success first', () => {
    const s = [put('a', '1')];
    const f = [put('b', '2')];
    expect([0, 1].map((b) => txnBranch({ success: s, failure: f }, b))).toEqual([s, f]);
    expect(TXN_BRANCHES).toBe(2);
    for (const req of [{}, { success: null, failure: undefined }] as Req[]) {
      expect(txnBranch(req, 0)).toEqual([]);
      expect(txnBranch(req, 1)).toEqual([]);
      const keys = new Set<string>();
      putKeys('kv/txn', req, keys);
      expect(keys.size).toBe(0);
      expect(txnWrites(req, { succeeded: true })).toBe(false);
      expect(txnWrites(req, { succeeded: false, responses: null })).toBe(false);
    }
    const keys = new Set<string>();
    putKeys('kv/txn', { success: s, failure: [{ request_txn: { failure: f } }] }, keys);
    expect([...keys]).toEqual(['a', 'b']);
  });

  it('a txn whose taken branch deletes nothing and writes nothing made no revision; one nested whose answer shows a put did', () => {
    expect(txnWrites({ failure: [{ request_delete_range: { key: b64('a') } }, range('a')] }, { succeeded: false, responses: [{ response_delete_range: { deleted: '0' } }, {}] })).toBe(false);
    expect(txnWrites({ success: [range('a'), { request_txn: { success: [put('a', '1')] } }] }, { succeeded: true, responses: [{}, { response_txn: { succeeded: true } }] })).toBe(true);
    // No answer of the nested txn: it reads as not succeeded, and its absent failure branch writes nothing.
    expect(txnWrites({ success: [{ request_txn: { success: [put('a', '1')] } }] }, { succeeded: true })).toBe(false);
  });
});
