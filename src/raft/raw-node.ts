// The host's handle on one Raft member (etcd's RawNode). The host loop is:
//   1. feed input: tick() on its clock, step(m) for each message received, propose(...);
//   2. if hasReady(): rd = ready();
//   3. write rd.snapshot, rd.entries and rd.hardState to stable storage and make them durable
//      (fsync) — only then send rd.messages (they may depend on them: votes, append acks);
//   4. apply rd.committedEntries (calling applyConfChange for conf-change entries);
//   5. advance(rd).
import type { ConfChange, ConfState, Entry, EntryData, HardState, Message, ReadState, Snapshot, SoftState, NodeId } from './types.ts';
import { NONE, NO_ENTRIES, encodeConfChange, isEmptyHardState, isLocalMessage, isResponseMessage, localMessage, message } from './types.ts';
import type { Config } from './config.ts';
import type { StepError } from './errors.ts';
import { ErrStepLocalMsg, ErrStepPeerNotFound, raftViolation } from './errors.ts';
import { Raft } from './raft.ts';
import type { Progress } from './tracker/progress.ts';

export interface Ready {
  /** Present when the leader or our role changed. Not to be persisted. */
  readonly softState?: SoftState | undefined;
  /** Present when term, vote or commit changed: persist before sending messages. */
  readonly hardState?: HardState | undefined;
  readonly readStates: readonly ReadState[];
  /** Entries to append to stable storage before sending messages. */
  readonly entries: readonly Entry[];
  /** A snapshot to install in stable storage (and the state machine) before anything else. */
  readonly snapshot?: Snapshot | undefined;
  /** Entries committed and not yet applied: apply them, in order, after persisting. */
  readonly committedEntries: readonly Entry[];
  /** Send after entries, hard state and snapshot are durable. */
  readonly messages: readonly Message[];
  /** Whether the persisted data must be fsynced (term, vote or entries changed). */
  readonly mustSync: boolean;
}

export interface Status {
  readonly id: NodeId;
  readonly hardState: HardState;
  readonly softState: SoftState;
  readonly applied: number;
  readonly lastIndex: number;
  readonly leadTransferee: NodeId;
  /** The leader's view of each member, as text (leader only). */
  readonly progress: ReadonlyMap<NodeId, string>;
}

/** Shared by every Ready without messages or read states (read only: RawNode never fills them). */
const NO_MESSAGES: readonly Message[] = [];
const NO_READ_STATES: readonly ReadState[] = [];

export class RawNode {
  readonly raft: Raft;
  private prevSoftState: SoftState;
  private prevHardState: HardState;

  constructor(config: Config) {
    this.raft = new Raft(config);
    this.prevSoftState = this.raft.softState();
    this.prevHardState = this.raft.hardState();
  }

  tick(): void {
    this.raft.tick();
  }

  /** Starts a campaign now (as an election timeout would). */
  campaign(): StepError | undefined {
    return this.raft.step(localMessage('MsgHup', this.raft.id));
  }

  propose(data: EntryData): StepError | undefined {
    const e: Entry = { term: 0, index: 0, type: 'normal', data };
    return this.raft.step(localMessage('MsgProp', this.raft.id, [e]));
  }

  /** Proposes several entries in one message: they travel together in one MsgApp per follower. */
  proposeBatch(data: readonly EntryData[]): StepError | undefined {
    if (!(data.length > 0)) throw raftViolation('proposal-not-empty', 'empty batch');
    const entries = data.map((d): Entry => ({ term: 0, index: 0, type: 'normal', data: d }));
    return this.raft.step(localMessage('MsgProp', this.raft.id, entries));
  }

  proposeConfChange(cc: ConfChange): StepError | undefined {
    const e: Entry = { term: 0, index: 0, type: 'conf-change', data: encodeConfChange(cc) };
    return this.raft.step(message({ type: 'MsgProp', from: this.raft.id, entries: [e] }));
  }

  /** Steps a message received from the network. Local message types are refused. */
  step(m: Message): StepError | undefined {
    if (isLocalMessage(m.type)) return ErrStepLocalMsg;
    if (isResponseMessage(m.type) && !this.raft.prs.progress.has(m.from)) return ErrStepPeerNotFound;
    return this.raft.step(m);
  }

  /** Applies a committed conf change; returns the new membership to record with snapshots. */
  applyConfChange(cc: ConfChange): ConfState {
    return this.raft.applyConfChange(cc);
  }

  /**
   * Asks for a linearizable read point. The answer arrives as a ReadState carrying `ctx`;
   * the read may be served once the state machine has applied ReadState.index.
   */
  readIndex(ctx: string): StepError | undefined {
    return this.raft.step(localMessage('MsgReadIndex', this.raft.id, undefined, ctx));
  }

  transferLeadership(transferee: NodeId): StepError | undefined {
    return this.raft.step(message({ type: 'MsgTransferLeader', from: transferee }));
  }

  reportUnreachable(id: NodeId): void {
    this.raft.step(message({ type: 'MsgUnreachable', from: id }));
  }

  reportSnapshot(id: NodeId, failed: boolean): void {
    this.raft.step(message({ type: 'MsgSnapStatus', from: id, reject: failed }));
  }

