// Runs one etcd member inside the simulated world. The host owns the member's disk and timers:
// it ticks raft every tickMs of local time, persists every raft Ready (WAL entries and hard
// state, or an installed snapshot) and fsyncs BEFORE the member sends the Ready's messages or
// applies its entries, writes the member's own snapshots (snapshot file and WAL rewrite in one
// fsync), and on every (re)start recovers the member from what its disk made durable.
import type { CampaignBefore } from './election-lost-unwinnable.ts';
import type { Entry, Message } from '../../src/raft/types.ts';
import { raftMessageSize } from '../../src/raft/types.ts';
import { violated } from '../../src/invariant-violation.ts';
import { isClientToMember } from '../../src/server/client-protocol.ts';
import type { ClientReplyMessage, ClientRequestMessage, WatchResponseMessage, WatchSendMessage } from '../../src/server/client-protocol.ts';
import type { Member, MemberOutput } from '../../src/server/member.ts';
import type { MemberConfig } from '../../src/server/member-config.ts';
import { recoverMember } from '../../src/server/member-recovery.ts';
import type { RecoveredMember } from '../../src/server/member-recovery.ts';
import { isPeerMessage, isRaftMessage } from '../../src/server/peer-protocol.ts';
import type { RaftReady } from '../../src/server/raft-port.ts';
import type { StateMachinePort } from '../../src/server/state-machine-port.ts';
import type { MemberEvent } from '../../src/server/buggify.ts';
import type { RaftNode } from '../../src/server/raft-node.ts';
import { viewEntryAt, viewTermAt } from '../check/raft-invariants.ts';
import type { RaftView, ViewEntry } from '../check/raft-invariants.ts';
import type { Host, HostContext, HostFactory } from '../world/host.ts';
import { WAL_FILE, appendEntries, appendHardState, readDurableState, saveSnapshot } from './member-storage.ts';
import { checkSnapshotAtItsIndex } from './snapshot-index.ts';

export interface MemberHostOptions {
  readonly config: MemberConfig;
  /** Endpoint name of a member id, and back. */
  readonly nameOf: (id: number) => string;
  readonly idOf: (name: string) => number | undefined;
  readonly makeStateMachine: (config: MemberConfig) => StateMachinePort;
  /**
   * The name the Raft invariant observer knows this incarnation by. A member re-added with an
   * empty disk gets a new raft id on the same endpoint: it is a new member, not a restart.
   */
  readonly viewId?: (endpoint: string, raftId: number) => string;
  /** Told about every new incarnation (the cluster keeps the live hosts). */
  readonly onStart?: (host: MemberHost) => void;
  /** Told about every raft message the member sends (the cluster's invariant observer reads votes). */
  readonly onRaftSend?: (host: MemberHost, m: Message) => void;
  /** Told how the member answered a vote or pre-vote request, as it decided (the cluster's invariants judge it). */
  readonly onVoteRequest?: (host: MemberHost, request: Message, seen: VoteRequestSeen, granted: boolean) => void;
  /**
   * Told how the member took an append or heartbeat of a term below its own (a stale leader's),
   * when its raft stepped it: `answered` is true when it answered the sender with its newer term.
   */
  readonly onStaleLeaderMessage?: (host: MemberHost, m: Message, answered: boolean) => void;
  /**
   * Told how the member took a message of a term above its own that must move it to that term
   * (any but a vote or pre-vote request, or a granted pre-vote answer), when its raft stepped it:
   * `termAfter` is its term and `leaderAfter` whether it still leads, after the step.
   */
  readonly onHigherTermMessage?: (host: MemberHost, m: Message, termBefore: number, termAfter: number, leaderAfter: boolean) => void;
  /**
   * Told how the member took an answer to a vote or pre-vote request that did not move its term
   * (election-lost-unwinnable): the campaign it held before the step, its role and term after.
   */
  readonly onVoteResponse?: (host: MemberHost, m: Message, before: CampaignBefore, stateAfter: string, termAfter: number) => void;
  /**
   * Told about every raft message the member's raft stepped (addressed to it by its sender), after
   * the step (unforced-elections.ts): `sentFrom` is where the messages the step queued begin in
   * raft's outbox (raft.msgs), which no Ready took in between.
   */
  readonly onRaftStepped?: (host: MemberHost, m: Message, sentFrom: number) => void;
  /** Told about every client request the member receives, and every answer it sends (answer-covers-commit). */
  readonly onClientRequest?: (host: MemberHost, from: string, m: ClientRequestMessage) => void;
  readonly onClientReply?: (host: MemberHost, to: string, m: ClientReplyMessage) => void;
  /** Told about every watch stream a client opens on the member (token-index-waited counts the creates it does not judge). */
  readonly onClientWatchOpen?: (host: MemberHost, from: string, m: WatchSendMessage) => void;
  /** Told about every watch response the member sends a client (token-index-waited judges refused creates). */
  readonly onClientWatchResponse?: (host: MemberHost, to: string, m: WatchResponseMessage) => void;
  /** Told about every entry the member applies, replayed ones too (the cluster's committed-log observers). */
  readonly onApplied?: (e: Entry, host: MemberHost) => void;
  /** Told about the rare events of members and hosts (coverage). */
  readonly onEvent?: (event: MemberEvent | HostEvent) => void;
  /**
   * A MsgSnap travels on its own connection (etcd's snapshot pipeline, not the peer stream) and
   * leaves up to this much later, outside the order of the member's other messages (0: with them).
   */
  readonly snapshotDelayUsMax?: number;
  /** Percent of MsgSnaps sent a second time on another such connection, each copy with its own delay (a transfer retried). */
  readonly snapshotDuplicatePercent?: number;
}

