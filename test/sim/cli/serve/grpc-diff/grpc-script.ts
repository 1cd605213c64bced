// The script of raw gRPC requests the differential test sends, in this order, to a fresh real
// etcd 3.4 and to a fresh `detcd serve`: edge fields of every KV request, every compare target
// and result of a txn (nested ones too), the errors etcd answers (code and message), leases with
// fixed ids, watch streams (history, filters, ids, fragments, progress, cancels) and the
// maintenance calls. Both servers start empty, so every revision must match exactly.
import type { RawClient } from './raw-client.ts';
import { runGrpcStep, type GrpcStep, type Outcome } from '../../../../differential/grpc-steps.ts';

export type { Outcome } from '../../../../differential/grpc-steps.ts';

/** Bytes (latin1: one char per byte, so "\xff" is the byte 0xff) as the proto's base64. */
export const b = (s: string): string => Buffer.from(s, 'latin1').toString('base64');

/** `knownDifference`: why detcd answers differently from etcd 3.4 here, on purpose (the step is run and shown, not compared). */
export type Step = { name: string; knownDifference?: string } & GrpcStep;

const MB = 1024 * 1024;
const LARGE = 'x'.repeat(MB);
const TOO_LARGE = 'y'.repeat(1_600_000);
/** Over the gRPC receive limit (MaxRequestBytes + 512 KiB = 2 MiB): refused before the server reads it. */
const OVER_GRPC_LIMIT = 'z'.repeat(2_200_000);
const LEASE = '7000';
/** How long a known difference waits for a reply only etcd 3.4 sends (not compared: shown). */
const KNOWN_SILENCE_MS = 1_000;
const LEASE2 = '7001';

const put = (key: string, value: string, extra: object = {}): object => ({ key: b(key), value: b(value), ...extra });
const cmp = (target: string, result: string, key: string, field: object, extra: object = {}): object => ({ target, result, key: b(key), ...field, ...extra });
const opPut = (key: string, value: string): object => ({ request_put: put(key, value) });
const opGet = (key: string, extra: object = {}): object => ({ request_range: { key: b(key), ...extra } });
const opDel = (key: string, extra: object = {}): object => ({ request_delete_range: { key: b(key), ...extra } });

const compareTargets: [string, (key: string) => object][] = [
  ['VERSION', () => ({ version: '2' })],
  ['CREATE', () => ({ create_revision: '2' })],
  ['MOD', () => ({ mod_revision: '4' })],
  ['VALUE', () => ({ value: b('3') })],
  ['LEASE', () => ({ lease: '0' })],
];
const compareResults = ['EQUAL', 'GREATER', 'LESS', 'NOT_EQUAL'];

