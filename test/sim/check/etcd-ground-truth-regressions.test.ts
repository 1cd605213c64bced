// False "not linearizable" verdicts the ground-truth generator (etcd-ground-truth.test.ts) found
// on histories the real state machine produced, shrunk to a few ops each, with a must-fail twin.
// Each was an inference of the history preparation or the model that is not true of every
// history etcd can produce.
import { describe, expect, it } from 'vitest';
import { checkHistory } from '../../../sim/check/check-history.ts';
import { b64, hdr, history, kv, type Line } from './history-builder.ts';

type Watches = { time: number; response: unknown }[];

function verdict(lines: Line[], initialDump?: unknown, watches: Watches = []): boolean | 'unknown' {
  return checkHistory(history(lines), 'etcd', { maxSteps: 200_000 }, { watches, ...(initialDump === undefined ? {} : { initialDump }) }).valid;
}

const LEASE_NOT_FOUND = 'etcdserver: requested lease not found';
const KEY_NOT_FOUND = 'etcdserver: key not found';
const FUTURE = 'etcdserver: mvcc: required revision is a future revision';
const LEASE_EXISTS = 'etcdserver: lease already exists';
/** An etcd that held key1 = X (revision 2) before the history: what `etcdctl get "" --from-key -w json` printed. */
const DUMP = { header: { revision: '2' }, kvs: [kv('key1', 'X', 2, 2, 1)], count: '1' };

describe('error precedence as etcd applies requests', () => {
  const keepValue = { key: b64('k'), ignore_value: true, lease: '7' };

  it('a put on its own checks its lease before its key (applierV3backend.Put): lease not found', () => {
    expect(verdict([[0, 'invoke', 'kv/put', keepValue], [0, 'fail', 'kv/put', null, LEASE_NOT_FOUND]])).toBe(true);
    expect(verdict([[0, 'invoke', 'kv/put', keepValue], [0, 'fail', 'kv/put', null, KEY_NOT_FOUND]])).toBe(false);
  });

  it('a put in a txn checks its key first (checkRequestPut): key not found', () => {
    const txn = { compare: [], success: [{ request_put: keepValue }], failure: [] };
    expect(verdict([[0, 'invoke', 'kv/txn', txn], [0, 'fail', 'kv/txn', null, KEY_NOT_FOUND]])).toBe(true);
    expect(verdict([[0, 'invoke', 'kv/txn', txn], [0, 'fail', 'kv/txn', null, LEASE_NOT_FOUND]])).toBe(false);
  });

  it("a txn checks every put before any range (applierV3backend.Txn): a missing lease wins over a future revision", () => {
    const txn = { compare: [], success: [{ request_range: { key: b64('k'), revision: '5' } }, { request_put: { key: b64('k'), value: b64('v'), lease: '104' } }], failure: [] };
    expect(verdict([[0, 'invoke', 'kv/txn', txn], [0, 'fail', 'kv/txn', null, LEASE_NOT_FOUND]])).toBe(true);
    expect(verdict([[0, 'invoke', 'kv/txn', txn], [0, 'fail', 'kv/txn', null, FUTURE]])).toBe(false);
  });
});

