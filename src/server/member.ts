// One etcd member (etcdserver.EtcdServer): raft, the apply loop over the replicated state
// machine, the pending-request table, linearizable reads through ReadIndex, lease expiry driven
// by the leader, and one watch stream per client stream. Pure and synchronous: the host calls
// tick / receive, persists each raft Ready it is handed (fsync), then calls afterPersist; what
// the member wants to send or write comes back from takeOutputs.
import type { ConfChange, ConfState, Entry, EntryData, Message, ReadState, Snapshot } from '../raft/types.ts';
import { decodeConfChange } from '../raft/types.ts';
import type { MemoryStorage } from '../raft/storage.ts';
import type { ClientReplyMessage, ClientToMember, MemberToClient } from './client-protocol.ts';
import { httpStatusFromGrpcCode } from './client-protocol.ts';
import { RequestIdGenerator } from '../lease/request-id.ts';
import { LeaseExpiry } from './lease-expiry.ts';
import type { MemberConfig } from './member-config.ts';
import { MAX_REQUEST_BYTES } from '../api/proto-size.ts';
import { MAX_GAP_APPLY_COMMIT, checkMemberConfig, electionTimeoutMs, requestTimeoutMs } from './member-config.ts';
import { jsonTextLength } from '../api/json-length.ts';
import type { MemberError } from './member-errors.ts';
import { ErrNoLeader, ErrProposalDeadline, ErrRequestTooLarge, ErrStopped, ErrTimeout, ErrTooManyRequests, errorBody } from './member-errors.ts';
import { LeaderWait } from './leader-wait.ts';
import { PendingRequests } from './pending-requests.ts';
import type { PeerMessage } from './peer-protocol.ts';
import type { RaftPort, RaftReady } from './raft-port.ts';
import { ReadIndexLoop } from './read-index-loop.ts';
import type { Classified, MemberHeader, Proposal, ProposeFirst, Refused, StateMachinePort, WireError, WireReply } from './state-machine-port.ts';
import { ClientWatchStreams } from './client-watch-streams.ts';
import type { BuggifyPort, MemberEventSink, ProductBuggifySite, MemberEvent } from './buggify.ts';
import { RecentIds } from './recent-ids.ts';
import { lastAppRespOnly } from './last-app-resp.ts';
import { violated } from '../invariant-violation.ts';

export interface MemberEnv {
  /** The member's local clock in ms (only differences matter). */
  nowMs(): number;
  /** Endpoint name of a member id, for leader hints. */
  nameOf(id: number): string;
  /** A per-incarnation nonce so request ids never repeat across restarts. */
  readonly nonce: number;
  /** Told about every entry the member applies (or skips as already applied), in order. */
  readonly onApply?: (e: Entry) => void;
  /** BUGGIFY (src/server/buggify.ts): false outside a simulation that enabled it. */
  readonly buggify?: BuggifyPort;
  /** Told about rare events (snapshots, conf changes, ReadIndex retries...), for coverage. */
  readonly onEvent?: MemberEventSink;
}

export type MemberOutput =
  | { readonly kind: 'peer'; readonly to: number; readonly message: PeerMessage; readonly sizeBytes: number }
  /**
   * Raft messages to send in this order, each to its `to`, as themselves (raft's Message is what
   * travels between members, sized by raftMessageSize): one output per Ready, none per message.
   */
  | { readonly kind: 'raft'; readonly messages: readonly Message[] }
  /** A reply to a client's request, carrying the client it goes to: sent as it is (no wrapper per answer). */
  | AddressedReply
  /** A watch stream's message to a client. */
  | { readonly kind: 'client'; readonly to: string; readonly message: MemberToClient }
  /** A snapshot the member took: persist it, then drop WAL entries up to compactIndex. */
  | { readonly kind: 'snapshot'; readonly snapshot: Snapshot; readonly compactIndex: number };

/** A reply with its addressee: the member's output and the message on the wire are one object (the client reads the reply's fields). */
export type AddressedReply = ClientReplyMessage & { readonly to: string };

interface Waiter {
  readonly client: string;
  readonly id: number;
}
/** A proposal's waiter whose reply is decided again once its entry applied (Proposal.recheck). */
interface RecheckWaiter extends Waiter {
  readonly recheck: () => Refused | Proposal | undefined;
  /** The first proposal's deadline: the retries share it, as etcd's loop shares the client's ctx. */
  readonly deadlineMs: number;
}
interface ReadWaiter extends Waiter {
  readonly read: () => WireReply;
  /** Set for a read that only orders what follows it (Authenticate): decides after the read. */
  readonly after?: () => Refused | Proposal;
}
/** A request held until the member has applied `index` (etcd's simple token wait), then handled again. */
interface AppliedWaiter {
  readonly w: Waiter;
  readonly request: HeldRequest;
  readonly index: number;
  readonly timeoutError: WireError;
  readonly deadlineMs: number;
}
interface HeldRequest {
  readonly path: string;
  readonly body: unknown;
  readonly bodyTextLength: number | undefined;
  readonly decoded: object | undefined;
  readonly token: string | undefined;
}
type LeaderLease = Extract<Classified, { kind: 'leader-lease' }>;
/**
 * A lease request held while etcd's LeaseRenew would block: the lease has expired and its revoke
 * has not applied. It is served once the revoke applies (TTL 0, at the revoke's revision), or
 * redirected when this member stops being the leader (etcd: ErrNotPrimary, try the leader).
 */
