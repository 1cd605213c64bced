// The whole store as plain JSON-able data, for raft snapshots and crash recovery, and its
// restore. Restore rebuilds the key index from the revision log the way etcd does on start
// (restoreIntoIndex): a key seen first as a put starts a generation from that KeyValue's create
// revision and version; a tombstone of an unknown key is skipped.
import { forEachChange } from './changes.ts';
import type { ChangeVisitor } from './changes.ts';
import { MvccStore } from './store.ts';
import type { LogEntry } from './store.ts';
import { assert } from './errors.ts';

/** [main, sub, key, value, create_revision, version, lease (decimal), tombstone 0|1] */
export type LogRecord = [number, number, string, string, number, number, string, 0 | 1];

export interface MvccSnapshot {
  readonly currentRev: number;
  readonly compactMainRev: number;
  readonly log: LogRecord[];
}

export function snapshotStore(store: MvccStore): MvccSnapshot {
  const records = new LogRecords();
  forEachChange(store, Number.POSITIVE_INFINITY, records);
  return { currentRev: store.currentRev, compactMainRev: store.compactMainRev, log: records.log };
}

/** The changes it visits as records, in order. */
class LogRecords implements ChangeVisitor {
  readonly log: LogRecord[] = [];

  visit(main: number, sub: number, e: LogEntry): void {
    const kv = e.kv;
    this.log.push([main, sub, kv.key, kv.value, kv.create_revision, kv.version, kv.lease.toString(), e.tombstone ? 1 : 0]);
  }
}

/** Restores into `store` (in place, so that watchers and the lessor keep their reference). */
export function restoreStore(snap: MvccSnapshot, store: MvccStore = new MvccStore(), revFromLog = false): MvccStore {
  store.restores++;
  store.index.clear();
  store.log.clear();
  store.pendingDeletes = undefined;
  store.currentRev = snap.currentRev;
  store.compactMainRev = snap.compactMainRev;
  let last = { main: 0, sub: -1 };
  for (const [main, sub, key, value, create, version, lease, tomb] of snap.log) {
    assert(main > last.main || (main === last.main && sub > last.sub), 'snapshot: log in revision order');
    assert(main <= snap.currentRev, 'snapshot: no revision past currentRev');
    last = { main, sub };
    const rev = { main, sub };
    const entry: LogEntry = tomb === 1
      ? { tombstone: true, kv: { key, create_revision: 0, mod_revision: main, version: 0, value: '', lease: 0n } }
      : { tombstone: false, kv: { key, create_revision: create, mod_revision: main, version, value, lease: BigInt(lease) } };
    let subs = store.log.get(main);
    if (subs === undefined) {
      subs = [];
      store.log.set(main, subs);
    }
    subs[sub] = entry;
    if (tomb === 1) {
      store.index.tombstone(key, rev);
    } else if (store.index.has(key)) {
      store.index.put(key, rev);
    } else {
      store.index.restore(key, { main: create, sub: 0 }, rev, version);
    }
  }
  // Fill holes left by compaction so that sub indexes stay positional.
  for (const subs of store.log.values()) {
    for (let i = 0; i < subs.length; i++) if (!(i in subs)) subs[i] = undefined;
  }
  if (store.compactMainRev > 0) store.index.compact(store.compactMainRev);
  // Planted bug (etcd#17780): the revision is read back from the last revision in the log, as
  // etcd's restore scans its backend, without the floor of the compact revision: once a
  // compaction dropped the latest revision (a delete), the revision goes backwards.
  if (revFromLog) store.currentRev = Math.max(1, last.main);
  else assert(store.compactMainRev <= store.currentRev, 'snapshot: a restored store is at or after its compact revision');
  for (const ki of store.index.entries()) ki.assertOrdered();
  store.assertIndexStored(store.currentRev);
  return store;
}
