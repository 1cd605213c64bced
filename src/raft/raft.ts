// One Raft member as a pure state machine: its persistent state (term, vote, log), its role,
// and the transitions between roles. Messages in go through step() (step.ts); messages out
// collect in `msgs` for the host to send after it has persisted what they depend on.
import type { ConfChange, ConfState, Entry, HardState, Message, NodeId, ReadState, Snapshot, SoftState, StateType } from './types.ts';
import { CAMPAIGN_TRANSFER, NONE, entrySize, ENTRY_HEADER_BYTES, localMessage, message } from './types.ts';
import type { Config, RandomSource, ResolvedConfig, UnsafeOptions } from './config.ts';
import { resolveConfig } from './config.ts';
import { raftViolation } from './errors.ts';
import { RaftLog } from './raft-log.ts';
import { ReadOnly } from './read-only.ts';
import { ProgressTracker } from './tracker/tracker.ts';
import type { ProgressMap, TrackerConfig } from './tracker/tracker.ts';
import { restoreConfig } from './confchange/restore.ts';
import type { VoteResult } from './quorum/vote-result.ts';
import { stepLeader } from './step-leader.ts';
import { stepCandidate } from './step-candidate.ts';
import { stepFollower } from './step-follower.ts';
import { applyConfChange, onApplied, restoreSnapshot, switchToConfig } from './membership.ts';
import { stepRaft } from './step.ts';
import type { StepError } from './errors.ts';

export type CampaignType = 'pre-election' | 'election' | 'transfer';


export type StepFn = (r: Raft, m: Message) => StepError | undefined;

export class Raft {
  readonly id: NodeId;
  readonly cfg: ResolvedConfig;
  term = 0;
  vote: NodeId = NONE;
  readonly raftLog: RaftLog;
  readonly prs: ProgressTracker;
  state: StateType = 'follower';
  isLearner = false;
  /** Messages to send once the host has persisted the Ready that carries them. */
  msgs: Message[] = [];
  readStates: ReadState[] = [];
  lead: NodeId = NONE;
  /** The target of a leadership transfer in progress, or NONE. */
  leadTransferee: NodeId = NONE;
  /**
   * Only one conf change may be pending (in the log, not yet applied). Invariant: a new one
   * is proposed only when applied >= pendingConfIndex.
   */
  pendingConfIndex = 0;
  /** Bytes of entry payloads appended by this leader and not yet committed and applied. */
  uncommittedSizeBytes = 0;
  readOnly: ReadOnly;
  /** ReadIndex requests that arrived before this leader committed an entry of its term. */
  pendingReadIndexMessages: Message[] = [];
  electionElapsed = 0;
  heartbeatElapsed = 0;
  randomizedElectionTimeout = 0;
  readonly random: RandomSource;
  readonly unsafe: UnsafeOptions;
  tickFn: (r: Raft) => void = tickElection;
  stepFn: StepFn = stepFollower;

  constructor(config: Config) {
    this.cfg = resolveConfig(config);
    this.id = this.cfg.id;
    this.random = this.cfg.random;
    this.unsafe = this.cfg.unsafe;
    this.raftLog = new RaftLog(this.cfg.storage, this.cfg.maxCommittedSizePerReadyBytes);
    this.raftLog.truncateOnStaleAppend = this.unsafe.truncateOnStaleAppend === true;
    this.raftLog.unstable.forgetNewerSnapshot = this.unsafe.forgetNewerSnapshot === true;
    this.prs = new ProgressTracker(this.cfg.maxInflightMsgs);
    this.readOnly = new ReadOnly(this.cfg.readOnlyOption, this.cfg.maxPendingReads);
    const { hardState, confState } = this.cfg.storage.initialState();
    const restored = restoreConfig(confState, this.raftLog.lastIndex(), this.cfg.maxInflightMsgs);
    this.switchToConfig(restored.config, restored.progress);
    if (hardState.term !== 0 || hardState.vote !== NONE || hardState.commit !== 0) this.loadState(hardState);
    if (this.cfg.applied > 0) this.raftLog.appliedTo(this.cfg.applied);
    this.becomeFollower(this.term, NONE);
  }

