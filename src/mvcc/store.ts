// The multi-version key-value store (etcd's mvcc/kvstore.go, kvstore_txn.go): a revision log that
// holds every stored KeyValue by revision, plus the key index. An empty store is at revision 1
// and compactMainRev starts at -1. A write txn writes at beginRev+1 and bumps the revision only
// if it changed something. Pure and synchronous; one write txn at a time.
import type { Bytes } from './key.ts';
import type { Event, KeyValue, LeaseId } from './key-value.ts';
import { NO_LEASE, tombstoneKeyValue } from './key-value.ts';
import type { MvccError } from './errors.ts';
import { assert } from './errors.ts';
import type { RangeEnd } from './tree-index.ts';
import { TreeIndex } from './tree-index.ts';
import { revKey } from './key-index.ts';

/** One stored change: a put's KeyValue or a delete's tombstone. */
export interface LogEntry {
  readonly kv: KeyValue;
  readonly tombstone: boolean;
}

export interface RangeOptions {
  /** At most this many KVs (0 or less: all). */
  readonly limit?: number;
  /** Read at this revision; 0 or less means the current one. */
  readonly rev?: number;
  /** Count only: no KVs. */
  readonly count?: boolean;
}

export interface RangeResult {
  readonly kvs: KeyValue[];
  /** Every live key in the range, before limit. */
  readonly count: number;
  /** The store's current revision (not the read revision). */
  readonly rev: number;
}

/** How the store tells the lessor which keys a write attached or detached. */
export interface LeaseAttachments {
  attach(id: LeaseId, key: Bytes): void;
  detach(id: LeaseId, key: Bytes): void;
}

/** Called after a write txn with changes: its revision and events in operation order. */
export type CommitObserver = (rev: number, events: readonly Event[]) => void;

export class MvccStore {
  currentRev = 1;
  compactMainRev = -1;
  readonly index = new TreeIndex();
  /** main revision → its changes by sub revision; compaction leaves holes (undefined). */
  readonly log = new Map<number, (LogEntry | undefined)[]>();
  leases: LeaseAttachments | undefined;
  /** Planted bug (etcd #19179): compaction also drops a tombstone made at the compact revision. */
  compactionDropsDelete = false;
  /** BUGGIFY (mvcc.compaction-deferred): whether this compaction leaves its deletes to the next one. */
  deferCompactionDeletes: (() => boolean) | undefined;
  /**
   * While a compaction's deletes wait for the next compaction: the revisions below the compact
   * revision that reads can still reach. Hashes and snapshots skip the others (etcd's HashByRev
   * keeps only these), so a member holding them looks like one that deleted them.
   */
  pendingDeletes: { readonly kept: ReadonlySet<string> } | undefined;
  /** Times the whole content was replaced by restoreStore (a kept hash starts over). */
  restores = 0;
  onCommit: CommitObserver | undefined;
  private writing = false;

  /** Reads [key, end) at ro.rev against curRev (etcd's storeTxnRead.rangeKeys). */
  rangeKeys(key: Bytes, end: RangeEnd, curRev: number, ro: RangeOptions): RangeResult | MvccError {
    let rev = ro.rev ?? 0;
    if (rev > curRev) return 'future-rev';
    if (rev <= 0) rev = curRev;
    if (rev < this.compactMainRev) return 'compacted';
    const revpairs = this.index.revisions(key, end, rev);
    if (revpairs.length === 0 || ro.count === true) return { kvs: [], count: revpairs.length, rev: curRev };
    let limit = ro.limit ?? 0;
    if (limit <= 0 || limit > revpairs.length) limit = revpairs.length;
    const kvs: KeyValue[] = new Array<KeyValue>(limit);
    for (let i = 0; i < limit; i++) {
      const kv = this.entryAt(revpairs[i]!.get.modified).kv;
      assert(kv.mod_revision <= rev && kv.create_revision <= kv.mod_revision, 'mvcc: a read sees no revision after the one it reads at');
      kvs[i] = kv;
    }
    return { kvs, count: revpairs.length, rev: curRev };
  }

  /** A read-only view at the current revision. */
  range(key: Bytes, end: RangeEnd, ro: RangeOptions = {}): RangeResult | MvccError {
    return this.rangeKeys(key, end, this.currentRev, ro);
  }

  write(): TxnWrite {
    assert(!this.writing, 'mvcc: one write txn at a time');
    this.writing = true;
    return new TxnWrite(this);
  }

  /** Compaction at apply time (etcd's updateCompactRev + scheduleCompaction, done at once). */
  compact(rev: number): MvccError | undefined {
    if (rev <= this.compactMainRev) return 'compacted';
    if (rev > this.currentRev) return 'future-rev';
    this.compactMainRev = rev;
    const available = this.index.compact(rev);
    if (this.deferCompactionDeletes?.() === true) {
      this.pendingDeletes = { kept: available };
      return undefined;
    }
    this.pendingDeletes = undefined;
    // Entries below rev that no read at or after rev can reach are deleted. Entries exactly at
    // rev stay, tombstones included, so that a watch from the compact revision still sees a
    // delete made at that revision (etcd #19179).
    // The log Map holds revisions in increasing order (inserted so by writes and by restore), and
    // entries kept by an earlier compaction must be reconsidered, so walk it from the start.
    const upTo = this.compactionDropsDelete ? rev + 1 : rev;
    for (const [main, subs] of this.log) {
      if (main >= upTo) break;
      let live = 0;
      for (let sub = 0; sub < subs.length; sub++) {
        if (subs[sub] === undefined) continue;
        if (available.has(revKey({ main, sub }))) live++;
        else subs[sub] = undefined;
      }
      if (live === 0) this.log.delete(main);
    }
    assert(this.compactMainRev === rev && rev <= this.currentRev, 'mvcc: compaction stops at or below the current revision');
    this.assertIndexStored(rev);
    return undefined;
  }

