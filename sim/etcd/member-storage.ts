// A member's write-ahead log and snapshot file on the simulated disk, and reading them back
// after a crash. 'wal' is append-only: hard-state records and entry batches (a later batch
// overwrites from its first index on, like etcd's WAL replay). 'snap' holds the latest
// snapshot, replaced atomically. A torn record can only be the WAL's last: it is discarded.
import type { Entry, HardState, Snapshot } from '../../src/raft/types.ts';
import { violated } from '../../src/invariant-violation.ts';
import { EMPTY_HARD_STATE } from '../../src/raft/types.ts';
import type { DurableState } from '../../src/server/member-recovery.ts';
import type { Disk, RecordInput } from '../world/disk.ts';

export const WAL_FILE = 'wal';
export const SNAP_FILE = 'snap';

type WalRecord = { readonly t: 'hs'; readonly hs: HardState } | { readonly t: 'ents'; readonly ents: readonly Entry[] };

function entriesSize(ents: readonly Entry[]): number {
  let n = 16;
  for (const e of ents) n += e.data.length + 24;
  return n;
}

export function appendHardState(disk: Disk, hs: HardState): void {
  disk.append(WAL_FILE, { t: 'hs', hs } satisfies WalRecord, 24);
}

export function appendEntries(disk: Disk, ents: readonly Entry[]): void {
  if (ents.length === 0) return;
  disk.append(WAL_FILE, { t: 'ents', ents } satisfies WalRecord, entriesSize(ents));
}

/**
 * Saves a snapshot and rewrites the WAL to what follows it (hard state, then `entries`), in
 * one atomic step per file; the caller fsyncs once so both become durable together.
 */
export function saveSnapshot(disk: Disk, snap: Snapshot, hs: HardState, entries: readonly Entry[]): void {
  disk.replace(SNAP_FILE, [{ value: snap, sizeBytes: snap.data.length + 64 }]);
  const wal: RecordInput[] = [{ value: { t: 'hs', hs } satisfies WalRecord, sizeBytes: 24 }];
  if (entries.length > 0) wal.push({ value: { t: 'ents', ents: entries } satisfies WalRecord, sizeBytes: entriesSize(entries) });
  disk.replace(WAL_FILE, wal);
}

/** What survived: the snapshot, the last hard state and the log after the snapshot. */
export function readDurableState(disk: Disk): DurableState {
  const snapRecords = disk.read(SNAP_FILE);
  const snapRecord = snapRecords[snapRecords.length - 1];
  const snapshot = snapRecord !== undefined && !snapRecord.torn ? (snapRecord.value as Snapshot) : undefined;
  const snapIndex = snapshot?.metadata.index ?? 0;
  let hardState = EMPTY_HARD_STATE;
  let entries: Entry[] = [];
  let ascending = true;
  const records = disk.read(WAL_FILE);
  let valid = 0;
  for (const r of records) {
    if (r.torn) break;
    valid++;
    const rec = r.value as WalRecord;
    if (rec.t === 'hs') {
      hardState = rec.hs;
      continue;
    }
    const first = rec.ents[0];
    if (first === undefined) continue;
    // A record's entries replace everything from its first index on. While the log read so far
    // is in ascending order (it always is: raft appends ascending runs) that is a suffix, cut
    // from the end; a WAL replay is then linear in its length instead of quadratic.
    if (ascending) while (entries.length > 0 && (entries[entries.length - 1] as Entry).index >= first.index) entries.pop();
    else entries = entries.filter((e) => e.index < first.index);
    for (const e of rec.ents) {
      const last = entries[entries.length - 1];
      if (last !== undefined && last.index >= e.index) ascending = false;
      entries.push(e);
    }
  }
  if (valid < records.length) disk.truncate(WAL_FILE, valid);
  entries = entries.filter((e) => e.index > snapIndex);
  if (entries.length > 0 && (entries[0] as Entry).index !== snapIndex + 1) {
    throw violated('storage', 'wal-contiguous', `log starts at ${(entries[0] as Entry).index} after snapshot ${snapIndex}`);
  }
  return { snapshot, hardState, entries };
}
