// A joint configuration: two majority configurations, both of which must agree (§6 of the
// Raft thesis). Outside a joint change the outgoing half is empty and agrees to everything.
import type { NodeId } from '../types.ts';
import type { AckedIndexer } from './majority.ts';
import { MajorityConfig } from './majority.ts';
import type { VoteResult } from './vote-result.ts';

export class JointConfig {
  readonly incoming: MajorityConfig;
  readonly outgoing: MajorityConfig;

  constructor(incoming: MajorityConfig = new MajorityConfig(), outgoing: MajorityConfig = new MajorityConfig()) {
    this.incoming = incoming;
    this.outgoing = outgoing;
  }

  isJoint(): boolean {
    return this.outgoing.size > 0;
  }

  /** Every voter of either half, sorted. */
  ids(): NodeId[] {
    return [...new Set([...this.incoming.ids, ...this.outgoing.ids])].sort((a, b) => a - b);
  }

  has(id: NodeId): boolean {
    return this.incoming.has(id) || this.outgoing.has(id);
  }

  toString(): string {
    return this.isJoint() ? `${this.incoming.toString()}&&${this.outgoing.toString()}` : this.incoming.toString();
  }

  committedIndex(acked: AckedIndexer): number {
    return Math.min(this.incoming.committedIndex(acked), this.outgoing.committedIndex(acked));
  }

  voteResult(votes: ReadonlyMap<NodeId, boolean>): VoteResult {
    const r1 = this.incoming.voteResult(votes);
    const r2 = this.outgoing.voteResult(votes);
    if (r1 === r2) return r1;
    if (r1 === 'lost' || r2 === 'lost') return 'lost';
    return 'pending';
  }
}