  get electionTimeout(): number {
    return this.cfg.electionTick;
  }

  get heartbeatTimeout(): number {
    return this.cfg.heartbeatTick;
  }

  hasLeader(): boolean {
    return this.lead !== NONE;
  }

  softState(): SoftState {
    return { lead: this.lead, raftState: this.state };
  }

  hardState(): HardState {
    return { term: this.term, vote: this.vote, commit: this.raftLog.committed };
  }

  /** Queues a message, stamping `from` and (for non-vote messages) our term. */
  send(fields: Partial<Message> & Pick<Message, 'type' | 'to'>): void {
    this.sendMessage(message(fields));
  }

  /** send() of a message already built (a new object of message()'s shape, which only this completes). */
  sendMessage(built: Message): void {
    // One object per message, completed in place (this runs for every message Raft sends).
    const m = built as { -readonly [K in keyof Message]: Message[K] };
    m.from = this.id;
    const t = m.type;
    if (t === 'MsgVote' || t === 'MsgVoteResp' || t === 'MsgPreVote' || t === 'MsgPreVoteResp') {
      // Votes carry the term they are for: a pre-vote asks about a future term.
      // (A rejection from a member still at term 0 carries 0; the receiver treats it as local.)
      if (!(m.term !== 0 || m.reject)) throw raftViolation('vote-message-has-term', `term should be set when sending ${t}`);
      this.msgs.push(m);
      return;
    }
    if (m.term !== 0) throw raftViolation('only-votes-set-term', `term should not be set when sending ${t} (was ${m.term})`);
    // Proposals and reads forwarded to the leader are local to it: they carry no term.
    if (t !== 'MsgProp' && t !== 'MsgReadIndex') m.term = this.term;
    this.msgs.push(m);
  }

  step(m: Message): StepError | undefined {
    return stepRaft(this, m);
  }

  tick(): void {
    this.tickFn(this);
  }

  promotable(): boolean {
    const pr = this.prs.progress.get(this.id);
    return pr !== undefined && !pr.isLearner && !this.raftLog.hasPendingSnapshot();
  }

  pastElectionTimeout(): boolean {
    return this.electionElapsed >= this.randomizedElectionTimeout;
  }

  resetRandomizedElectionTimeout(): void {
    this.randomizedElectionTimeout = this.electionTimeout + this.random.int(this.electionTimeout);
  }

  private reset(term: number): void {
    if (!(term >= this.term)) throw raftViolation('term-monotonic', `${this.id} from term ${this.term} back to ${term}`);
    if (this.term !== term) {
      this.term = term;
      this.vote = NONE;
    }
    this.lead = NONE;
    this.electionElapsed = 0;
    this.heartbeatElapsed = 0;
    this.resetRandomizedElectionTimeout();
    this.abortLeaderTransfer();
    this.prs.resetVotes();
    const lastIndex = this.raftLog.lastIndex();
    this.prs.visit((id, pr) => {
      pr.match = id === this.id ? lastIndex : 0;
      pr.next = lastIndex + 1;
      pr.state = 'probe';
      pr.probeSent = false;
      pr.pendingSnapshot = 0;
      // Only the member itself counts as active until the others answer.
      pr.recentActive = id === this.id;
      pr.inflights.reset();
    });
    this.pendingConfIndex = 0;
    this.uncommittedSizeBytes = 0;
    this.readOnly = new ReadOnly(this.cfg.readOnlyOption, this.cfg.maxPendingReads);
    this.pendingReadIndexMessages = [];
  }

  becomeFollower(term: number, lead: NodeId): void {
    this.stepFn = stepFollower;
    this.reset(term);
    this.tickFn = tickElection;
    this.lead = lead;
    this.state = 'follower';
  }

  becomeCandidate(): void {
    if (this.state === 'leader') throw raftViolation('no-leader-to-candidate', 'invalid transition [leader -> candidate]');
    this.stepFn = stepCandidate;
    this.reset(this.term + 1);
    this.tickFn = tickElection;
    this.vote = this.id;
    this.state = 'candidate';
  }

