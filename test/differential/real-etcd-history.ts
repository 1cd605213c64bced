// Records a Jepsen-shaped history (detcd's JSONL form) of requests sent one at a time to a real
// etcd 3.4 over its JSON gateway: each request is an invoke, its answer an ok (the response
// body) or a fail (etcd's error text). The requests are the ones where etcd's answers are
// least deterministic or least obvious: ranges sorted by MOD, CREATE, VERSION and VALUE over
// more than 12 keys that share sort keys (Go's unstable sort), with limits cutting through a
// tie; compares over empty ranges; serializable reads; compacted and future revisions; a
// lease granted below the minimum TTL.
import type { Op } from '../../sim/history/op.ts';
import { postJson } from './http.ts';

const b64 = (s: string): string => Buffer.from(s).toString('base64');

/** The request sequence, as [gateway path, body]. */
export function tieRequests(): [string, Record<string, unknown>][] {
  const reqs: [string, Record<string, unknown>][] = [];
  // Four txns write 30 keys, key i in txn i % 4: every txn's keys share mod and create revision.
  for (let t = 0; t < 4; t++) {
    const puts = Array.from({ length: 30 }, (_, i) => i).filter((i) => i % 4 === t).map((i) => ({ request_put: { key: b64(`s/${String(i).padStart(2, '0')}`), value: b64(`v${t}`) } }));
    reqs.push(['/v3/kv/txn', { success: puts }]);
  }
  // A second write to every third key gives versions 1 and 2 and a fifth mod revision.
  reqs.push(['/v3/kv/txn', { success: Array.from({ length: 10 }, (_, i) => ({ request_put: { key: b64(`s/${String(i * 3).padStart(2, '0')}`), value: b64('v9') } })) }]);
  const prefix = { key: b64('s/'), range_end: b64('s0') };
  for (const sort_order of ['DESCEND', 'ASCEND', 'NONE']) {
    for (const sort_target of ['MOD', 'CREATE', 'VERSION', 'VALUE']) {
      reqs.push(['/v3/kv/range', { ...prefix, sort_target, sort_order }]);
      reqs.push(['/v3/kv/range', { ...prefix, sort_target, sort_order, limit: '9', keys_only: true }]);
    }
  }
  reqs.push(['/v3/kv/range', { ...prefix, sort_target: 'MOD', sort_order: 'DESCEND', min_mod_revision: '3', limit: '4' }]);
  reqs.push(['/v3/kv/range', { ...prefix, sort_target: 'MOD', sort_order: 'DESCEND', serializable: true }]);
  reqs.push(['/v3/kv/range', { ...prefix, count_only: true, limit: '3' }]);
  reqs.push(['/v3/kv/txn', { success: [{ request_range: { ...prefix, sort_target: 'CREATE', sort_order: 'DESCEND', limit: '5', serializable: true } }] }]);
  reqs.push(['/v3/kv/txn', { compare: [{ key: b64('x/'), range_end: b64('x0'), target: 'VERSION', result: 'GREATER', version: '0' }], success: [{ request_put: { key: b64('x/a'), value: b64('never') } }], failure: [{ request_range: { ...prefix, sort_target: 'VERSION', sort_order: 'DESCEND', limit: '6' } }] }]);
  reqs.push(['/v3/kv/txn', { compare: [{ key: b64('x/'), range_end: b64('x0'), target: 'VERSION', result: 'EQUAL', version: '0' }], success: [{ request_put: { key: b64('x/a'), value: b64('once') } }] }]);
  reqs.push(['/v3/kv/compaction', { revision: '4' }]);
  reqs.push(['/v3/kv/range', { key: b64('s/00'), revision: '2' }]);
  reqs.push(['/v3/kv/range', { key: b64('s/00'), revision: '99' }]);
  reqs.push(['/v3/kv/range', { ...prefix, revision: '4', sort_target: 'MOD', sort_order: 'DESCEND', limit: '11' }]);
  reqs.push(['/v3/lease/grant', { ID: '77', TTL: '1' }]);
  reqs.push(['/v3/kv/put', { key: b64('s/lease'), value: b64('leased'), lease: '77', prev_kv: true }]);
  reqs.push(['/v3/kv/deleterange', { key: b64('s/2'), range_end: b64('s/3'), prev_kv: true }]);
  reqs.push(['/v3/kv/range', { ...prefix, sort_target: 'MOD', sort_order: 'ASCEND', limit: '13' }]);
  return reqs;
}

/** Sends the requests in order (one process) and returns the history. */
export async function recordHistory(endpoint: string, reqs: [string, Record<string, unknown>][]): Promise<Op[]> {
  const ops: Op[] = [];
  for (const [path, body] of reqs) {
    const f = path.replace(/^\/v3\//, '');
    ops.push({ index: ops.length, time: ops.length, process: 0, type: 'invoke', f, value: body });
    const reply = await postJson(endpoint, path, body);
    const r = reply.body as Record<string, unknown>;
    if (reply.status === 200) ops.push({ index: ops.length, time: ops.length, process: 0, type: 'ok', f, value: r });
    else ops.push({ index: ops.length, time: ops.length, process: 0, type: 'fail', f, value: null, error: typeof r['error'] === 'string' ? r['error'] : `HTTP ${reply.status}` });
  }
  return ops;
}