interface HeldLeaseRequest {
  readonly lease: LeaderLease;
  /** Sends the reply to whoever asked: a client, or the follower that forwarded the request. */
  readonly answer: (r: WireReply) => void;
  readonly redirect: () => void;
  readonly deadlineMs: number;
}
/** A lease request whose entry (ProposeFirst) is on its way through raft: answered by `then` once it applied here or timed out. */
interface ProposedFirst {
  readonly then: (nowMs: number) => WireReply;
  readonly answer: (r: WireReply) => void;
}

/** The cluster id every member reports (one simulated cluster per world). */
const CLUSTER_ID = '14841639068965178418';
/** Election timeouts without a leader before require-leader streams end (etcd maxNoLeaderCnt). */
export const MAX_NO_LEADER_CHECKS = 3;

/** Bound on requests forwarded to the leader (lease keep-alive, time-to-live) and not yet answered. */
const FORWARDED_MAX = 10_000;
/** What takeOutputs answers when nothing was produced (shared, never written). */
const NO_OUTPUTS: readonly MemberOutput[] = Object.freeze([]);
/** The read of a ReadWaiter that only orders what follows it: never called. */
const NO_READ = (): WireReply => { throw violated('server', 'read-then-propose', 'the read of an Authenticate waiter was served'); };
/** Bound on lease requests held until an expired lease's revoke applies. */
const HELD_LEASE_MAX = 10_000;
/** Bound on requests held until the member applies their token's index. */
const AWAITING_APPLY_MAX = 10_000;
/** etcd's readyPercent: a learner may be promoted once its match is this share of the leader's. */
const LEARNER_READY_RATIO = 0.9;

export class Member {
  private outputs: MemberOutput[] = [];
  private appliedIndex: number;
  private snapshotIndex: number;
  private confState: ConfState;
  private lead = 0;
  /** Writes and lease requests held while no leader is known (config.proposalsWaitForLeader). */
  private readonly leaderWait = new LeaderWait();
  /** Ticks since the last leader check, and consecutive checks that found no leader (etcd monitorLeader). */
  private leaderCheckTicks = 0;
  private noLeaderChecks = 0;
  private isLeader = false;
  private readyInFlight: RaftReady | undefined;
  private seq = 0;
  private readonly ids: RequestIdGenerator;
  private readonly pending = new PendingRequests<Waiter>();
  private readonly reads: ReadIndexLoop<ReadWaiter>;
  private readonly leaseExpiry: LeaseExpiry;
  private readonly forwarded = new Map<number, { waiter: Waiter; deadlineMs: number }>();
  private heldLease: HeldLeaseRequest[] = [];
  private readonly proposedFirst = new PendingRequests<ProposedFirst>();
  private awaitingApply: AppliedWaiter[] = [];
  private readonly watches: ClientWatchStreams;
  private readonly recentIds = new RecentIds();
  /**
   * Snapshots sent to followers. The simulated network gives no delivery receipt, so the send
   * counts as finished after an election timeout and raft is told (etcd's ReportSnapshot after
   * its transport is done); a lost snapshot then leads raft to probe and send another.
   */
  private snapshotSends: { to: number; reportAtMs: number }[] = [];
  /** A committed conf change removed this member: it stops serving (etcd's ErrStopped). */
  private removedFromCluster = false;
  /** A snapshot was asked for (a new member joins: it must start from one, see requestSnapshot). */
  private snapshotRequested = false;
  readonly header: MemberHeader;

  constructor(
    readonly config: MemberConfig,
    private readonly raft: RaftPort,
    private readonly storage: MemoryStorage,
    private readonly sm: StateMachinePort,
    private readonly env: MemberEnv,
  ) {
    checkMemberConfig(config);
    this.ids = new RequestIdGenerator(BigInt(config.id), env.nonce);
    const snap = storage.snapshot();
    this.appliedIndex = snap.metadata.index;
    this.snapshotIndex = snap.metadata.index;
    this.confState = snap.metadata.confState;
    // The state machine may be ahead of the snapshot: recovery replays the committed WAL into
    // it (etcd's backend holds applied state too), and raft re-delivers those entries.
    if (sm.consistentIndex() < this.appliedIndex) {
      throw violated('server', 'consistent-index', `state machine at ${sm.consistentIndex()}, behind snapshot ${this.appliedIndex}`);
    }
    const timeoutMs = requestTimeoutMs(config);
    this.reads = new ReadIndexLoop<ReadWaiter>({
      readIndex: (ctx) => this.raft.readIndex(ctx),
      newContext: () => this.newRequestId(),
      retryEarly: () => this.buggify('member.read-index-retry-early'),
      onRetry: () => this.note('read-index-retry'),
      onLeaderChanged: () => this.note('read-index-leader-changed'),
    }, timeoutMs,
      undefined, { reuseContext: config.unsafe?.readIndexReusesContext === true });
    this.leaseExpiry = new LeaseExpiry({
      expiredLeases: (nowMs, max) => this.sm.expiredLeases(nowMs, max),
      proposeRevoke: (id) => {
        this.note('lease-expired');
        this.raft.propose(this.sm.encodeLeaseRevoke(id, this.newRequestId()));
      },
    }, timeoutMs);
    this.header = { clusterId: CLUSTER_ID, memberId: String(config.id), raftTerm: this.termReader(raft) };
    sm.bindHeader(this.header);
    sm.bindHooks?.((site) => this.buggify(site), (event) => this.note(event));
    this.watches = new ClientWatchStreams(sm, (client, m) => this.toClient(client, m));
    sm.demoteLessor();
  }