  becomePreCandidate(): void {
    if (this.state === 'leader') throw raftViolation('no-leader-to-pre-candidate', 'invalid transition [leader -> pre-candidate]');
    // A pre-candidate changes neither term nor vote: it only asks whether it could win.
    // UNSAFE (planted bug): moving to the campaign's term while asking.
    if (this.unsafe.preVoteBumpsTerm === true) this.term++;
    this.stepFn = stepCandidate;
    this.prs.resetVotes();
    this.tickFn = tickElection;
    // The planted bug (leaseNeverExpires) remembers the lost leader through the pre-election.
    if (this.unsafe.leaseNeverExpires !== true) this.lead = NONE;
    this.state = 'pre-candidate';
  }

  becomeLeader(): void {
    if (this.state === 'follower') throw raftViolation('no-follower-to-leader', 'invalid transition [follower -> leader]');
    this.stepFn = stepLeader;
    this.reset(this.term);
    this.tickFn = tickHeartbeat;
    this.lead = this.id;
    this.state = 'leader';
    this.prs.progress.get(this.id)?.becomeReplicate();
    // An empty entry of the new term lets the leader commit (Figure 8) and learn the commit
    // index; it also serves ReadIndex, which needs an entry of the leader's term committed.
    const ok = this.appendEntry([{ term: 0, index: 0, type: 'normal', data: '' }]);
    if (!ok) throw raftViolation('leader-empty-entry-appended', 'empty entry was dropped');
    // No conf change until this term's entry is applied (Ongaro, raft-dev, July 2015).
    this.pendingConfIndex = this.unsafe.confChangeBeforeTermCommit === true ? 0 : this.raftLog.lastIndex();
  }

  /** Starts an election unless we lead already, cannot vote, or a conf change is unapplied. */
  hup(t: CampaignType): void {
    if (this.state === 'leader') return;
    if (!this.promotable()) return;
    if (this.hasUnappliedConfChanges()) return;
    this.campaign(t);
  }

  private hasUnappliedConfChanges(): boolean {
    if (this.raftLog.applied >= this.raftLog.committed) return false;
    const ents = this.raftLog.slice(this.raftLog.applied + 1, this.raftLog.committed + 1, Number.MAX_SAFE_INTEGER);
    if (typeof ents === 'string') return false; // compacted: a snapshot covers them
    return ents.some((e) => e.type === 'conf-change');
  }

  campaign(t: CampaignType): void {
    if (!this.promotable()) throw raftViolation('campaign-only-if-promotable', `${this.id} is unpromotable and can not campaign`);
    let term: number;
    let voteMsg: 'MsgVote' | 'MsgPreVote';
    if (t === 'pre-election') {
      this.becomePreCandidate();
      voteMsg = 'MsgPreVote';
      term = this.term + 1; // the term we would campaign in
    } else {
      this.becomeCandidate();
      voteMsg = 'MsgVote';
      term = this.term;
    }
    if (this.poll(this.id, true) === 'won') {
      // A single-voter configuration wins at once.
      if (t === 'pre-election') this.campaign('election');
      else this.becomeLeader();
      return;
    }
    const lastIndex = this.raftLog.lastIndex();
    const lastTerm = this.raftLog.lastTerm();
    for (const id of this.prs.voterNodes()) {
      if (id === this.id) continue;
      const context = t === 'transfer' ? CAMPAIGN_TRANSFER : '';
      this.send({ type: voteMsg, to: id, term, index: lastIndex, logTerm: lastTerm, context });
    }
  }

  poll(id: NodeId, granted: boolean): VoteResult {
    this.prs.recordVote(id, granted);
    return this.prs.tallyVotes().result;
  }

  /** Appends entries with our term and the next indexes. Returns false if the limit refuses. */
  appendEntry(es: readonly Entry[], bypassSizeLimit = false): boolean {
    const li = this.raftLog.lastIndex();
    const ents = es.map((e, i): Entry => ({ term: this.term, index: li + 1 + i, type: e.type, data: e.data }));
    if (!bypassSizeLimit && !this.increaseUncommittedSize(ents)) return false;
    if (bypassSizeLimit) this.uncommittedSizeBytes += payloadSize(ents);
    const last = this.raftLog.append(ents);
    // The leader's own entries count towards the quorum: the host persists them before it
    // sends any message, so no follower can acknowledge an entry the leader has not stored.
    this.prs.progress.get(this.id)?.maybeUpdate(last);
    this.maybeCommit();
    return true;
  }

