// The requests of the golden wire transcript: every KV, txn, compaction and lease shape and
// error we reproduce, in an order that exercises revisions. Keys are base64: a=YQ== b=Yg== c=Yw==
// k=aw== foo=Zm9v bar=YmFy z=eg== "\0"=AA==.
const b = (s: string): string => Buffer.from(s, 'latin1').toString('base64');

export const GOLDEN_REQUESTS: readonly [string, unknown][] = [
  ['/v3/kv/range', { key: b('foo') }],
  ['/v3/kv/put', { key: b('foo'), value: b('bar') }],
  ['/v3/kv/put', { key: b('foo'), value: b('baz'), prev_kv: true }],
  ['/v3/kv/range', { key: b('foo') }],
  ['/v3/kv/put', { key: '', value: b('x') }],
  ['/v3/kv/put', { key: b('a'), value: b('x'), ignore_value: true }],
  ['/v3/kv/put', { key: b('a'), lease: '5', ignore_lease: true }],
  ['/v3/kv/put', { key: b('a'), ignore_value: true }],
  ['/v3/kv/put', { key: b('a'), ignore_lease: true }],
  ['/v3/kv/put', { key: b('a'), lease: '12345' }],
  ['/v3/kv/put', { key: b('a'), value: '' }],
  ['/v3/kv/put', { key: b('b'), value: b('1') }],
  ['/v3/kv/put', { key: b('c'), value: b('2') }],
  ['/v3/kv/put', { key: b('b'), value: b('0'), prev_kv: true }],
  ['/v3/kv/put', { key: b('b'), ignore_value: true, prev_kv: true }],
  ['/v3/kv/range', { key: b('a'), range_end: b('\0') }],
  ['/v3/kv/range', { key: b('a'), range_end: b('\0'), limit: 1 }],
  ['/v3/kv/range', { key: b('a'), range_end: b('\0'), limit: '2', count_only: true }],
  ['/v3/kv/range', { key: b('a'), range_end: b('\0'), keys_only: true }],
  ['/v3/kv/range', { key: b('a'), range_end: b('\0'), sort_order: 'DESCEND', sort_target: 'MOD' }],
  ['/v3/kv/range', { key: b('a'), range_end: b('\0'), sort_target: 'VERSION' }],
  ['/v3/kv/range', { key: b('a'), range_end: b('\0'), sort_order: 'DESCEND' }],
  ['/v3/kv/range', { key: b('a'), range_end: b('\0'), sort_order: 'ASCEND', sort_target: 'VALUE', limit: 2 }],
  ['/v3/kv/range', { key: b('a'), range_end: b('\0'), min_mod_revision: 5, max_create_revision: 6 }],
  ['/v3/kv/range', { key: b('a'), range_end: b('\0'), min_create_revision: 5, limit: 1 }],
  ['/v3/kv/range', { key: b('a'), range_end: b('\0'), max_mod_revision: 4 }],
  ['/v3/kv/range', { key: b('a'), range_end: b('\0'), revision: 100 }],
  ['/v3/kv/range', { key: b('a'), range_end: b('\0'), revision: 2 }],
  ['/v3/kv/range', { key: b('a'), range_end: b('\0'), revision: -1 }],
  ['/v3/kv/range', { key: b('z') }],
  ['/v3/kv/range', { key: b('a'), range_end: b('a') }],
  ['/v3/kv/range', { key: b('b'), range_end: b('a') }],
  ['/v3/kv/range', {}],
  ['/v3/kv/range', { key: b('\0'), range_end: b('\0') }],
  ['/v3/kv/range', { key: b('a'), range_end: b('c') }],
  ['/v3/kv/range', { key: 'YQ=', range_end: b('c') }],
  ['/v3/kv/range', { key: b('a'), sort_order: 'BOGUS' }],
  ['/v3/kv/range', { key: b('a'), revision: 'abc' }],
  ['/v3/kv/deleterange', { key: b('zz') }],
  ['/v3/kv/deleterange', { key: b('c'), prev_kv: true }],
  ['/v3/kv/deleterange', {}],
  ['/v3/kv/deleterange', { key: b('a'), range_end: b('c'), prev_kv: true }],
  ['/v3/kv/put', { key: b('a'), value: b('again') }],
  ['/v3/kv/range', { key: b('a') }],
  ['/v3/kv/compaction', { revision: 0 }],
  ['/v3/kv/compaction', { revision: 3 }],
  ['/v3/kv/compaction', { revision: 3 }],
  ['/v3/kv/compaction', { revision: 2 }],
  ['/v3/kv/compaction', { revision: 1000 }],
  ['/v3/kv/compaction', { revision: 4, physical: true }],
  ['/v3/kv/range', { key: b('foo'), revision: 3 }],
  ['/v3/kv/range', { key: b('foo'), revision: 4 }],
  ['/v3/kv/txn', {}],
  ['/v3/kv/txn', { compare: [{ key: b('k'), target: 'VALUE', value: b('v') }], success: [{ request_put: { key: b('k'), value: b('v') } }], failure: [{ request_range: { key: b('k') } }] }],
  ['/v3/kv/txn', { compare: [{ key: b('k'), target: 'VERSION', result: 'EQUAL', version: '0' }], success: [{ request_put: { key: b('k'), value: b('v'), prev_kv: true } }, { request_range: { key: b('k') } }, { request_delete_range: { key: b('q') } }], failure: [] }],
  ['/v3/kv/txn', { compare: [{ key: b('k'), target: 'VERSION', result: 'GREATER', version: '0' }], success: [{ request_txn: { success: [{ request_put: { key: b('k2'), value: b('v') } }] } }, { request_delete_range: { key: b('k'), prev_kv: true } }] }],
  ['/v3/kv/txn', { success: [{ request_put: { key: b('k') } }, { request_put: { key: b('k') } }] }],
  ['/v3/kv/txn', { success: [{ request_put: { key: b('k') } }, { request_delete_range: { key: b('a'), range_end: b('z') } }] }],
  ['/v3/kv/txn', { success: [{ request_put: { key: b('k') } }, { request_delete_range: { key: b('a'), range_end: b('\0') } }] }],
  ['/v3/kv/txn', { success: [{ request_delete_range: { key: b('k') } }, { request_delete_range: { key: b('a'), range_end: b('z') } }] }],
  ['/v3/kv/txn', { success: [{ request_put: { key: b('k') } }], failure: [{ request_put: { key: b('k') } }] }],
  ['/v3/kv/txn', { success: [{ request_put: { key: b('k') } }, { request_txn: { success: [{ request_put: { key: b('k') } }] } }] }],
  ['/v3/kv/txn', { success: [{ request_put: { key: b('k') } }, { request_txn: { failure: [{ request_put: { key: b('k') } }] } }] }],
  ['/v3/kv/txn', { success: [{ request_txn: { success: [{ request_put: { key: b('m') } }], failure: [{ request_put: { key: b('m') } }] } }] }],
  ['/v3/kv/txn', { success: [{ request_put: { key: b('k'), lease: '999' } }] }],
  ['/v3/kv/txn', { success: [{ request_put: { key: b('nokey'), ignore_value: true } }] }],
  ['/v3/kv/txn', { success: [{ request_range: { key: b('k'), revision: 1 } }] }],
  ['/v3/kv/txn', { success: [{ request_range: { key: b('k'), revision: 1000 } }] }],
  ['/v3/kv/txn', { success: [{ request_range: { key: '' } }] }],
  ['/v3/kv/txn', { success: [{ request_put: { key: '' } }] }],
  ['/v3/kv/txn', { success: [{}] }],
  ['/v3/kv/txn', { compare: [{ key: '', target: 'VERSION' }] }],
  ['/v3/kv/txn', { compare: [{ key: b('a'), range_end: b('\0'), target: 'MOD', result: 'GREATER', mod_revision: '1' }], success: [{ request_range: { key: b('a'), range_end: b('\0'), keys_only: true } }] }],
  ['/v3/kv/txn', { compare: [{ key: b('a'), target: 'LEASE', result: 'EQUAL', lease: '0' }], success: [{ request_range: { key: b('a') } }] }],
  ['/v3/kv/txn', { compare: [{ key: b('zzz'), target: 'CREATE', result: 'NOT_EQUAL', create_revision: '0' }] }],
  ['/v3/kv/txn', { compare: [{ key: b('zzz'), target: 'VALUE', result: 'NOT_EQUAL', value: b('x') }], failure: [{ request_put: { key: b('zzz'), value: b('y') } }] }],
  ['/v3/kv/txn', { compare: [{ key: b('k'), range_end: b('l'), target: 'VERSION', result: 'LESS', version: '100' }], success: [{ request_put: { key: b('k'), value: b('1') } }, { request_put: { key: b('k1'), value: b('2') } }, { request_range: { key: b('k'), range_end: b('l') } }, { request_delete_range: { key: b('k1'), prev_kv: true } }, { request_delete_range: { key: b('nothing') } }] }],
  ['/v3/kv/txn', { success: [{ request_delete_range: { key: b('nothing') } }, { request_put: { key: b('k'), value: b('2') } }, { request_delete_range: { key: b('nothing') } }] }],
  ['/v3/lease/grant', { TTL: 100, ID: 77 }],
  ['/v3/lease/grant', { TTL: 100, ID: 77 }],
  ['/v3/lease/grant', { TTL: 9000000001, ID: 78 }],
  ['/v3/lease/grant', { TTL: 1, ID: 79 }],
  ['/v3/lease/grant', { TTL: '10', ID: '-5' }],
  ['/v3/lease/timetolive', { ID: 77 }],
  ['/v3/lease/timetolive', { ID: 78 }],
  ['/v3/kv/put', { key: b('l1'), lease: '77' }],
  ['/v3/kv/put', { key: b('l2'), value: b('x'), lease: '77' }],
  ['/v3/kv/put', { key: b('l3'), value: b('x'), lease: '-5' }],
  ['/v3/kv/put', { key: b('l3'), ignore_value: true, prev_kv: true }],
  ['/v3/kv/range', { key: b('l'), range_end: b('m') }],
  ['/v3/lease/timetolive', { ID: 77, keys: true }],
  ['/v3/kv/lease/timetolive', { ID: 77, keys: true }],
  ['/v3/lease/keepalive', { ID: 77 }],
  ['/v3/lease/keepalive', { ID: 78 }],
  ['/v3/kv/txn', { compare: [{ key: b('l1'), target: 'LEASE', result: 'EQUAL', lease: '77' }], success: [{ request_range: { key: b('l1') } }] }],
  ['/v3/lease/revoke', { ID: 78 }],
  ['/v3/lease/revoke', { ID: 77 }],
  ['/v3/kv/lease/revoke', { ID: 77 }],
  ['/v3/lease/revoke', { ID: 79 }],
  ['/v3/lease/revoke', {}],
  ['/v3/kv/range', { key: b('l'), range_end: b('m') }],
  ...sortSection(),
];