describe('leases: what the answers show', () => {
  it('a txn that failed on a lease saw it gone: a keyless lease expired (no revision) before it', () => {
    const txn = { compare: [], success: [{ request_put: { key: b64('k'), value: b64('v'), lease: '5' } }], failure: [] };
    const lines: Line[] = [
      [0, 'invoke', 'lease/grant', { ID: '5', TTL: '2' }],
      [0, 'ok', 'lease/grant', { ...hdr(1), ID: '5', TTL: '2' }],
      [0, 'invoke', 'kv/txn', txn],
      [0, 'fail', 'kv/txn', null, LEASE_NOT_FOUND],
    ];
    expect(verdict(lines)).toBe(true);
    // Gone is gone: a put with it afterwards cannot succeed.
    expect(verdict([...lines, [0, 'invoke', 'kv/put', { key: b64('k'), value: b64('w'), lease: '5' }], [0, 'ok', 'kv/put', hdr(2)]])).toBe(false);
  });

  it('a grant refused with "lease already exists" saw the lease a timed-out grant of the same ID made', () => {
    const refused: Line[] = [
      [3, 'invoke', 'lease/grant', { TTL: '2', ID: '100' }],
      [3, 'fail', 'lease/grant', null, LEASE_EXISTS],
    ];
    expect(verdict([[2, 'invoke', 'lease/grant', { TTL: '3', ID: '100' }], ...refused, [2, 'info', 'lease/grant', null, 'timeout']])).toBe(true);
    expect(verdict(refused)).toBe(false);
  });

  it('two answered grants of one ID: the first lease expired keyless in between', () => {
    const lines: Line[] = [
      [2, 'invoke', 'lease/grant', { TTL: '3', ID: '100' }],
      [3, 'invoke', 'lease/grant', { TTL: '2', ID: '100' }],
      [2, 'ok', 'lease/grant', { ...hdr(1), ID: '100', TTL: '3' }],
      [3, 'ok', 'lease/grant', { ...hdr(1), ID: '100', TTL: '2' }],
    ];
    expect(verdict(lines)).toBe(true);
    const revoke: Line[] = [[4, 'invoke', 'lease/revoke', { ID: '100' }], [4, 'ok', 'lease/revoke', hdr(1)]];
    expect(verdict([...lines, ...revoke, ...revoke])).toBe(false);
  });

  it('a timed-out grant naming the id a server-picked grant made: a lease seen existing does not say it made it (lease-expiry-partition 25)', () => {
    const lines: Line[] = [
      [4, 'invoke', 'lease/grant', { TTL: '6' }],
      [4, 'ok', 'lease/grant', { ...hdr(1), ID: '104', TTL: '6' }],
      [2, 'invoke', 'lease/grant', { TTL: '2', ID: '104' }],
      [1, 'invoke', 'lease/keepalive', { ID: '104' }],
      [1, 'ok', 'lease/keepalive', { ...hdr(1), ID: '104', TTL: '6' }],
      [2, 'info', 'lease/grant', null, 'timeout'],
    ];
    expect(verdict(lines)).toBe(true);
    // The timed-out grant may make 104 again once it is revoked: two revokes can both succeed.
    const revoke: Line[] = [[3, 'invoke', 'lease/revoke', { ID: '104' }], [3, 'ok', 'lease/revoke', hdr(1)]];
    expect(verdict([...lines, ...revoke, ...revoke])).toBe(true);
    // Must fail: a third cannot (two grants make 104 at most twice).
    expect(verdict([...lines, ...revoke, ...revoke, ...revoke])).toBe(false);
  });

  it('a grant sent again with the same ID: a lease seen existing does not say the timed-out one made it', () => {
    const lines: Line[] = [
      [4, 'invoke', 'lease/grant', { TTL: '6', ID: '104' }],
      [1, 'invoke', 'lease/keepalive', { ID: '104' }],
      [2, 'invoke', 'lease/grant', { TTL: '2', ID: '104' }],
      [1, 'ok', 'lease/keepalive', { ...hdr(1), ID: '104', TTL: '2' }],
      [2, 'ok', 'lease/grant', { ...hdr(1), ID: '104', TTL: '2' }],
      [4, 'info', 'lease/grant', null, 'timeout'],
      [2, 'invoke', 'kv/put', { key: b64('key1'), value: b64('v'), lease: '104' }],
      [2, 'fail', 'kv/put', null, LEASE_NOT_FOUND],
    ];
    expect(verdict(lines)).toBe(true);
    expect(verdict([...lines, [1, 'invoke', 'kv/range', { key: b64('key1') }], [1, 'ok', 'kv/range', { ...hdr(1), kvs: [kv('key1', 'v', 2, 2, 1)], count: '1' }]])).toBe(false);
  });
});