  /** Advances the commit index to what a quorum has. Returns true if it changed. */
  maybeCommit(): boolean {
    const mci = this.prs.committed();
    if (this.unsafe.figure8 === true) {
      // UNSAFE (planted bug): counting replicas commits entries of older terms too.
      if (mci > this.raftLog.committed && mci <= this.raftLog.lastIndex()) {
        this.raftLog.commitTo(mci);
        return true;
      }
      return false;
    }
    return this.raftLog.maybeCommit(mci, this.term);
  }

  committedEntryInCurrentTerm(): boolean {
    return this.raftLog.termOrZero(this.raftLog.committed) === this.term;
  }

  private increaseUncommittedSize(ents: readonly Entry[]): boolean {
    const s = payloadSize(ents);
    // An empty proposal (the leader's own entry, a heartbeat of the log) is always accepted,
    // and so is anything while nothing is outstanding, so a large entry cannot wedge the leader.
    if (this.uncommittedSizeBytes > 0 && s > 0 && this.uncommittedSizeBytes + s > this.cfg.maxUncommittedEntriesSizeBytes) return false;
    this.uncommittedSizeBytes += s;
    return true;
  }

  reduceUncommittedSize(ents: readonly Entry[]): void {
    if (this.state !== 'leader') return;
    const s = payloadSize(ents);
    this.uncommittedSizeBytes = s > this.uncommittedSizeBytes ? 0 : this.uncommittedSizeBytes - s;
  }

  loadState(hs: HardState): void {
    if (!(hs.commit >= this.raftLog.committed && hs.commit <= this.raftLog.lastIndex())) throw raftViolation('hard-state-commit-in-log',
      `${this.id} state.commit ${hs.commit} is out of range [${this.raftLog.committed}, ${this.raftLog.lastIndex()}]`);
    this.raftLog.committed = hs.commit;
    this.term = hs.term;
    this.vote = hs.vote;
  }

  abortLeaderTransfer(): void {
    this.leadTransferee = NONE;
  }

  /** Installs a snapshot sent by the leader (see membership.ts). */
  restore(s: Snapshot): boolean {
    return restoreSnapshot(this, s);
  }

  /** Applies a committed conf change (the host calls this as it applies the entry). */
  applyConfChange(cc: ConfChange): ConfState {
    return applyConfChange(this, cc);
  }

  switchToConfig(config: TrackerConfig, progress: ProgressMap): ConfState {
    return switchToConfig(this, config, progress);
  }

  /** Called after the host applied entries up to `newApplied`. */
  onApplied(oldApplied: number, newApplied: number): void {
    onApplied(this, oldApplied, newApplied);
  }
}

function payloadSize(ents: readonly Entry[]): number {
  let s = 0;
  for (const e of ents) s += entrySize(e) - ENTRY_HEADER_BYTES;
  return s;
}

function tickElection(r: Raft): void {
  r.electionElapsed++;
  if (r.promotable() && r.pastElectionTimeout()) {
    r.electionElapsed = 0;
    r.step(localMessage('MsgHup', r.id));
  }
}

function tickHeartbeat(r: Raft): void {
  r.heartbeatElapsed++;
  r.electionElapsed++;
  if (r.electionElapsed >= r.electionTimeout) {
    r.electionElapsed = 0;
    if (r.cfg.checkQuorum) r.step(localMessage('MsgCheckQuorum', r.id));
    // A transfer that did not finish within an election timeout is abandoned.
    if (r.state === 'leader' && r.leadTransferee !== NONE) r.abortLeaderTransfer();
  }
  if (r.state !== 'leader') return;
  if (r.heartbeatElapsed >= r.heartbeatTimeout) {
    r.heartbeatElapsed = 0;
    r.step(localMessage('MsgBeat', r.id));
  }
}
