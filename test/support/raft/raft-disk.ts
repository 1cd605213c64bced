// How a Raft host keeps its state on the simulated disk, and gets it back after a crash.
// Files: 'hardstate' (atomically replaced, one record), 'wal' (appended entries; a later record
// with a lower index truncates the ones after it, as in etcd's WAL; rewritten after a
// compaction), 'snapshot' (atomically replaced: the Raft snapshot with the state machine).
// Writes are volatile until the host's next fsync; a crash keeps a prefix of them in order.
import type { Disk } from '../../../sim/world/disk.ts';
import { violated } from '../../../src/invariant-violation.ts';
import type { Ready } from '../../../src/raft/raw-node.ts';
import type { MemoryStorage } from '../../../src/raft/storage.ts';
import type { Entry, HardState, Snapshot } from '../../../src/raft/types.ts';

/** The bytes a disk record's header takes (snapshot and WAL entry records). */
export const RECORD_HEADER_BYTES = 64;

interface SnapshotRecord {
  readonly snapshot: Snapshot;
}

export interface Recovered {
  readonly snapshot: Snapshot | undefined;
  readonly durableTerm: number;
  readonly durableCommit: number;
}

/** Fills `storage` with what the disk holds durably: snapshot, then WAL entries, then hard state. */
export function recoverFromDisk(disk: Disk, storage: MemoryStorage, id: string): Recovered {
  const snapRec = lastIntact(disk.read('snapshot')) as SnapshotRecord | undefined;
  const snapIndex = snapRec?.snapshot.metadata.index ?? 0;
  if (snapRec !== undefined) storage.applySnapshot(snapRec.snapshot);
  const log: Entry[] = [];
  const wal = disk.read('wal');
  for (let i = 0; i < wal.length; i++) {
    const rec = wal[i]!;
    if (rec.torn) {
      // A record half-written at the crash: it was never acknowledged. Cut it away.
      disk.truncate('wal', i);
      break;
    }
    const e = rec.value as Entry;
    const pos = e.index - (snapIndex + 1);
    if (pos < 0) continue;
    if (pos > log.length) throw violated('storage', 'wal-contiguous', `${id} wal jumps to ${e.index} after ${snapIndex + log.length}`, id);
    log.length = pos; // a rewritten index truncates what followed it
    log.push(e);
  }
  storage.append(log);
  const hs = lastIntact(disk.read('hardstate')) as HardState | undefined;
  if (hs === undefined) return { snapshot: snapRec?.snapshot, durableTerm: 0, durableCommit: snapIndex };
  // The snapshot covers applied entries, whose commit was durable before they applied.
  const commit = Math.max(hs.commit, snapIndex);
  storage.setHardState({ ...hs, commit });
  return { snapshot: snapRec?.snapshot, durableTerm: hs.term, durableCommit: commit };
}

/** Writes a Ready's snapshot, entries and hard state (volatile until fsync). Returns whether it wrote. */
export function persistReady(disk: Disk, storage: MemoryStorage, rd: Ready): boolean {
  let wrote = false;
  if (rd.snapshot !== undefined) {
    disk.replace('snapshot', [{ value: { snapshot: rd.snapshot } satisfies SnapshotRecord, sizeBytes: rd.snapshot.data.length + RECORD_HEADER_BYTES }]);
    disk.replace('wal', []);
    storage.applySnapshot(rd.snapshot);
    wrote = true;
  }
  for (const e of rd.entries) disk.append('wal', e, e.data.length + RECORD_HEADER_BYTES);
  if (rd.entries.length > 0) {
    storage.append(rd.entries);
    wrote = true;
  }
  if (rd.hardState !== undefined) {
    disk.replace('hardstate', [{ value: rd.hardState, sizeBytes: 24 }]);
    storage.setHardState(rd.hardState);
    wrote = true;
  }
  return wrote;
}

/**
 * Records a snapshot the host took, then compacts the log up to compactIndex and rewrites the
 * WAL without the compacted prefix. The replaces are ordered, so a crash keeps the old pair,
 * the new snapshot with the old WAL, or both new; recovery handles all three.
 */
export function writeSnapshotAndCompact(disk: Disk, storage: MemoryStorage, snap: Snapshot, compactIndex: number): void {
  disk.replace('snapshot', [{ value: { snapshot: snap } satisfies SnapshotRecord, sizeBytes: snap.data.length + RECORD_HEADER_BYTES }]);
  if (compactIndex <= storage.firstIndex()) return;
  storage.compact(compactIndex);
  const kept = storage.entries(storage.firstIndex(), storage.lastIndex() + 1, Number.MAX_SAFE_INTEGER);
  const records = typeof kept === 'string' ? [] : kept.map((e) => ({ value: e, sizeBytes: e.data.length + RECORD_HEADER_BYTES }));
  disk.replace('wal', records);
}

function lastIntact(records: readonly { value: unknown; torn: boolean }[]): unknown {
  for (let i = records.length - 1; i >= 0; i--) {
    const r = records[i]!;
    if (!r.torn) return r.value;
  }
  return undefined;
}