describe('leases: more of what the answers show', () => {
  it('a put refused for its key ("key not found") looked its lease up first: a timed-out grant made it', () => {
    const refused: Line[] = [[2, 'invoke', 'kv/put', { key: b64('key2'), ignore_value: true, lease: '100' }], [2, 'fail', 'kv/put', null, KEY_NOT_FOUND]];
    expect(verdict([[2, 'invoke', 'lease/grant', { TTL: '1', ID: '100' }], [2, 'info', 'lease/grant', null, 'timeout'], ...refused])).toBe(true);
    expect(verdict(refused)).toBe(false);
  });

  it('a grant of an ID revoked before, never answered, may make the lease a later revoke removes', () => {
    const before: Line[] = [
      [1, 'invoke', 'lease/grant', { TTL: '5', ID: '100' }],
      [1, 'ok', 'lease/grant', { ...hdr(1), ID: '100', TTL: '5' }],
      [0, 'invoke', 'lease/revoke', { ID: '100' }],
      [0, 'ok', 'lease/revoke', hdr(1)],
    ];
    const after: Line[] = [[4, 'invoke', 'lease/revoke', { ID: '100' }], [4, 'ok', 'lease/revoke', hdr(1)]];
    expect(verdict([...before, [0, 'invoke', 'lease/grant', { TTL: '5', ID: '100' }], ...after])).toBe(true);
    expect(verdict([...before, ...after])).toBe(false);
  });
});

describe('leases: evidence inside a refused txn', () => {
  it('a txn refused for a later put\'s key ("key not found") passed its put with a lease a timed-out grant made', () => {
    const txn = { compare: [], success: [{ request_put: { key: b64('key0'), value: b64('v'), lease: '102' } }, { request_put: { key: b64('key1'), value: b64('w'), ignore_lease: true } }], failure: [] };
    const refused: Line[] = [[2, 'invoke', 'kv/txn', txn], [2, 'fail', 'kv/txn', null, KEY_NOT_FOUND]];
    expect(verdict([[0, 'invoke', 'lease/grant', { TTL: '4', ID: '102' }], ...refused])).toBe(true);
    // Without a grant the lease is missing: the txn fails on it first.
    expect(verdict(refused)).toBe(false);
  });
});

describe('a txn etcd never applies', () => {
  it('a timed-out txn keeping the value of a key it deleted: never applied, and the model does not crash on it', () => {
    const txn = { compare: [], success: [{ request_delete_range: { key: b64('key'), range_end: b64('kez') } }, { request_put: { key: b64('key1'), ignore_value: true, prev_kv: true } }], failure: [] };
    const lines = (fillsRevision3: boolean): Line[] => [
      [0, 'invoke', 'kv/put', { key: b64('key1'), value: b64('A') }],
      [0, 'ok', 'kv/put', hdr(2)],
      [1, 'invoke', 'kv/txn', txn],
      [1, 'info', 'kv/txn', null, 'timeout'],
      ...(fillsRevision3 ? ([[1, 'invoke', 'kv/put', { key: b64('key1'), value: b64('C'), prev_kv: true }]] as Line[]) : []),
      [0, 'invoke', 'kv/put', { key: b64('key1'), value: b64('B') }],
      [0, 'ok', 'kv/put', hdr(4)],
    ];
    expect(verdict(lines(true))).toBe(true);
    // Without another write, revision 3 has no writer: the txn cannot have made it.
    expect(verdict(lines(false))).toBe(false);
  });
});