/** What a member knew when a vote or pre-vote request arrived. */
export interface VoteRequestSeen {
  /** The last index and term of its own log. */
  readonly index: number;
  readonly term: number;
  /** It had heard from a leader within the election timeout (the CheckQuorum lease) and the request is for a later term. */
  readonly inLease: boolean;
}

/** The host's own BUGGIFY sites: legal slowness of the process and its disk. */
export const HOST_BUGGIFY_SITES = {
  'host.fsync-spike': 'a WAL fsync is issued 50 ms late (a slow disk for one write)',
  'host.apply-slow': 'a durable Ready is handed back to the member 20 ms late (a slow apply)',
  'host.tick-late': 'the next raft tick comes one tick late (a busy process)',
  'host.snapshot-write-slow': 'a snapshot file is fsynced 100 ms late',
} as const;
export type HostBuggifySite = keyof typeof HOST_BUGGIFY_SITES;

export const HOST_EVENTS = {
  'torn-write-recovered': 'a member restarted from a WAL whose last record was torn and dropped it',
} as const;
export type HostEvent = keyof typeof HOST_EVENTS;

const FSYNC_SPIKE_US = 50_000;
const APPLY_SLOW_US = 20_000;
const SNAPSHOT_WRITE_SLOW_US = 100_000;

/** Bound on outputs and Readies handled in one pump, so a bug cannot spin forever. */
const PUMP_ROUNDS_MAX = 10_000;

/** Applied entries a host remembers for the invariant observer (older ones are forgotten). */
const APPLIED_ENTRIES_KEPT_MAX = 200_000;

export class MemberHost implements Host, RaftView {
  readonly member: Member;
  readonly recovered: RecoveredMember;
  /** The incarnation's raft (fixed for it): the observers read its role and term after every event. */
  private readonly raft: RaftNode['node']['raft'];
  private persisting = false;
  /** The Ready being persisted while `persisting` (one at a time), for afterFsync and handBack. */
  private persistingReady: RaftReady | undefined = undefined;
  private snapshotDue: { compactIndex: number } | undefined;
  /** Snapshots written by this incarnation, and Readies persisted (for tests and stats). */
  snapshotsSaved = 0;
  readiesPersisted = 0;
  /** The index of the last snapshot this incarnation received from a leader and wrote (0: none). */
  receivedSnapshotIndex = 0;
  /** Term and commit as of the last completed fsync of a hard state (RaftView). */
  durableTerm: number;
  durableCommit: number;
  /**
   * The entries this incarnation applied, by index: appliedEntries[i - appliedBase] (a dense
   * array, not a Map: applied indexes ascend; a snapshot's jump leaves holes). Those more than
   * APPLIED_ENTRIES_KEPT_MAX below the last applied are forgotten.
   */
  private appliedEntries: (ViewEntry | undefined)[] = [];
  private appliedBase = 0;
  private appliedLast = 0;
  /**
   * Counts the host's turns: every time member code runs (a message, a tick, an fsync, a
   * hand-back, a call from the cluster) or the durable term moves. The Raft observer skips a
   * member whose count did not change since it last looked: nothing it reads can have changed.
   */
  version = 0;
  /** This incarnation's settings (a re-added member's differ from its first incarnation's). */
  readonly config: MemberConfig;
  private readonly viewName: string;