/**
 * Sorted ranges over up to 80 keys with many ties (equal versions, values, and create revisions
 * shared by a txn), where Go's unstable sort decides the order of equal elements.
 */
function sortSection(): [string, unknown][] {
  const out: [string, unknown][] = [];
  const key = (i: number) => b(`s${String(i).padStart(2, '0')}`);
  for (let i = 0; i < 80; i += 8) {
    out.push(['/v3/kv/txn', { success: Array.from({ length: 8 }, (_, j) => ({ request_put: { key: key(i + j), value: b(`v${(i + j) % 3}`) } })) }]);
  }
  for (let i = 0; i < 80; i += 1) {
    if ((i * 7) % 5 === 0) out.push(['/v3/kv/put', { key: key(i), value: b(`w${i % 4}`) }]);
    if ((i * 3) % 11 === 0) out.push(['/v3/kv/put', { key: key(i), value: b(`x${i % 2}`) }]);
  }
  const targets = ['KEY', 'VERSION', 'CREATE', 'MOD', 'VALUE'];
  for (const n of [13, 20, 50, 80]) {
    const range_end = key(n);
    for (const sort_target of targets) {
      for (const sort_order of ['ASCEND', 'DESCEND', 'NONE']) {
        out.push(['/v3/kv/range', { key: b('s'), range_end, sort_target, sort_order, keys_only: true }]);
      }
    }
    out.push(['/v3/kv/range', { key: b('s'), range_end, sort_target: 'VERSION', sort_order: 'DESCEND', limit: 7, keys_only: true }]);
  }
  return out;
}
