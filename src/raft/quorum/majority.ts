// A majority configuration: a set of voters, any strict majority of which is a quorum.
import type { NodeId } from '../types.ts';
import { insertionSort } from '../../sort/insertion-sort.ts';
import type { VoteResult } from './vote-result.ts';

/** Looks up a voter's acknowledged index (its Match), or undefined if unknown. */
export type AckedIndexer = (id: NodeId) => number | undefined;

/** committedIndex's working array, reused: the call is synchronous and its callback only looks up. */
const INDEXES: number[] = [];

export class MajorityConfig {
  readonly ids: ReadonlySet<NodeId>;

  constructor(ids: Iterable<NodeId> = []) {
    this.ids = new Set(ids);
  }

  get size(): number {
    return this.ids.size;
  }

  has(id: NodeId): boolean {
    return this.ids.has(id);
  }

  /** The voter ids in increasing order, so that iteration never depends on insertion order. */
  sorted(): NodeId[] {
    return insertionSort([...this.ids]);
  }

  toString(): string {
    return `(${this.sorted().join(' ')})`;
  }

  /**
   * The largest index that a quorum has acknowledged. An empty configuration returns
   * MAX_SAFE_INTEGER so that, joined with another, it never holds the other back.
   */
  committedIndex(acked: AckedIndexer): number {
    const n = this.ids.size;
    if (n === 0) return Number.MAX_SAFE_INTEGER;
    const indexes = INDEXES;
    indexes.length = 0;
    for (const id of this.ids) indexes.push(acked(id) ?? 0);
    insertionSort(indexes);
    // With the indexes sorted ascending, the one at position n - (n/2 + 1) is held by a quorum.
    return indexes[n - (Math.floor(n / 2) + 1)] as number;
  }

  /** Won if a quorum voted yes, lost if a quorum can no longer vote yes, else pending. */
  voteResult(votes: ReadonlyMap<NodeId, boolean>): VoteResult {
    if (this.ids.size === 0) return 'won'; // an empty config agrees to everything (joint use)
    let granted = 0;
    let missing = 0;
    for (const id of this.ids) {
      const v = votes.get(id);
      if (v === undefined) missing++;
      else if (v) granted++;
    }
    const q = Math.floor(this.ids.size / 2) + 1;
    if (granted >= q) return 'won';
    if (granted + missing >= q) return 'pending';
    return 'lost';
  }
}
