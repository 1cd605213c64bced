// The etcdctl commands of the flag-by-flag differential test, in order: every output form (-w
// json, fields, table, simple, protobuf, --hex) and flag of put, get, del, txn (interactive), compaction,
// lease, watch (also -i and with a command), lock, member and endpoint (every output form, --cluster),
// defrag, alarm, move-leader, make-mirror and the auth commands, with
// empty, binary (\0, 0xff), 1 MiB and too large values. Both servers start empty and get the
// same commands, so every revision must match.
import { createHash } from 'node:crypto';
import { b } from '../grpc-diff/grpc-script.ts';
import { normalizeEtcdctl, type Identities } from '../../../../differential/etcdctl-normalize.ts';
import type { CtlStep } from '../../../../differential/etcdctl-runner.ts';

const MB = 1024 * 1024;

// etcdctl 3.4 panics on a lease("k") compare (clientv3.mustInt64): LEASE compares are in the gRPC test.
const TXN_EVERY_TARGET = 'ver("a") = "1"\nc("a") > "0"\nm("a") < "100"\nval("a") != "zz"\n\nput t1 x\nget a\ndel b --prev-kv\n\nget a\n\n';
const TXN_MISSING_KEY = 'val("nokey") = "x"\n\nput t2 y\n\nput t3 z\nget t --prefix\n\n';
const TXN_RANGE_COMPARE = 'mod("a") > "0"\n\nget a --rev=2\n\n\n';
const TXN_DUPLICATE = '\nput d 1\nput d 2\n\n\n';
const TXN_EMPTY = '\n\n\n';

