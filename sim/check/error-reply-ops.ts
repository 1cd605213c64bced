// Which etcd 3.4 requests can answer an error: a message etcd gives only where a request's own
// field or step produces it, and never where its v3rpc layer turns it into a response. A right
// message with the right code is still a wrong answer from a request that cannot fail that way
// (clients branch on it: a keep-alive answered "lease not found" is an error to a clientv3
// keeper, where etcd answers TTL 0 and the keeper ends the lease quietly). Messages not in the
// table (no leader, timeouts, auth, too large…) may come from any request; ops outside etcd's
// KV and lease API (locks, registers, whatever a user's history names) are not judged.

/** The requests this table speaks for (the gateway paths' names, as histories record them). */
const JUDGED_OPS: ReadonlySet<string> = new Set([
  'kv/range', 'kv/put', 'kv/deleterange', 'kv/txn', 'kv/compaction',
  'lease/grant', 'lease/revoke', 'lease/keepalive', 'lease/timetolive', 'lease/leases',
]);

/**
 * Message → the requests that may answer it. etcd 3.4's LeaseKeepAlive answers a lease that is
 * gone with TTL 0 (v3rpc lease.go: err == lease.ErrLeaseNotFound → err = nil, ttl = 0) and
 * LeaseTimeToLive with TTL -1, so neither answers "requested lease not found"; a put or txn
 * naming an unknown lease does, as does a revoke (and a grant whose id is 0 after the server
 * picked one, which the check leaves possible). The txn checks (checkTxnRequest, checkIntervals)
 * and the put checks (checkPutRequest, ignore_value/ignore_lease at apply) answer only their own.
 * Revisions: a range, a txn's range or a compaction; a lease TTL: a grant.
 */
const ANSWERED_BY: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ['etcdserver: requested lease not found', new Set(['kv/put', 'kv/txn', 'lease/revoke', 'lease/grant'])],
  ['etcdserver: lease already exists', new Set(['lease/grant'])],
  ['etcdserver: too large lease TTL', new Set(['lease/grant'])],
  ['etcdserver: duplicate key given in txn request', new Set(['kv/txn'])],
  ['etcdserver: too many operations in txn request', new Set(['kv/txn'])],
  ['etcdserver: value is provided', new Set(['kv/put', 'kv/txn'])],
  ['etcdserver: lease is provided', new Set(['kv/put', 'kv/txn'])],
  ['etcdserver: key not found', new Set(['kv/put', 'kv/txn'])],
  ['etcdserver: mvcc: required revision has been compacted', new Set(['kv/range', 'kv/txn', 'kv/compaction'])],
  ['etcdserver: mvcc: required revision is a future revision', new Set(['kv/range', 'kv/txn', 'kv/compaction'])],
]);

/** Why request `f` cannot answer `message` in etcd 3.4, or undefined when it may (or the table does not say). */
export function errorNotFromOp(f: string, message: string): string | undefined {
  if (!JUDGED_OPS.has(f)) return undefined;
  const by = ANSWERED_BY.get(message);
  if (by === undefined || by.has(f)) return undefined;
  return `${JSON.stringify(message)} answered to a ${f}: etcd 3.4 answers it only to ${[...by].join(', ')}`;
}