  get applied(): number {
    return this.appliedIndex;
  }

  get leader(): number {
    return this.lead;
  }

  get stateMachine(): StateMachinePort {
    return this.sm;
  }

  /** The membership as of the last applied entry (or installed snapshot). */
  get membership(): ConfState {
    return this.confState;
  }

  /** True once a committed conf change removed this member; it then ignores every input. */
  get removed(): boolean {
    return this.removedFromCluster;
  }

  /**
   * Proposes a membership change (etcd's MemberAdd as learner, MemberPromote, MemberRemove map
   * to add-learner-node, add-node, remove-node). False when raft dropped it: not the leader,
   * or another conf change is still pending (raft allows one at a time).
   */
  proposeConfChange(cc: ConfChange): boolean {
    if (this.removedFromCluster || !this.isLeader) return false;
    return this.raft.proposeConfChange(cc);
  }

  /**
   * etcd's MoveLeader on the leader: asks raft to hand leadership to `transferee` (raft waits
   * until its log is caught up, then tells it to campaign at once). False when this member does
   * not lead; whether leadership moves shows in `leader` later.
   */
  transferLeadership(transferee: number): boolean {
    if (this.removedFromCluster || !this.isLeader || this.raft.transferLeadership === undefined) return false;
    this.raft.transferLeadership(transferee);
    return true;
  }

  /**
   * etcd's isLearnerReady, on the leader: `id`'s match is at least 90% of the leader's own
   * (readyPercent). Undefined when this member does not lead (etcd: ErrNotLeader, ask the
   * leader); true for an id raft does not track (etcd leaves that to the apply-time checks).
   */
  learnerReady(id: number): boolean | undefined {
    if (!this.isLeader || this.raft.matchOf === undefined) return undefined;
    const match = this.raft.matchOf(id);
    const own = this.raft.matchOf(this.config.id) ?? 0;
    return match === undefined || match >= own * LEARNER_READY_RATIO;
  }

  /**
   * Takes a snapshot at the applied index and compacts the whole log behind it, so a member
   * that joins with an empty disk is sent a snapshot holding the current membership (the
   * bootstrap membership is not in the log: replaying the log from index 1 would be wrong).
   */
  requestSnapshot(): void {
    this.snapshotRequested = true;
    this.maybeSnapshot();
  }

  takeOutputs(): readonly MemberOutput[] {
    const out = this.outputs;
    // The host asks after every turn, mostly when nothing was produced: no new array then.
    if (out.length === 0) return NO_OUTPUTS;
    this.outputs = [];
    return out;
  }

  // ---- inputs ----

  tick(): void {
    if (this.removedFromCluster) return;
    this.raft.tick();
    const now = this.env.nowMs();
    this.reads.tick(now);
    this.leaseExpiry.tick(now);
    if (this.isLeader && !this.buggify('member.lease-checkpoint-skipped')) for (const data of this.sm.checkpoints(now, () => this.newRequestId())) this.raft.propose(data);
    this.sm.onTick(now);
    if (this.snapshotSends.length > 0) {
      const due = this.snapshotSends.filter((s) => s.reportAtMs <= now);
      this.snapshotSends = this.snapshotSends.filter((s) => s.reportAtMs > now);
      for (const s of due) this.raft.reportSnapshot(s.to, false);
    }
    for (const w of this.pending.expire(now)) this.replyError(w, ErrTimeout);
    // etcd's Renew ignores raftRequestOnce's timeout and refreshes the lease anyway.
    if (this.proposedFirst.size > 0) for (const p of this.proposedFirst.expire(now)) p.answer(p.then(now));
    for (const [id, f] of this.forwarded) {
      if (f.deadlineMs > now) continue;
      this.forwarded.delete(id);
      this.replyError(f.waiter, ErrTimeout);
    }
    this.leaderWait.expire(now);
    this.retryHeldLease(now);
    this.expireAwaitingApply(now);
    this.flushReads();
    this.monitorLeader();
    this.watches.poll();
  }

  /** A raft message from member `from`. */
  receiveRaft(from: number, m: Message): void {
    if (this.removedFromCluster) return;
    // etcd's transport hands a member only messages naming its own ID (rafthttp ignores a
    // stream whose X-Raft-To differs) and none from a removed member (EtcdServer.Process):
    // one sent to or by an earlier member on the same endpoint, removed and replaced, and
    // still in flight, belongs to a connection that no longer exists.
    if (m.to !== this.config.id || m.from !== from) return;
    if (this.awaitsJoinSnapshot(m)) return;
    this.raft.step(m);
  }

  /** A lease request forwarded by a follower, or the leader's answer to one this member forwarded. */
  receivePeer(from: number, pm: PeerMessage): void {
    if (this.removedFromCluster) return;
    switch (pm.kind) {
      case 'lease-forward': {
        const c = this.sm.classify(pm.path, pm.body, this.header);
        const answer = (reply: WireReply): void => {
          this.outputs.push({ kind: 'peer', to: from, message: { kind: 'lease-forward-reply', id: pm.id, reply }, sizeBytes: 64 });
        };
        const noLeader = (): void => answer({ ok: false, error: errorBody(ErrNoLeader) });
        if (c.kind !== 'leader-lease' || !this.isLeader) return noLeader();
        this.serveLease(c, answer, noLeader);
        return;
      }
      case 'lease-forward-reply': {
        const f = this.forwarded.get(pm.id);
        if (f === undefined) return;
        this.forwarded.delete(pm.id);
        this.reply(f.waiter, pm.reply);
        return;
      }
    }
  }