export const CTL_SCRIPT: CtlStep[] = [
  { args: ['put', 'k1', 'v1', '-w', 'json'] },
  { args: ['put', 'k1', 'v2', '--prev-kv', '-w', 'json'] },
  { args: ['put', 'k1', '--ignore-value', '--prev-kv', '-w', 'json'] },
  { args: ['put', 'k2', '', '-w', 'json'] },
  { args: ['put', 'k1', 'v3', '--ignore-lease', '-w', 'json'] },
  { args: ['put', 'nokey', '--ignore-value', '-w', 'json'] },
  { args: ['put', 'nokey', 'v', '--ignore-lease'] },
  { args: ['put', 'k3', 'v', '--lease=1234'] },
  { args: ['put', '', 'v'] },
  { args: ['lease', 'grant', '100', '-w', 'json'] },
  { args: ['put', 'kl', 'v', '--lease={LEASE}', '-w', 'json'] },
  { args: ['put', 'lk', 'v', '--lease={LEASE}'] },
  { args: ['put', 'kl', 'v2', '--ignore-lease', '--prev-kv', '-w', 'json'] },
  { args: ['get', 'kl', '-w', 'json'] },
  { args: ['put', 'bin'], stdin: '\0\x01\xff value from stdin' },
  { args: ['put', 'large'], stdin: 'L'.repeat(MB) },
  { args: ['put', 'big'], stdin: 'B'.repeat(1_600_000) },
  { args: ['put', 'bigger'], stdin: 'G'.repeat(2_200_000) },
  { args: [], grpc: { call: 'KV.Put', req: { key: b('k\0\xff'), value: b('\xff\0') } } },
  { args: [], grpc: { call: 'KV.Put', req: { key: b('\xff'), value: b('ff') } } },
  { args: ['get', 'k', '--prefix', '-w', 'json'] },
  { args: ['get', 'k', '--from-key', '--keys-only', '-w', 'json'] },
  { args: ['get', 'k', '--prefix', '--limit=1', '-w', 'json'] },
  { args: ['get', 'k', '--prefix', '--rev=2', '-w', 'json'] },
  { args: ['get', 'k', '--prefix', '--rev=100', '-w', 'json'] },
  { args: ['get', 'k', '--prefix', '--sort-by=MODIFY', '--order=DESCEND', '-w', 'json'] },
  { args: ['get', 'k', '--prefix', '--sort-by=CREATE', '--order=ASCEND', '-w', 'json'] },
  { args: ['get', 'k', '--prefix', '--sort-by=VERSION', '-w', 'json'] },
  { args: ['get', 'k', '--prefix', '--sort-by=VALUE', '--order=DESCEND', '-w', 'json'] },
  { args: ['get', 'k', '--prefix', '--sort-by=KEY', '--order=DESCEND', '--limit=2', '-w', 'json'] },
  { args: ['get', 'k', '--prefix', '--keys-only', '-w', 'json'] },
  { args: ['get', 'k', '--prefix', '--keys-only'] },
  { args: ['get', 'k', '--prefix', '--count-only', '-w', 'json'] },
  { args: ['get', 'k', '--prefix', '--print-value-only'] },
  { args: ['get', 'k', '--prefix', '--consistency=s', '-w', 'json'] },
  { args: ['get', 'k1', 'k3', '-w', 'json'] },
  { args: ['get', '', '--prefix', '--keys-only', '-w', 'json'] },
  { args: ['get', '', '--from-key', '--limit', '3', '--keys-only', '-w', 'json'] },
  { args: ['get', 'k', '--prefix', '-w', 'fields'] },
  { args: ['get', 'k', '--prefix', '-w', 'table'] },
  { args: ['get', 'k', '--prefix', '--hex'] },
  { args: ['get', 'bin', '--hex'] },
  { args: ['get', 'bin', '-w', 'json'] },
  { args: ['get', 'large', '--print-value-only'] },
  { args: ['get', 'large', '--keys-only', '-w', 'json'] },
  { args: ['del', 'k9', '-w', 'json'] },
  { args: ['del', 'k1', '--prev-kv', '-w', 'json'] },
  { args: ['del', 'k', '--prefix', '--prev-kv', '-w', 'json'] },
  { args: ['del', 'k9'] },
  { args: ['put', 'a', '1'] },
  { args: ['put', 'b', '2'] },
  { args: ['put', 'c', '3'] },
  { args: ['txn', '-i'], stdin: TXN_EVERY_TARGET },
  { args: ['txn', '-i', '-w', 'json'], stdin: TXN_EVERY_TARGET },
  { args: ['txn', '-i'], stdin: TXN_MISSING_KEY },
  { args: ['txn', '-i', '-w', 'json'], stdin: TXN_RANGE_COMPARE },
  { args: ['txn', '-i'], stdin: TXN_DUPLICATE },
  { args: ['txn', '-i', '-w', 'json'], stdin: TXN_EMPTY },
  { args: ['del', 'c', '--from-key', '-w', 'json'] },
  { args: ['get', '', '--from-key', '-w', 'json', '--keys-only'] },
  { args: ['watch', 'a', '--rev', '1', '--prev-kv'], until: /PUT\na\n1\n/ },
  { args: ['watch', '', '--prefix', '--rev', '16', '-w', 'json'], until: /"mod_revision":22/ },
  { args: ['lease', 'list', '-w', 'json'] },
  { args: ['lease', 'timetolive', '{LEASE}', '--keys', '-w', 'json'] },
  { args: ['lease', 'timetolive', '{LEASE}'] },
  { args: ['lease', 'keep-alive', '--once', '{LEASE}'] },
  { args: ['lease', 'revoke', '{LEASE}'] },
  { args: ['lease', 'timetolive', '{LEASE}', '-w', 'json'] },
  { args: ['lease', 'keep-alive', '--once', '{LEASE}'] },
  { args: ['lease', 'revoke', '{LEASE}'] },
  { args: ['lease', 'grant', '9000000001'] },
  { args: ['lock', 'L', 'echo', 'locked'] },
  { args: ['compaction', '5', '-w', 'json'] },
  { args: ['compaction', '5'] },
  { args: ['compaction', '1000'] },
  { args: ['compaction', '7', '--physical'] },
  { args: ['get', 'a', '--rev=6'] },
  { args: ['get', 'a', '--rev=7', '-w', 'json'] },
  { args: ['watch', 'a', '--rev', '2'], until: /compacted/ },
  { args: ['member', 'list', '-w', 'json'] },
  { args: ['endpoint', 'status', '-w', 'json'] },
  { args: ['endpoint', 'health', '-w', 'json'] },
  { args: ['endpoint', 'hashkv', '-w', 'json'] },
  // Every output form that prints member ids (their widths differ: etcd's are random 64-bit).
  { args: ['member', 'list'] },
  { args: ['member', 'list', '-w', 'table'] },
  { args: ['member', 'list', '-w', 'fields'] },
  { args: ['endpoint', 'status'] },
  { args: ['endpoint', 'status', '-w', 'table'] },
  { args: ['endpoint', 'status', '-w', 'fields'] },
  { args: ['endpoint', 'hashkv'] },
  { args: ['endpoint', 'hashkv', '-w', 'table'] },
  { args: ['endpoint', 'health', '-w', 'table'] },
  { args: ['get', 'a', '-w', 'fields'] },
  { args: ['defrag'] },
  { args: ['alarm', 'list', '-w', 'json'] },
  { args: ['alarm', 'disarm'] },
  { args: ['move-leader', '12345'] },
  { args: ['user', 'list'] },
  { args: ['role', 'list', '-w', 'json'] },
  { args: ['user', 'get', 'root'] },
  { args: ['role', 'get', 'r'] },
  { args: ['auth', 'disable'] },
  { args: ['auth', 'enable'] },
  { args: ['user', 'delete', 'u'] },
  { args: ['user', 'grant-role', 'u', 'r'] },
  { args: ['role', 'grant-permission', 'r', 'read', 'a'] },
  { args: ['get', '', '--from-key', '--keys-only', '-w', 'json'] },
  // -w protobuf: the response's bytes, compared decoded (etcdctl 3.4 prints only the header of a lease
  // response, and refuses to print a LeaseRevokeResponse, its error naming the ids: not sent).
  { args: ['put', 'pb', '1', '-w', 'protobuf'], protobuf: 'KV.Put' },
  { args: ['put', 'pb', '2', '--prev-kv', '-w', 'protobuf'], protobuf: 'KV.Put' },
  { args: ['get', 'pb', '-w', 'protobuf'], protobuf: 'KV.Range' },
  { args: ['get', 'nothing', '-w', 'protobuf'], protobuf: 'KV.Range' },
  { args: ['get', '', '--prefix', '--keys-only', '--limit=2', '-w', 'protobuf'], protobuf: 'KV.Range' },
  { args: ['txn', '-i', '-w', 'protobuf'], stdin: 'c("pb") > "0"\n\nget pb\nput pb 3\n\n\n', protobuf: 'KV.Txn' },
  { args: ['del', 'pb', '--prev-kv', '-w', 'protobuf'], protobuf: 'KV.DeleteRange' },
  { args: ['lease', 'grant', '50', '-w', 'protobuf'], protobuf: 'ResponseHeader' },
  { args: ['lease', 'grant', '50'] },
  { args: ['lease', 'timetolive', '{LEASE}', '-w', 'protobuf'], protobuf: 'ResponseHeader' },
  { args: ['lease', 'list', '-w', 'protobuf'], protobuf: 'ResponseHeader' },
  { args: ['lease', 'revoke', '{LEASE}'] },
  { args: ['member', 'list', '-w', 'protobuf'], protobuf: 'Cluster.MemberList' },
  { args: ['endpoint', 'status', '-w', 'protobuf'], protobuf: 'Maintenance.Status' },
  { args: ['alarm', 'list', '-w', 'protobuf'], protobuf: 'Maintenance.Alarm' },
  // HashKV at and past the compact revision (7, above): etcd 3.4 refuses the compact revision itself.
  { args: ['endpoint', 'hashkv', '--rev=7', '-w', 'json'] },
  { args: ['endpoint', 'hashkv', '--rev=8', '-w', 'json'] },
  { args: ['endpoint', 'hashkv', '--cluster', '-w', 'table'] },
  { args: ['endpoint', 'status', '--cluster', '-w', 'json'] },
  { args: ['endpoint', 'health', '--cluster', '-w', 'json'] },
  { args: ['defrag', '--cluster'] },
  { args: ['member', 'list', '--hex', '-w', 'json'] },
  // watch -i reads its watch requests from stdin; watch and lock run a command per event / once held.
  // (History from revision 8: compacted at 7 above.)
  { args: ['watch', '-i'], stdin: 'watch a --rev 8\n', stdinOpen: true, until: /PUT\na\n/ },
  { args: ['watch', '-i', '--prev-kv'], stdin: 'watch a c --rev 8\n', stdinOpen: true, until: /PUT\n/ },
  { args: ['watch', 'a', '--rev', '8', '--', 'sh', '-c', 'echo "$ETCD_WATCH_KEY $ETCD_WATCH_VALUE $ETCD_WATCH_EVENT_TYPE $ETCD_WATCH_REVISION"'], until: /^"a" "[^"]*" "PUT" \d+$/m },
  { args: ['lock', 'L2', '--ttl', '5', 'echo', 'held'] },
  { args: ['lock', 'L2', '--', 'sh', '-c', 'echo "$ETCD_LOCK_KEY"'] },
  // make-mirror, here into the same cluster under another prefix: the keys it found, then a put it watched.
  { args: ['put', 'mm0', 'base'] },
  {
    args: ['make-mirror', '--prefix=mm', '--dest-prefix=mirrored/', '{EP}'],
    during: [{ args: ['put', 'mm1', 'watched'] }, { args: ['get', 'mirrored/', '--prefix'], repeatUntil: /mirrored\/1\nwatched/ }],
  },
  { args: ['get', '', '--prefix', '--keys-only'] },
];

/** Lines longer than this (a 1 MiB value) are compared by length and hash, so a difference stays readable. */
const LINE_CHARS_MAX = 500;

/**
 * What etcdctl printed, comparable between the two servers: test/differential/etcdctl-normalize.ts
 * (ids, names and URLs as roles; terms, indexes, sizes, lease ids, hashes, remaining TTLs,
 * timings as placeholders; revisions kept), then lines longer than LINE_CHARS_MAX as length and hash.
 */
export function normalizeCtl(text: string, ids: Identities): string {
  return normalizeEtcdctl(text, ids)
    .split('\n')
    .map((l) => (l.length > LINE_CHARS_MAX ? `<${l.length} chars sha256 ${createHash('sha256').update(l).digest('hex').slice(0, 12)}>` : l))
    .join('\n');
}
