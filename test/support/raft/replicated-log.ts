// The state machine the Raft host replicates: an append-only log of client payloads, kept as a
// count and a running FNV-1a hash so that snapshots stay small and two members that applied the
// same entries in the same order have equal digests.
import { FNV1A_OFFSET, fnv1aField } from '../../../src/hash/fnv1a.ts';
import { violated } from '../../../src/invariant-violation.ts';

export interface ReplicatedLogState {
  readonly count: number;
  readonly hash: number;
  readonly lastIndex: number;
}

export class ReplicatedLog {
  count = 0;
  private hash = FNV1A_OFFSET;
  private lastIndex = 0;

  apply(index: number, data: string): void {
    if (index <= this.lastIndex) throw violated('raft', 'apply-in-order', `${index} after ${this.lastIndex}`);
    this.hash = fnv1aField(this.hash, data) >>> 0;
    this.count++;
    this.lastIndex = index;
  }

  state(): ReplicatedLogState {
    return { count: this.count, hash: this.hash, lastIndex: this.lastIndex };
  }

  restore(s: ReplicatedLogState): void {
    this.count = s.count;
    this.hash = s.hash;
    this.lastIndex = s.lastIndex;
  }
}
