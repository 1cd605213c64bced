// The ops of the etcd workload and their weights (etcd's robustness mix, then the rest of the
// KV API that `workload.api: "full"` adds), apart from the code that sends them, so that the
// scenario schema can name them in a `workload.mix` without importing the workload.

/** etcd's robustness mix (traffic/etcd.go, EtcdPutDeleteLease). */
export const ETCD_TRAFFIC_MIX: ReadonlyArray<readonly [string, number]> = [
  ['put', 20], ['get', 15], ['stale-get', 10], ['multi-op-txn', 10], ['list', 15], ['stale-list', 10],
  ['delete', 5], ['put-with-lease', 5], ['lease-revoke', 5], ['cas', 5],
];

/** The rest of the KV API, with `workload.api: "full"`. */
export const ETCD_API_EXTRA_MIX: ReadonlyArray<readonly [string, number]> = [
  ['put-prev-kv', 6], ['put-ignore', 3], ['delete-prev-kv', 3], ['compare-txn', 8], ['nested-txn', 5], ['past-range-txn', 5],
];

/**
 * With `workload.api: "wide"`, on top of "full": the shapes of a request that "full" never sends
 * (etcd-api-wide-ops.ts): ranges with a limit below the number of keys, count_only, keys_only,
 * revision filters and sorts; ranges, deletes and compares that end exactly at an existing key;
 * txns whose success branch only reads and whose failure branch writes; VALUE compares other
 * than EQUAL on keys that do not exist; txns that put with a lease the client revoked (or one
 * never granted); nested txns whose then and else branches put one key; txns at etcd's operation
 * limit (compares count).
 */
export const ETCD_API_WIDE_MIX: ReadonlyArray<readonly [string, number]> = [
  ['range-shapes', 8], ['range-bounds', 5], ['read-else-write-txn', 5], ['compare-missing', 3], ['txn-put-ended-lease', 3],
  ['from-key-delete-txn', 3], ['nested-same-key-txn', 3], ['many-compares-txn', 2],
];

export type EtcdApi = 'robustness' | 'full' | 'wide';

/** The op table of an etcd workload's `api` (before `workload.mix` reweights it). */
export function etcdMixOf(api: EtcdApi): ReadonlyArray<readonly [string, number]> {
  if (api === 'robustness') return ETCD_TRAFFIC_MIX;
  if (api === 'full') return [...ETCD_TRAFFIC_MIX, ...ETCD_API_EXTRA_MIX];
  return [...ETCD_TRAFFIC_MIX, ...ETCD_API_EXTRA_MIX, ...ETCD_API_WIDE_MIX];
}

export const ETCD_OP_NAMES: readonly string[] = etcdMixOf('wide').map(([name]) => name);

/** `table` with the weights `mix` names replaced (ops it does not name keep theirs). */
export function withWeights(table: ReadonlyArray<readonly [string, number]>, mix: Readonly<Record<string, number>> | undefined): ReadonlyArray<readonly [string, number]> {
  if (mix === undefined) return table;
  return table.map(([name, w]) => [name, mix[name] ?? w] as const);
}
