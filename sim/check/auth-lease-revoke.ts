// Auth checker rule 6: a LeaseRevoke needs write permission on every key attached to its lease
// (etcd 3.4's authApplierV3.LeaseRevoke calls checkLeasePuts first: a user may not delete by a
// revoke what it could not delete by a DeleteRange). A history does not show a lease's keys at the
// moment its revoke applied, but it shows some for certain: key K is attached to lease L at the
// revoke R when a put of K with L answered ok before R was called, and no request that may have
// detached K since — a put of K, a delete whose range may hold K, a txn naming K in any branch,
// another revoke of L — may have applied between that put's call and R's return. R answered ok by
// a user who could not write K at any moment of R's window is a permission not enforced.
// Refusals are not judged: the lease may hold keys the history never shows attached.
import type { OpPair } from '../history/pair.ts';
import { bytesField } from './auth-state.ts';

type Req = Record<string, unknown>;

const obj = (v: unknown): Req => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Req) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
/** A lease id as its decimal text ('0': none). */
const leaseText = (v: unknown): string => (typeof v === 'string' || typeof v === 'number' || typeof v === 'bigint' ? String(v) : '0');

/** When `p` took effect at the latest: its return, or never known for an op of unknown outcome. */
const returnOf = (p: OpPair): number => (p.completion === undefined || p.completion.type === 'info' ? Infinity : p.return);

/** A key certainly attached to the revoked lease, and the put that attached it. */
export interface AttachedKey {
  readonly key: string;
  readonly put: OpPair;
}

/** Whether [begin, end) ("" the key alone, "\0" from begin on) may hold `k`. */
function rangeHolds(begin: string, end: string, k: string): boolean {
  if (end === '') return begin === k;
  if (end === '\0') return begin <= k;
  return begin <= k && k < end;
}

/** Whether an op of a txn branch (nested txns too) puts or deletes `k`. */
function branchTouches(ops: unknown, k: string): boolean {
  for (const op of arr(ops)) {
    const o = obj(op);
    const p = o['request_put'];
    if (p !== undefined && bytesField(obj(p)['key']) === k) return true;
    const d = o['request_delete_range'];
    if (d !== undefined && rangeHolds(bytesField(obj(d)['key']) ?? '', bytesField(obj(d)['range_end']) ?? '', k)) return true;
    const t = o['request_txn'];
    if (t !== undefined && (branchTouches(obj(t)['success'], k) || branchTouches(obj(t)['failure'], k))) return true;
  }
  return false;
}

/** Whether `p` may detach `k` from lease `lease` (or end the lease): every write that names `k`, and a revoke of the lease. */
function mayDetach(p: OpPair, k: string, lease: string): boolean {
  const r = obj(p.invoke.value);
  switch (p.invoke.f) {
    case 'kv/put':
      return bytesField(r['key']) === k;
    case 'kv/deleterange':
      return rangeHolds(bytesField(r['key']) ?? '', bytesField(r['range_end']) ?? '', k);
    case 'kv/txn':
      return branchTouches(r['success'], k) || branchTouches(r['failure'], k);
    case 'lease/revoke':
      return leaseText(r['ID']) === lease;
    default:
      return false;
  }
}

/**
 * For each LeaseRevoke answered ok, the keys certainly attached to its lease when it applied.
 * `writes`: every op of the history that may write (puts, deletes, txns, revokes), in call order.
 */
export function attachedAtRevoke(revoke: OpPair, writes: readonly OpPair[]): AttachedKey[] {
  const lease = leaseText(obj(revoke.invoke.value)['ID']);
  if (lease === '0') return [];
  const out: AttachedKey[] = [];
  const seen = new Set<string>();
  for (const put of writes) {
    if (put.call >= revoke.call) break;
    const r = obj(put.invoke.value);
    if (put.invoke.f !== 'kv/put' || put.completion?.type !== 'ok' || put.return >= revoke.call || leaseText(r['lease']) !== lease) continue;
    const key = bytesField(r['key']);
    if (key === undefined || seen.has(key)) continue;
    // Another writer that may have applied after this put and before the revoke: not certain.
    // (An op of unknown outcome may apply at any moment after its call.)
    const detached = writes.some((w) => w !== put && w !== revoke && w.completion?.type !== 'fail' && w.call < revoke.return && returnOf(w) > put.call && mayDetach(w, key, lease));
    if (detached) continue;
    seen.add(key);
    out.push({ key, put });
  }
  return out;
}

/** The ops rule 6 reads: every request that may write a key or end a lease. */
export function isWriteOrRevoke(p: OpPair): boolean {
  const f = p.invoke.f;
  return f === 'kv/put' || f === 'kv/deleterange' || f === 'kv/txn' || f === 'lease/revoke';
}