describe('an etcd that held data (--initial-state dump)', () => {
  it('a revoke of a lease nobody granted fails: naming a lease does not show it existed', () => {
    expect(verdict([[0, 'invoke', 'lease/revoke', { ID: '104' }], [0, 'fail', 'lease/revoke', null, LEASE_NOT_FOUND]], DUMP)).toBe(true);
    const revoke: Line[] = [[0, 'invoke', 'lease/revoke', { ID: '104' }], [0, 'ok', 'lease/revoke', hdr(2)]];
    expect(verdict([...revoke, ...revoke], DUMP)).toBe(false);
  });

  it('an answered txn that read a revision before the history and wrote still made its revision', () => {
    const txn = { compare: [], success: [{ request_put: { key: b64('key2'), value: b64('B') } }, { request_range: { key: b64('key1'), revision: '1' } }], failure: [] };
    const answer = { ...hdr(3), succeeded: true, responses: [{ response_put: hdr(3) }, { response_range: hdr(3) }] };
    const read = (value: string): Line[] => [[1, 'invoke', 'kv/range', { key: b64('key2') }], [1, 'ok', 'kv/range', { ...hdr(3), kvs: [kv('key2', value, 3, 3, 1)], count: '1' }]];
    const lines: Line[] = [[0, 'invoke', 'kv/txn', txn], [0, 'ok', 'kv/txn', answer]];
    expect(verdict([...lines, ...read('B')], DUMP)).toBe(true);
    expect(verdict([...lines, ...read('Z')], DUMP)).toBe(false);
  });

  it('a timed-out txn that reads a revision before the history keeps its writes', () => {
    const txn = { compare: [], success: [{ request_put: { key: b64('key1'), value: b64('V'), prev_kv: true } }, { request_range: { key: b64('key2'), revision: '1' } }], failure: [] };
    const deleteAll = (version: number): Line[] => [
      [1, 'invoke', 'kv/deleterange', { key: b64('\0'), range_end: b64('\0'), prev_kv: true }],
      [1, 'ok', 'kv/deleterange', { ...hdr(4), deleted: '1', prev_kvs: [kv('key1', 'V', 2, 3, version)] }],
    ];
    const lines: Line[] = [[0, 'invoke', 'kv/txn', txn], [0, 'info', 'kv/txn', null, 'timeout']];
    expect(verdict([...lines, ...deleteAll(2)], DUMP)).toBe(true);
    expect(verdict([...lines, ...deleteAll(1)], DUMP)).toBe(false);
  });

  it('a serializable read a lagging member served before the history is not checked against it', () => {
    const put: Line[] = [[1, 'invoke', 'kv/put', { key: b64('key3'), value: b64('C') }], [1, 'ok', 'kv/put', hdr(3)]];
    const stale = (revision: number, shown: Record<string, string>[]): Line[] => [
      [0, 'invoke', 'kv/range', { key: b64('\0'), range_end: b64('\0'), serializable: true }],
      [0, 'ok', 'kv/range', { ...hdr(revision), ...(shown.length > 0 ? { kvs: shown, count: String(shown.length) } : {}) }],
    ];
    expect(verdict([...stale(1, []), ...put], DUMP)).toBe(true);
    expect(verdict([...stale(2, [kv('key1', 'Y', 2, 2, 1)]), ...put], DUMP)).toBe(false);
  });

  it('a value the store held before, seen by a watch, does not pin a timed-out write of the same value', () => {
    const dump = { header: { revision: '2' }, kvs: [kv('key2', 'dup', 2, 2, 1)], count: '1' };
    const lines = (deleted: number): Line[] => [
      [3, 'invoke', 'kv/put', { key: b64('key2'), value: b64('dup'), lease: '101' }],
      [2, 'invoke', 'kv/deleterange', { key: b64('key0'), range_end: b64('key3') }],
      [2, 'ok', 'kv/deleterange', { ...hdr(3), deleted: String(deleted) }],
    ];
    const event = { type: 'DELETE', kv: { key: b64('key2'), mod_revision: '3' }, prev_kv: kv('key2', 'dup', 2, 2, 1) };
    const watches = [{ time: 25, response: { header: { revision: '3' }, events: [event] } }];
    expect(verdict(lines(1), dump, watches)).toBe(true);
    expect(verdict(lines(2), dump, watches)).toBe(false);
  });
});

describe('serializable reads', () => {
  it('a member behind on a compaction (no revision of its own) still serves the revision it removed', () => {
    const lines = (value: string): Line[] => [
      [0, 'invoke', 'kv/put', { key: b64('key2'), value: b64('A') }],
      [0, 'ok', 'kv/put', hdr(2)],
      [0, 'invoke', 'kv/put', { key: b64('key0'), value: b64('B') }],
      [0, 'ok', 'kv/put', hdr(3)],
      [0, 'invoke', 'kv/compaction', { revision: '3' }],
      [0, 'ok', 'kv/compaction', hdr(3)],
      [1, 'invoke', 'kv/range', { key: b64('key2'), revision: '2', serializable: true }],
      [1, 'ok', 'kv/range', { ...hdr(3), kvs: [kv('key2', value, 2, 2, 1)], count: '1' }],
    ];
    expect(verdict(lines('A'))).toBe(true);
    expect(verdict(lines('Z'))).toBe(false);
  });
});

