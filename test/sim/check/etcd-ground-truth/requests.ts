// Random etcd v3 requests in gateway JSON over a few keys: the whole request space the
// workloads send (sim/workload/etcd-*.ts) and more. Puts with prev_kv, ignore_value,
// ignore_lease, a lease (known, unknown) and empty or repeated values; deletes of a key, a range
// or everything with prev_kv; ranges at past, compacted and future revisions with limit,
// count_only, keys_only, sorts, revision filters and serializable; txns comparing VALUE,
// VERSION, MOD, CREATE or LEASE (over a key or a range) with nested txns and several puts,
// deletes and ranges (duplicate keys too: etcd refuses those); compactions; lease grant
// (ID 0 or chosen, duplicates too), revoke, keep-alive, time-to-live and lease listings.
import type { Prng } from '../../../../sim/world/prng.ts';
import { b64, prefixEnd } from '../../../../sim/workload/etcd-request.ts';

export interface Knowledge {
  keys: readonly string[];
  /** Lease ids a client could know (granted ones, chosen ones). */
  leases: string[];
  /** Values written so far, by key (for VALUE compares that may pass). */
  values: Map<string, string[]>;
  /** The leader's revision now (the generator may peek: only the answers must be real). */
  revision: () => number;
  /** Repeated values get drawn from this small pool. */
  nextValue: () => string;
  /** The next pages of lists whose answer said `more` (Kubernetes' paginated lists): drawn now and then. */
  pages: Record<string, unknown>[];
}

export interface Request {
  path: string;
  body: Record<string, unknown>;
}

const SORT_TARGETS = ['KEY', 'CREATE', 'MOD', 'VERSION', 'VALUE'] as const;
const RESULTS = ['EQUAL', 'NOT_EQUAL', 'GREATER', 'LESS'] as const;

function key(p: Prng, k: Knowledge): string {
  return p.chance(1, 20) ? 'other' : p.pick(k.keys);
}

function lease(p: Prng, k: Knowledge): string {
  if (k.leases.length > 0 && p.chance(4, 5)) return p.pick(k.leases);
  return String(p.intRange(100, 104));
}

/** A revision around the store's: past, current, future, compacted, 0. */
function revisionNear(p: Prng, k: Knowledge): number {
  const now = k.revision();
  switch (p.int(5)) {
    case 0:
      return 0;
    case 1:
      return now + p.intRange(1, 2);
    default:
      return Math.max(1, now - p.int(6));
  }
}

/** [key, range_end) over the keys: one key, a range ending at a key, a prefix, everything. */
function keyRange(p: Prng, k: Knowledge, inTxn = false): Record<string, unknown> {
  switch (p.int(inTxn ? 4 : 5)) {
    case 0:
    case 1:
      return { key: b64(key(p, k)) };
    case 2: {
      const a = p.pick(k.keys);
      const b = p.pick(k.keys);
      const [lo, hi] = a < b ? [a, b] : [b, a];
      return { key: b64(lo), range_end: b64(hi === lo ? `${hi}\0` : hi) };
    }
    case 3:
      return { key: b64('key'), range_end: b64(prefixEnd('key')) };
    default:
      return { key: b64('\0'), range_end: b64('\0') };
  }
}

export function putBody(p: Prng, k: Knowledge): Record<string, unknown> {
  const body: Record<string, unknown> = { key: b64(key(p, k)) };
  const r = p.int(10);
  if (r === 0) body['ignore_value'] = true;
  else {
    const v = k.nextValue();
    if (v !== '' || p.chance(1, 2)) body['value'] = b64(v);
  }
  if (p.chance(1, 4)) body['lease'] = lease(p, k);
  else if (p.chance(1, 8)) body['ignore_lease'] = true;
  if (p.chance(1, 3)) body['prev_kv'] = true;
  // Now and then a refused combination (value with ignore_value): etcd fails it before raft.
  if (r === 0 && p.chance(1, 15)) body['value'] = b64('refused');
  return body;
}

/**
 * In a txn, never [\0, \0): etcd's duplicate-key check sees that interval as empty, so a later
 * ignore_value put of a key it deleted passes the check and etcd 3.4 panics applying it
 * ("unexpected error during txn"); the server asserts there as well.
 */
export function deleteBody(p: Prng, k: Knowledge, inTxn = false): Record<string, unknown> {
  const body = keyRange(p, k, inTxn);
  if (p.chance(1, 2)) body['prev_kv'] = true;
  return body;
}

/**
 * The request for the page after an answer that said `more`: from just after its last key, with
 * the same limit, at the revision of the first page; undefined when the list is not paged so.
 */
export function nextPage(req: Record<string, unknown>, answer: Record<string, unknown>): Record<string, unknown> | undefined {
  const kvs = answer['kvs'] as { key: string }[] | undefined;
  if (answer['more'] !== true || kvs === undefined || kvs.length === 0 || req['range_end'] === undefined) return undefined;
  if (req['sort_order'] !== undefined || req['sort_target'] !== undefined || req['count_only'] === true) return undefined;
  const revision = req['revision'] ?? (answer['header'] as { revision?: string } | undefined)?.revision;
  const body: Record<string, unknown> = { key: b64(`${atob(kvs[kvs.length - 1]!.key)}\0`), range_end: req['range_end'], limit: req['limit'], revision };
  if (req['serializable'] === true) body['serializable'] = true;
  if (req['keys_only'] === true) body['keys_only'] = true;
  return body;
}