export const SCRIPT: Step[] = [
  { name: 'range on the empty store', call: 'KV.Range', req: { key: b('a') } },
  { name: 'range all on the empty store', call: 'KV.Range', req: { key: b('\0'), range_end: b('\0') } },
  { name: 'put a', call: 'KV.Put', req: put('a', '1') },
  { name: 'put b prev_kv of nothing', call: 'KV.Put', req: put('b', '2', { prev_kv: true }) },
  { name: 'put a prev_kv', call: 'KV.Put', req: put('a', '3', { prev_kv: true }) },
  { name: 'put c empty value', call: 'KV.Put', req: put('c', '') },
  { name: 'put a binary key with \\0 and 0xff', call: 'KV.Put', req: put('k\0\xff', '\0\x01\xff') },
  { name: 'put key 0xff', call: 'KV.Put', req: put('\xff', 'ff') },
  { name: 'put key 0xff 0xff', call: 'KV.Put', req: put('\xff\xff', 'ffff') },
  { name: 'put key \\0', call: 'KV.Put', req: put('\0', 'nul') },
  { name: 'put a 1 MiB value', call: 'KV.Put', req: put('large', LARGE) },
  { name: 'put ignore_value prev_kv', call: 'KV.Put', req: { key: b('b'), ignore_value: true, prev_kv: true } },
  { name: 'put ignore_lease', call: 'KV.Put', req: put('b', '22', { ignore_lease: true }) },
  { name: 'put without a key', call: 'KV.Put', req: { value: b('v') } },
  { name: 'put ignore_value with a value', call: 'KV.Put', req: put('b', 'v', { ignore_value: true }) },
  { name: 'put ignore_lease with a lease', call: 'KV.Put', req: put('b', 'v', { ignore_lease: true, lease: '5' }) },
  { name: 'put ignore_value on a missing key', call: 'KV.Put', req: { key: b('missing'), ignore_value: true } },
  { name: 'put ignore_lease on a missing key', call: 'KV.Put', req: put('missing', 'v', { ignore_lease: true }) },
  { name: 'put with an unknown lease', call: 'KV.Put', req: put('b', 'v', { lease: '12345' }) },
  { name: 'put a value over MaxRequestBytes', call: 'KV.Put', req: put('big', TOO_LARGE) },
  { name: 'put a value over the gRPC receive limit', call: 'KV.Put', req: put('bigger', OVER_GRPC_LIMIT) },
  { name: 'put a 5 MB value (grpc-go\'s words, whatever the size)', call: 'KV.Put', req: put('biggest', 'y'.repeat(5_000_000)) },
  { name: 'a 3 MB range request', call: 'KV.Range', req: { key: b('r'.repeat(3_000_000)) } },
  { name: 'range after the refused puts', call: 'KV.Range', req: { key: b('\0'), range_end: b('\0'), keys_only: true } },

  // Range: key ranges, limits, sorting, filters, revisions.
  { name: 'range all keys', call: 'KV.Range', req: { key: b('\0'), range_end: b('\0'), keys_only: true } },
  { name: 'range from a key', call: 'KV.Range', req: { key: b('b'), range_end: b('\0'), keys_only: true } },
  { name: 'range empty key with range_end \\0', call: 'KV.Range', req: { key: '', range_end: b('\0'), keys_only: true } },
  { name: 'range empty key alone', call: 'KV.Range', req: { key: '' } },
  { name: 'range [a, c)', call: 'KV.Range', req: { key: b('a'), range_end: b('c') } },
  { name: 'range key >= range_end', call: 'KV.Range', req: { key: b('c'), range_end: b('a') } },
  { name: 'range prefix 0xff', call: 'KV.Range', req: { key: b('\xff'), range_end: b('\0'), keys_only: true } },
  { name: 'range the binary key', call: 'KV.Range', req: { key: b('k\0\xff') } },
  { name: 'range the 1 MiB value', call: 'KV.Range', req: { key: b('large') } },
  { name: 'range limit 2 (more)', call: 'KV.Range', req: { key: b('\0'), range_end: b('\0'), limit: '2', keys_only: true } },
  { name: 'range limit = count (no more)', call: 'KV.Range', req: { key: b('a'), range_end: b('c'), limit: '2' } },
  { name: 'range negative limit', call: 'KV.Range', req: { key: b('a'), range_end: b('c'), limit: '-1' } },
  { name: 'range count_only', call: 'KV.Range', req: { key: b('\0'), range_end: b('\0'), count_only: true } },
  { name: 'range count_only limit 1', call: 'KV.Range', req: { key: b('\0'), range_end: b('\0'), count_only: true, limit: '1' } },
  ...['KEY', 'VERSION', 'CREATE', 'MOD', 'VALUE'].flatMap((target) =>
    ['NONE', 'ASCEND', 'DESCEND'].map((order) => ({
      name: `range sort ${target} ${order} limit 3`,
      call: 'KV.Range',
      req: { key: b('a'), range_end: b('z'), sort_target: target, sort_order: order, limit: '3' },
    })),
  ),
  { name: 'range min_mod_revision 4', call: 'KV.Range', req: { key: b('\0'), range_end: b('\0'), min_mod_revision: '4', keys_only: true } },
  { name: 'range max_mod_revision 4', call: 'KV.Range', req: { key: b('\0'), range_end: b('\0'), max_mod_revision: '4', keys_only: true } },
  { name: 'range min_create_revision 5', call: 'KV.Range', req: { key: b('\0'), range_end: b('\0'), min_create_revision: '5', keys_only: true } },
  { name: 'range max_create_revision 3 limit 1', call: 'KV.Range', req: { key: b('\0'), range_end: b('\0'), max_create_revision: '3', limit: '1', keys_only: true } },
  { name: 'range filters and count_only', call: 'KV.Range', req: { key: b('\0'), range_end: b('\0'), min_mod_revision: '8', count_only: true } },
  { name: 'range at revision 3', call: 'KV.Range', req: { key: b('a'), range_end: b('c'), revision: '3' } },
  { name: 'range at revision -5 (current)', call: 'KV.Range', req: { key: b('a'), revision: '-5' } },
  { name: 'range at the current revision', call: 'KV.Range', req: { key: b('a'), revision: '12' } },
  { name: 'range at a future revision', call: 'KV.Range', req: { key: b('a'), revision: '13' } },
  { name: 'range serializable', call: 'KV.Range', req: { key: b('a'), serializable: true } },
  { name: 'range with an unknown sort order', knownDifference: 'detcd refuses an enum value the proto does not define (INVALID_ARGUMENT naming the enum); etcd 3.4 ignores an unknown sort order, counts an unknown compare result or target as true, and panics (drops the connection) on an unknown sort target or alarm action, so those two are not sent', call: 'KV.Range', req: { key: b('a'), range_end: b('c'), sort_order: 7 } },
  { name: 'range with a negative revision filter', call: 'KV.Range', req: { key: b('a'), range_end: b('c'), min_mod_revision: '-3', max_create_revision: '-1' } },

  // DeleteRange.
  { name: 'delete a missing key', call: 'KV.DeleteRange', req: { key: b('nothing'), prev_kv: true } },
  { name: 'delete without a key', call: 'KV.DeleteRange', req: {} },
  { name: 'delete the \\0 key prev_kv', call: 'KV.DeleteRange', req: { key: b('\0'), prev_kv: true } },
  { name: 'delete prefix 0xff', call: 'KV.DeleteRange', req: { key: b('\xff'), range_end: b('\0'), prev_kv: true } },

  // Txn.
  { name: 'empty txn', call: 'KV.Txn', req: {} },
  ...compareTargets.flatMap(([target, field]) =>
    compareResults.map((result) => ({
      name: `txn compare ${target} ${result} on a`,
      call: 'KV.Txn',
      req: { compare: [cmp(target, result, 'a', field('a'))], success: [opGet('a')], failure: [opGet('b', { keys_only: true })] },
    })),
  ),
  ...compareTargets.map(([target, field]) => ({
    name: `txn compare ${target} NOT_EQUAL on a missing key`,
    call: 'KV.Txn',
    req: { compare: [cmp(target, 'NOT_EQUAL', 'missing', field('missing'))], success: [opGet('a', { count_only: true })] },
  })),
  ...compareTargets.map(([target, field]) => ({
    name: `txn compare ${target} GREATER over a range`,
    call: 'KV.Txn',
    req: { compare: [cmp(target, 'GREATER', 'a', field('a'), { range_end: b('d') })] },
  })),
  { name: 'txn compare VALUE with no value given', call: 'KV.Txn', req: { compare: [{ target: 'VALUE', key: b('c') }] } },
  { name: 'txn compare on an empty key', call: 'KV.Txn', req: { compare: [{ target: 'VERSION', result: 'EQUAL', key: '' }] } },
  { name: 'txn compare with an unknown result', knownDifference: 'detcd refuses an enum value the proto does not define (INVALID_ARGUMENT naming the enum); etcd 3.4 ignores an unknown sort order, counts an unknown compare result or target as true, and panics (drops the connection) on an unknown sort target or alarm action, so those two are not sent', call: 'KV.Txn', req: { compare: [{ target: 'VERSION', result: 9, key: b('a'), version: '1' }] } },
  { name: 'txn compare with an unknown target', knownDifference: 'detcd refuses an enum value the proto does not define (INVALID_ARGUMENT naming the enum); etcd 3.4 ignores an unknown sort order, counts an unknown compare result or target as true, and panics (drops the connection) on an unknown sort target or alarm action, so those two are not sent', call: 'KV.Txn', req: { compare: [{ target: 9, result: 'EQUAL', key: b('a') }] } },
  { name: 'txn with an empty request op', call: 'KV.Txn', req: { success: [{}] } },
  { name: 'txn deletes a key then puts it (duplicate key)', call: 'KV.Txn', req: { success: [opPut('t1', 'x'), opDel('a', { prev_kv: true }), opPut('a', 'again')] } },
  { name: 'txn writes then reads its own writes', call: 'KV.Txn', req: { success: [opPut('t1', 'x'), opGet('t1'), opDel('c', { prev_kv: true }), opGet('c'), opPut('t0', 'again'), opGet('t', { range_end: b('u'), count_only: true })] } },
  { name: 'txn failure branch with a put', call: 'KV.Txn', req: { compare: [cmp('VALUE', 'EQUAL', 't1', { value: b('nope') })], success: [opPut('t2', 's')], failure: [opPut('t2', 'f'), opGet('t', { range_end: b('u') })] } },
  { name: 'txn failed compare without writes', call: 'KV.Txn', req: { compare: [cmp('VERSION', 'GREATER', 't1', { version: '100' })], success: [opPut('t3', 's')] } },
  { name: 'txn nested', call: 'KV.Txn', req: { success: [opPut('n1', '1'), { request_txn: { compare: [cmp('VERSION', 'EQUAL', 'n1', { version: '0' })], success: [opPut('n2', 'inner-s')], failure: [opPut('n2', 'inner-f'), opGet('n1')] } }] } },
  { name: 'txn nested read-only', call: 'KV.Txn', req: { success: [{ request_txn: { success: [opGet('n', { range_end: b('o') })] } }] } },
  { name: 'txn nested empty', call: 'KV.Txn', req: { success: [{ request_txn: {} }] } },
  { name: 'txn duplicate put keys', call: 'KV.Txn', req: { success: [opPut('d', '1'), opPut('d', '2')] } },
  { name: 'txn put inside a deleted range', call: 'KV.Txn', req: { success: [opDel('d', { range_end: b('e') }), opPut('d1', '1')] } },
  { name: 'txn two overlapping deletes', call: 'KV.Txn', req: { success: [opDel('d', { range_end: b('e') }), opDel('d1')] } },
  { name: 'txn the same key in then and else', call: 'KV.Txn', req: { compare: [cmp('VERSION', 'EQUAL', 'zz', { version: '0' })], success: [opPut('e1', 's')], failure: [opPut('e1', 'f')] } },
  { name: 'txn duplicate put in a nested txn and its parent', call: 'KV.Txn', req: { success: [opPut('d2', '1'), { request_txn: { success: [opPut('d2', '2')] } }] } },
  { name: 'txn duplicate put in two nested txns', call: 'KV.Txn', req: { success: [{ request_txn: { success: [opPut('d3', '1')] } }, { request_txn: { success: [opPut('d3', '2')] } }] } },
  { name: 'txn with 129 compares', call: 'KV.Txn', req: { compare: Array.from({ length: 129 }, () => cmp('VERSION', 'EQUAL', 'a', { version: '1' })) } },
  { name: 'txn with 128 gets', call: 'KV.Txn', req: { success: Array.from({ length: 128 }, () => opGet('a', { count_only: true })) } },
  { name: 'txn with a put of an unknown lease', call: 'KV.Txn', req: { success: [opPut('t4', 'x'), { request_put: put('t5', 'y', { lease: '999' }) }] } },
  { name: 'txn with a range at a future revision', call: 'KV.Txn', req: { success: [opPut('t4', 'x'), opGet('a', { revision: '1000' })] } },
  { name: 'txn ignore_value on a missing key', call: 'KV.Txn', req: { success: [{ request_put: { key: b('missing'), ignore_value: true } }] } },
  { name: 'txn put without a key', call: 'KV.Txn', req: { success: [{ request_put: { value: b('v') } }] } },
  { name: 'txn put ignore_value with a value', call: 'KV.Txn', req: { success: [{ request_put: put('a', 'v', { ignore_value: true }) }] } },

  // Leases (fixed ids: the servers would pick different ones).
  { name: 'lease grant id 7000 ttl 100', call: 'Lease.LeaseGrant', req: { ID: LEASE, TTL: '100' } },
  { name: 'lease grant the same id', call: 'Lease.LeaseGrant', req: { ID: LEASE, TTL: '100' } },
  { name: 'lease grant a too large ttl', call: 'Lease.LeaseGrant', req: { ID: '7002', TTL: '9000000001' } },
  { name: 'lease grant a negative id', call: 'Lease.LeaseGrant', req: { ID: '-7', TTL: '100' } },
  { name: 'put with the lease', call: 'KV.Put', req: put('l1', 'v', { lease: LEASE }) },
  { name: 'put with the lease', call: 'KV.Put', req: put('l2', 'v', { lease: LEASE }) },
  { name: 'put ignore_lease keeps the lease', call: 'KV.Put', req: put('l2', 'w', { ignore_lease: true, prev_kv: true }) },
  { name: 'range a leased key', call: 'KV.Range', req: { key: b('l'), range_end: b('m') } },
  { name: 'txn compare LEASE EQUAL', call: 'KV.Txn', req: { compare: [cmp('LEASE', 'EQUAL', 'l1', { lease: LEASE })], success: [opGet('l1', { keys_only: true })] } },
  { name: 'lease time to live with keys', call: 'Lease.LeaseTimeToLive', req: { ID: LEASE, keys: true } },
  { name: 'lease time to live without keys', call: 'Lease.LeaseTimeToLive', req: { ID: LEASE } },
  { name: 'lease time to live of an unknown lease', call: 'Lease.LeaseTimeToLive', req: { ID: '424242', keys: true } },
  { name: 'lease keep-alive: known, unknown, known', stream: 'Lease.LeaseKeepAlive', actions: [{ send: { ID: LEASE } }, { send: { ID: '424242' } }, { send: { ID: LEASE } }, { replies: 3 }] },
  { name: 'lease revoke an unknown lease', call: 'Lease.LeaseRevoke', req: { ID: '424242' } },
  { name: 'lease revoke with keys', call: 'Lease.LeaseRevoke', req: { ID: LEASE } },
  { name: 'range after the revoke', call: 'KV.Range', req: { key: b('l'), range_end: b('m') } },
  { name: 'lease time to live of the revoked lease', call: 'Lease.LeaseTimeToLive', req: { ID: LEASE } },
  { name: 'lease revoke the revoked lease', call: 'Lease.LeaseRevoke', req: { ID: LEASE } },
  { name: 'lease leases', call: 'Lease.LeaseLeases', req: {} },

  // Watch streams.
  {
    name: 'watch history with prev_kv from rev 2 over a prefix',
    stream: 'Watch.Watch',
    actions: [{ send: { create_request: { key: b('a'), range_end: b('c'), start_revision: '2', prev_kv: true } } }, { replies: 2 }, { send: { progress_request: {} } }, { replies: 3 }],
  },
  {
    name: 'watch the live key, a put and a delete on the side',
    stream: 'Watch.Watch',
    actions: [
      { send: { create_request: { key: b('w') } } },
      { replies: 1 },
      { call: 'KV.Put', req: put('w', '1') },
      { call: 'KV.DeleteRange', req: { key: b('w') } },
      { replies: 3 },
      // Whatever else the stream would send comes before the progress answer.
      { send: { progress_request: {} } },
      { replies: 4 },
    ],
  },
  {
    name: 'watch with filters NOPUT and NODELETE, range_end \\0, one txn with both',
    stream: 'Watch.Watch',
    actions: [
      { send: { create_request: { key: b('f'), range_end: b('\0'), filters: ['NOPUT'] } } },
      { replies: 1 },
      { send: { create_request: { key: b('f'), range_end: b('g'), filters: ['NODELETE'], prev_kv: true } } },
      { replies: 2 },
      { call: 'KV.Put', req: put('f1', 'v') },
      { call: 'KV.Txn', req: { success: [opDel('f1'), opPut('f2', 'v')] } },
      { replies: 5 },
      { send: { progress_request: {} } },
      { replies: 6 },
    ],
  },
  {
    name: 'watch ids: chosen, duplicate, cancel unknown, cancel known, progress',
    stream: 'Watch.Watch',
    actions: [
      { send: { create_request: { key: b('i'), watch_id: '7' } } },
      { replies: 1 },
      { send: { create_request: { key: b('j'), watch_id: '7' } } },
      { replies: 2 },
      { send: { create_request: { key: b('k') } } },
      { replies: 3 },
      // etcd answers nothing to the cancel of an unknown id; the progress request's answer must come next.
      { send: { cancel_request: { watch_id: '99' } } },
      { send: { progress_request: {} } },
      { replies: 4 },
      { send: { cancel_request: { watch_id: '7' } } },
      { replies: 5 },
      { send: { cancel_request: { watch_id: '7' } } },
      { send: { progress_request: {} } },
      { replies: 6 },
    ],
  },
  {
    name: 'watch at a future revision stays silent; progress',
    knownDifference: 'etcd 3.4 answers a progress request at once even when a watch of the stream waits for a future revision (or is still catching up: etcd#15220); detcd answers it only when every watch is synced and at its start revision, as etcd 3.6 does (etcd#20221)',
    stream: 'Watch.Watch',
    actions: [
      { send: { create_request: { key: b('q'), start_revision: '1000', progress_notify: true } } },
      { replies: 1 },
      { send: { progress_request: {} } },
      { replies: 2, maxMs: KNOWN_SILENCE_MS },
    ],
  },
  {
    name: 'watch with an empty range, an empty key, an unknown filter, an empty request',
    stream: 'Watch.Watch',
    actions: [
      { send: { create_request: { key: b('z'), range_end: b('a') } } },
      { replies: 1 },
      // From revision 20: created, then the events since (etcd sends them at its next sync).
      { send: { create_request: { key: '', range_end: b('\0'), start_revision: '20' } } },
      { replies: 3 },
      { send: { create_request: { key: b('u'), filters: [5] } } },
      { replies: 4 },
      { send: {} },
      { send: { progress_request: {} } },
      { replies: 5 },
    ],
  },
  {
    // Created, then (at the next sync of unsynced watchers, every 100 ms in etcd) canceled with
    // the compact revision, -1 before any compaction.
    name: 'watch from a negative start revision',
    stream: 'Watch.Watch',
    actions: [{ send: { create_request: { key: b('a'), start_revision: '-3' } } }, { replies: 2 }],
  },
  { name: 'put a second 1 MiB value', call: 'KV.Put', req: put('large2', LARGE) },
  {
    name: 'watch two 1 MiB revisions with fragment',
    stream: 'Watch.Watch',
    actions: [{ send: { create_request: { key: b('large'), range_end: b('larh'), start_revision: '10', fragment: true } } }, { replies: 3 }, { send: { progress_request: {} } }, { replies: 4 }],
  },
  {
    name: 'watch two 1 MiB revisions without fragment',
    stream: 'Watch.Watch',
    actions: [{ send: { create_request: { key: b('large'), range_end: b('larh'), start_revision: '10' } } }, { replies: 2 }, { send: { progress_request: {} } }, { replies: 3 }],
  },
  { name: 'watch requiring a leader', stream: 'Watch.Watch', hasLeader: true, actions: [{ send: { create_request: { key: b('a') } } }, { replies: 1 }, { send: { progress_request: {} } }, { replies: 2 }] },

  // Compaction.
  { name: 'compact at 4', call: 'KV.Compact', req: { revision: '4' } },
  { name: 'compact at 4 again', call: 'KV.Compact', req: { revision: '4' } },
  { name: 'compact at 3', call: 'KV.Compact', req: { revision: '3' } },
  { name: 'compact in the future', call: 'KV.Compact', req: { revision: '1000' } },
  { name: 'compact at 6 physical', call: 'KV.Compact', req: { revision: '6', physical: true } },
  { name: 'range at the compacted revision 5', call: 'KV.Range', req: { key: b('a'), revision: '5' } },
  { name: 'range at the compact revision 6', call: 'KV.Range', req: { key: b('a'), range_end: b('c'), revision: '6' } },
  { name: 'txn with a range at a compacted revision', call: 'KV.Txn', req: { success: [opPut('t6', 'x'), opGet('a', { revision: '2' })] } },
  { name: 'txn read-only at a compacted revision', call: 'KV.Txn', req: { success: [opGet('a', { revision: '2' })] } },
  {
    name: 'watch from a compacted revision',
    knownDifference: 'etcd 3.4 answers a progress request on a stream whose watches were all canceled; etcd 3.5 and detcd answer nothing (no watch to answer for)',
    stream: 'Watch.Watch',
    actions: [{ send: { create_request: { key: b('a'), start_revision: '3' } } }, { replies: 2 }, { send: { progress_request: {} } }, { replies: 3, maxMs: KNOWN_SILENCE_MS }],
  },
  {
    name: 'watch from the compact revision',
    stream: 'Watch.Watch',
    actions: [{ send: { create_request: { key: b('k'), range_end: b('l'), start_revision: '6', prev_kv: true } } }, { replies: 2 }, { send: { progress_request: {} } }, { replies: 3 }],
  },

  // Maintenance and cluster.
  { name: 'status', call: 'Maintenance.Status', req: {} },
  { name: 'hash', call: 'Maintenance.Hash', req: {} },
  { name: 'hashkv', call: 'Maintenance.HashKV', req: {} },
  { name: 'hashkv at 10', call: 'Maintenance.HashKV', req: { revision: '10' } },
  { name: 'hashkv at a compacted revision', call: 'Maintenance.HashKV', req: { revision: '2' } },
  { name: 'hashkv at the compact revision itself', call: 'Maintenance.HashKV', req: { revision: '6' } },
  { name: 'hashkv just past the compact revision', call: 'Maintenance.HashKV', req: { revision: '7' } },
  { name: 'hashkv in the future', call: 'Maintenance.HashKV', req: { revision: '1000' } },
  { name: 'alarm get', call: 'Maintenance.Alarm', req: {} },
  { name: 'alarm deactivate NOSPACE', call: 'Maintenance.Alarm', req: { action: 'DEACTIVATE', alarm: 'NOSPACE' } },
  { name: 'defragment', call: 'Maintenance.Defragment', req: {} },
  { name: 'member list', call: 'Cluster.MemberList', req: {} },
  { name: 'move leader to an unknown member', call: 'Maintenance.MoveLeader', req: { targetID: '12345' } },
  { name: 'move leader to itself', call: 'Maintenance.MoveLeader', req: { targetID: '{SELF}' } },

  // gRPC's health service, which etcd registers on its client port.
  { name: 'health check of the server', call: 'Health.Check', req: {} },
  { name: 'health check of a named service', call: 'Health.Check', req: { service: 'etcdserverpb.KV' } },
  { name: 'health watch of the server', serverStream: 'Health.Watch', req: {}, replies: 1 },
  { name: 'health watch of a named service', serverStream: 'Health.Watch', req: { service: 'nope' }, replies: 1 },

  // Methods the server does not have, answered by grpc-go's own words (sim/cli/serve/unknown-method.ts):
  // a 3.5 client's method, a service 3.4 lacks, reflection, a path with no method, one with two.
  { name: 'a method 3.4 lacks (3.5\'s Downgrade)', path: '/etcdserverpb.Maintenance/Downgrade' },
  { name: 'a method name in the wrong case', path: '/etcdserverpb.KV/range' },
  { name: 'an unknown service', path: '/etcdserverpb.Nope/Range' },
  { name: 'grpc reflection (not served by 3.4)', path: '/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo' },
  { name: 'a path without a method', path: '/nope' },
  { name: 'a path with one part too many', path: '/etcdserverpb.KV/Range/x' },

  // Auth: an empty store with authentication disabled.
  { name: 'auth disable', call: 'Auth.AuthDisable', req: {} },
  { name: 'auth enable without a root user', call: 'Auth.AuthEnable', req: {} },
  { name: 'authenticate', call: 'Auth.Authenticate', req: { name: 'root', password: 'x' } },
  { name: 'user list', call: 'Auth.UserList', req: {} },
  { name: 'role list', call: 'Auth.RoleList', req: {} },
  { name: 'user get', call: 'Auth.UserGet', req: { name: 'u' } },
  { name: 'user add without a name', call: 'Auth.UserAdd', req: {} },
  { name: 'role add without a name', call: 'Auth.RoleAdd', req: {} },
  { name: 'user delete', call: 'Auth.UserDelete', req: { name: 'u' } },
  { name: 'user change password', call: 'Auth.UserChangePassword', req: { name: 'u', password: 'p' } },
  { name: 'user grant role', call: 'Auth.UserGrantRole', req: { user: 'u', role: 'r' } },
  { name: 'user revoke role', call: 'Auth.UserRevokeRole', req: { name: 'u', role: 'r' } },
  { name: 'role get', call: 'Auth.RoleGet', req: { role: 'r' } },
  { name: 'role delete', call: 'Auth.RoleDelete', req: { role: 'r' } },
  { name: 'role grant permission', call: 'Auth.RoleGrantPermission', req: { name: 'r', perm: { permType: 'READ', key: b('a') } } },
  { name: 'role revoke permission', call: 'Auth.RoleRevokePermission', req: { role: 'r', key: b('a') } },
  // v3lock (etcd's lock service, run over the KV API): uncontended locks, a lease's own lock taken
  // again, unknown leases, unlocks (the contended case: grpc-endpoints.test.ts).
  { name: 'lease for locks', call: 'Lease.LeaseGrant', req: { ID: '8001', TTL: '600' } },
  { name: 'lease for locks, another', call: 'Lease.LeaseGrant', req: { ID: '8002', TTL: '600' } },
  { name: 'lock', call: 'Lock.Lock', req: { name: b('lk'), lease: '8001' } },
  { name: 'lock again with the same lease', call: 'Lock.Lock', req: { name: b('lk'), lease: '8001' } },
  { name: 'lock another name', call: 'Lock.Lock', req: { name: b('lk2'), lease: '8002' } },
  { name: 'lock an empty name', call: 'Lock.Lock', req: { lease: '8002' } },
  { name: 'lock with an unknown lease', call: 'Lock.Lock', req: { name: b('lk3'), lease: '8999' } },
  { name: 'the lock keys', call: 'KV.Range', req: { key: b('lk'), range_end: b('ll') } },
  { name: 'unlock', call: 'Lock.Unlock', req: { key: b('lk/1f41') } },
  { name: 'unlock a key nobody holds', call: 'Lock.Unlock', req: { key: b('lk/1f41') } },
  { name: 'unlock without a key', call: 'Lock.Unlock', req: {} },
  { name: 'lock after the unlock, by the other lease', call: 'Lock.Lock', req: { name: b('lk'), lease: '8002' } },
  { name: 'revoke a lock\'s lease', call: 'Lease.LeaseRevoke', req: { ID: '8002' } },
  { name: 'the lock keys after the revoke', call: 'KV.Range', req: { key: b('\0'), range_end: b('\0'), keys_only: true } },
  // v3election (etcd's election service, run over the KV API): no leader, a campaign, the same
  // candidate again (same value: nothing; another value: proclaimed), an observer, proclaims and
  // resigns with a stale leader key, a resign (contention, observing changes: lock-service.test.ts).
  { name: 'lease for elections', call: 'Lease.LeaseGrant', req: { ID: '8003', TTL: '600' } },
  { name: 'election leader, nobody campaigned', call: 'Election.Leader', req: { name: b('el') } },
  { name: 'campaign', call: 'Election.Campaign', req: { name: b('el'), lease: '8003', value: b('v1') } },
  { name: 'election leader', call: 'Election.Leader', req: { name: b('el') } },
  { name: 'campaign again, same value', call: 'Election.Campaign', req: { name: b('el'), lease: '8003', value: b('v1') } },
  { name: 'campaign again, another value', call: 'Election.Campaign', req: { name: b('el'), lease: '8003', value: b('v2') } },
  { name: 'election leader after the second campaign', call: 'Election.Leader', req: { name: b('el') } },
  { name: 'observe the election (its leader now)', serverStream: 'Election.Observe', req: { name: b('el') }, replies: 1 },
  { name: 'proclaim with a stale leader key', call: 'Election.Proclaim', req: { leader: { name: b('el'), key: b('el/1f43'), rev: '1', lease: '8003' }, value: b('v3') } },
  { name: 'proclaim without a leader key', call: 'Election.Proclaim', req: { value: b('v3') } },
  { name: 'resign with a stale leader key', call: 'Election.Resign', req: { leader: { name: b('el'), key: b('el/1f43'), rev: '1', lease: '8003' } } },
  { name: 'resign without a leader key', call: 'Election.Resign', req: {} },
  { name: 'campaign with an unknown lease', call: 'Election.Campaign', req: { name: b('el2'), lease: '8999', value: b('x') } },
  { name: 'election leader, still', call: 'Election.Leader', req: { name: b('el') } },
  { name: 'proclaim', call: 'Election.Proclaim', req: { leader: { name: b('el'), key: b('el/1f43'), rev: '34', lease: '8003' }, value: b('v3') } },
  { name: 'resign', call: 'Election.Resign', req: { leader: { name: b('el'), key: b('el/1f43'), rev: '34', lease: '8003' } } },
  { name: 'election leader after the resign', call: 'Election.Leader', req: { name: b('el') } },
  { name: 'range all at the end', call: 'KV.Range', req: { key: b('\0'), range_end: b('\0'), keys_only: true } },
  // A range_end present but empty on the wire (grpc-js clients send one): "from key on" where etcd
  // serves without raft (Range, a read-only Txn), one key where the request goes through raft.
  { name: 'put ere/a', call: 'KV.Put', req: put('ere/a', '1') },
  { name: 'put ere/b', call: 'KV.Put', req: put('ere/b', '1') },
  { name: 'put ere/c', call: 'KV.Put', req: put('ere/c', '1') },
  { name: 'range with an empty range_end sent', call: 'KV.Range', req: { key: b('ere/b'), range_end: '', keys_only: true } },
  { name: 'read-only txn, compare and range with an empty range_end sent', call: 'KV.Txn', req: { compare: [cmp('VERSION', 'EQUAL', 'ere/b', { version: '1' }, { range_end: '' })], success: [opGet('ere/b', { range_end: '', keys_only: true })], failure: [opGet('ere/a', { range_end: '', count_only: true })] } },
  { name: 'read-only nested txn, range with an empty range_end sent', call: 'KV.Txn', req: { success: [{ request_txn: { success: [opGet('ere/b', { range_end: '', count_only: true })] } }] } },
  { name: 'writing txn, compare and range with an empty range_end sent', call: 'KV.Txn', req: { compare: [cmp('VERSION', 'EQUAL', 'ere/b', { version: '1' }, { range_end: '' })], success: [opPut('ere/x', '1'), opGet('ere/b', { range_end: '', keys_only: true })], failure: [opPut('ere/y', '1')] } },
  { name: 'delete with an empty range_end sent', call: 'KV.DeleteRange', req: { key: b('ere/a'), range_end: '', prev_kv: true } },
  { name: 'range ere/ after the delete', call: 'KV.Range', req: { key: b('ere/'), range_end: b('ere0'), keys_only: true } },
  // Last: leases of the minimum TTL (2 s) expire while the script runs, at times that differ.
  { name: 'lease grant ttl 1 (raised to the minimum)', call: 'Lease.LeaseGrant', req: { ID: LEASE2, TTL: '1' } },
  { name: 'lease grant a negative ttl', call: 'Lease.LeaseGrant', req: { ID: '7003', TTL: '-5' } },
  { name: 'lease revoke the short lease', call: 'Lease.LeaseRevoke', req: { ID: '7003' } },
];

