// The state machine the Raft host replicates: an append-only log of client payloads, kept as a
// count and a running FNV-1a hash so that snapshots stay small and two members that applied the
// same entries in the same order have equal digests.
import { violated } from '../../src/invariant-violation.ts';

export interface ReplicatedLogState {
  readonly count: number;
  readonly hash: number;
  readonly lastIndex: number;
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

export class ReplicatedLog {
  count = 0;
  private hash = FNV_OFFSET;
  private lastIndex = 0;

  apply(index: number, data: string): void {
    if (index <= this.lastIndex) throw violated('raft', 'apply-in-order', `${index} after ${this.lastIndex}`);
    let h = this.hash;
    for (let i = 0; i < data.length; i++) {
      h ^= data.charCodeAt(i);
      h = Math.imul(h, FNV_PRIME) >>> 0;
    }
    // Separate entries so that "ab","c" and "a","bc" differ.
    this.hash = Math.imul(h ^ 0xff, FNV_PRIME) >>> 0;
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
