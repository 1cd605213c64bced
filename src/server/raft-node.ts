// Adapts src/raft's RawNode to the RaftPort the member drives, and builds it from the member's
// config: etcd's raft settings (PreVote, CheckQuorum, ReadOnlySafe or lease-based reads) and
// the planted bugs that live in raft (its unsafe options).
import { RawNode } from '../raft/raw-node.ts';
import type { Ready } from '../raft/raw-node.ts';
import type { RandomSource } from '../raft/config.ts';
import type { MemoryStorage } from '../raft/storage.ts';
import type { ConfChange, ConfState, EntryData, Message } from '../raft/types.ts';
import type { MemberConfig } from './member-config.ts';
import type { RaftPort, RaftReady, RaftStatus } from './raft-port.ts';

export class RaftNode implements RaftPort {
  readonly node: RawNode;

  constructor(c: MemberConfig, storage: MemoryStorage, applied: number, random: RandomSource) {
    this.node = new RawNode({
      id: c.id,
      electionTick: c.electionTicks,
      heartbeatTick: c.heartbeatTicks,
      storage,
      applied,
      checkQuorum: c.checkQuorum || c.leaseReads,
      preVote: c.preVote,
      readOnlyOption: c.leaseReads ? 'lease-based' : 'safe',
      random,
      unsafe: c.unsafe?.raft ?? {},
      ...flowControl(c),
    });
  }

  tick(): void {
    this.node.tick();
  }

  step(m: Message): void {
    // Refused messages (from removed peers, local types) are dropped like etcd drops them.
    this.node.step(m);
  }

  propose(data: EntryData): boolean {
    return this.node.propose(data) === undefined;
  }

  proposeConfChange(cc: ConfChange): boolean {
    return this.node.proposeConfChange(cc) === undefined;
  }

  readIndex(ctx: string): void {
    this.node.readIndex(ctx);
  }

  reportSnapshot(id: number, failed: boolean): void {
    this.node.reportSnapshot(id, failed);
  }

  applyConfChange(cc: ConfChange): ConfState {
    return this.node.applyConfChange(cc);
  }

  hasReady(): boolean {
    return this.node.hasReady();
  }

  ready(): RaftReady {
    return this.node.ready();
  }

  advance(rd: RaftReady): void {
    this.node.advance(rd as Ready);
  }

  /**
   * Raft's soft and hard state as the member needs them (every client response carries the
   * term): read from the node directly, not through RawNode.status(), which also renders every
   * follower's progress as text.
   */
  status(): RaftStatus {
    const r = this.node.raft;
    return { lead: r.lead, term: r.term, commit: r.raftLog.committed, raftState: r.state };
  }

  term(): number {
    return this.node.raft.term;
  }

  transferLeadership(transferee: number): void {
    this.node.transferLeadership(transferee);
  }

  matchOf(id: number): number | undefined {
    const r = this.node.raft;
    return r.state === 'leader' ? r.prs.progress.get(id)?.match : undefined;
  }
}

/** The flow-control settings a member sets (absent, not undefined, when it leaves them to raft's defaults). */
function flowControl(c: MemberConfig): { maxSizePerMsgBytes?: number; maxInflightMsgs?: number } {
  const out: { maxSizePerMsgBytes?: number; maxInflightMsgs?: number } = {};
  if (c.maxSizePerMsgBytes !== undefined) out.maxSizePerMsgBytes = c.maxSizePerMsgBytes;
  if (c.maxInflightMsgs !== undefined) out.maxInflightMsgs = c.maxInflightMsgs;
  return out;
}