/**
 * Integer fields as the gateway's jsonpb reads them (Go's strconv and json.Unmarshal): a number
 * or a string holding one, in the range of the field's Go type (int64, uint64, an enum's int32);
 * JSON.parse would read 1e3 as 1000 and 99999999999999999999 as 1e20. Raw request texts.
 */
const GATEWAY_INTEGERS: { path: string; text: string }[] = [
  ...['"99999999999999999999"', '99999999999999999999', '"9223372036854775808"', '"-9223372036854775809"', '"-9223372036854775808"', '1e3', '"1e3"', '1.0', '1e400', '"01"', '" 1"', '"1 "', '"1x"', '"0x10"', '"-"', '"1."', '"1e"', '"{"', '"[1]"', '"true"', '"null"', '"\\"1\\""', '9007199254740993', '-0', '"-0"']
    .map((limit) => ({ path: '/v3/kv/range', text: `{"key":"YQ==","limit":${limit}}` })),
  { path: '/v3/kv/range', text: '{"key":"YQ==","sort_target":1.0}' },
  // Reads over the gateway: every sort target and order (by name and by number), serializable, negative and huge fields.
  ...['KEY', 'VERSION', 'CREATE', 'MOD', 'VALUE', 0, 4].flatMap((target) => ['NONE', 'ASCEND', 'DESCEND', 2].map((order) => ({
    path: '/v3/kv/range', text: JSON.stringify({ key: b('\0'), range_end: b('\0'), sort_target: target, sort_order: order, limit: '3', keys_only: true }),
  }))),
  { path: '/v3/kv/range', text: '{"key":"YQ==","serializable":true}' },
  { path: '/v3/kv/range', text: '{"key":"AA==","range_end":"AA==","serializable":true,"count_only":true}' },
  { path: '/v3/kv/range', text: '{"key":"YQ==","revision":"-1","limit":"-5","min_mod_revision":"-1","max_create_revision":"-9223372036854775808"}' },
  { path: '/v3/kv/range', text: '{"key":"AA==","range_end":"AA==","limit":"9223372036854775807","keys_only":true}' },
  { path: '/v3/kv/range', text: '{"key":"YQ==","revision":"9223372036854775807"}' },
  { path: '/v3/kv/range', text: '{"key":"YQ==","rangeEnd":"eg==","keysOnly":true,"countOnly":false}' },
  { path: '/v3/kv/range', text: '{"key":"YQ==","revision":"99999999999999999999"}' },
  { path: '/v3/kv/txn', text: '{"compare":[{"key":"YQ==","target":"VERSION","version":1e3}]}' },
  { path: '/v3/kv/txn', text: '{"success":[{"request_range":{"key":"YQ==","limit":"99999999999999999999"}}]}' },
  { path: '/v3/kv/compaction', text: '{"revision":"99999999999999999999"}' },
  { path: '/v3/lease/grant', text: '{"TTL":"18446744073709551616"}' },
  { path: '/v3/lease/revoke', text: '{"ID":"9223372036854775808"}' },
  { path: '/v3/lease/revoke', text: '{"ID":"-9223372036854775808"}' },
  { path: '/v3/lease/timetolive', text: '{"ID":1e3}' },
  { path: '/v3/lock/lock', text: '{"name":"YQ==","lease":1e3}' },
  { path: '/v3/auth/user/get', text: '{"name":1e3}' },
  // The methods answered beside the member: their requests are decoded as etcd's gateway decodes them.
  { path: '/v3/cluster/member/remove', text: '{"ID":"-1"}' },
  { path: '/v3/cluster/member/remove', text: '{"ID":"18446744073709551616"}' },
  { path: '/v3/cluster/member/remove', text: '{"ID":"18446744073709551615"}' },
  { path: '/v3/cluster/member/remove', text: '{}' },
  { path: '/v3/cluster/member/remove', text: '{"ID":"abc"}' },
  { path: '/v3/cluster/member/promote', text: '{"ID":1e3}' },
  { path: '/v3/cluster/member/update', text: '{"ID":"5","peerURLs":{}}' },
  { path: '/v3/cluster/member/add', text: '{"peerURLs":"x"}' },
  { path: '/v3/cluster/member/add', text: '{"peerURLs":[1]}' },
  { path: '/v3/cluster/member/add', text: '{"isLearner":"yes"}' },
  { path: '/v3/maintenance/alarm', text: '{"action":"NOPE"}' },
  { path: '/v3/maintenance/alarm', text: '{"alarm":"NOPE"}' },
  { path: '/v3/maintenance/alarm', text: '{"action":1.5}' },
  { path: '/v3/maintenance/alarm', text: '{"memberID":"-1"}' },
  { path: '/v3/maintenance/defragment', text: '[1]' },
  { path: '/v3/maintenance/transfer-leadership', text: '{"targetID":true}' },
  { path: '/v3/maintenance/transfer-leadership', text: '{"targetID":-5}' },
  { path: '/v3/maintenance/transfer-leadership', text: '{"targetID":"18446744073709551615"}' },
  // A body that is a number JS does not hold is a number to the decoder's message too.
  { path: '/v3/kv/range', text: '1e3' },
  { path: '/v3/maintenance/alarm', text: '1e3' },
  // jsonpb reads an integer string by its raw text: any escape there is refused, where it falls decides the
  // message; an escape in a string or bytes field is its value as usual.
  ...['"\\u0031"', '"\\/1"', '"\\t1"', '"\\"1\\""', '"1\\u0020"', '"1\\\\"', '"-\\u0031"', '"tr\\u0075e"', '"\\u006eull"', '" 1"'].map((limit) => ({ path: '/v3/kv/range', text: `{"key":"YQ==","limit":${limit}}` })),
  { path: '/v3/kv/range', text: '{"key":"\\u0059Q\\u003d=","limit":"1"}' },
  { path: '/v3/lease/timetolive', text: '{"ID":"\\u0031"}' },
];

