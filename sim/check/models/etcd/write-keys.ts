// The keys a write may put, and the keys it may delete as etcd's key ranges: a delete_range
// request (flat, or in any branch of a txn, nested too) deletes [key, range_end), the key
// alone without a range_end (or an empty one), every key from `key` on when range_end is
// "\0"; a range request reads the same way. Used wherever a gap's unknown filler or a
// known write is asked "could you have deleted k?": a write that cannot is no excuse for k
// to be gone, and asking per key instead of "does it delete anything" keeps the pruning of
// gap-constraints.ts and gap-supply.ts from giving up whenever some txn deleted some key.
import type { Req } from './apply.ts';
import { decodeKey, id64 } from './json.ts';
import { TXN_BRANCHES, txnBranch } from './txn-branches.ts';

/** [key, range_end) with both decoded; range_end undefined for the key alone. */
export type KeyRange = readonly [string, string | undefined];

/** Appends the key ranges a request may delete (any txn branch, nested too) to `out`. */
export function deleteRanges(f: string, req: Req, out: KeyRange[]): void {
  if (f === 'kv/deleterange') out.push([decodeKey(req['key']), req['range_end'] === undefined ? undefined : decodeKey(req['range_end'])]);
  if (f !== 'kv/txn') return;
  for (let b = 0; b < TXN_BRANCHES; b++) {
    for (const op of txnBranch(req, b)) {
      if (op['request_delete_range'] !== undefined) deleteRanges('kv/deleterange', op['request_delete_range'] as Req, out);
      if (op['request_txn'] !== undefined) deleteRanges('kv/txn', op['request_txn'] as Req, out);
    }
  }
}

/** Whether `key` lies in one of the ranges. */
export function inKeyRanges(ranges: readonly KeyRange[], key: string): boolean {
  for (const [lo, hi] of ranges) {
    if (hi === undefined || hi === '' ? key === lo : key >= lo && (hi === '\u0000' || key < hi)) return true;
  }
  return false;
}

/** Adds the keys a request may put (any txn branch, nested too) to `out`. */
export function putKeys(f: string, req: Req, out: Set<string>): void {
  if (f === 'kv/put') out.add(decodeKey(req['key']));
  if (f !== 'kv/txn') return;
  for (let b = 0; b < TXN_BRANCHES; b++) {
    for (const op of txnBranch(req, b)) {
      if (op['request_put'] !== undefined) putKeys('kv/put', op['request_put'] as Req, out);
      if (op['request_txn'] !== undefined) putKeys('kv/txn', op['request_txn'] as Req, out);
    }
  }
}

/** Calls `each(key, lease)` for every put of the request with a lease (any txn branch, nested too). */
export function leasedPuts(f: string, req: Req, each: (key: string, lease: string) => void): void {
  if (f === 'kv/put' && id64(req['lease']) !== '0') each(decodeKey(req['key']), id64(req['lease']));
  if (f !== 'kv/txn') return;
  for (let b = 0; b < TXN_BRANCHES; b++) {
    for (const op of txnBranch(req, b)) {
      if (op['request_put'] !== undefined) leasedPuts('kv/put', op['request_put'] as Req, each);
      if (op['request_txn'] !== undefined) leasedPuts('kv/txn', op['request_txn'] as Req, each);
    }
  }
}

/**
 * Keys a write touches whenever it makes a revision, whichever txn branch runs: a put's key, a
 * one-key delete's key (it makes a revision only by deleting it), the keys every branch of a
 * txn puts (a txn without compares always runs its success branch).
 */
export function mustTouch(f: string, req: Req): string[] {
  if (f === 'kv/put') return [decodeKey(req['key'])];
  if (f === 'kv/deleterange') return req['range_end'] === undefined || decodeKey(req['range_end']) === '' ? [decodeKey(req['key'])] : [];
  if (f !== 'kv/txn') return [];
  const branchPuts = (branch: unknown): Set<string> => {
    const out = new Set<string>();
    putKeys('kv/txn', { success: branch }, out);
    return out;
  };
  const success = branchPuts(req['success']);
  const compares = req['compare'];
  if (!Array.isArray(compares) || compares.length === 0) return [...success];
  const failure = branchPuts(req['failure']);
  return [...success].filter((k) => failure.has(k));
}

/**
 * Calls `each(key, value)` for every put of the request (any txn branch, nested too) with the
 * value it stores: '' when the request leaves the value out (proto3 JSON omits an empty one),
 * undefined when it keeps the key's old value (ignore_value).
 */
export function forEachStoredValue(f: string, req: Req, each: (key: string, value: string | undefined) => void): void {
  if (f === 'kv/put') each(decodeKey(req['key']), req['ignore_value'] === true ? undefined : typeof req['value'] === 'string' ? req['value'] : '');
  if (f !== 'kv/txn') return;
  for (let b = 0; b < TXN_BRANCHES; b++) {
    for (const op of txnBranch(req, b)) {
      if (op['request_put'] !== undefined) forEachStoredValue('kv/put', op['request_put'] as Req, each);
      if (op['request_txn'] !== undefined) forEachStoredValue('kv/txn', op['request_txn'] as Req, each);
    }
  }
}