  receiveClient(client: string, m: ClientToMember): void {
    // A message delivered twice must not be handled twice (a duplicated put would apply twice).
    if (this.recentIds.seen(client, m.id)) return;
    if (this.removedFromCluster) {
      if (m.kind === 'request') this.replyError({ client, id: m.id }, ErrStopped);
      return;
    }
    switch (m.kind) {
      case 'request':
        this.handleRequest({ client, id: m.id }, m.path, m.body, m.bodyTextLength, m.decoded, m.token);
        return;
      case 'watch-send':
      case 'watch-close':
      case 'watch-ping':
        this.watches.receive(client, m);
        return;
    }
  }

  /**
   * A member that joined with an empty disk learns the membership from a snapshot: the bootstrap
   * membership is not in the log, so appending the log from index 1 would rebuild a wrong one.
   * Such appends are dropped (the change then stalls, visibly, instead of going wrong); the
   * cluster makes the leader compact its log before the newcomer starts, so it sends a snapshot.
   */
  private awaitsJoinSnapshot(m: Message): boolean {
    return m.type === 'MsgApp' && m.index === 0 && m.entries.length > 0 && this.config.peers.length === 0 && this.storage.snapshot().metadata.index === 0;
  }

  // ---- the Ready cycle ----

  /** The next raft Ready to persist, or undefined (none, or one is already being persisted). */
  nextReady(): RaftReady | undefined {
    if (this.readyInFlight !== undefined || !this.raft.hasReady()) return undefined;
    // BUGGIFY: the Ready waits for the next pump (a busy raft loop), which raft allows.
    if (this.buggify('member.ready-delayed')) return undefined;
    this.readyInFlight = this.raft.ready();
    if (this.config.unsafe?.applyBeforePersist === true) {
      // Planted bug (etcd#14370): apply and answer while the WAL write is still in flight, as
      // etcd's raft loop hands entries to the applier in parallel with saving them.
      const now = this.env.nowMs();
      for (const e of this.readyInFlight.committedEntries) this.applyEntry(e, now);
    }
    // The planted bug sends votes and acknowledgements before they are durable (hashicorp/raft#661).
    if (this.config.unsafe?.sendBeforeSync === true) this.sendMessages(this.readyInFlight);
    // The planted bug answers votes before the term and vote they grant are durable.
    else if (this.config.unsafe?.voteBeforeSync === true) this.sendMessages(this.readyInFlight, (m) => m.type === 'MsgVoteResp');
    return this.readyInFlight;
  }

  /** Hands the Ready's messages (those `which` keeps; all without it) to the host, in one output. */
  private sendMessages(rd: RaftReady, which?: (m: Message) => boolean): void {
    const now = this.env.nowMs();
    // etcd sends a Ready's last MsgAppResp only (processMessages), in raft's order, before any reordering.
    const sent = lastAppRespOnly(rd.messages);
    // BUGGIFY: messages to different peers (and to one peer) may arrive in any order anyway.
    const all = this.buggify('member.ready-messages-reordered') ? [...sent].reverse() : sent;
    const messages = which === undefined ? all : all.filter(which);
    for (let i = 0; i < messages.length; i++) {
      const m = messages[i] as Message;
      if (m.type === 'MsgTimeoutNow') this.note('leader-transfer');
      if (m.type === 'MsgSnap') {
        this.note('snapshot-sent');
        const late = this.buggify('member.snapshot-report-late') ? electionTimeoutMs(this.config) : 0;
        this.snapshotSends.push({ to: m.to, reportAtMs: now + electionTimeoutMs(this.config) + late });
      }
    }
    if (messages.length > 0) this.outputs.push({ kind: 'raft', messages });
  }

  /** The host made `rd`'s snapshot, hard state and entries durable: send, apply, advance. */
  afterPersist(rd: RaftReady): void {
    if (rd !== this.readyInFlight) throw violated('server', 'ready-order', 'afterPersist for a Ready that is not in flight');
    const now = this.env.nowMs();
    const snap = rd.snapshot;
    if (snap !== undefined && snap.metadata.index > 0) this.storage.applySnapshot(snap);
    if (rd.hardState !== undefined) this.storage.setHardState(rd.hardState);
    this.storage.append(rd.entries);
    // The planted voteBeforeSync bug sent the vote answers before the fsync.
    if (this.config.unsafe?.sendBeforeSync !== true) this.sendMessages(rd, this.config.unsafe?.voteBeforeSync === true ? (m) => m.type !== 'MsgVoteResp' : undefined);
    if (snap !== undefined && snap.metadata.index > this.appliedIndex) this.installSnapshot(snap, now);
    // A leader change fails the read round in flight before any read state is looked at: a read
    // state that arrives with it may answer an earlier attempt (etcd#20418). The planted bug
    // looks at the read states first.
    const readStatesFirst = this.config.unsafe?.readIndexReusesContext === true;
    if (readStatesFirst) this.onReadStates(rd.readStates, now);
    if (rd.softState !== undefined) this.onSoftState(rd.softState.lead, rd.softState.raftState === 'leader', now);
    if (!readStatesFirst) this.onReadStates(rd.readStates, now);
    // Indexed loops here and below: for-of allocated an iterator per Ready persisted.
    const committed = rd.committedEntries;
    for (let i = 0; i < committed.length; i++) this.applyEntry(committed[i] as Entry, now);
    this.reads.onApplied(this.appliedIndex);
    this.retryHeldLease(now);
    this.readyInFlight = undefined;
    this.raft.advance(rd);
    if (this.lead !== 0) this.leaderWait.release();
    this.releaseAwaitingApply();
    this.maybeSnapshot();
    this.flushReads();
    this.watches.poll();
  }