/**
 * Watch bodies over the gateway, as text: a first request the gateway cannot decode is the whole
 * answer (UNKNOWN, HTTP 500); a later one stops the requests there, the stream staying open.
 */
export const GATEWAY_WATCHES: string[] = [
  '{"create_request":{"key":"YQ==","start_revision":"99999999999999999999"}}',
  '{"create_request":{"key":"YQ==","start_revision":1e3}}',
  '{"create_request":{"key":5}}',
  '{"create_request":{"key":"YQ==","filters":["NOPE"]}}',
  '{"a":}',
  '{"create_request":{"key":"YQ=="}}{"create_request":{"key":5}}{"progress_request":{}}',
  // A future revision beyond 2^53 (no progress request: etcd 3.4 answers one there, a known difference above).
  '{"create_request":{"key":"YQ==","start_revision":"9007199254740993"}}',
  // Bodies whose first value is no object: every JSON shape, bare tokens ended by the body, values cut short.
  '5', '-1', '1e3', '5x', '"x"', '[]', '[{"create_request":{"key":"YQ=="}}]', 'true', 'nul', 'x', ',', '}', '"x', '{"create_request":',
  // null and {} are empty requests, passed by; a later non-object stops the requests.
  'null{"create_request":{"key":"YQ=="}}',
  '{} {"create_request":{"key":"YQ=="}}',
  '{"create_request":{"key":"YQ=="}} 5 {"progress_request":{}}',
  '{"create_request":{"key":"YQ=="}}[]{"progress_request":{}}',
];