  /** The tree index and the revision log agree: what a read at `rev` finds in the index is stored. */
  assertIndexStored(rev: number): void {
    for (const ki of this.index.entries()) {
      const g = ki.get(rev);
      assert(g === undefined || this.log.get(g.modified.main)?.[g.modified.sub]?.kv.key === ki.key, 'mvcc: every revision the index keeps is stored, under its key');
    }
  }

  entryAt(rev: { main: number; sub: number }): LogEntry {
    const e = this.log.get(rev.main)?.[rev.sub];
    assert(e !== undefined, 'mvcc: the index only points at stored revisions');
    return e;
  }

  /** @internal Called by TxnWrite.end. */
  finishWrite(changes: readonly LogEntry[]): void {
    assert(this.writing, 'mvcc: finishWrite inside a write txn');
    this.writing = false;
    if (changes.length === 0) return;
    const rev = this.currentRev + 1;
    assert(this.log.get(rev)?.length === changes.length, 'mvcc: staged changes are the txn changes');
    this.currentRev = rev;
    for (const c of changes) assert(c.kv.mod_revision === rev, 'mvcc: a txn writes every change at its one revision');
    const events: Event[] = changes.map((c) => ({ type: c.tombstone ? 'DELETE' : 'PUT', kv: c.kv }));
    this.onCommit?.(rev, events);
  }
}

/** A write txn (etcd's storeTxnWrite): reads see its own earlier writes. */
export class TxnWrite {
  readonly beginRev: number;
  private readonly changes: LogEntry[] = [];
  private ended = false;

  constructor(private readonly s: MvccStore) {
    this.beginRev = s.currentRev;
  }

  /** The revision reads in this txn see: beginRev, or beginRev+1 once it has changes. */
  readRev(): number {
    return this.changes.length > 0 ? this.beginRev + 1 : this.beginRev;
  }

  hasChanges(): boolean {
    return this.changes.length > 0;
  }

  range(key: Bytes, end: RangeEnd, ro: RangeOptions = {}): RangeResult | MvccError {
    return this.s.rangeKeys(key, end, this.readRev(), ro);
  }

  /** Puts key; returns the revision it is written at. */
  put(key: Bytes, value: Bytes, lease: LeaseId): number {
    assert(!this.ended, 'mvcc: no writes after end');
    const rev = this.beginRev + 1;
    const idxRev = { main: rev, sub: this.changes.length };
    const prev = this.s.index.get(key, rev);
    let created = rev;
    let oldLease = NO_LEASE;
    if (prev !== undefined) {
      created = prev.created.main;
      oldLease = this.kvAt(prev.modified).lease;
    }
    const kv: KeyValue = {
      key,
      create_revision: created,
      mod_revision: rev,
      version: (prev?.ver ?? 0) + 1,
      value,
      lease,
    };
    this.s.index.put(key, idxRev);
    this.changes.push({ kv, tombstone: false });
    this.stage(idxRev, kv, false);
    if (oldLease !== NO_LEASE) this.s.leases?.detach(oldLease, key);
    if (lease !== NO_LEASE) this.s.leases?.attach(lease, key);
    assert(kv.version >= 1 && kv.create_revision <= rev && this.s.index.get(key, rev)?.modified === idxRev, 'mvcc: a put is the key\'s latest revision, version 1 or more');
    return rev;
  }

  /** Deletes the live keys in [key, end); returns how many and the revision (etcd's DeleteRange). */
  deleteRange(key: Bytes, end: RangeEnd): { deleted: number; rev: number } {
    assert(!this.ended, 'mvcc: no writes after end');
    const live = this.s.index.revisions(key, end, this.readRev());
    for (const r of live) this.delete(r.key, this.kvAt(r.get.modified).lease);
    const rev = live.length !== 0 || this.changes.length > 0 ? this.beginRev + 1 : this.beginRev;
    assert(this.s.index.revisions(key, end, rev).length === 0, 'mvcc: a delete leaves no live key in its range');
    return { deleted: live.length, rev };
  }

  end(): void {
    assert(!this.ended, 'mvcc: end once');
    this.ended = true;
    this.s.finishWrite(this.changes);
  }

  private delete(key: Bytes, lease: LeaseId): void {
    const idxRev = { main: this.beginRev + 1, sub: this.changes.length };
    const kv = tombstoneKeyValue(key, idxRev.main);
    const ok = this.s.index.tombstone(key, idxRev);
    assert(ok, 'mvcc: delete only live keys');
    this.changes.push({ kv, tombstone: true });
    this.stage(idxRev, kv, true);
    if (lease !== NO_LEASE) this.s.leases?.detach(lease, key);
  }

  /** Makes the change readable inside the txn at once; end() publishes the revision. */
  private stage(idxRev: { main: number; sub: number }, kv: KeyValue, tombstone: boolean): void {
    const subs = this.s.log.get(idxRev.main);
    // A revision's first change makes a one-element array (a push onto an empty one reserved
    // room for 17: 128 bytes more per revision, and most revisions hold one change).
    if (subs === undefined) {
      assert(idxRev.sub === 0, 'mvcc: sub revisions are dense');
      this.s.log.set(idxRev.main, [{ kv, tombstone }]);
      return;
    }
    assert(subs.length === idxRev.sub, 'mvcc: sub revisions are dense');
    subs.push({ kv, tombstone });
  }

  private kvAt(rev: { main: number; sub: number }): KeyValue {
    return this.s.entryAt(rev).kv;
  }
}