describe('unseen writes after the last revision anything shows', () => {
  // Ground-truth seeds 971, 2908, 6845: the timed-out delete took effect at revision 3, after the
  // last revision any answer shows (2); only the later "key not found" (no revision) shows it.
  const deleteAll: Line[] = [[0, 'invoke', 'kv/deleterange', { key: b64('key'), range_end: b64('kez') }], [0, 'info', 'kv/deleterange', null, 'timeout']];
  const put: Line[] = [[0, 'invoke', 'kv/put', { key: b64('key0'), value: b64('A') }], [0, 'ok', 'kv/put', hdr(2)]];
  const keepValue: Line[] = [[1, 'invoke', 'kv/put', { key: b64('key0'), ignore_value: true }], [1, 'fail', 'kv/put', null, KEY_NOT_FOUND]];

  it('a timed-out delete seen only through a later "key not found" took effect after every answer', () => {
    expect(verdict([...deleteAll, ...put, ...keepValue])).toBe(true);
    // Nothing deleted key0: "key not found" is a lie.
    expect(verdict([...put, ...keepValue])).toBe(false);
    // The delete was called after the error returned: it cannot explain it.
    expect(verdict([...put, ...keepValue, ...deleteAll])).toBe(false);
    // It deletes another key.
    const other: Line[] = [[0, 'invoke', 'kv/deleterange', { key: b64('key1') }], [0, 'info', 'kv/deleterange', null, 'timeout']];
    expect(verdict([...other, ...put, ...keepValue])).toBe(false);
  });

  it('the same through a txn whose compare the late delete decided (a put with a missing lease failed)', () => {
    const txn = { compare: [{ key: b64('key0'), target: 'MOD', result: 'LESS', mod_revision: '2' }], success: [{ request_put: { key: b64('key1'), value: b64('B'), lease: '102' } }], failure: [] };
    const failed: Line[] = [[2, 'invoke', 'kv/txn', txn], [2, 'fail', 'kv/txn', null, LEASE_NOT_FOUND]];
    expect(verdict([...put, ...deleteAll, ...failed])).toBe(true);
    // Without the delete key0 is at mod 2: the compare fails, the empty failure branch cannot fail.
    expect(verdict([...put, ...failed])).toBe(false);
  });

  it('several unseen writes after the last answer apply in any order, each once', () => {
    // A timed-out put and a timed-out delete of key0: put then delete leaves it missing.
    const del0: Line[] = [[3, 'invoke', 'kv/deleterange', { key: b64('key0') }], [3, 'info', 'kv/deleterange', null, 'timeout']];
    const put0: Line[] = [[4, 'invoke', 'kv/put', { key: b64('key0'), value: b64('C') }], [4, 'info', 'kv/put', null, 'timeout']];
    expect(verdict([...put, ...put0, ...del0, ...keepValue])).toBe(true);
    // Only the put: key0 exists whichever way, the error is a lie.
    expect(verdict([...put, ...put0, ...keepValue])).toBe(false);
  });
});