  // ---- requests ----

  private handleRequest(w: Waiter, path: string, body: unknown, bodyTextLength?: number, decoded?: object, token?: string): void {
    // The exact check is on the encoded raft request (below); this bounds what is even parsed,
    // like gRPC's receive limit (MaxRequestBytes + 512 KiB) with room for JSON's base64.
    const textLength = bodyTextLength ?? jsonTextLength(body, 4 * MAX_REQUEST_BYTES);
    if (textLength > 4 * MAX_REQUEST_BYTES) return this.replyError(w, ErrRequestTooLarge);
    if (path === '/v3/maintenance/status') return this.reply(w, { ok: true, body: this.statusBody() });
    const c: Classified = this.sm.classify(path, body, this.header, decoded, token);
    switch (c.kind) {
      case 'invalid': return this.reply(w, { ok: false, error: c.error });
      case 'local': return this.reply(w, c.serve());
      case 'read': return this.read(w, c.serializable, c.read);
      case 'propose': return this.propose(w, c.encode, c.recheck);
      case 'leader-lease': return this.leaderLease(w, path, body, c);
      case 'read-then-propose': return this.readThenPropose(w, c.after);
      case 'wait-applied': return this.awaitApplied(w, { path, body, bodyTextLength, decoded, token }, c.index, c.timeoutError);
    }
  }

  /** etcd's Authenticate: linearizableReadNotify, then the decision on the state read. */
  private readThenPropose(w: Waiter, after: () => Refused | Proposal): void {
    const waiter: ReadWaiter = Object.assign({}, w, { read: NO_READ, after });
    if (this.config.unsafe?.readWithoutReadIndex === true) return this.afterRead(waiter, after);
    if (!this.reads.enqueue(waiter, this.env.nowMs())) this.replyError(w, ErrTooManyRequests);
  }

  private afterRead(w: Waiter, after: () => Refused | Proposal): void {
    const c = after();
    if (c.kind === 'invalid') return this.reply(w, { ok: false, error: c.error });
    this.propose(w, c.encode, c.recheck);
  }

  private awaitApplied(w: Waiter, request: HeldRequest, index: number, timeoutError: WireError): void {
    if (this.awaitingApply.length >= AWAITING_APPLY_MAX) return this.replyError(w, ErrTooManyRequests);
    this.awaitingApply.push({ w, request, index, timeoutError, deadlineMs: this.env.nowMs() + requestTimeoutMs(this.config) });
  }

  /** After applies: requests whose index is now applied are handled again, in arrival order. */
  private releaseAwaitingApply(): void {
    if (this.awaitingApply.length === 0) return;
    const ready = this.awaitingApply.filter((a) => a.index <= this.appliedIndex);
    if (ready.length === 0) return;
    this.awaitingApply = this.awaitingApply.filter((a) => a.index > this.appliedIndex);
    for (const a of ready) this.handleRequest(a.w, a.request.path, a.request.body, a.request.bodyTextLength, a.request.decoded, a.request.token);
  }

  private expireAwaitingApply(now: number): void {
    if (this.awaitingApply.length === 0) return;
    const due = this.awaitingApply.filter((a) => a.deadlineMs <= now);
    if (due.length === 0) return;
    this.awaitingApply = this.awaitingApply.filter((a) => a.deadlineMs > now);
    for (const a of due) this.reply(a.w, { ok: false, error: a.timeoutError });
  }

  private read(w: Waiter, serializable: boolean, read: () => WireReply): void {
    // The planted bug serves "linearizable" reads from local state: stale on a deposed leader.
    if (serializable || this.config.unsafe?.readWithoutReadIndex === true) return this.reply(w, read());
    // Object.assign, not { ...w, read }: V8 (Node 20) builds a spread followed by a field slowly (µs).
    if (!this.reads.enqueue(Object.assign({}, w, { read }), this.env.nowMs())) this.replyError(w, ErrTooManyRequests);
  }

  /** `recheck`: see Proposal.recheck; `deadlineMs`: a retry's, kept from the first proposal. */
  private propose(w: Waiter, encode: (requestId: string) => { data: EntryData; sizeBytes: number }, recheck?: RecheckWaiter['recheck'], deadlineMs?: number): void {
    if (this.raft.status().commit > this.appliedIndex + (this.config.pendingApplyMax ?? MAX_GAP_APPLY_COMMIT)) return this.replyError(w, ErrTooManyRequests);
    if (this.lead === 0) {
      if (this.config.proposalsWaitForLeader !== true) return this.replyError(w, ErrNoLeader);
      const deadline = deadlineMs ?? this.env.nowMs() + requestTimeoutMs(this.config);
      const held = this.leaderWait.hold(deadline, () => this.propose(w, encode, recheck, deadline), () => this.replyError(w, ErrProposalDeadline));
      return held ? undefined : this.replyError(w, ErrTooManyRequests);
    }
    if (this.pending.full) return this.replyError(w, ErrTooManyRequests);
    const requestId = this.newRequestId();
    const { data, sizeBytes } = encode(requestId);
    if (sizeBytes > MAX_REQUEST_BYTES) return this.replyError(w, ErrRequestTooLarge);
    const deadline = deadlineMs ?? this.env.nowMs() + requestTimeoutMs(this.config);
    const waiter: Waiter | RecheckWaiter = recheck === undefined ? w : { client: w.client, id: w.id, recheck, deadlineMs: deadline };
    this.pending.register(requestId, waiter, deadline);
    // BUGGIFY: a proposal lost before raft (the client times out), or proposed twice (the
    // state machine applies a request id once).
    if (this.buggify('member.proposal-dropped')) return;
    if (this.buggify('member.proposal-duplicated')) this.raft.propose(data);
    if (!this.raft.propose(data)) {
      this.pending.take(requestId);
      this.replyError(w, ErrNoLeader);
    }
  }

