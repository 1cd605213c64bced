// The rest of the etcd KV API, for `workload.api: "full"`: what etcd's robustness traffic never
// sends. Puts and deletes that return prev_kv, puts with ignore_value / ignore_lease, txns whose
// compare is any target (VALUE, MOD, CREATE, VERSION, LEASE) with any result (EQUAL, NOT_EQUAL,
// GREATER, LESS) against what the client last read (or, in one in four, a MOD or CREATE compare
// over every key of the workload, which every key must pass), nested txns, and write txns with a range at
// a past revision (compacted or not: such a txn fails as a whole on every member, etcd#18667).
import type { Prng } from '../world/prng.ts';
import { deleteRange, prefixEnd, put, range, txn, withWriteOptions } from './etcd-request.ts';
import type { Compare, CompareResult, EtcdRequest, TxnOp } from './etcd-request.ts';
import type { TrafficState } from './traffic-state.ts';

/** Added to etcd's robustness mix (same weight units: that mix sums to 100). */
export { ETCD_API_EXTRA_MIX } from './etcd-op-names.ts';

import { ETCD_API_EXTRA_MIX } from './etcd-op-names.ts';

/** The op names of the mix, looked up for every operation a run dispatches. */
const API_OP_NAMES: ReadonlySet<string> = new Set(ETCD_API_EXTRA_MIX.map(([name]) => name));

export const isApiOp = (f: string): boolean => API_OP_NAMES.has(f);

export interface ApiOpContext {
  readonly prng: Prng;
  readonly state: TrafficState;
  /** A value no other write uses (suffix it for a second write in one txn). */
  readonly value: string;
  /** Another key of the workload, drawn. */
  readonly otherKey: () => string;
  /** The workload's key prefix (for ranges over every key). */
  readonly prefix: string;
}

const RESULTS: readonly CompareResult[] = ['EQUAL', 'NOT_EQUAL', 'GREATER', 'LESS'];

/** A compare on `key` against what was last read of it, or against zero when never read. */
export function drawCompare(key: string, c: ApiOpContext): Compare {
  const kv = c.state.kvOf(key);
  const result = c.prng.pick(RESULTS);
  switch (c.prng.pick(['VALUE', 'MOD', 'CREATE', 'VERSION', 'LEASE'] as const)) {
    case 'VALUE':
      return { target: 'VALUE', key, value: kv?.value ?? '', result };
    case 'MOD':
      return { target: 'MOD', key, revision: kv?.modRevision ?? 0, result };
    case 'CREATE':
      return { target: 'CREATE', key, revision: kv?.createRevision ?? 0, result };
    case 'VERSION':
      return { target: 'VERSION', key, revision: kv?.version ?? 0, result };
    case 'LEASE':
      return { target: 'LEASE', key, lease: kv?.lease ?? c.state.pickLease(c.prng) ?? '0', result };
  }
}

/**
 * A compare over every key of the workload (each must pass): its MOD or CREATE revision LESS or
 * GREATER than the one last read of `key`, so that usually some keys pass and some do not.
 */
export function drawRangeCompare(key: string, c: ApiOpContext): Compare {
  const kv = c.state.kvOf(key);
  const target = c.prng.pick(['MOD', 'CREATE'] as const);
  const revision = (target === 'MOD' ? kv?.modRevision : kv?.createRevision) ?? 0;
  return { target, key: c.prefix, rangeEnd: prefixEnd(c.prefix), revision, result: c.prng.pick(['LESS', 'GREATER'] as const) };
}

export function apiRequest(f: string, key: string, c: ApiOpContext): EtcdRequest {
  const prng = c.prng;
  switch (f) {
    case 'put-prev-kv': {
      const lease = prng.chance(1, 3) ? c.state.pickLease(prng) : undefined;
      return withWriteOptions(put(key, c.value, lease), { prevKv: true });
    }
    case 'put-ignore':
      // ignore_value rewrites the current value (ErrKeyNotFound when the key is gone); ignore_lease keeps the lease.
      return prng.chance(1, 3) ? withWriteOptions(put(key, ''), { ignoreValue: true, prevKv: prng.chance(1, 2) }) : withWriteOptions(put(key, c.value), { ignoreLease: true, prevKv: prng.chance(1, 2) });
    case 'delete-prev-kv':
      return withWriteOptions(deleteRange(key), { prevKv: true });
    case 'compare-txn':
      return txn([prng.chance(1, 4) ? drawRangeCompare(key, c) : drawCompare(key, c)], [{ put: withWriteOptions(put(key, c.value), { prevKv: true }) }, { range: range(key) }], [{ range: range(key) }]);
    case 'nested-txn': {
      const other = c.otherKey();
      const inner: TxnOp = { txn: txn([drawCompare(key, c)], [{ put: put(key, c.value) }], [{ deleteRange: withWriteOptions(deleteRange(other), { prevKv: true }) }]) };
      const list: TxnOp = { range: range(c.prefix, { rangeEnd: prefixEnd(c.prefix), limit: 3, sortOrder: 'DESCEND', sortTarget: 'MOD' }) };
      return txn([drawCompare(other, c)], [inner, list], [{ put: put(other, `${c.value}-f`) }, list]);
    }
    case 'past-range-txn':
      return txn([], [{ put: put(key, c.value) }, { range: range(c.otherKey(), { revision: c.state.staleRevision(prng) }) }]);
    default:
      throw new Error(`etcd api traffic: unknown op ${f}`);
  }
}