describe('a lease revoked or expired with no keys (no revision)', () => {
  // Ground-truth seed 455: the timed-out revoke of a keyless lease makes no revision; only a txn
  // that names that lease and another one and failed "requested lease not found" shows it.
  const grant: Line[] = [[4, 'invoke', 'lease/grant', { TTL: '2', ID: '101' }], [4, 'ok', 'lease/grant', { ...hdr(1), ID: '101', TTL: '2' }]];
  const revoke: Line[] = [[4, 'invoke', 'lease/revoke', { ID: '101' }], [4, 'fail', 'lease/revoke', null, 'etcdserver: request timed out']];
  const txn = {
    compare: [{ key: b64('key0'), target: 'LEASE', result: 'GREATER', lease: '1008' }],
    success: [{ request_put: { key: b64('key2'), ignore_value: true, lease: '1008' } }],
    failure: [{ request_put: { key: b64('key0'), value: b64('A'), lease: '101' } }],
  };
  const failed: Line[] = [[3, 'invoke', 'kv/txn', txn], [3, 'fail', 'kv/txn', null, LEASE_NOT_FOUND]];
  const putWith101: Line[] = [[3, 'invoke', 'kv/put', { key: b64('key1'), value: b64('B'), lease: '101' }], [3, 'ok', 'kv/put', hdr(2)]];

  it('a txn naming two leases that failed "lease not found" may have seen the revoked one gone', () => {
    expect(verdict([...grant, ...revoke, ...failed])).toBe(true);
    // Gone is gone: a put with it afterwards cannot succeed.
    expect(verdict([...grant, ...revoke, ...failed, ...putWith101])).toBe(false);
  });

  it('the same for a keyless lease the leader expired', () => {
    expect(verdict([...grant, ...failed])).toBe(true);
    expect(verdict([...grant, ...failed, ...putWith101])).toBe(false);
  });

  it('a txn failing on a lease nobody may have removed is still a violation', () => {
    // 101 granted and used after the txn, and 1008 names a lease that exists too (granted, kept).
    const grant1008: Line[] = [[5, 'invoke', 'lease/grant', { TTL: '2', ID: '1008' }], [5, 'ok', 'lease/grant', { ...hdr(1), ID: '1008', TTL: '2' }]];
    const putWith1008: Line[] = [[5, 'invoke', 'kv/put', { key: b64('key3'), value: b64('C'), lease: '1008' }], [5, 'ok', 'kv/put', hdr(3)]];
    expect(verdict([...grant, ...grant1008, ...failed, ...putWith101, ...putWith1008])).toBe(false);
  });
});

describe('a server that compacts on its own (--auto-compaction-retention)', () => {
  const COMPACTED = 'etcdserver: mvcc: required revision has been compacted';
  const auto = (lines: Line[], autoCompaction = true): boolean | 'unknown' => checkHistory(history(lines), 'etcd', { maxSteps: 200_000 }, { autoCompaction }).valid;
  const puts: Line[] = [
    [0, 'invoke', 'kv/put', { key: b64('k'), value: b64('A') }],
    [0, 'ok', 'kv/put', hdr(2)],
    [0, 'invoke', 'kv/put', { key: b64('k'), value: b64('B') }],
    [0, 'ok', 'kv/put', hdr(3)],
  ];

  it('a compaction to 0 fails "compacted" once the server compacted anything', () => {
    const compact0: Line[] = [[1, 'invoke', 'kv/compaction', { revision: '0' }], [1, 'fail', 'kv/compaction', null, COMPACTED]];
    expect(auto([...puts, ...compact0])).toBe(true);
    // Nobody compacted: a server that does not compact on its own cannot say so.
    expect(auto([...puts, ...compact0], false)).toBe(false);
  });

  it('a txn whose range reads a revision the server compacted fails "compacted"', () => {
    const txn = (revision: string): Line[] => [
      [1, 'invoke', 'kv/txn', { compare: [], success: [{ request_range: { key: b64('k'), revision } }], failure: [] }],
      [1, 'fail', 'kv/txn', null, COMPACTED],
    ];
    expect(auto([...puts, ...txn('2')])).toBe(true);
    expect(auto([...puts, ...txn('2')], false)).toBe(false);
    // The current revision is never compacted away (compact ≤ current): that answer is a lie, for a range too.
    expect(auto([...puts, ...txn('3')])).toBe(false);
    expect(auto([...puts, [1, 'invoke', 'kv/range', { key: b64('k'), revision: '3' }], [1, 'fail', 'kv/range', null, COMPACTED]])).toBe(false);
    expect(auto([...puts, [1, 'invoke', 'kv/range', { key: b64('k'), revision: '2' }], [1, 'fail', 'kv/range', null, COMPACTED]])).toBe(true);
    // And a read after it at a revision it compacted cannot succeed.
    const readAt2: Line[] = [[2, 'invoke', 'kv/range', { key: b64('k'), revision: '2' }], [2, 'ok', 'kv/range', { ...hdr(3), kvs: [kv('k', 'A', 2, 2, 1)], count: '1' }]];
    expect(auto([...puts, ...txn('2'), ...readAt2])).toBe(false);
  });
});

