// The leader transfers of a real run, as the lease checker reads them (LeaseCheckOptions
// transfersUs, transferEndsUs): a transfer drops the leader's proposals, its lease revokes too.
import type { FaultInterval } from '../../nemesis/fault-interval.ts';

/**
 * The leader transfers the nemesis asked for, each from when it asked (askedUs: MoveLeader is
 * sent no earlier) to the latest moment it may have dropped proposals, its leases' revokes too:
 * etcd aborts a transfer after an election timeout of raft ticks from when it came in force (raft
 * ticks run late on a loaded machine), and one that can reach its target (the fault healed, endUs)
 * goes through or ends; a fault never healed, at `nowUs`. Without them a revoke dropped by a
 * transfer and proposed again 3 s later was judged as a lease outliving its TTL (real etcd 3.4.23,
 * lease-failed-transfer seed 1 at load 9.8 per core: a put with the lease 0.16 s past its deadline).
 */
export function transfersOf(intervals: readonly FaultInterval[], electionTimeoutUs: number, nowUs: number): { transfersUs: number[]; transferEndsUs: number[] } {
  const moves = intervals.filter((i) => i.kind === 'move-leader');
  return { transfersUs: moves.map((i) => Math.min(i.askedUs ?? i.startUs, i.startUs)), transferEndsUs: moves.map((i) => Math.max(i.endUs ?? nowUs, i.startUs + electionTimeoutUs)) };
}