export function rangeBody(p: Prng, k: Knowledge, inTxn = false): Record<string, unknown> {
  const body = keyRange(p, k);
  if (p.chance(1, 4)) body['revision'] = String(revisionNear(p, k));
  if (p.chance(1, 4)) body['limit'] = String(p.intRange(0, 3));
  const only = p.int(8);
  if (only === 0 || only === 2) body['count_only'] = true;
  if (only === 1 || only === 2) body['keys_only'] = true;
  if (p.chance(1, 4)) {
    if (p.chance(3, 4)) body['sort_target'] = p.pick(SORT_TARGETS);
    if (p.chance(3, 4)) body['sort_order'] = p.pick(['ASCEND', 'DESCEND', 'NONE']);
  }
  if (p.chance(1, 6)) body[p.pick(['min_mod_revision', 'max_mod_revision', 'min_create_revision', 'max_create_revision'])] = String(Math.max(1, k.revision() - p.int(5)));
  if (p.chance(1, inTxn ? 10 : 4)) body['serializable'] = true;
  return body;
}

function compare(p: Prng, k: Knowledge): Record<string, unknown> {
  const r = keyRange(p, k);
  const c: Record<string, unknown> = { key: r['key'], result: p.pick(RESULTS) };
  if (r['range_end'] !== undefined && p.chance(1, 2)) c['range_end'] = r['range_end'];
  const target = p.pick(['VALUE', 'VERSION', 'MOD', 'CREATE', 'LEASE'] as const);
  c['target'] = target;
  const rev = Math.max(0, k.revision() - p.int(4));
  if (target === 'VALUE') {
    const seen = k.values.get(atob(c['key'] as string)) ?? [];
    c['value'] = b64(seen.length > 0 && p.chance(2, 3) ? p.pick(seen) : p.pick(['', 'a', '~']));
  } else if (target === 'VERSION') c['version'] = String(p.int(4));
  else if (target === 'MOD') c['mod_revision'] = String(rev);
  else if (target === 'CREATE') c['create_revision'] = String(rev);
  else c['lease'] = p.chance(1, 3) ? '0' : lease(p, k);
  return c;
}

function txnOps(p: Prng, k: Knowledge, depth: number): Record<string, unknown>[] {
  const n = p.int(4);
  const ops: Record<string, unknown>[] = [];
  for (let i = 0; i < n; i++) {
    const r = p.int(10);
    if (r < 4) ops.push({ request_put: putBody(p, k) });
    else if (r < 7) ops.push({ request_range: rangeBody(p, k, true) });
    else if (r < 9 || depth >= 2) ops.push({ request_delete_range: deleteBody(p, k, true) });
    else ops.push({ request_txn: txnBody(p, k, depth + 1) });
  }
  return ops;
}

export function txnBody(p: Prng, k: Knowledge, depth = 0): Record<string, unknown> {
  const compares = Array.from({ length: p.int(3) }, () => compare(p, k));
  return { compare: compares, success: txnOps(p, k, depth), failure: txnOps(p, k, depth) };
}

/** One request of the mix. */
export function drawRequest(p: Prng, k: Knowledge): Request {
  const r = p.int(100);
  if (r < 25) return { path: '/v3/kv/put', body: putBody(p, k) };
  if (r < 33) return { path: '/v3/kv/deleterange', body: deleteBody(p, k) };
  if (r < 55) {
    // The next page of a list, at the revision of its first page (as a Kubernetes list pages).
    if (k.pages.length > 0 && p.chance(1, 2)) return { path: '/v3/kv/range', body: k.pages.splice(p.int(k.pages.length), 1)[0]! };
    // The first page of a Kubernetes-style list: the prefix, a small limit.
    if (p.chance(1, 5)) {
      const body: Record<string, unknown> = { key: b64('key'), range_end: b64(prefixEnd('key')), limit: String(p.intRange(1, 2)) };
      if (p.chance(1, 4)) body['serializable'] = true;
      return { path: '/v3/kv/range', body };
    }
    return { path: '/v3/kv/range', body: rangeBody(p, k) };
  }
  if (r < 75) return { path: '/v3/kv/txn', body: txnBody(p, k) };
  if (r < 79) return { path: '/v3/kv/compaction', body: { revision: String(Math.max(0, k.revision() - p.int(5) + (p.chance(1, 6) ? 3 : 0))) } };
  if (r < 86) {
    const body: Record<string, unknown> = { TTL: String(p.intRange(1, 6)) };
    if (p.chance(1, 2)) body['ID'] = String(p.intRange(100, 104));
    return { path: '/v3/lease/grant', body };
  }
  if (r < 91) return { path: '/v3/lease/revoke', body: { ID: lease(p, k) } };
  if (r < 96) return { path: '/v3/lease/keepalive', body: { ID: lease(p, k) } };
  // A lease listing: clients learn the IDs the server chose from it (grants whose answer was lost too).
  if (r >= 98) return { path: '/v3/lease/leases', body: {} };
  return { path: '/v3/lease/timetolive', body: p.chance(1, 2) ? { ID: lease(p, k), keys: true } : { ID: lease(p, k) } };
}
