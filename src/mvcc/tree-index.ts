// The key index: every key ever written and not yet compacted away, in byte order, each with its
// KeyIndex (etcd's mvcc/index.go treeIndex). Keys live in a sorted array (binary search for
// ranges) beside a Map for point lookups: inserts are O(n), which is fine for the key counts a
// simulation uses, and reads stay allocation-free.
import type { Bytes } from './key.ts';
import { KeyIndex } from './key-index.ts';
import type { KeyIndexGet } from './key-index.ts';
import type { Revision } from './revision.ts';
import { assert } from './errors.ts';
import { lowerBound } from '../sort/lower-bound.ts';

/**
 * The upper end of a key range: undefined selects the single key, '' means no upper bound
 * (etcd's range_end "\0" after mkGteRange), anything else is exclusive.
 */
export type RangeEnd = Bytes | undefined;

export interface IndexedRevision {
  readonly key: Bytes;
  readonly get: KeyIndexGet;
}

export class TreeIndex {
  private readonly keys: Bytes[] = [];
  /** indexes[i] is the KeyIndex of keys[i] (range scans read it without a Map lookup per key). */
  private readonly indexes: KeyIndex[] = [];
  private readonly byKey = new Map<Bytes, KeyIndex>();

  clear(): void {
    this.keys.length = 0;
    this.indexes.length = 0;
    this.byKey.clear();
  }

  get size(): number {
    return this.keys.length;
  }

  put(key: Bytes, rev: Revision): void {
    let ki = this.byKey.get(key);
    if (ki === undefined) {
      ki = new KeyIndex(key);
      this.insert(key, ki);
    }
    ki.put(rev);
  }

  /** Used when rebuilding from the revision log (etcd's restoreIntoIndex). */
  restore(key: Bytes, created: Revision, modified: Revision, ver: number): void {
    assert(!this.byKey.has(key), 'tree-index: restore of a new key');
    const ki = new KeyIndex(key);
    ki.restore(created, modified, ver);
    this.insert(key, ki);
  }

  tombstone(key: Bytes, rev: Revision): boolean {
    const ki = this.byKey.get(key);
    if (ki === undefined) return false;
    const g = ki.generations[ki.generations.length - 1]!;
    if (g.revs.length === 0) return false;
    ki.tombstone(rev);
    return true;
  }

  has(key: Bytes): boolean {
    return this.byKey.has(key);
  }

  get(key: Bytes, atRev: number): KeyIndexGet | undefined {
    return this.byKey.get(key)?.get(atRev);
  }

  /** The live keys in [key, end) at atRev, in byte order, with their revisions. */
  revisions(key: Bytes, end: RangeEnd, atRev: number): IndexedRevision[] {
    if (end === undefined) {
      const g = this.get(key, atRev);
      return g === undefined ? [] : [{ key, get: g }];
    }
    const out: IndexedRevision[] = [];
    for (let i = lowerBound(this.keys, key); i < this.keys.length; i++) {
      const k = this.keys[i]!;
      if (end !== '' && k >= end) break;
      const g = this.indexes[i]!.get(atRev);
      if (g !== undefined) out.push({ key: k, get: g });
    }
    return out;
  }

  /** Compacts every key at atRev; returns the revisions the revision log must keep. */
  compact(atRev: number): Set<string> {
    const available = new Set<string>();
    const emptied: Bytes[] = [];
    for (let i = 0; i < this.keys.length; i++) {
      if (this.indexes[i]!.compact(atRev, available)) emptied.push(this.keys[i]!);
    }
    for (const k of emptied) this.remove(k);
    return available;
  }

  /** Every key index in byte order (for snapshots and tests). */
  *entries(): IterableIterator<KeyIndex> {
    for (const ki of this.indexes) yield ki;
  }

  private insert(key: Bytes, ki: KeyIndex): void {
    const i = lowerBound(this.keys, key);
    assert(this.keys[i] !== key, 'tree-index: an inserted key is new');
    this.keys.splice(i, 0, key);
    this.indexes.splice(i, 0, ki);
    this.byKey.set(key, ki);
    assert(this.keys.length === this.byKey.size && this.indexes.length === this.keys.length && (i + 1 >= this.keys.length || key < this.keys[i + 1]!),
      'tree-index: keys stay sorted and indexed once');
  }

  private remove(key: Bytes): void {
    const i = lowerBound(this.keys, key);
    assert(this.keys[i] === key, 'tree-index: removed key is present');
    this.keys.splice(i, 1);
    this.indexes.splice(i, 1);
    this.byKey.delete(key);
    assert(this.keys.length === this.byKey.size && this.indexes.length === this.keys.length, 'tree-index: keys stay indexed once');
  }
}
