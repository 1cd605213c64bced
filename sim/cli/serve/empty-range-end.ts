// A range_end sent over gRPC present but empty (grpc-js clients such as the etcd3 npm package
// send one: `inRange('a')`, a field set to an empty Buffer) is not an absent one for etcd 3.4:
// gogo's decoder makes it a non-nil empty slice, and the key index reads a non-nil end as "every
// key from `key` on" (treeIndex.visit; mkGteRange gives the same slice for "\0"). It survives
// only where the request is served without raft — Range, and a Txn whose every operation is a
// range (compares and ranges alike) — since marshalling into the raft log drops an empty field:
// a DeleteRange or a writing Txn then sees a single key, and so does Watch (v3rpc forces nil),
// and the JSON gateway (it calls the gRPC server through a client that marshals). The member
// speaks the gateway's JSON, where "" means absent, so on those two methods the explicit empty
// end becomes "\0". etcd's auth still checks such a range as the single key (isRangeOpPermitted
// takes a zero-length end as one key): the request goes to the member decoded, each such range
// carrying permission_range_end "" (src/api/types.ts), which JSON cannot say.
import { decodeMessage } from '../../../src/api/json-codec.ts';
import { RangeRequest, TxnRequest } from '../../../src/api/schema.ts';

const FROM_KEY_ON = Buffer.from([0]).toString('base64');

type Body = Record<string, unknown>;

const isBody = (v: unknown): v is Body => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A request as sent to the member: its gateway JSON body and, where JSON cannot say all, its decoded value. */
export interface MemberRequest {
  readonly body: unknown;
  readonly decoded?: object;
}

/**
 * `req` as the member must read it: for KV.Range and a read-only KV.Txn, explicit empty ends as
 * "\0", and the decoded request with the single key's permission asked for each of them.
 */
export function explicitEmptyRangeEnds(path: string, req: unknown): MemberRequest {
  if (!isBody(req)) return { body: req };
  if (path === '/v3/kv/range' && req['range_end'] === '') {
    const body = fromKeyOn(req);
    const d = decodeMessage<Body>(RangeRequest, body);
    return d.ok ? { body, decoded: { ...d.value, permission_range_end: '' } } : { body };
  }
  if (path === '/v3/kv/txn' && readOnly(req) && anyExplicit(req)) {
    const body = txnFromKeyOn(req);
    const d = decodeMessage<Body>(TxnRequest, body);
    return d.ok ? { body, decoded: withPermissionEnds(req, d.value) } : { body };
  }
  return { body: req };
}

const explicit = (v: unknown): boolean => isBody(v) && v['range_end'] === '';
const explicitRange = (op: unknown): boolean => isBody(op) && explicit(op['request_range']);

function anyExplicit(txn: Body): boolean {
  return list(txn['compare']).some(explicit) || ops(txn).some(explicitRange);
}

/** The decoded txn with permission_range_end "" on every compare and range `sent` gave an empty end (lists decode index for index). */
function withPermissionEnds(sent: Body, decoded: Body): Body {
  const single = (o: Body): Body => ({ ...o, permission_range_end: '' });
  const out: Body = { ...decoded };
  const sentCompares = list(sent['compare']);
  if (Array.isArray(decoded['compare'])) out['compare'] = list(decoded['compare']).map((c, i) => (explicit(sentCompares[i]) ? single(c as Body) : c));
  for (const branch of ['success', 'failure']) {
    const sentOps = list(sent[branch]);
    if (Array.isArray(decoded[branch])) out[branch] = list(decoded[branch]).map((op, i) => (explicitRange(sentOps[i]) ? { ...(op as Body), request_range: single((op as Body)['request_range'] as Body) } : op));
  }
  return out;
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
