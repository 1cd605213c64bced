// Which requests a client may safely send again when it does not know whether the first try
// took effect: only those that change nothing (reads) or whose repetition changes nothing more
// (lease keep-alive). A write whose outcome is unknown is never retried: it is recorded `info`.

/** The history's `f` for a gateway path: "/v3/kv/put" → "kv/put", "/v3/kv/lease/revoke" → "lease/revoke". */
export function opName(path: string): string {
  // Asked twice per request, for a handful of paths: remembered rather than matched each time.
  const known = OP_NAMES.get(path);
  if (known !== undefined) return known;
  const f = path.replace(/^\/v3(beta|alpha)?\//, '');
  const name = f.startsWith('kv/lease/') ? f.slice(3) : f;
  if (OP_NAMES.size < OP_NAMES_KEPT_MAX) OP_NAMES.set(path, name);
  return name;
}

/** Paths whose op name is remembered (the API has a few dozen; past this, names are computed each time). */
const OP_NAMES_KEPT_MAX = 256;
const OP_NAMES = new Map<string, string>();

const READ_ONLY = new Set(['kv/range', 'lease/timetolive', 'lease/leases', 'lease/keepalive', 'maintenance/status', 'maintenance/hash', 'maintenance/hashkv']);

function txnOpsReadOnly(ops: unknown): boolean {
  if (ops === undefined) return true;
  if (!Array.isArray(ops)) return false;
  return ops.every((op: unknown) => {
    if (op === null || typeof op !== 'object') return false;
    const o = op as Record<string, unknown>;
    if ('request_put' in o || 'request_delete_range' in o) return false;
    if ('request_txn' in o) return txnReadOnly(o['request_txn']);
    return true;
  });
}

function txnReadOnly(body: unknown): boolean {
  if (body === null || typeof body !== 'object') return false;
  const t = body as Record<string, unknown>;
  return txnOpsReadOnly(t['success']) && txnOpsReadOnly(t['failure']);
}

/** True when sending the request twice has the effect of sending it once. */
export function safeToRetry(path: string, body: unknown): boolean {
  const f = opName(path);
  if (READ_ONLY.has(f)) return true;
  return f === 'kv/txn' && txnReadOnly(body);
}

/** Errors that prove the member did not propose the request, so even a write may be sent again. */
const NOT_PROPOSED = new Set(['etcdserver: no leader', 'etcdserver: too many requests']);
/** Errors after which a read may be sent again (possibly to another member). */
const READ_RETRYABLE = new Set([...NOT_PROPOSED, 'etcdserver: leader changed', 'etcdserver: request timed out']);

export function retryableError(message: string, safe: boolean): boolean {
  return safe ? READ_RETRYABLE.has(message) : NOT_PROPOSED.has(message);
}

/** Errors whose outcome is unknown: a write that got them may or may not have been applied. */
export function outcomeUnknown(message: string): boolean {
  return message === 'etcdserver: request timed out' || message === 'etcdserver: leader changed';
}