/** A gateway request: a body as JSON or as raw text; `method` (default POST) for the HTTP framing's steps. */
export type GatewayStep = ({ path: string; body: object } | { path: string; text: string }) & { method?: string };

/**
 * The HTTP framing of the client port (sim/cli/serve/http-mux.ts): CORS preflights, methods each
 * path refuses, paths no mux serves, which answers carry the gRPC call's metadata (a success's
 * header, an error's trailer) and which do not (the gateway's own decode errors). Reads only.
 */
const GATEWAY_FRAMING: GatewayStep[] = [
  { method: 'OPTIONS', path: '/v3/kv/range', text: '' },
  { method: 'OPTIONS', path: '/nope', text: '' },
  { method: 'GET', path: '/v3/kv/range', text: '' },
  { method: 'PUT', path: '/v3/kv/range', body: { key: b('a') } },
  { method: 'DELETE', path: '/v3/kv/range', text: '' },
  { method: 'GET', path: '/nope', text: '' },
  { method: 'GET', path: '/', text: '' },
  { method: 'GET', path: '/v3/', text: '' },
  { path: '/v3/nope', body: {} },
  { method: 'PUT', path: '/v3beta/nope', body: {} },
  { path: '/v3beta/kv/range', body: { key: b('a') } },
  { path: '/v3alpha/kv/range', body: { key: b('a') } },
  { path: '/v3/kv/range?x=1', body: { key: b('a') } },
  { method: 'GET', path: '/health', text: '' },
  { path: '/health', body: {} },
  { method: 'HEAD', path: '/health', text: '' },
  { method: 'GET', path: '/version', text: '' },
  { path: '/version', body: {} },
  { method: 'HEAD', path: '/version', text: '' },
  { method: 'HEAD', path: '/metrics', text: '' },
  { method: 'GET', path: '/v3/watch', text: '' },
  { method: 'PUT', path: '/v3/watch', body: {} },
  { method: 'GET', path: '/v3/maintenance/snapshot', text: '' },
  { method: 'GET', path: '/v3/election/observe', text: '' },
  { path: '/v3/kv/put', body: { key: '' } },
  { path: '/v3/kv/range', text: '{bad' },
  { path: '/v3/kv/txn', body: { compare: [{ key: b('a'), target: 'NOPE' }] } },
  { path: '/v3/kv/lease/revoke', body: { ID: '5' } },
  // Bodies over 2 MiB (base64 makes 1.6 MB of value 2.1 MB of JSON): etcd's gateway reads them,
  // its gRPC server refuses what is too large, in its own words.
  { path: '/v3/kv/put', body: { key: b('big'), value: Buffer.alloc(1_600_000, 'x').toString('base64') } },
  { path: '/v3/kv/put', body: { key: b('big'), value: Buffer.alloc(2_200_000, 'x').toString('base64') } },
  { path: '/v3/lease/leases', body: {} },
  { path: '/v3/election/observe', body: { name: 5 } },
  // HashKV has no gateway path in 3.4; Snapshot's request is decoded before it streams; KeepAlive
  // is a stream to the gateway, so a request it cannot decode is UNKNOWN, as a watch's.
  { path: '/v3/maintenance/hashkv', body: {} },
  { path: '/v3/maintenance/snapshot', text: '{bad' },
  { path: '/v3/maintenance/snapshot', text: '5' },
  { path: '/v3/lease/keepalive', text: '{bad' },
  { path: '/v3/lease/keepalive', text: '5' },
  { path: '/v3/lease/keepalive', text: '{"ID":"99999999999999999999"}' },
  { path: '/v3/lease/keepalive', text: '' },
  { path: '/v3/lease/keepalive', text: '{"ID":"5"}null{"ID":"7"}' },
  { path: '/v3/lease/keepalive', text: '{"ID":"5"}{"ID":"x"}' },
  // Go's server and mux before etcd's handlers (sim/cli/serve/go-path.ts): paths read
  // percent-decoded, a malformed escape refused (400, the connection closed), a path not clean
  // and /v3 redirected (301, the query kept, the body by method), /v3beta/ read as /v3/ first.
  { method: 'GET', path: '//x?a=b&c=<d>', text: '' },
  { path: '//x', body: {} },
  { method: 'HEAD', path: '/x/.', text: '' },
  { method: 'GET', path: '/v3', text: '' },
  { path: '//v3?q', body: {} },
  { method: 'GET', path: '/v3beta', text: '' },
  { path: '/v3beta//kv/range', body: {} },
  { path: '/v3beta/../version', body: {} },
  { method: 'GET', path: '/v3/kv/range/..', text: '' },
  { method: 'GET', path: '/x%20y/../z%21%3F%C3%A9?q=%20', text: '' },
  { path: '/v3/kv/%72ange', body: { key: b('a') } },
  { path: '/vers%69on', body: {} },
  { path: '/v3/kv/range:x', body: {} },
  // Without a body: Go closes the connection at once, and body bytes it never read would reset it (ECONNRESET) before the answer is read;
  // even without one the close reaches the client as a reset now and then, after the answer (test/differential/http.ts reads it).
  { method: 'GET', path: '/%zz', text: '' },
  { method: 'GET', path: '/x%2', text: '' },
  // etcdhttp's other paths: /debug/vars answers GET alone (its body: the next test),
  // /config/local/log PUT alone, its body read as Go reads struct{ Level string }.
  { path: '/debug/vars', body: {} },
  { method: 'HEAD', path: '/debug/vars', text: '' },
  { method: 'GET', path: '/config/local/log', text: '' },
  ...['{bad', '', 'null', '5', '[]', '{"Level":null}', '{"Level":"nope"}', '{"Level":"<b>"}', '{"Level":5}', '{"level":"info","LEVEL":"x"}', '{"LEVEL":"x","level":"t"}', '{"Level":"info"} junk', '{"Level":"info",}', '{"Level":"WARN"}', '{"Level":"in\\u0066o"}', '{"Level":"INFO"}']
    .map((text) => ({ method: 'PUT', path: '/config/local/log', text })),
];

