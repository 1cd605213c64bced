// The revision history of one key, as generations (etcd's mvcc/key_index.go). A generation runs
// from the put that created the key to the tombstone that deleted it; a delete closes the current
// generation and opens an empty one, so a later put starts over at version 1 with a new
// create_revision.
//
// Example: put@1, put@2, tombstone@3, put@4, tombstone@5 gives
//   generations: [{created 1, ver 3, revs [1.0, 2.0, 3.0(t)]}, {created 4, ver 2, revs [4.0, 5.0(t)]}, {empty}]
import type { Bytes } from './key.ts';
import type { Revision } from './revision.ts';
import { revisionGreater } from './revision.ts';
import { assert } from './errors.ts';

export interface Generation {
  /** Number of puts and the tombstone in this generation, kept across compaction. */
  ver: number;
  created: Revision;
  revs: Revision[];
}

export interface KeyIndexGet {
  readonly modified: Revision;
  readonly created: Revision;
  readonly ver: number;
}

const ZERO: Revision = { main: 0, sub: 0 };

export class KeyIndex {
  readonly key: Bytes;
  /** The last revision of the key (put or tombstone). */
  modified: Revision = ZERO;
  generations: Generation[] = [{ ver: 0, created: ZERO, revs: [] }];

  constructor(key: Bytes) {
    this.key = key;
  }

  put(rev: Revision): void {
    assert(revisionGreater(rev, this.modified), 'key-index: revisions strictly increase');
    const g = this.generations[this.generations.length - 1]!;
    // A generation's first revision makes a one-element array: a push onto the empty one
    // reserved room for 17 (152 bytes per key, most of a key's index in a store of distinct keys).
    if (g.revs.length === 0) {
      g.created = rev;
      g.revs = [rev];
    } else g.revs.push(rev);
    g.ver++;
    this.modified = rev;
    assert(g.ver >= g.revs.length && g.revs[g.revs.length - 1] === rev, 'key-index: a generation counts every revision it holds, the latest last');
  }

  /** Rebuilds an index from one stored KeyValue (etcd's keyIndex.restore). */
  restore(created: Revision, modified: Revision, ver: number): void {
    assert(this.isEmpty(), 'key-index: restore into an empty index');
    this.modified = modified;
    this.generations = [{ ver, created, revs: [modified] }];
    assert(ver >= 1 && !revisionGreater(created, modified), 'key-index: a restored key has a version and was created no later than modified');
  }

  tombstone(rev: Revision): void {
    const last = this.generations[this.generations.length - 1]!;
    assert(!this.isEmpty() && last.revs.length > 0, 'key-index: tombstone of a live key');
    this.put(rev);
    this.generations.push({ ver: 0, created: ZERO, revs: [] });
    assert(this.get(rev.main) === undefined, 'key-index: a key is gone at its tombstone');
  }

  isEmpty(): boolean {
    return this.generations.length === 1 && this.generations[0]!.revs.length === 0;
  }

  /** The key's state at `atRev`, or undefined if it did not exist then. */
  get(atRev: number): KeyIndexGet | undefined {
    const g = this.findGeneration(atRev);
    if (g === undefined || g.revs.length === 0) return undefined;
    for (let n = g.revs.length - 1; n >= 0; n--) {
      const r = g.revs[n]!;
      if (r.main <= atRev) {
        const ver = g.ver - (g.revs.length - n - 1);
        assert(ver >= 1 && !revisionGreater(g.created, r), 'key-index: a live key has a version and was created no later than modified');
        return { modified: r, created: g.created, ver };
      }
    }
    return undefined;
  }

  private findGeneration(rev: number): Generation | undefined {
    const lastg = this.generations.length - 1;
    for (let cg = lastg; cg >= 0; cg--) {
      const g = this.generations[cg]!;
      if (g.revs.length === 0) continue;
      // A closed generation whose tombstone is at or before rev: the key was deleted at rev.
      if (cg !== lastg && g.revs[g.revs.length - 1]!.main <= rev) return undefined;
      if (g.revs[0]!.main <= rev) return g;
    }
    return undefined;
  }

  /**
   * Drops history older than atRev, keeping what a read at atRev needs; records in `available`
   * the revisions that must stay in the revision log (etcd's keyIndex.compact). Returns true if
   * the index became empty and the key must leave the tree.
   */
  compact(atRev: number, available: Set<string>): boolean {
    assert(!this.isEmpty(), 'key-index: compact of an empty index');
    const seen = this.get(atRev);
    let genIdx = 0;
    let g = this.generations[0]!;
    // Find the first generation that includes atRev or was created after it.
    while (genIdx < this.generations.length - 1) {
      if (g.revs[g.revs.length - 1]!.main > atRev) break;
      genIdx++;
      g = this.generations[genIdx]!;
    }
    let revIndex = -1;
    for (let i = g.revs.length - 1; i >= 0; i--) {
      const r = g.revs[i]!;
      if (r.main <= atRev) {
        available.add(revKey(r));
        revIndex = i;
        break;
      }
    }
    if (g.revs.length > 0) {
      if (revIndex !== -1) g.revs = g.revs.slice(revIndex);
      // A generation reduced to its tombstone is dropped entirely.
      if (g.revs.length === 1 && genIdx !== this.generations.length - 1) {
        available.delete(revKey(g.revs[0]!));
        genIdx++;
      }
    }
    this.generations = this.generations.slice(genIdx);
    assert(this.generations.length >= 1 && (this.generations[this.generations.length - 1]!.revs.length === 0) === (this.get(this.modified.main) === undefined), 'key-index: compaction keeps the open generation and what a read at the last revision sees');
    this.assertOrdered();
    const kept = this.get(atRev);
    assert(kept?.modified === seen?.modified && kept?.ver === seen?.ver && (seen === undefined || available.has(revKey(seen.modified))), 'key-index: compaction keeps the latest version at or below the compact revision');
    return this.isEmpty();
  }

  /** Revisions strictly increase across the generations, each closed one ends in its tombstone (etcd's keyIndex invariants). */
  assertOrdered(): void {
    let last: Revision | undefined;
    for (const [n, g] of this.generations.entries()) {
      for (const r of g.revs) {
        assert(last === undefined || revisionGreater(r, last), 'key-index: revisions increase across generations');
        last = r;
      }
      const closed = n < this.generations.length - 1;
      assert(!closed || (g.revs.length > 0 && g.ver >= g.revs.length), 'key-index: a closed generation holds its revisions and tombstone');
    }
    assert(last === undefined || last === this.modified, 'key-index: the last revision is the key\'s modified revision');
  }
}

/** A map key for a revision. */
export function revKey(r: Revision): string {
  return `${r.main}.${r.sub}`;
}
