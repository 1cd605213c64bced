// Txn compares (etcd's applyCompare, compareKV, compareToPath). All compares, nested ones
// included, are evaluated against the pre-txn state before any operation runs.
import type { KeyValue } from '../../mvcc/key-value.ts';
import { NO_LEASE } from '../../mvcc/key-value.ts';
import type { Compare, RequestOp, TxnRequest } from '../../api/types.ts';
import type { ReadView } from './read-view.ts';
import { rangeEndOf } from './read-view.ts';

const ZERO_KV: KeyValue = { key: '', create_revision: 0, mod_revision: 0, version: 0, value: '', lease: NO_LEASE };

/** One compare: with range_end every key must pass; a missing key is a zero KV, but VALUE on a missing key is false. */
export function applyCompare(view: ReadView, c: Compare): boolean {
  const rr = view.range(c.key ?? '', rangeEndOf(c.range_end), {});
  if (typeof rr === 'string') return false;
  if (rr.kvs.length === 0) {
    if ((c.target ?? 'VERSION') === 'VALUE') return false;
    return compareKV(c, ZERO_KV);
  }
  return rr.kvs.every((kv) => compareKV(c, kv));
}

function cmp<T extends number | bigint | string>(a: T, b: T): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Only the target_union member matching the target counts; others read as zero. */
export function compareKV(c: Compare, kv: KeyValue): boolean {
  let result: number;
  switch (c.target ?? 'VERSION') {
    case 'VALUE':
      result = cmp(kv.value, c.value ?? '');
      break;
    case 'CREATE':
      result = cmp(kv.create_revision, c.create_revision ?? 0);
      break;
    case 'MOD':
      result = cmp(kv.mod_revision, c.mod_revision ?? 0);
      break;
    case 'VERSION':
      result = cmp(kv.version, c.version ?? 0);
      break;
    case 'LEASE':
      result = cmp(kv.lease, c.lease ?? NO_LEASE);
      break;
  }
  switch (c.result ?? 'EQUAL') {
    case 'EQUAL':
      return result === 0;
    case 'NOT_EQUAL':
      return result !== 0;
    case 'GREATER':
      return result > 0;
    case 'LESS':
      return result < 0;
  }
}

export function applyCompares(view: ReadView, compares: readonly Compare[]): boolean {
  for (let i = 0; i < compares.length; i++) if (!applyCompare(view, compares[i] as Compare)) return false;
  return true;
}

/** The branch taken at each txn, depth first: [top, nested txns of the taken branch...]. */
export function compareToPath(view: ReadView, rt: TxnRequest): boolean[] {
  const path = [applyCompares(view, rt.compare ?? [])];
  const ops = path[0] ? rt.success : rt.failure;
  if (ops === undefined) return path;
  // Indexed: for-of allocated an iterator per txn applied.
  for (let i = 0; i < ops.length; i++) {
    const nested = (ops[i] as RequestOp).request_txn;
    if (nested !== undefined) path.push(...compareToPath(view, nested));
  }
  return path;
}