/** The same methods over etcd's JSON gateway: the answers served beside the member (local-methods.ts); raw texts last. */
export const GATEWAY_SCRIPT: GatewayStep[] = [
  { path: '/v3/lock/lock', body: { name: b('gw'), lease: '8999' } },
  { path: '/v3/lock/unlock', body: {} },
  { path: '/v3/lock/lock', body: { name: b('gw'), lease: 'abc' } },
  { path: '/v3/lock/lock', body: { name: '%%%' } },
  { path: '/v3/election/resign', body: { leader: { rev: 'x' } } },
  { path: '/v3/election/campaign', body: { name: 7 } },
  { path: '/v3/election/proclaim', body: { leader: 'k' } },
  { path: '/v3/lock/unlock', body: { key: b('gw/1') } },
  { path: '/v3/maintenance/defragment', body: {} },
  { path: '/v3/maintenance/alarm', body: {} },
  { path: '/v3/maintenance/alarm', body: { action: 'DEACTIVATE', alarm: 'NOSPACE' } },
  { path: '/v3/maintenance/transfer-leadership', body: { targetID: '12345' } },
  { path: '/v3/cluster/member/list', body: {} },
  { path: '/v3/auth/disable', body: {} },
  { path: '/v3/auth/enable', body: {} },
  { path: '/v3/auth/authenticate', body: { name: 'root', password: 'x' } },
  { path: '/v3/auth/user/list', body: {} },
  { path: '/v3/auth/user/get', body: { name: 'u' } },
  { path: '/v3/auth/user/add', body: {} },
  { path: '/v3/auth/role/add', body: { name: '' } },
  { path: '/v3/auth/role/get', body: { role: 'r' } },
  { path: '/v3/auth/role/list', body: {} },
  { path: '/v3/auth/role/grant', body: { name: 'r', perm: { key: b('a') } } },
  ...GATEWAY_INTEGERS,
  ...GATEWAY_FRAMING,
];

/** A request with "{SELF}" replaced by the answering member's id. */
function resolve(req: object, self: string): object {
  return JSON.parse(JSON.stringify(req).replaceAll('{SELF}', self)) as object;
}

/** Runs the script against one server, step by step (test/differential/grpc-steps.ts); every outcome is a value. */
export async function runScript(client: RawClient, steps: readonly Step[] = SCRIPT): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  const status = await client.unary('Maintenance.Status', {});
  const self = 'ok' in status ? String((status.ok['header'] as { member_id?: string } | undefined)?.member_id ?? '0') : '0';
  for (const step of steps) outcomes.push(await runGrpcStep(client, 'call' in step ? { call: step.call, req: resolve(step.req, self) } : step));
  return outcomes;
}
