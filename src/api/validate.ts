// etcd's request checks before raft (api/v3rpc/key.go): empty keys, ignore_* flags, the 128
// operation limit and the duplicate-key rule of txns. They return the error or undefined.
import type { EtcdError } from './errors.ts';
import { ErrDuplicateKey, ErrEmptyKey, ErrKeyNotFound, ErrLeaseProvided, ErrTooManyOps, ErrValueProvided } from './errors.ts';
import type { DeleteRangeRequest, PutRequest, RangeRequest, RequestOp, TxnRequest } from './types.ts';

/** etcd's --max-txn-ops default. */
export const MAX_TXN_OPS = 128;

export function checkRangeRequest(r: RangeRequest): EtcdError | undefined {
  if ((r.key ?? '') === '') return ErrEmptyKey;
  return undefined;
}

export function checkPutRequest(r: PutRequest): EtcdError | undefined {
  if ((r.key ?? '') === '') return ErrEmptyKey;
  if (r.ignore_value === true && (r.value ?? '') !== '') return ErrValueProvided;
  if (r.ignore_lease === true && (r.lease ?? 0n) !== 0n) return ErrLeaseProvided;
  return undefined;
}

export function checkDeleteRequest(r: DeleteRangeRequest): EtcdError | undefined {
  if ((r.key ?? '') === '') return ErrEmptyKey;
  return undefined;
}

/** checkTxnRequest then checkIntervals on both branches, as kvServer.Txn does. */
export function checkTxn(r: TxnRequest, maxTxnOps = MAX_TXN_OPS): EtcdError | undefined {
  return checkTxnRequest(r, maxTxnOps) ?? checkIntervals(r.success ?? []).error ?? checkIntervals(r.failure ?? []).error;
}

export function checkTxnRequest(r: TxnRequest, maxTxnOps: number): EtcdError | undefined {
  const opc = Math.max(r.compare?.length ?? 0, r.success?.length ?? 0, r.failure?.length ?? 0);
  if (opc > maxTxnOps) return ErrTooManyOps;
  for (const c of r.compare ?? []) if ((c.key ?? '') === '') return ErrEmptyKey;
  // Nested txns get the budget left over by this level, as etcd passes maxTxnOps-opc down.
  for (const u of r.success ?? []) {
    const err = checkRequestOp(u, maxTxnOps - opc);
    if (err !== undefined) return err;
  }
  for (const u of r.failure ?? []) {
    const err = checkRequestOp(u, maxTxnOps - opc);
    if (err !== undefined) return err;
  }
  return undefined;
}

function checkRequestOp(u: RequestOp, maxTxnOps: number): EtcdError | undefined {
  if (u.request_range !== undefined) return checkRangeRequest(u.request_range);
  if (u.request_put !== undefined) return checkPutRequest(u.request_put);
  if (u.request_delete_range !== undefined) return checkDeleteRequest(u.request_delete_range);
  if (u.request_txn !== undefined) return checkTxnRequest(u.request_txn, maxTxnOps);
  // An empty op.
  return ErrKeyNotFound;
}

/** A delete's interval [begin, end): end '' is a single point (the key itself). */
interface Interval {
  readonly begin: string;
  readonly end: string;
}

function intersectsPoint(dels: readonly Interval[], k: string): boolean {
  for (let i = 0; i < dels.length; i++) {
    const iv = dels[i] as Interval;
    if (iv.end === '' ? iv.begin === k : iv.begin <= k && k < iv.end) return true;
  }
  return false;
}

/**
 * etcd's checkIntervals: at one level, two puts of one key, or a put inside a delete range, are
 * a duplicate key; puts of nested txns count for their parent level (then and else may share
 * keys); deletes may overlap each other. A delete's range_end is compared as raw bytes, so
 * range_end "\0" covers no key here, exactly as in etcd.
 */
export function checkIntervals(reqs: readonly RequestOp[]): { puts: Set<string>; dels: Interval[]; error?: EtcdError } {
  const dels: Interval[] = [];
  for (const req of reqs) {
    const d = req.request_delete_range;
    if (d === undefined) continue;
    const key = d.key ?? '';
    const end = d.range_end ?? '';
    dels.push(end !== '' ? { begin: key, end } : { begin: key, end: '' });
  }
  const puts = new Set<string>();
  for (const req of reqs) {
    const t = req.request_txn;
    if (t === undefined) continue;
    const then = checkIntervals(t.success ?? []);
    if (then.error !== undefined) return { puts, dels, error: then.error };
    const els = checkIntervals(t.failure ?? []);
    if (els.error !== undefined) return { puts, dels, error: els.error };
    for (const k of then.puts) {
      if (puts.has(k) || intersectsPoint(dels, k)) return { puts, dels, error: ErrDuplicateKey };
      puts.add(k);
    }
    for (const k of els.puts) {
      if (puts.has(k) && !then.puts.has(k)) return { puts, dels, error: ErrDuplicateKey };
      if (intersectsPoint(dels, k)) return { puts, dels, error: ErrDuplicateKey };
      puts.add(k);
    }
    dels.push(...then.dels, ...els.dels);
  }
  for (const req of reqs) {
    const p = req.request_put;
    if (p === undefined) continue;
    const k = p.key ?? '';
    if (puts.has(k) || intersectsPoint(dels, k)) return { puts, dels, error: ErrDuplicateKey };
    puts.add(k);
  }
  return { puts, dels };
}

/** etcd's isTxnReadonly: every op of both branches is a Range (a nested txn is a write). */
export function isTxnReadonly(r: TxnRequest): boolean {
  return allRanges(r.success) && allRanges(r.failure);
}

/** Every op is a Range (an indexed loop: this runs for every txn a member receives). */
function allRanges(ops: readonly RequestOp[] | undefined): boolean {
  if (ops === undefined) return true;
  for (let i = 0; i < ops.length; i++) if ((ops[i] as RequestOp).request_range === undefined) return false;
  return true;
}

/** etcd's isTxnSerializable: every Range of both branches asks for serializable. */
export function isTxnSerializable(r: TxnRequest): boolean {
  return allSerializable(r.success) && allSerializable(r.failure);
}

function allSerializable(ops: readonly RequestOp[] | undefined): boolean {
  if (ops === undefined) return true;
  for (let i = 0; i < ops.length; i++) if ((ops[i] as RequestOp).request_range?.serializable !== true) return false;
  return true;
}
