// The ops of the lease workload and their weights, apart from the workload so that the scenario
// schema can name them in a `workload.mix` without importing the workload.

/**
 * The lease workload's mix. `keepalive-late` (weight 0 unless a scenario's mix asks for it) keeps
 * alive a lease just after it must have expired: the race between a renewal and the revoke of an
 * expired lease (etcd's lessor.Renew waits for that revoke and answers "not found").
 */
export const LEASE_MIX: ReadonlyArray<readonly [string, number]> = [
  ['grant', 10], ['put-with-lease', 30], ['keepalive', 15], ['revoke', 5], ['time-to-live', 10], ['get', 20], ['list', 10],
  ['keepalive-late', 0], ['grant-with-id', 3],
];

export const LEASE_OP_NAMES: readonly string[] = LEASE_MIX.map(([name]) => name);