  constructor(
    readonly ctx: HostContext,
    private readonly options: MemberHostOptions,
    readonly incarnation: number,
  ) {
    this.config = options.config;
    this.viewName = options.viewId?.(ctx.id, this.config.id) ?? ctx.id;
    // Before reading the durable state: that drops the torn record, truncating the very array
    // disk.read returned (the count never moved from 0 while it was looked at afterwards).
    const tornTail = ctx.disk.read(WAL_FILE).some((r) => r.torn);
    const durable = readDurableState(ctx.disk);
    if (tornTail) options.onEvent?.('torn-write-recovered');
    this.durableTerm = durable.hardState.term;
    this.durableCommit = durable.hardState.commit;
    const env = {
      nowMs: () => ctx.nowUs() / 1_000,
      nameOf: options.nameOf,
      nonce: ctx.prng.uint32(),
      onApply: options.onApplied === undefined ? (e: Entry) => this.rememberApplied(e) : (e: Entry) => {
        this.rememberApplied(e);
        options.onApplied!(e, this);
      },
      buggify: (site: string) => ctx.buggify(site),
      onEvent: (event: MemberEvent) => options.onEvent?.(event),
    };
    this.recovered = recoverMember(this.config, durable, options.makeStateMachine(this.config), env, ctx.prng);
    this.member = this.recovered.member;
    this.raft = this.recovered.raft.node.raft;
    ctx.setTimer(this.config.tickMs * 1_000, () => this.onTick());
    ctx.trace('member-start', { applied: this.member.stateMachine.consistentIndex(), replayed: this.recovered.replayed });
    options.onStart?.(this);
    this.pump();
  }

  receive(from: string, message: unknown): void {
    this.version++;
    if (isRaftMessage(message)) {
      const id = this.options.idOf(from);
      if (id === undefined) return;
      const sentFrom = this.raft.msgs.length;
      if ((message.type === 'MsgPreVote' || message.type === 'MsgVote') && this.options.onVoteRequest !== undefined) {
        this.receiveVoteRequest(id, message);
      } else if (this.options.onStaleLeaderMessage !== undefined && this.fromStaleLeader(id, message)) {
        this.receiveStaleLeaderMessage(id, message);
      } else if (this.options.onHigherTermMessage !== undefined && this.ofHigherTerm(id, message)) {
        this.receiveHigherTermMessage(id, message);
      } else if ((message.type === 'MsgVoteResp' || message.type === 'MsgPreVoteResp') && this.options.onVoteResponse !== undefined) {
        this.receiveVoteResponse(id, message);
      } else {
        this.member.receiveRaft(id, message);
      }
      if (this.options.onRaftStepped !== undefined && message.to === this.config.id && message.from === id && !this.member.removed) this.options.onRaftStepped(this, message, sentFrom);
    } else if (isPeerMessage(message)) {
      const id = this.options.idOf(from);
      if (id === undefined) return;
      this.member.receivePeer(id, message);
    } else if (isClientToMember(message)) {
      if (message.kind === 'request') this.options.onClientRequest?.(this, from, message);
      else if (message.kind === 'watch-send' && message.open === true) this.options.onClientWatchOpen?.(this, from, message);
      this.member.receiveClient(from, message);
    }
    this.pump();
  }

  /** Hands a (pre-)vote request to the member and tells the observers its log, the lease it held and its answer. */
  private receiveVoteRequest(id: number, m: Message): void {
    const r = this.raft;
    // The lease guards the leader against a request for a later term only: one for this term
    // (a late duplicate from the member it already voted for, say, as etcd-raft grants too)
    // cannot start an election that deposes anyone (swarm 600: a reordered pre-vote from the
    // new leader itself arrived after its MsgVote and first heartbeat).
    const inLease = m.term > r.term && r.lead !== 0 && r.electionElapsed < r.electionTimeout;
    const seen: VoteRequestSeen = { index: r.raftLog.lastIndex(), term: r.raftLog.lastTerm(), inLease };
    const sent = r.msgs.length;
    this.member.receiveRaft(id, m);
    const answer = m.type === 'MsgPreVote' ? 'MsgPreVoteResp' : 'MsgVoteResp';
    const granted = r.msgs.slice(sent).some((out) => out.type === answer && out.to === m.from && !out.reject);
    this.options.onVoteRequest?.(this, m, seen, granted);
  }

