// A range_end sent over gRPC present but empty (grpc-js clients such as the etcd3 npm package
// send one: `inRange('a')`, a field set to an empty Buffer) is not an absent one for etcd 3.4:
// gogo's decoder makes it a non-nil empty slice, and the key index reads a non-nil end as "every
// key from `key` on" (treeIndex.visit; mkGteRange gives the same slice for "\0"). It survives
// only where the request is served without raft — Range, and a Txn whose every operation is a
// range (compares and ranges alike) — since marshalling into the raft log drops an empty field:
// a DeleteRange or a writing Txn then sees a single key, and so does Watch (v3rpc forces nil),
// and the JSON gateway (it calls the gRPC server through a client that marshals). The member
// speaks the gateway's JSON, where "" means absent, so on those two methods the explicit empty
// end becomes "\0". (etcd's auth checks such a range as the single key; serve checks the range.)

const FROM_KEY_ON = Buffer.from([0]).toString('base64');

type Body = Record<string, unknown>;

const isBody = (v: unknown): v is Body => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `req` as the member must read it: for KV.Range and a read-only KV.Txn, explicit empty ends as "\0". */
export function explicitEmptyRangeEnds(path: string, req: unknown): unknown {
  if (!isBody(req)) return req;
  if (path === '/v3/kv/range') return fromKeyOn(req);
  if (path === '/v3/kv/txn' && readOnly(req)) return txnFromKeyOn(req);
  return req;
}

function fromKeyOn(r: Body): Body {
  return r['range_end'] === '' ? { ...r, range_end: FROM_KEY_ON } : r;
}

const list = (v: unknown): readonly unknown[] => (Array.isArray(v) ? (v as unknown[]) : []);
const ops = (txn: Body): unknown[] => [...list(txn['success']), ...list(txn['failure'])];

/** etcd's isTxnReadonly: every operation is a range (a nested txn is not: it goes through raft). */
function readOnly(txn: Body): boolean {
  return ops(txn).every((op) => isBody(op) && op['request_range'] !== undefined);
}

function txnFromKeyOn(txn: Body): Body {
  const op = (o: unknown): unknown => (isBody(o) && isBody(o['request_range']) ? { ...o, request_range: fromKeyOn(o['request_range']) } : o);
  const out: Body = { ...txn };
  if (Array.isArray(txn['compare'])) out['compare'] = list(txn['compare']).map((c) => (isBody(c) ? fromKeyOn(c) : c));
  if (Array.isArray(txn['success'])) out['success'] = list(txn['success']).map(op);
  if (Array.isArray(txn['failure'])) out['failure'] = list(txn['failure']).map(op);
  return out;
}