describe('a lease the server chose for a grant whose answer was lost', () => {
  // Ground-truth seeds 93, 2638, 2999 (with lease listings): a client learnt lease 1000 from a
  // listing and used it; only a timed-out grant with ID 0 can have made it.
  const grant: Line[] = [[0, 'invoke', 'lease/grant', { TTL: '5' }], [0, 'info', 'lease/grant', null, 'timeout']];
  const use = (lease: string, rev: number): Line[] => [[1, 'invoke', 'kv/put', { key: b64(`k${lease}`), value: b64(`v${lease}`), lease }], [1, 'ok', 'kv/put', hdr(rev)]];

  it('a timed-out grant with ID 0 may have made a lease nobody granted by name', () => {
    expect(verdict([grant[0]!, ...use('1000', 2), grant[1]!])).toBe(true);
    expect(verdict([...grant, ...use('1000', 2)])).toBe(true);
    // No grant: the lease never existed.
    expect(verdict(use('1000', 2))).toBe(false);
    // The grant was sent after the lease was used.
    expect(verdict([...use('1000', 2), ...grant])).toBe(false);
    // One lost answer makes one lease, not two.
    expect(verdict([...grant, ...use('1000', 2), ...use('1001', 3)])).toBe(false);
    expect(verdict([...grant, ...grant, ...use('1000', 2), ...use('1001', 3)])).toBe(true);
  });

  it('the same for a lease only a timed-out write names, seen through a watch event (not through lease evidence)', () => {
    // Ground-truth seed 40438: the timed-out txn's put with lease 1002 shows in a watch event.
    const txn = { compare: [], success: [{ request_put: { key: b64('key1'), value: b64('V'), lease: '1002' } }], failure: [] };
    const timedOut: Line[] = [[0, 'invoke', 'kv/txn', txn], [0, 'info', 'kv/txn', null, 'timeout']];
    const refused: Line[] = [[3, 'invoke', 'kv/put', { key: b64('key0'), value: b64('W'), lease: '101' }], [3, 'fail', 'kv/put', null, LEASE_NOT_FOUND]];
    const watches = [{ time: 45, response: { header: { revision: '2' }, events: [{ kv: { ...kv('key1', 'V', 2, 2, 1), lease: '1002' } }] } }];
    // A refused put naming another lease (101, missing) does not take the lost grant's place (seed 42095).
    expect(verdict([...grant, ...refused, ...timedOut], undefined, watches)).toBe(true);
    expect(verdict([...refused, ...timedOut], undefined, watches)).toBe(false);
  });

  it('which of several leases timed-out writes name the lost grant made is not known: any may be (not the first named)', () => {
    // Ground-truth seed 31772: a timed-out write naming lease 101 that never applies (here a put
    // keeping the value of a missing key), an ambiguous put with lease 1000 that made revision 2.
    const put = (p: number, key: string, lease: string): Line[] => [[p, 'invoke', 'kv/put', { key: b64(key), value: b64(`V${key}`), lease }], [p, 'fail', 'kv/put', null, 'etcdserver: leader changed']];
    const never: Line[] = [[4, 'invoke', 'kv/put', { key: b64('k9'), ignore_value: true, lease: '101' }], [4, 'info', 'kv/put', null, 'timeout']];
    const read = (rev: number, count: string): Line[] => [[3, 'invoke', 'kv/range', { key: b64('k2'), count_only: true }], [3, 'ok', 'kv/range', { ...hdr(rev), count }]];
    expect(verdict([...grant, ...never, ...put(2, 'k2', '1000'), ...read(2, '1')])).toBe(true);
    // No grant, or one sent after the read: nothing made revision 2.
    expect(verdict([...never, ...put(2, 'k2', '1000'), ...read(2, '1')])).toBe(false);
    expect(verdict([...never, ...put(2, 'k2', '1000'), ...read(2, '1'), ...grant])).toBe(false);
    // One lost answer makes one lease: two puts with two unnamed leases, k2 still there at 3 (no expiry made 3), need two grants.
    const both: Line[] = [...never, ...put(2, 'k2', '1000'), ...put(1, 'k1', '1001'), ...read(3, '1')];
    expect(verdict([...grant, ...both])).toBe(false);
    expect(verdict([...grant, ...grant, ...both])).toBe(true);
    // Past 16 ways to name the lease the search gives up honestly: unknown, never a false alarm.
    const many: Line[] = Array.from({ length: 17 }, (_, i): Line[] => [[10 + i, 'invoke', 'kv/put', { key: b64(`m${i}`), ignore_value: true, lease: String(200 + i) }], [10 + i, 'info', 'kv/put', null, 'timeout']]).flat();
    expect(verdict([...grant, ...many, ...put(2, 'k2', '1000'), ...read(2, '1')])).toBe('unknown');
    expect(verdict([...grant, ...put(2, 'k2', '1000'), ...many, ...read(2, '1')])).toBe(true);
    expect(verdict([...many, ...put(2, 'k2', '1000'), ...read(2, '1')])).toBe(false);
  });
});

