// Invariant snapshot-at-its-index: a snapshot a member writes holds its state machine at exactly
// the index the snapshot names. One ahead of its index (taken while a restarted member's state
// machine, rebuilt from the WAL, was ahead of what raft had re-delivered) makes every member
// restored from it apply the entries after that index twice; one behind it (etcd#13766, stamped
// with the commit index) makes them skip entries. Before, only a follower that installed such a
// snapshot showed it (consistent-index), and only if one needed a snapshot then (holdout 13:
// snapshot-while-replaying was never caught).
import { violated } from '../../src/invariant-violation.ts';
import type { Snapshot } from '../../src/raft/types.ts';

/** How the etcd state machine's snapshot data starts (EtcdStateMachine.snapshot, Applier.snapshot). */
const PREFIX = '{"applier":{"consistentIndex":';

/** The applied index the etcd state machine's snapshot data records; undefined for any other data. */
export function snapshotDataIndex(data: string): number | undefined {
  if (!data.startsWith(PREFIX)) return undefined;
  const n = Number(data.slice(PREFIX.length, data.indexOf(',', PREFIX.length)));
  return Number.isSafeInteger(n) ? n : undefined;
}

/** Throws when `snap`'s data records another index than its metadata (data of another state machine passes). */
export function checkSnapshotAtItsIndex(member: string, snap: Snapshot): void {
  const at = snapshotDataIndex(snap.data);
  if (at === undefined || at === snap.metadata.index) return;
  throw violated('server', 'snapshot-at-its-index', `a snapshot at index ${snap.metadata.index} holds the state machine applied up to ${at}`, member);
}
