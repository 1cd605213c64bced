// Random request sequences for the differential test. Each request is chosen from the seeded
// Prng and from the revision the oracle last reported, so both servers see the very same
// requests in the same order. Keys live under one prefix per sequence so sequences share the
// servers without touching each other's keys (revisions still advance identically in both).

import type { Prng } from '../../sim/world/prng.ts';

export type DiffRequest =
  | { kind: 'unary'; path: string; body: Record<string, unknown> }
  | { kind: 'watch'; create: Record<string, unknown> }
  /** A body sent as raw text: malformed JSON, trailing text, wrong types. */
  | { kind: 'raw'; path: string; text: string };

export interface GenContext {
  prng: Prng;
  prefix: string;
  /** The oracle's current revision, from its last response header. */
  revision: number;
  /** Lease ids this sequence granted and has not revoked (explicit ids). */
  leases: number[];
  nextLeaseId: number;
  /** A short-lived lease that the next request revokes. */
  pendingRevoke?: number | undefined;
}

const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');

function key(g: GenContext): string {
  return g.prefix + g.prng.pick(['a', 'b', 'c', 'd', 'ab', 'abc', 'b/x', 'b/y']);
}

function prefixEnd(k: string): string {
  const bytes = Buffer.from(k, 'utf8');
  for (let i = bytes.length - 1; i >= 0; i--) {
    if ((bytes[i] as number) < 0xff) {
      const out = bytes.subarray(0, i + 1);
      out[i] = (out[i] as number) + 1;
      return out.toString('base64');
    }
  }
  return 'AA==';
}

/** key and range_end: a single key, a prefix, a range, "\0" (all keys >= key), or an empty range. */
function keyRange(g: GenContext): Record<string, unknown> {
  const k = key(g);
  switch (g.prng.int(7)) {
    case 6: return g.prng.chance(1, 2) ? { key: 'AA==', range_end: 'AA==' } : { key: b64(k), range_end: 'AA==' };
    case 0: case 1: return { key: b64(k) };
    case 2: return { key: b64(k), range_end: prefixEnd(k) };
    case 3: return { key: b64(g.prefix), range_end: prefixEnd(g.prefix) };
    case 4: return { key: b64(k), range_end: b64(key(g)) };
    default: return { key: b64(g.prefix + 'b'), range_end: prefixEnd(g.prefix) };
  }
}

function revisionNear(g: GenContext): number {
  switch (g.prng.int(5)) {
    case 0: return 0;
    case 1: return g.revision + 1 + g.prng.int(3);
    case 2: return Math.max(1, g.revision - g.prng.int(4));
    default: return g.prng.intRange(1, Math.max(1, g.revision));
  }
}

function value(g: GenContext): string {
  return b64(`v${g.prng.int(1000)}`);
}

function leaseRef(g: GenContext): number {
  if (g.leases.length > 0 && g.prng.chance(4, 5)) return g.prng.pick(g.leases);
  return 999_999 + g.prng.int(3);
}

function put(g: GenContext): Record<string, unknown> {
  const body: Record<string, unknown> = { key: b64(key(g)) };
  const r = g.prng.int(10);
  if (r === 0) body['ignore_value'] = true;
  else body['value'] = value(g);
  if (r === 1) body['ignore_lease'] = true;
  else if (g.prng.chance(1, 4)) body['lease'] = String(leaseRef(g));
  if (g.prng.chance(1, 40)) body['lease'] = String(leaseRef(g)); // with ignore_lease too, now and then
  if (g.prng.chance(1, 2)) body['prev_kv'] = true;
  if (g.prng.chance(1, 30)) body['key'] = '';
  return body;
}

function range(g: GenContext): Record<string, unknown> {
  const body: Record<string, unknown> = keyRange(g);
  if (g.prng.chance(1, 3)) body['limit'] = String(g.prng.int(4));
  if (g.prng.chance(1, 3)) body['revision'] = String(revisionNear(g));
  if (g.prng.chance(1, 3)) body['sort_order'] = g.prng.pick(['NONE', 'ASCEND', 'DESCEND']);
  if (g.prng.chance(1, 3)) body['sort_target'] = g.prng.pick(['KEY', 'VERSION', 'CREATE', 'MOD', 'VALUE']);
  if (g.prng.chance(1, 4)) body['serializable'] = true;
  if (g.prng.chance(1, 6)) body['keys_only'] = true;
  if (g.prng.chance(1, 8)) body['count_only'] = true;
  if (g.prng.chance(1, 8)) body['min_mod_revision'] = String(revisionNear(g));
  if (g.prng.chance(1, 8)) body['max_mod_revision'] = String(revisionNear(g));
  if (g.prng.chance(1, 8)) body['min_create_revision'] = String(revisionNear(g));
  if (g.prng.chance(1, 8)) body['max_create_revision'] = String(revisionNear(g));
  return body;
}

function deleteRange(g: GenContext): Record<string, unknown> {
  const body = keyRange(g);
  if (g.prng.chance(1, 2)) body['prev_kv'] = true;
  return body;
}

