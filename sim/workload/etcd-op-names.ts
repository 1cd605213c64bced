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

export const ETCD_OP_NAMES: readonly string[] = [...ETCD_TRAFFIC_MIX, ...ETCD_API_EXTRA_MIX].map(([name]) => name);

/** `table` with the weights `mix` names replaced (ops it does not name keep theirs). */
export function withWeights(table: ReadonlyArray<readonly [string, number]>, mix: Readonly<Record<string, number>> | undefined): ReadonlyArray<readonly [string, number]> {
  if (mix === undefined) return table;
  return table.map(([name, w]) => [name, mix[name] ?? w] as const);
}
