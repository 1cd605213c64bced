// Places where the etcd model used to be stricter (or looser) than etcd 3.4 itself: each
// answer etcd gives must pass, and a near miss must fail.
import { describe, expect, it } from 'vitest';
import { checkHistory } from '../../../sim/check/check-history.ts';
import { b64, hdr, history, kv, type Line } from './history-builder.ts';

const check = (lines: Line[]) => checkHistory(history(lines), 'etcd').valid;
const put = (p: number, key: string, value: string, rev: number): Line[] => [
  [p, 'invoke', 'kv/put', { key: b64(key), value: b64(value) }],
  [p, 'ok', 'kv/put', hdr(rev)],
];
const emptyRangeTxn = (result: string, version: string, succeeded: boolean, rev: number): Line[] => [
  [0, 'invoke', 'kv/txn', { compare: [{ key: b64('x/'), range_end: b64('x0'), target: 'VERSION', result, version }], success: [{ request_put: { key: b64('x/a'), value: b64('t') } }] }],
  [0, 'ok', 'kv/txn', succeeded ? { ...hdr(rev + 1), succeeded: true, responses: [{ response_put: {} }] } : hdr(rev)],
];

describe('etcd model: decided errors by what etcd ends them with', () => {
  const compacted = (error: string): Line[] => [
    ...put(0, 'k', 'a', 2),
    ...put(0, 'k', 'b', 3),
    [0, 'invoke', 'kv/compaction', { revision: '3' }],
    [0, 'ok', 'kv/compaction', hdr(3)],
    [1, 'invoke', 'kv/range', { key: b64('k'), revision: '2' }],
    [1, 'fail', 'kv/range', null, error],
  ];

  it('accepts a Go client\'s "rpc error: code = OutOfRange desc = etcdserver: mvcc: required revision has been compacted"', () => {
    expect(check(compacted('rpc error: code = OutOfRange desc = etcdserver: mvcc: required revision has been compacted'))).toBe(true);
  });

  it('rejects "future revision" where the state says compacted', () => {
    expect(check(compacted('rpc error: code = OutOfRange desc = etcdserver: mvcc: required revision is a future revision'))).toBe(false);
  });

  it('treats "etcdserver: request cancelled" (British spelling) as an unknown outcome, not as never applied', () => {
    const lines: Line[] = [
      [0, 'invoke', 'kv/put', { key: b64('k'), value: b64('v1') }],
      [0, 'fail', 'kv/put', null, 'etcdserver: request cancelled'],
      [1, 'invoke', 'kv/range', { key: b64('k') }],
      [1, 'ok', 'kv/range', { ...hdr(2), kvs: [kv('k', 'v1', 2, 2, 1)], count: '1' }],
    ];
    expect(check(lines)).toBe(true);
    // A fail that certainly did not happen (a validation error) cannot explain the read.
    lines[1] = [0, 'fail', 'kv/put', null, 'etcdserver: key is not provided'];
    expect(check(lines)).toBe(false);
  });
});

describe('etcd model: compares over an empty range behave as one missing key (applyCompare)', () => {
  it('VERSION > 0 over an empty range fails and VERSION = 0 succeeds, as etcd 3.4.23 answered', () => {
    expect(check(emptyRangeTxn('GREATER', '0', false, 1))).toBe(true);
    expect(check(emptyRangeTxn('EQUAL', '0', true, 1))).toBe(true);
  });

  it('rejects a txn that claims VERSION > 0 held over an empty range', () => {
    expect(check(emptyRangeTxn('GREATER', '0', true, 1))).toBe(false);
  });
});

describe('etcd model: ranges', () => {
  it('count_only with a limit answers the count and never "more"', () => {
    const lines: Line[] = [...put(0, 'a', '1', 2), ...put(0, 'b', '2', 3), [1, 'invoke', 'kv/range', { key: b64('a'), range_end: b64('z'), count_only: true, limit: '1' }], [1, 'ok', 'kv/range', { ...hdr(3), count: '2' }]];
    expect(check(lines)).toBe(true);
    lines[lines.length - 1] = [1, 'ok', 'kv/range', { ...hdr(3), count: '2', more: true }];
    expect(check(lines)).toBe(false);
  });

  it('order NONE with a non-KEY target and a limit sorts only the first limit+1 keys by key (etcd 3.4 apply.go)', () => {
    // Values a=4, b=5, c=1: etcd fetches a and b (limit+1 in key order), sorts them by value and
    // keeps a; sorting all three first would give c.
    const req2 = { key: b64('a'), range_end: b64('z'), sort_target: 'VALUE', limit: '1' };
    const base2: Line[] = [...put(0, 'a', '4', 2), ...put(0, 'b', '5', 3), ...put(0, 'c', '1', 4)];
    const right: Line[] = [...base2, [1, 'invoke', 'kv/range', req2], [1, 'ok', 'kv/range', { ...hdr(4), kvs: [kv('a', '4', 2, 2, 1)], count: '3', more: true }]];
    const wrong: Line[] = [...base2, [1, 'invoke', 'kv/range', req2], [1, 'ok', 'kv/range', { ...hdr(4), kvs: [kv('c', '1', 4, 4, 1)], count: '3', more: true }]];
    expect(check(right)).toBe(true);
    expect(check(wrong)).toBe(false);
  });
});

describe('etcd model: serializable reads are served from one member\'s applied state', () => {
  const stale = (serializable: boolean, header: number, value: string): Line[] => [
    ...put(0, 'k', 'a', 2),
    ...put(0, 'k', 'b', 3),
    [1, 'invoke', 'kv/range', serializable ? { key: b64('k'), serializable: true } : { key: b64('k') }],
    [1, 'ok', 'kv/range', { ...hdr(header), kvs: [kv('k', value, 2, header, header - 1)], count: '1' }],
  ];

  it('accepts a stale serializable read of revision 2 after revision 3 was acknowledged', () => {
    expect(check(stale(true, 2, 'a'))).toBe(true);
  });

  it('rejects the same stale answer to a linearizable read', () => {
    expect(check(stale(false, 2, 'a'))).toBe(false);
  });

  it('rejects a serializable read whose data does not match its header revision', () => {
    expect(check(stale(true, 2, 'b'))).toBe(false);
  });

  it('rejects a serializable read of a revision the cluster never reached', () => {
    const lines: Line[] = [...put(0, 'k', 'a', 2), [1, 'invoke', 'kv/range', { key: b64('k'), serializable: true }], [1, 'ok', 'kv/range', { ...hdr(3), kvs: [kv('k', 'z', 2, 3, 2)], count: '1' }]];
    expect(check(lines)).toBe(false);
  });

  it('accepts a stale txn of serializable ranges only (isTxnSerializable), compares included', () => {
    const lines: Line[] = [
      ...put(0, 'k', 'a', 2),
      ...put(0, 'k', 'b', 3),
      [1, 'invoke', 'kv/txn', { compare: [{ key: b64('k'), target: 'VALUE', result: 'EQUAL', value: b64('a') }], success: [{ request_range: { key: b64('k'), serializable: true } }] }],
      [1, 'ok', 'kv/txn', { ...hdr(2), succeeded: true, responses: [{ response_range: { kvs: [kv('k', 'a', 2, 2, 1)], count: '1' } }] }],
    ];
    expect(check(lines)).toBe(true);
  });
});