function compare(g: GenContext): Record<string, unknown> {
  const target = g.prng.pick(['VERSION', 'CREATE', 'MOD', 'VALUE', 'LEASE']);
  const c: Record<string, unknown> = { result: g.prng.pick(['EQUAL', 'GREATER', 'LESS', 'NOT_EQUAL']), target, key: b64(key(g)) };
  if (g.prng.chance(1, 5)) c['range_end'] = prefixEnd(key(g));
  switch (target) {
    case 'VERSION': c['version'] = String(g.prng.int(4)); break;
    case 'CREATE': c['create_revision'] = String(revisionNear(g)); break;
    case 'MOD': c['mod_revision'] = String(revisionNear(g)); break;
    case 'VALUE': c['value'] = value(g); break;
    default: c['lease'] = String(g.prng.chance(1, 2) ? 0 : leaseRef(g)); break;
  }
  return c;
}

function requestOp(g: GenContext, depth: number): Record<string, unknown> {
  const r = g.prng.int(depth > 0 ? 4 : 5);
  if (r === 0) return { request_range: range(g) };
  if (r === 1) return { request_put: put(g) };
  if (r === 2) return { request_delete_range: deleteRange(g) };
  if (r === 3) return { request_range: range(g) };
  return { request_txn: txn(g, depth + 1) };
}

function txn(g: GenContext, depth: number): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  const n = (max: number): number => g.prng.int(max + 1);
  const compares = Array.from({ length: n(3) }, () => compare(g));
  const success = Array.from({ length: n(3) }, () => requestOp(g, depth));
  const failure = Array.from({ length: n(2) }, () => requestOp(g, depth));
  if (compares.length > 0) body['compare'] = compares;
  if (success.length > 0) body['success'] = success;
  if (failure.length > 0) body['failure'] = failure;
  return body;
}

function leaseGrant(g: GenContext): Record<string, unknown> {
  if (g.leases.length > 0 && g.prng.chance(1, 10)) {
    return { TTL: '600', ID: String(g.prng.pick(g.leases)) }; // a duplicate id: rejected
  }
  const id = g.nextLeaseId++;
  const r = g.prng.int(8);
  if (r === 1) return { TTL: '9000000001', ID: String(id) }; // too large a TTL: rejected
  if (r === 0) {
    // A short TTL is raised to the 2 s minimum; the lease is revoked by the very next request
    // so that its expiry never races the rest of the sequence.
    g.pendingRevoke = id;
    return { TTL: String(g.prng.int(3)), ID: String(id) };
  }
  g.leases.push(id);
  return { TTL: String(600 + g.prng.int(600)), ID: String(id) };
}

const RAW_BODIES = [
  'xx', '{', '{"key":"czA=",}', '{"key":1}', '{"key":"%%"}', '[]', 'null', '', '{"key":"czA="} trailing',
  '{"key":"czA=","limit":"x"}', '{"key":"czA=","sort_order":"BAD"}', '{"a":1.}', '{"key":"czA=","revision":"1e3"}',
];

/** The next request of a sequence. */
export function next(g: GenContext): DiffRequest {
  if (g.pendingRevoke !== undefined) {
    const id = g.pendingRevoke;
    g.pendingRevoke = undefined;
    return { kind: 'unary', path: '/v3/lease/revoke', body: { ID: String(id) } };
  }
  const r = g.prng.int(100);
  if (r < 22) return { kind: 'unary', path: '/v3/kv/put', body: put(g) };
  if (r < 42) return { kind: 'unary', path: '/v3/kv/range', body: range(g) };
  if (r < 50) return { kind: 'unary', path: '/v3/kv/deleterange', body: deleteRange(g) };
  if (r < 66) return { kind: 'unary', path: '/v3/kv/txn', body: txn(g, 0) };
  if (r < 70) return { kind: 'unary', path: '/v3/kv/compaction', body: { revision: String(Math.max(0, revisionNear(g) - 2)) } };
  if (r < 76) return { kind: 'unary', path: '/v3/lease/grant', body: leaseGrant(g) };
  if (r < 81) {
    const id = leaseRef(g);
    g.leases = g.leases.filter((l) => l !== id);
    return { kind: 'unary', path: '/v3/lease/revoke', body: { ID: String(id) } };
  }
  if (r < 84) return { kind: 'unary', path: '/v3/lease/timetolive', body: { ID: String(leaseRef(g)), keys: g.prng.chance(1, 2) } };
  if (r < 86) return { kind: 'unary', path: '/v3/lease/keepalive', body: { ID: String(leaseRef(g)) } };
  if (r < 88) return { kind: 'raw', path: g.prng.pick(['/v3/kv/range', '/v3/kv/put', '/v3/kv/txn']), text: g.prng.pick(RAW_BODIES) };
  const create: Record<string, unknown> = { ...keyRange(g), start_revision: String(g.prng.intRange(1, Math.max(1, g.revision))) };
  if (g.prng.chance(1, 2)) create['prev_kv'] = true;
  if (g.prng.chance(1, 5)) create['filters'] = [g.prng.pick(['NOPUT', 'NODELETE'])];
  return { kind: 'watch', create };
}