  /** `deadlineMs`: a held request's, kept from when it came. */
  private leaderLease(w: Waiter, path: string, body: unknown, lease: LeaderLease, deadlineMs?: number): void {
    if (this.isLeader) return this.serveLease(lease, (r) => this.reply(w, r), () => this.leaderLease(w, path, body, lease));
    if (this.lead === 0) {
      if (this.config.proposalsWaitForLeader !== true) return this.replyError(w, ErrNoLeader);
      // etcd's waitLeader: "no leader" once the request's time is up.
      const deadline = deadlineMs ?? this.env.nowMs() + requestTimeoutMs(this.config);
      const held = this.leaderWait.hold(deadline, () => this.leaderLease(w, path, body, lease, deadline), () => this.replyError(w, ErrNoLeader));
      return held ? undefined : this.replyError(w, ErrTooManyRequests);
    }
    if (this.forwarded.size >= FORWARDED_MAX) return this.replyError(w, ErrTooManyRequests);
    const id = ++this.seq;
    this.forwarded.set(id, { waiter: w, deadlineMs: this.env.nowMs() + requestTimeoutMs(this.config) });
    this.outputs.push({ kind: 'peer', to: this.lead, message: { kind: 'lease-forward', id, path, body }, sizeBytes: 64 });
  }

  /** Serves a lease request on the leader now, or holds it while the renew would block. */
  private serveLease(lease: LeaderLease, answer: (r: WireReply) => void, redirect: () => void): void {
    const now = this.env.nowMs();
    if (lease.ready === undefined || lease.ready(now)) return this.answerLease(lease, answer, now);
    if (this.heldLease.length >= HELD_LEASE_MAX) return answer({ ok: false, error: errorBody(ErrTooManyRequests) });
    this.heldLease.push({ lease, answer, redirect, deadlineMs: now + requestTimeoutMs(this.config) });
  }

  /** Serves a lease request now; one that proposes an entry first is answered once it applied (or timed out). */
  private answerLease(lease: LeaderLease, answer: (r: WireReply) => void, now: number): void {
    const r = lease.serve(now);
    if ('ok' in r) return answer(r);
    this.proposeFirst(r, answer, now);
  }

  /**
   * etcd's raftRequestOnce for a lease request's entry: proposed, then waited for until it
   * applies on this member or the request timeout passes. Its caller (lessor.Renew) ignores
   * every error, so a proposal refused here is answered at once.
   */
  private proposeFirst(r: ProposeFirst, answer: (r: WireReply) => void, now: number): void {
    const then = (): void => answer(r.then(now));
    if (this.raft.status().commit > this.appliedIndex + (this.config.pendingApplyMax ?? MAX_GAP_APPLY_COMMIT)) return then();
    if (this.proposedFirst.full) return then();
    const requestId = this.newRequestId();
    this.proposedFirst.register(requestId, { then: r.then, answer }, now + requestTimeoutMs(this.config));
    if (!this.raft.propose(r.entry(requestId))) {
      this.proposedFirst.take(requestId);
      then();
    }
  }

  /** After applies and ticks: serve held lease requests that can be, redirect all if no longer leader. */
  private retryHeldLease(now: number): void {
    if (this.heldLease.length === 0) return;
    const held = this.heldLease;
    this.heldLease = [];
    for (const h of held) {
      if (!this.isLeader) h.redirect();
      else if (h.lease.ready?.(now) !== false) this.answerLease(h.lease, h.answer, now);
      else if (h.deadlineMs <= now) h.answer({ ok: false, error: errorBody(ErrTimeout) });
      else this.heldLease.push(h);
    }
  }

  /** The raft term for response headers: RaftPort.term where the port has it, else status().term. */
  private termReader(raft: RaftPort): () => number {
    return raft.term !== undefined ? () => raft.term!() : () => raft.status().term;
  }

  private headerBody(): Record<string, string> {
    return { cluster_id: this.header.clusterId, member_id: this.header.memberId, revision: String(this.sm.status().revision), raft_term: String(this.raft.status().term) };
  }

  /** The serialized state machine's length, as of the applied index it was measured at. */
  private dbSizeAt: { readonly appliedIndex: number; readonly bytes: number; readonly size: string } | undefined;

