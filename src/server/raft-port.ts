// The raft node as the member drives it: etcd raft's RawNode interface. raft-node.ts adapts
// src/raft's RawNode to it.
import type { ConfChange, ConfState, Entry, EntryData, HardState, Message, ReadState, Snapshot, SoftState } from '../raft/types.ts';

export interface RaftReady {
  readonly softState?: SoftState | undefined;
  readonly hardState?: HardState | undefined;
  readonly readStates: readonly ReadState[];
  /** To append to stable storage before any message is sent. */
  readonly entries: readonly Entry[];
  /** To install (persist, then apply to the state machine) when non-empty. */
  readonly snapshot?: Snapshot | undefined;
  readonly committedEntries: readonly Entry[];
  readonly messages: readonly Message[];
}

export interface RaftStatus {
  readonly lead: number;
  readonly term: number;
  readonly commit: number;
  readonly raftState: 'follower' | 'pre-candidate' | 'candidate' | 'leader';
}

export interface RaftPort {
  tick(): void;
  step(m: Message): void;
  /** False when the proposal was dropped (no leader, leadership transfer, ...). */
  propose(data: EntryData): boolean;
  /** False when the proposal was dropped (not the leader, a conf change already pending, ...). */
  proposeConfChange(cc: ConfChange): boolean;
  readIndex(ctx: string): void;
  /** The transport finished sending a snapshot to `id` (etcd's ReportSnapshot). */
  reportSnapshot(id: number, failed: boolean): void;
  applyConfChange(cc: ConfChange): ConfState;
  hasReady(): boolean;
  ready(): RaftReady;
  advance(rd: RaftReady): void;
  status(): RaftStatus;
  /** Asks raft to hand leadership to `transferee` (etcd's TransferLeadership; a follower ignores it); optional. */
  transferLeadership?(transferee: number): void;
  /** On the leader, how far `id`'s log is known to match (raft's Progress.Match); undefined elsewhere or for a non-member; optional. */
  matchOf?(id: number): number | undefined;
  /** status().term without building the status (every response header reads it); optional. */
  term?(): number;
}