describe('a keyless lease seen missing while the answer to its grant was on its way', () => {
  it('expired without a revision after the grant took effect, before a revoke called after the grant was', () => {
    // Ground-truth seed 60330: the grant's answer (revision 1) places it before the put (2), and
    // the revoke, called after the put returned, found the lease gone: it expired keyless.
    const lines: Line[] = [
      [3, 'invoke', 'lease/grant', { ID: '103', TTL: '2' }],
      [0, 'invoke', 'kv/put', { key: b64('k'), value: b64('A') }],
      [0, 'ok', 'kv/put', hdr(2)],
      [1, 'invoke', 'lease/revoke', { ID: '103' }],
      [1, 'fail', 'lease/revoke', null, LEASE_NOT_FOUND],
      [3, 'ok', 'lease/grant', { ...hdr(1), ID: '103', TTL: '2' }],
    ];
    expect(verdict(lines)).toBe(true);
    // Gone is gone: a put with it afterwards cannot succeed.
    expect(verdict([...lines, [4, 'invoke', 'kv/put', { key: b64('j'), value: b64('B'), lease: '103' }], [4, 'ok', 'kv/put', hdr(3)]])).toBe(false);
  });
});

describe('a lease a write seen to take effect used', () => {
  it('a timed-out grant made the lease of a timed-out txn a watch event shows took effect', () => {
    // Ground-truth seeds 3415, 12779.
    const grant: Line[] = [[2, 'invoke', 'lease/grant', { TTL: '1', ID: '104' }], [2, 'info', 'lease/grant', null, 'timeout']];
    const txn = { compare: [], success: [{ request_put: { key: b64('key2'), value: b64('V'), lease: '104' } }], failure: [] };
    const timedOut: Line[] = [[0, 'invoke', 'kv/txn', txn], [0, 'fail', 'kv/txn', null, 'etcdserver: request timed out']];
    const event = { header: { revision: '2' }, events: [{ kv: { ...kv('key2', 'V', 2, 2, 1), lease: '104' } }] };
    const watches = [{ time: 35, response: event }];
    expect(verdict([grant[0]!, ...timedOut, grant[1]!], undefined, watches)).toBe(true);
    // Nobody granted 104.
    expect(verdict(timedOut, undefined, watches)).toBe(false);
    // The grant was sent after the event was seen.
    expect(verdict([...timedOut, [3, 'invoke', 'kv/range', { key: b64('x') }], [3, 'ok', 'kv/range', hdr(2)], ...grant], undefined, watches)).toBe(false);
  });
});

describe('a lease a nested txn put used', () => {
  it('an answered txn whose nested put used the lease an ambiguous grant made shows the lease existed', () => {
    // Ground-truth seed 21502.
    const grant: Line[] = [[2, 'invoke', 'lease/grant', { TTL: '3', ID: '100' }], [2, 'fail', 'lease/grant', null, 'etcdserver: leader changed']];
    const txn = { compare: [], success: [{ request_txn: { compare: [], success: [{ request_put: { key: b64('key3'), value: b64('V'), lease: '100' } }], failure: [] } }], failure: [] };
    const answer = { ...hdr(2), succeeded: true, responses: [{ response_txn: { succeeded: true, responses: [{ response_put: hdr(2) }] } }] };
    const used: Line[] = [[0, 'invoke', 'kv/txn', txn], [0, 'ok', 'kv/txn', answer]];
    expect(verdict([...grant, ...used])).toBe(true);
    // No grant: the lease never existed.
    expect(verdict(used)).toBe(false);
  });
});