  /** An append or heartbeat of a term below ours, addressed to this member by the member that sent it, that raft will step. */
  private fromStaleLeader(id: number, m: Message): boolean {
    if (m.type !== 'MsgApp' && m.type !== 'MsgHeartbeat') return false;
    return m.term > 0 && m.term < this.raft.term && m.to === this.config.id && m.from === id && !this.member.removed;
  }

  /**
   * A message of a term above ours that raft will step and that must move us to its term (Raft
   * §5.1; etcd-raft's Step): not a vote or pre-vote request (a lease may refuse those, and a
   * pre-vote never moves a term), not a granted pre-vote answer, not the empty member's first
   * append that waits for its join snapshot (Member.awaitsJoinSnapshot drops it).
   */
  private ofHigherTerm(id: number, m: Message): boolean {
    if (m.type === 'MsgVote' || m.type === 'MsgPreVote' || (m.type === 'MsgPreVoteResp' && !m.reject)) return false;
    if (m.type === 'MsgApp' && m.index === 0) return false;
    return m.term > this.raft.term && m.to === this.config.id && m.from === id && !this.member.removed;
  }

  /** Hands a higher term's message to the member and tells the observers the term and role it took. */
  private receiveHigherTermMessage(id: number, m: Message): void {
    const r = this.raft;
    const termBefore = r.term;
    this.member.receiveRaft(id, m);
    this.options.onHigherTermMessage?.(this, m, termBefore, r.term, r.state === 'leader');
  }

  /** Hands an answer to a (pre-)vote request to the member and tells the observers the campaign it held before and its role after. */
  private receiveVoteResponse(id: number, m: Message): void {
    const r = this.raft;
    const voters = r.prs.config.voters;
    const before: CampaignBefore = { state: r.state, term: r.term, votes: new Map(r.prs.votes), incoming: voters.incoming.sorted(), outgoing: voters.outgoing.sorted() };
    this.member.receiveRaft(id, m);
    this.options.onVoteResponse?.(this, m, before, r.state, r.term);
  }

  /** Hands a stale leader's message to the member and tells the observers whether it answered with its term. */
  private receiveStaleLeaderMessage(id: number, m: Message): void {
    const r = this.raft;
    const sent = r.msgs.length;
    this.member.receiveRaft(id, m);
    const answered = r.msgs.slice(sent).some((out) => out.to === m.from && out.term > m.term);
    this.options.onStaleLeaderMessage?.(this, m, answered);
  }

  private onTick(): void {
    this.version++;
    const late = this.ctx.buggify('host.tick-late') ? this.config.tickMs * 1_000 : 0;
    this.ctx.setTimer(this.config.tickMs * 1_000 + late, () => this.onTick());
    this.member.tick();
    this.pump();
  }

  /** Sends what the member produced, then persists the next snapshot or Ready if the disk is free. */
  private pump(): void {
    for (let round = 0; round < PUMP_ROUNDS_MAX; round++) {
      this.flush(this.member.takeOutputs());
      if (this.persisting) return;
      if (this.snapshotDue !== undefined) return this.writeSnapshot();
      const rd = this.member.nextReady();
      if (rd === undefined) return;
      if (!this.write(rd)) {
        this.member.afterPersist(rd);
        continue;
      }
      this.persisting = true;
      this.persistingReady = rd;
      if (this.ctx.buggify('host.fsync-spike')) this.ctx.setTimer(FSYNC_SPIKE_US, () => this.ctx.disk.fsync(this.afterFsync));
      else this.ctx.disk.fsync(this.afterFsync);
      // Empty unless a planted bug sends the Ready's messages before the fsync.
      this.flush(this.member.takeOutputs());
      return;
    }
    throw violated('server', 'pump-bounded', 'the member kept producing work');
  }