  hasReady(): boolean {
    const r = this.raft;
    // The soft and hard state compared field by field (the host asks after every event; no copies).
    if (r.lead !== this.prevSoftState.lead || r.state !== this.prevSoftState.raftState) return true;
    const commit = r.raftLog.committed;
    const empty = r.term === 0 && r.vote === NONE && commit === 0;
    const prev = this.prevHardState;
    if (!empty && (r.term !== prev.term || r.vote !== prev.vote || commit !== prev.commit)) return true;
    if (r.raftLog.hasPendingSnapshot()) return true;
    if (r.msgs.length > 0 || r.raftLog.unstableEntries().length > 0 || r.raftLog.hasNextEnts()) return true;
    return r.readStates.length > 0;
  }

  /** What the host must persist, send and apply now. Call advance(rd) when done. */
  ready(): Ready {
    const r = this.raft;
    const prevSoft = this.prevSoftState;
    const prevHard = this.prevHardState;
    // Soft and hard state built only when they changed (the previous ones serve otherwise).
    const softChanged = r.lead !== prevSoft.lead || r.state !== prevSoft.raftState;
    const hardSame = r.term === prevHard.term && r.vote === prevHard.vote && r.raftLog.committed === prevHard.commit;
    const hs = hardSame ? prevHard : r.hardState();
    // Copied (the unstable log grows in place while the host persists), except when empty: most
    // Readies carry no entries, no messages or no read states, and share one empty array (never written).
    const unstable = r.raftLog.unstableEntries();
    const entries = unstable.length === 0 ? NO_ENTRIES : unstable.slice();
    // One literal with every field, absent ones undefined: every Ready has one shape, so the
    // host's reads of it stay monomorphic (fields set one by one gave a shape per combination).
    const rd: Ready = {
      softState: softChanged ? r.softState() : undefined,
      hardState: !hardSame && !isEmptyHardState(hs) ? hs : undefined,
      snapshot: r.raftLog.unstable.snapshot,
      readStates: r.readStates.length === 0 ? NO_READ_STATES : r.readStates,
      entries,
      // nextEnts builds a fresh array (raftLog.slice copies what it reads), or the shared empty one: no second copy.
      committedEntries: r.raftLog.nextEnts(),
      messages: r.msgs.length === 0 ? NO_MESSAGES : r.msgs,
      mustSync: entries.length > 0 || hs.term !== prevHard.term || hs.vote !== prevHard.vote,
    };
    this.assertPersistsBeforeSending(hs, rd.messages);
    // Messages and read states are handed over now (a fresh array only where one was handed
    // over: an empty one stays raft's own); the rest is confirmed by advance().
    if (rd.messages === r.msgs) r.msgs = [];
    if (rd.readStates === r.readStates) r.readStates = [];
    if (rd.softState !== undefined) this.prevSoftState = rd.softState;
    return rd;
  }

  /**
   * What a Ready asks the host to persist (its hard state, or the one persisted before when it
   * has none) already holds every vote its messages grant: a member never tells a candidate yes
   * before the vote is durable, and a persisted term and vote never go back.
   */
  private assertPersistsBeforeSending(hs: HardState, messages: readonly Message[]): void {
    const before = this.prevHardState;
    if (!(hs.term >= before.term && (hs.term > before.term || before.vote === NONE || hs.vote === before.vote))) throw raftViolation('hard-state-monotonic',
      `hard state term ${before.term} vote ${before.vote} -> term ${hs.term} vote ${hs.vote}`);
    for (let i = 0; i < messages.length; i++) {
      const m = messages[i] as Message;
      if (m.type !== 'MsgVoteResp' || m.reject) continue;
      if (!(hs.term > m.term || (hs.term === m.term && hs.vote === m.to))) throw raftViolation('vote-persisted-before-granted',
        `vote for ${m.to} in term ${m.term} sent with hard state term ${hs.term} vote ${hs.vote}`);
    }
  }

  /** The host persisted, sent and applied `rd`. */
  advance(rd: Ready): void {
    const r = this.raft;
    if (rd.hardState !== undefined) this.prevHardState = rd.hardState;
    // etcd's appliedCursor: the last committed entry handed out, else the snapshot's index (the
    // host applied it), so raft's applied index never stays below the log's first index.
    const n = rd.committedEntries.length;
    const newApplied = n > 0 ? (rd.committedEntries[n - 1] as Entry).index : rd.snapshot?.metadata.index ?? 0;
    if (newApplied > 0) {
      const oldApplied = r.raftLog.applied;
      if (!(newApplied > oldApplied)) throw raftViolation('applied-increases', `applied ${oldApplied} -> ${newApplied}`);
      r.raftLog.appliedTo(newApplied);
      if (n > 0) r.reduceUncommittedSize(rd.committedEntries);
      r.onApplied(oldApplied, newApplied);
    }
    const e = rd.entries.length;
    if (e > 0) {
      const last = rd.entries[e - 1] as Entry;
      r.raftLog.stableTo(last.index, last.term);
    }
    if (rd.snapshot !== undefined) r.raftLog.stableSnapTo(rd.snapshot.metadata.index);
  }

  status(): Status {
    const r = this.raft;
    const progress = new Map<NodeId, string>();
    if (r.state === 'leader') r.prs.visit((id: NodeId, pr: Progress) => progress.set(id, pr.toString()));
    return {
      id: r.id,
      hardState: r.hardState(),
      softState: r.softState(),
      applied: r.raftLog.applied,
      lastIndex: r.raftLog.lastIndex(),
      leadTransferee: r.leadTransferee,
      progress,
    };
  }

  /** Whether this member is the leader (a convenience for hosts). */
  isLeader(): boolean {
    return this.raft.state === 'leader' && this.raft.lead === this.raft.id && this.raft.lead !== NONE;
  }
}