  /**
   * etcd's StatusResponse (maintenance/status); sizes are of the serialized state machine. The
   * whole state is serialized to measure it, and health checks, scrapes and clients polling
   * Status while they write ask often: it is measured again only once the entries applied since,
   * at statusMeasureBytesPerEntry each, pay for the size last measured (amortized O(1) per entry;
   * a small store is measured at every entry). etcd's size moves in steps too (bbolt's pages).
   */
  private statusBody(): Record<string, unknown> {
    const st = this.raft.status();
    let at = this.dbSizeAt;
    if (at === undefined || statusSizeStale(at, this.appliedIndex)) {
      const bytes = this.sm.snapshot().length;
      at = this.dbSizeAt = { appliedIndex: this.appliedIndex, bytes, size: String(bytes) };
    }
    const size = at.size;
    const body: Record<string, unknown> = { header: this.headerBody(), version: '3.4.23', dbSize: size };
    if (st.lead !== 0) body['leader'] = String(st.lead);
    body['raftIndex'] = String(st.commit);
    body['raftTerm'] = String(st.term);
    body['raftAppliedIndex'] = String(this.appliedIndex);
    // etcd's maintenance server lists "no leader" among the status's errors (its alarms, none here, follow).
    if (st.lead === 0) body['errors'] = [ErrNoLeader.message];
    body['dbSizeInUse'] = size;
    return body;
  }

  // ---- apply ----

  /** Whether a request id is one this member proposed and still waits on (one function, not one per entry applied). */
  private readonly proposedHere = (id: string): boolean => this.pending.has(id);

  private applyEntry(e: Entry, now: number): void {
    if (e.index <= this.appliedIndex) return;
    if (e.index !== this.appliedIndex + 1) {
      throw violated('server', 'apply-in-order', `applying ${e.index} after ${this.appliedIndex}`);
    }
    if (e.index <= this.sm.consistentIndex()) {
      // Already in the state machine (replayed at recovery): only raft's membership needs it.
      if (e.type === 'conf-change') this.applyConfChange(e);
      this.appliedIndex = e.index;
      this.env.onApply?.(e);
      return;
    }
    if (e.type === 'conf-change') {
      this.applyConfChange(e);
      this.sm.applyNoop(e.index);
    } else if (e.data === '') {
      this.sm.applyNoop(e.index);
      this.onLeaderEntry(e, now);
    } else {
      const r = this.sm.apply(e.index, e.term, e.data, now, this.proposedHere);
      const revoked = r.revokedLeases;
      for (let i = 0; i < revoked.length; i++) this.leaseExpiry.onRevoked(revoked[i] as number);
      const w = r.requestId === '' ? undefined : this.pending.take(r.requestId);
      if (w !== undefined) this.answerApplied(w, r.reply);
      const p = this.proposedFirst.size === 0 || r.requestId === '' ? undefined : this.proposedFirst.take(r.requestId);
      if (p !== undefined) p.answer(p.then(now));
    }
    this.appliedIndex = e.index;
    this.env.onApply?.(e);
    if (this.sm.consistentIndex() !== e.index) {
      throw violated('server', 'consistent-index', `applied ${e.index}, state machine at ${this.sm.consistentIndex()}`);
    }
  }

  /** The reply of an entry proposed here, unless its recheck asks for the request again. */
  private answerApplied(w: Waiter | RecheckWaiter, reply: WireReply): void {
    if (!('recheck' in w)) return this.reply(w, reply);
    const again = w.recheck();
    if (again === undefined) return this.reply(w, reply);
    if (again.kind === 'invalid') return this.reply(w, { ok: false, error: again.error });
    this.propose({ client: w.client, id: w.id }, again.encode, again.recheck, w.deadlineMs);
  }

  /** A committed conf change: raft switches configuration; a member no longer in it stops. */
  private applyConfChange(e: Entry): void {
    this.note('conf-change-applied');
    this.confState = this.raft.applyConfChange(decodeConfChange(e.data));
    const cs = this.confState;
    const id = this.config.id;
    const inConfig = cs.voters.includes(id) || cs.learners.includes(id) || cs.votersOutgoing.includes(id) || cs.learnersNext.includes(id);
    // Pending requests are left to time out, as when etcd's removed member stops: an entry
    // proposed here may still commit under the next leader, so no definite failure is sent.
    if (!inConfig) this.removedFromCluster = true;
  }

  /** A leader's empty entry of its own term applied: promote the lessor (etcd applyEntryNormal). */
  private onLeaderEntry(e: Entry, now: number): void {
    const st = this.raft.status();
    if (st.raftState !== 'leader' || e.term !== st.term) return;
    this.sm.promoteLessor(now, electionTimeoutMs(this.config));
    this.leaseExpiry.promote(now);
    this.reads.retryNow(now);
  }

  /**
   * etcd's monitorLeader: once per election timeout, check for a leader; after
   * MAX_NO_LEADER_CHECKS checks in a row without one, end the streams that require a leader
   * (reconnecting a stream costs more than rejecting a request, hence the wait).
   */
  private monitorLeader(): void {
    if (++this.leaderCheckTicks < this.config.electionTicks) return;
    this.leaderCheckTicks = 0;
    this.noLeaderChecks = this.lead === 0 ? this.noLeaderChecks + 1 : 0;
    if (this.noLeaderChecks >= MAX_NO_LEADER_CHECKS) this.watches.cancelLeaderRequired();
  }

  private onSoftState(lead: number, isLeader: boolean, now: number): void {
    if (lead !== this.lead) this.reads.onLeaderChange(now);
    if (this.isLeader && !isLeader && this.config.unsafe?.deposedLessorRevokes !== true) {
      this.sm.demoteLessor();
      this.leaseExpiry.demote();
    }
    this.lead = lead;
    this.isLeader = isLeader;
  }