  /** The Ready's fsync completed: its hard state is durable; hand it back (late under host.apply-slow). */
  private readonly afterFsync = (): void => {
    this.version++;
    const rd = this.persistingReady as RaftReady;
    if (rd.hardState !== undefined) {
      this.durableTerm = rd.hardState.term;
      this.durableCommit = rd.hardState.commit;
    }
    if (this.ctx.buggify('host.apply-slow')) this.ctx.setTimer(APPLY_SLOW_US, this.handBack);
    else this.handBack();
  };

  /** The member sends, applies and advances the durable Ready; the pump goes on. */
  private readonly handBack = (): void => {
    this.version++;
    const rd = this.persistingReady as RaftReady;
    this.persistingReady = undefined;
    this.persisting = false;
    this.readiesPersisted++;
    this.member.afterPersist(rd);
    this.pump();
  };

  private flush(outputs: readonly MemberOutput[]): void {
    // An indexed loop: for-of allocated an iterator result per output here (1 % of all bytes).
    for (let i = 0; i < outputs.length; i++) {
      const o = outputs[i] as MemberOutput;
      switch (o.kind) {
        case 'raft': {
          const messages = o.messages;
          const snapshotsDelayed = (this.options.snapshotDelayUsMax ?? 0) > 0;
          for (let j = 0; j < messages.length; j++) {
            const m = messages[j] as Message;
            this.options.onRaftSend?.(this, m);
            const to = this.options.nameOf(m.to);
            if (snapshotsDelayed && m.type === 'MsgSnap') this.sendSnapshot(to, m, raftMessageSize(m));
            else this.ctx.send(to, m, raftMessageSize(m));
          }
          break;
        }
        case 'peer':
          this.ctx.send(this.options.nameOf(o.to), o.message, o.sizeBytes);
          break;
        case 'reply':
          this.options.onClientReply?.(this, o.to, o);
          this.ctx.send(o.to, o, 64);
          break;
        case 'client':
          if (o.message.kind === 'watch-response') this.options.onClientWatchResponse?.(this, o.to, o.message);
          this.ctx.send(o.to, o.message, 64);
          break;
        case 'snapshot': this.snapshotDue = { compactIndex: o.compactIndex }; break;
      }
    }
  }

  /**
   * A snapshot on its own connection: it leaves after a delay drawn up to snapshotDelayUsMax, and
   * with snapshotDuplicatePercent odds a second copy leaves after a delay of its own. A crash
   * before then loses it (the host's timers die with it), as a broken transfer would.
   */
  private sendSnapshot(to: string, message: unknown, sizeBytes: number): void {
    const delayUsMax = this.options.snapshotDelayUsMax ?? 0;
    const copies = this.ctx.prng.chance(this.options.snapshotDuplicatePercent ?? 0, 100) ? 2 : 1;
    for (let i = 0; i < copies; i++) this.ctx.setTimer(this.ctx.prng.int(delayUsMax + 1), () => this.ctx.send(to, message, sizeBytes));
  }

  /** Writes a Ready's durable parts; false when it has none (nothing to fsync). */
  private write(rd: RaftReady): boolean {
    const disk = this.ctx.disk;
    const storage = this.recovered.storage;
    if (rd.snapshot !== undefined && rd.snapshot.metadata.index > 0) {
      this.receivedSnapshotIndex = rd.snapshot.metadata.index;
      saveSnapshot(disk, rd.snapshot, rd.hardState ?? storage.hardState, rd.entries);
      return true;
    }
    if (rd.hardState !== undefined) appendHardState(disk, rd.hardState);
    appendEntries(disk, rd.entries);
    return rd.hardState !== undefined || rd.entries.length > 0;
  }

  /** The member took a snapshot: save it with the WAL cut down to the entries it keeps. */
  private writeSnapshot(): void {
    const storage = this.recovered.storage;
    const snap = storage.snapshot();
    checkSnapshotAtItsIndex(this.ctx.id, snap);
    const first = storage.firstIndex();
    const last = storage.lastIndex();
    const got = last >= first ? storage.entries(first, last + 1, Number.MAX_SAFE_INTEGER) : [];
    const entries: readonly Entry[] = typeof got === 'string' ? [] : got;
    this.snapshotDue = undefined;
    saveSnapshot(this.ctx.disk, snap, storage.hardState, entries);
    this.persisting = true;
    this.ctx.trace('member-snapshot', { index: snap.metadata.index, entries: entries.length });
    const fsync = (): void => this.ctx.disk.fsync(() => {
      this.version++;
      this.persisting = false;
      this.snapshotsSaved++;
      this.pump();
    });
    if (this.ctx.buggify('host.snapshot-write-slow')) this.ctx.setTimer(SNAPSHOT_WRITE_SLOW_US, fsync);
    else fsync();
  }

