// The compaction floor of the Raft observer (sim/check/raft-invariants.ts compact): the lowest
// index any member may still show it, now or after a crash. Below it the observer's tables
// (entries seen, committed, applied, acknowledged) are forgotten, so a long `detcd serve` holds
// what the logs hold rather than every entry it ever saw.
//
// A member shows entries from its log (from its first index on) and names its snapshot's index
// (checked against the committed entry there). A member that crashes comes back from its disk,
// not from what it had in memory: the durable snapshot and the WAL after it, which may start
// lower than the log it had (a snapshot not yet fsynced is lost with the crash). Entries a
// member receives later come from a leader's log or snapshot, both above the floor. A disk with
// no snapshot and no entry holds nothing to show (a member never started, or one that never got
// an entry), and adds no bound.
import type { Snapshot } from '../../src/raft/types.ts';
import type { World } from '../world/world.ts';
import type { MemberHost } from './member-host.ts';
import { SNAP_FILE, WAL_FILE } from './member-storage.ts';

/** The lowest index `disk`'s member could show after a crash now, or undefined when it holds no entry and no snapshot. */
function durableFloor(world: World, node: string): number | undefined {
  const disk = world.disk(node);
  const snaps = disk.readDurable(SNAP_FILE);
  const last = snaps[snaps.length - 1];
  // A torn or missing snapshot restarts the log from index 1, if the WAL holds any entry.
  if (last !== undefined && !last.torn) return (last.value as Snapshot).metadata.index;
  for (const r of disk.readDurable(WAL_FILE)) {
    const rec = r.value as { readonly t: string; readonly ents?: readonly unknown[] };
    if (r.torn || (rec.t === 'ents' && (rec.ents?.length ?? 0) > 0)) return 0;
  }
  return undefined;
}

/**
 * The observer's compaction floor: the lowest of every live member's snapshot index and first
 * index - 1, and every node's durable snapshot index (up or down). Undefined: no bound yet.
 */
export function observerFloor(world: World, hosts: ReadonlyMap<string, MemberHost>): number | undefined {
  let floor: number | undefined = undefined;
  const lower = (i: number | undefined): void => {
    if (i !== undefined && (floor === undefined || i < floor)) floor = i;
  };
  for (const node of world.nodeIds) {
    lower(durableFloor(world, node));
    const host = hosts.get(node);
    if (host !== undefined && world.isUp(node)) {
      lower(host.firstIndex - 1);
      lower(host.snapshotMeta.index);
    }
  }
  return floor;
}

/** The term `node`'s member restarts from after a crash now: its last durable hard state's (0: none). */
function durableTerm(world: World, node: string): number {
  let term = 0;
  for (const r of world.disk(node).readDurable(WAL_FILE)) {
    const rec = r.value as { readonly t: string; readonly hs?: { readonly term: number } };
    if (!r.torn && rec.t === 'hs' && rec.hs !== undefined) term = rec.hs.term;
  }
  return term;
}

/**
 * The lowest term any member may still lead (observer's leaders map, RaftInvariants
 * forgetLeadersBelow): the lowest durable term of every node, up or down; a member's term in
 * memory is never below its durable one.
 */
export function observerTermFloor(world: World): number {
  let floor: number | undefined = undefined;
  for (const node of world.nodeIds) {
    const t = durableTerm(world, node);
    if (floor === undefined || t < floor) floor = t;
  }
  return floor ?? 0;
}