  private installSnapshot(snap: Snapshot, now: number): void {
    if (this.sm.consistentIndex() >= snap.metadata.index) {
      // The state machine already holds everything the snapshot does.
      this.appliedIndex = snap.metadata.index;
      this.snapshotIndex = snap.metadata.index;
      this.confState = snap.metadata.confState;
      return;
    }
    this.note('snapshot-installed');
    this.sm.restore(snap.data, now);
    if (!this.isLeader) this.sm.demoteLessor();
    this.appliedIndex = snap.metadata.index;
    this.snapshotIndex = snap.metadata.index;
    this.confState = snap.metadata.confState;
    if (this.sm.consistentIndex() !== this.appliedIndex) {
      throw violated('server', 'consistent-index', `restored ${this.sm.consistentIndex()}, snapshot ${this.appliedIndex}`);
    }
  }

  /** etcd's triggerSnapshot: every snapshotCount applied entries, keeping catch-up entries. */
  private maybeSnapshot(): void {
    if (this.snapshotRequested && this.appliedIndex === this.snapshotIndex) return this.compactBehindSnapshot();
    const requested = this.snapshotRequested && this.appliedIndex > this.snapshotIndex;
    const due = this.appliedIndex - this.snapshotIndex >= this.config.snapshotCount;
    // BUGGIFY: a snapshot long before snapshotCount (followers then catch up from snapshots).
    if (!requested && !due && !(this.appliedIndex > this.snapshotIndex && this.buggify('member.snapshot-early'))) return;
    if (this.appliedIndex < this.sm.consistentIndex()) return; // still catching up after recovery
    // The planted bug (etcd#13766) stamps the snapshot with raft's commit index, ahead of what
    // the state machine holds when a Ready's entries are still being applied under load.
    const index = this.config.unsafe?.snapshotAtCommitIndex === true ? Math.max(this.appliedIndex, Math.min(this.raft.status().commit, this.storage.lastIndex())) : this.appliedIndex;
    const created = this.storage.createSnapshot(index, this.confState, this.sm.snapshot());
    if (typeof created === 'string') return;
    this.snapshotIndex = index;
    this.snapshotRequested = false;
    const compactIndex = requested ? this.appliedIndex : Math.max(0, this.appliedIndex - this.config.snapshotCatchUpEntries);
    if (compactIndex > this.storage.firstIndex()) this.storage.compact(compactIndex);
    this.note('snapshot-taken');
    this.outputs.push({ kind: 'snapshot', snapshot: created, compactIndex });
  }

  /**
   * A snapshot was asked for and the latest one is already at the applied index (an early or
   * periodic snapshot got there first, keeping catch-up entries): compact the whole log behind
   * it, as requestSnapshot promises, so a joining member is sent that snapshot, not the log.
   */
  private compactBehindSnapshot(): void {
    this.snapshotRequested = false;
    if (this.snapshotIndex === 0 || this.storage.firstIndex() > this.snapshotIndex) return;
    this.storage.compact(this.snapshotIndex);
    this.outputs.push({ kind: 'snapshot', snapshot: this.storage.snapshot(), compactIndex: this.snapshotIndex });
  }

  // ---- replies ----

  private flushReads(): void {
    const out = this.reads.takeOutcome();
    const served = out.served;
    for (let i = 0; i < served.length; i++) {
      const w = served[i] as (typeof served)[number];
      if (w.after !== undefined) this.afterRead(w, w.after);
      else this.reply(w, w.read());
    }
    const failed = out.failed;
    for (let i = 0; i < failed.length; i++) {
      const f = failed[i] as (typeof failed)[number];
      this.replyError(f.waiter, f.error);
    }
  }

  private onReadStates(readStates: readonly ReadState[], now: number): void {
    for (let i = 0; i < readStates.length; i++) {
      const rs = readStates[i] as ReadState;
      this.reads.onReadState(rs.requestCtx, rs.index, this.appliedIndex, now);
    }
  }

  private replyError(w: Waiter, e: MemberError): void {
    this.reply(w, { ok: false, error: errorBody(e) });
  }

  private reply(w: Waiter, r: WireReply): void {
    const leader = this.lead === 0 ? undefined : this.env.nameOf(this.lead);
    const member = this.env.nameOf(this.config.id);
    const status = r.ok ? 200 : httpStatusFromGrpcCode(r.error.code);
    const reply: AddressedReply = { kind: 'reply', id: w.id, status, body: r.ok ? r.body : r.error, member, leader, to: w.client };
    this.outputs.push(reply);
  }

  private toClient(client: string, message: MemberToClient): void {
    this.outputs.push({ kind: 'client', to: client, message });
  }

  private buggify(site: ProductBuggifySite): boolean {
    return this.env.buggify?.(site) ?? false;
  }

  private note(event: MemberEvent): void {
    this.env.onEvent?.(event);
  }

  /** etcd's idutil ids: unique per member, and per incarnation through the start nonce. */
  private newRequestId(): string {
    return this.ids.next().toString();
  }
}

/** Bytes of state an applied entry pays for measuring it again (status-size-stale's budget). */
export const STATUS_MEASURE_BYTES_PER_ENTRY = 64 * 1024;

/**
 * Whether a size measured `at` an applied index is to be measured again at `appliedIndex`: once
 * the entries applied since, at STATUS_MEASURE_BYTES_PER_ENTRY each, reach the size measured
 * (each measurement reads the whole state: at most one per size/budget entries).
 */
export function statusSizeStale(at: { readonly appliedIndex: number; readonly bytes: number } | undefined, appliedIndex: number): boolean {
  if (at === undefined || appliedIndex < at.appliedIndex) return true;
  const since = appliedIndex - at.appliedIndex;
  return since > 0 && since * STATUS_MEASURE_BYTES_PER_ENTRY >= at.bytes;
}