  /** Proposes a membership change through the member (see Member.proposeConfChange). */
  proposeConfChange(cc: Parameters<Member['proposeConfChange']>[0]): boolean {
    this.version++;
    return this.member.proposeConfChange(cc);
  }

  /** Asks the member to hand leadership to `transferee` (see Member.transferLeadership). */
  transferLeadership(transferee: number): boolean {
    this.version++;
    return this.member.transferLeadership(transferee);
  }

  /** Asks the member to snapshot and compact its log now (see Member.requestSnapshot). */
  requestSnapshot(): void {
    this.version++;
    this.member.requestSnapshot();
  }

  private rememberApplied(e: Entry): void {
    // The entry itself (frozen by raft, never changed) serves as the view: no copy per applied entry.
    const i = e.index;
    let list = this.appliedEntries;
    const at = i - this.appliedBase;
    if (list.length === 0 || at < 0 || at - list.length >= APPLIED_ENTRIES_KEPT_MAX) {
      // First entry, or a jump past everything kept: start again at this index.
      list = this.appliedEntries = [];
      this.appliedBase = i;
    } else if (list.length >= 2 * APPLIED_ENTRIES_KEPT_MAX) {
      // Drop the forgotten half at once (amortized: no shift per entry).
      const drop = list.length - APPLIED_ENTRIES_KEPT_MAX;
      list = this.appliedEntries = list.slice(drop);
      this.appliedBase += drop;
    }
    const k = i - this.appliedBase;
    while (list.length < k) list.push(undefined);
    list[k] = e;
    if (i > this.appliedLast) this.appliedLast = i;
  }

  // ---- RaftView (the global invariant observer reads members through it) ----

  /** The name the observer knows this incarnation by (fixed for the incarnation). */
  get id(): string {
    return this.viewName;
  }

  get term(): number {
    return this.raft.term;
  }

  /**
   * The commit index as far as this member's own durable log goes. Raft counts a leader's own
   * unstable entries towards a quorum (etcd raft does too), so a single member may "commit" an
   * entry before it is on disk; this host never sends, applies or acknowledges anything before
   * the fsync, so what the observer must hold to is the durable part: the stored entries raft's
   * log still holds, which end before the first unstable entry (stored entries at and after it
   * are a stale tail being replaced, not durable copies of the log).
   */
  get commit(): number {
    const log = this.raft.raftLog;
    return Math.min(log.committed, this.recovered.storage.lastIndex(), log.unstable.offset - 1);
  }

  get lastIndex(): number {
    return this.raft.raftLog.lastIndex();
  }

  get firstIndex(): number {
    return this.raft.raftLog.firstIndex();
  }

  get isLeader(): boolean {
    return this.raft.state === 'leader';
  }

  /** The member a leader is handing leadership to (0: none): it drops proposals meanwhile. */
  get leadTransferee(): number {
    return this.raft.leadTransferee;
  }

  get applied(): number {
    return this.member.applied;
  }

  entry(i: number): ViewEntry | undefined {
    return viewEntryAt(this.raft.raftLog, i);
  }

  termAt(i: number): number | undefined {
    return viewTermAt(this.raft.raftLog, i);
  }

  get snapshotMeta(): { readonly index: number; readonly term: number } {
    return this.recovered.storage.snapshot().metadata;
  }

  appliedEntry(i: number): ViewEntry | undefined {
    if (i <= this.appliedLast - APPLIED_ENTRIES_KEPT_MAX) return undefined;
    return this.appliedEntries[i - this.appliedBase];
  }
}

export function memberHostFactory(options: MemberHostOptions): HostFactory {
  let incarnation = 0;
  return (ctx: HostContext) => new MemberHost(ctx, options, ++incarnation);
}
