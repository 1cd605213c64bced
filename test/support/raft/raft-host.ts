// A simulated node that runs one Raft member (a RawNode) with a replicated-log state machine.
// It keeps the durability contract: every Ready's snapshot, entries and hard state are written
// to the node's disk and fsynced BEFORE any of the Ready's messages are sent and before its
// committed entries are applied. After a crash it recovers from what the disk made durable only
// (the disk layout is in raft-disk.ts).
import type { Host, HostContext } from '../../../sim/world/host.ts';
import { RawNode } from '../../../src/raft/raw-node.ts';
import type { Ready } from '../../../src/raft/raw-node.ts';
import { MemoryStorage } from '../../../src/raft/storage.ts';
import type { UnsafeOptions } from '../../../src/raft/config.ts';
import type { ReadOnlyOption } from '../../../src/raft/read-only.ts';
import type { Entry, Message, NodeId, ReadState, Snapshot } from '../../../src/raft/types.ts';
import { EMPTY_CONF_STATE, decodeConfChange, entryDataText, raftMessageSize } from '../../../src/raft/types.ts';
import { viewEntryAt } from '../../../sim/check/raft-invariants.ts';
import type { RaftView, ViewEntry } from '../../../sim/check/raft-invariants.ts';
import { ReplicatedLog } from './replicated-log.ts';
import { persistReady, recoverFromDisk, writeSnapshotAndCompact } from './raft-disk.ts';
import type { ReplicatedLogState } from './replicated-log.ts';

export interface RaftHostOptions {
  /** Every member's world id; the Raft id of a member is its position + 1. */
  readonly peers: readonly string[];
  /** Wall time of one Raft tick on the node's clock (etcd: heartbeat interval 100 ms). */
  readonly tickUs: number;
  readonly electionTicks: number;
  readonly heartbeatTicks: number;
  readonly checkQuorum: boolean;
  readonly preVote: boolean;
  /** Take a snapshot after this many applied entries since the last one; 0 never. */
  readonly snapshotEveryEntries: number;
  /** Entries kept in the log behind a snapshot, so slow followers need no snapshot. */
  readonly catchUpEntries: number;
  readonly maxSizePerMsgBytes: number;
  readonly maxInflightMsgs: number;
  /** How many applied entries the host remembers for the observer's state-machine check. */
  readonly appliedRetain: number;
  readonly unsafe?: UnsafeOptions;
  /** 'lease-based' trusts clocks for reads (needs checkQuorum); 'safe' confirms with a quorum. */
  readonly readOnlyOption?: ReadOnlyOption;
  /**
   * UNSAFE (planted bug): send a Ready's messages before its fsync completes, so a vote or an
   * append acknowledgement can leave before the state it promises is durable (hashicorp/raft#661).
   */
  readonly unsafeSendBeforeSync?: boolean;
}

export const RAFT_HOST_DEFAULTS: Omit<RaftHostOptions, 'peers'> = {
  tickUs: 100_000,
  electionTicks: 10,
  heartbeatTicks: 1,
  checkQuorum: true,
  preVote: true,
  snapshotEveryEntries: 200,
  catchUpEntries: 50,
  maxSizePerMsgBytes: 64 * 1024,
  maxInflightMsgs: 64,
  appliedRetain: 100_000,
};

/** What travels between members and clients. */
export type RaftWire =
  | { readonly kind: 'raft'; readonly msg: Message }
  | { readonly kind: 'propose'; readonly reqId: number; readonly data: string }
  | { readonly kind: 'propose-result'; readonly reqId: number; readonly ok: boolean; readonly index: number; readonly term: number; readonly data: string; readonly error?: string }
  | { readonly kind: 'read'; readonly reqId: number }
  | { readonly kind: 'read-result'; readonly reqId: number; readonly ok: boolean; readonly index: number; readonly count: number };

/** A bound on reads waiting for their ReadState to be applied. */
const PENDING_READS_MAX = 10_000;
const PENDING_PROPOSALS_MAX = 100_000;

export class RaftHost implements Host, RaftView {
  readonly id: string;
  readonly raftId: NodeId;
  readonly incarnation: number;
  private readonly ctx: HostContext;
  private readonly options: RaftHostOptions;
  private readonly storage: MemoryStorage;
  readonly raw: RawNode;
  private inflight: Ready | undefined = undefined;
  durableTerm = 0;
  durableCommit = 0;
  applied = 0;
  private readonly sm = new ReplicatedLog();
  private readonly appliedEntries = new Map<number, ViewEntry>();
  private readonly pendingProposals = new Map<string, string>();
  private proposalBuffer: { client: string; reqId: number; data: string }[] = [];
  private pendingReads: { state: ReadState; client: string; reqId: number }[] = [];
  private readonly readClients = new Map<string, { client: string; reqId: number }>();
  private nextReadCtx = 1;

  constructor(ctx: HostContext, options: RaftHostOptions, incarnation: number) {
    this.ctx = ctx;
    this.options = options;
    this.id = ctx.id;
    this.incarnation = incarnation;
    const at = options.peers.indexOf(ctx.id);
    if (at < 0) throw new Error(`RaftHost: ${ctx.id} is not among the peers ${options.peers.join(',')}`);
    this.raftId = at + 1;
    const voters = options.peers.map((_, i) => i + 1);
    this.storage = new MemoryStorage({ ...EMPTY_CONF_STATE, voters });
    this.recover();
    this.raw = new RawNode({
      id: this.raftId,
      electionTick: options.electionTicks,
      heartbeatTick: options.heartbeatTicks,
      storage: this.storage,
      applied: this.applied,
      checkQuorum: options.checkQuorum,
      preVote: options.preVote,
      maxSizePerMsgBytes: options.maxSizePerMsgBytes,
      maxInflightMsgs: options.maxInflightMsgs,
      random: ctx.prng.fork('raft'),
      ...(options.unsafe !== undefined ? { unsafe: options.unsafe } : {}),
      ...(options.readOnlyOption !== undefined ? { readOnlyOption: options.readOnlyOption } : {}),
    });
    this.scheduleTick();
    this.processReady();
  }

  // ---- recovery: only what the disk made durable ----

  private recover(): void {
    const r = recoverFromDisk(this.ctx.disk, this.storage, this.id);
    if (r.snapshot !== undefined) {
      this.sm.restore(JSON.parse(r.snapshot.data) as ReplicatedLogState);
      this.applied = r.snapshot.metadata.index;
    }
    this.durableTerm = r.durableTerm;
    this.durableCommit = r.durableCommit;
  }

  // ---- events ----

  receive(from: string, message: unknown): void {
    const w = message as RaftWire;
    switch (w.kind) {
      case 'raft':
        this.raw.step(w.msg);
        break;
      case 'propose':
        this.onPropose(from, w.reqId, w.data);
        break;
      case 'read':
        this.onRead(from, w.reqId);
        break;
      default:
        break; // replies are for clients
    }
    this.processReady();
  }

  /**
   * Proposals wait in a buffer while a Ready is being made durable and go to Raft together
   * when it completes: one MsgApp per follower and one fsync for the whole group (group commit).
   */
  private onPropose(client: string, reqId: number, data: string): void {
    if (this.pendingProposals.size + this.proposalBuffer.length >= PENDING_PROPOSALS_MAX) {
      this.ctx.send(client, { kind: 'propose-result', reqId, ok: false, index: 0, term: 0, data, error: 'too many pending proposals' } satisfies RaftWire);
      return;
    }
    this.proposalBuffer.push({ client, reqId, data });
  }

  private flushProposals(): void {
    if (this.proposalBuffer.length === 0) return;
    const batch = this.proposalBuffer;
    this.proposalBuffer = [];
    const payloads = batch.map((p) => `${p.client}|${p.reqId}|${p.data}`);
    const err = this.raw.proposeBatch(payloads);
    for (let i = 0; i < batch.length; i++) {
      const p = batch[i]!;
      if (err === undefined) this.pendingProposals.set(payloads[i]!, p.client);
      else this.ctx.send(p.client, { kind: 'propose-result', reqId: p.reqId, ok: false, index: 0, term: 0, data: p.data, error: err } satisfies RaftWire);
    }
  }

  private onRead(client: string, reqId: number): void {
    const ctx = `${this.id}/${this.incarnation}/${this.nextReadCtx++}`;
    if (this.readClients.size >= PENDING_READS_MAX || this.raw.readIndex(ctx) !== undefined) {
      this.ctx.send(client, { kind: 'read-result', reqId, ok: false, index: 0, count: 0 } satisfies RaftWire);
      return;
    }
    this.readClients.set(ctx, { client, reqId });
  }

  private scheduleTick(): void {
    this.ctx.setTimer(this.options.tickUs, () => {
      this.raw.tick();
      this.processReady();
      this.scheduleTick();
    });
  }

  // ---- the Ready loop: persist, fsync, then send and apply ----

  private processReady(): void {
    if (this.inflight !== undefined) return;
    this.flushProposals();
    if (!this.raw.hasReady()) return;
    const rd = this.raw.ready();
    this.inflight = rd;
    const wrote = persistReady(this.ctx.disk, this.storage, rd);
    const early = this.options.unsafeSendBeforeSync === true;
    if (early) for (const m of rd.messages) this.sendRaft(m);
    if (wrote) this.ctx.disk.fsync(() => this.afterDurable(rd, !early));
    else this.afterDurable(rd, !early);
  }

  private afterDurable(rd: Ready, send: boolean): void {
    if (rd.hardState !== undefined) {
      this.durableTerm = rd.hardState.term;
      this.durableCommit = rd.hardState.commit;
    }
    if (send) for (const m of rd.messages) this.sendRaft(m);
    if (rd.snapshot !== undefined) this.installSnapshot(rd.snapshot);
    for (const e of rd.committedEntries) this.apply(e);
    for (const rs of rd.readStates) this.onReadState(rs);
    this.raw.advance(rd);
    this.inflight = undefined;
    this.serveReads();
    this.maybeSnapshot();
    this.processReady();
  }

  private sendRaft(m: Message): void {
    const to = this.options.peers[m.to - 1];
    if (to === undefined) return;
    this.ctx.send(to, { kind: 'raft', msg: m } satisfies RaftWire, raftMessageSize(m));
    // The simulated transport hands the snapshot over in one message: report it sent. If it
    // is lost, the follower never acknowledges and the leader probes (and resends) later.
    if (m.type === 'MsgSnap') this.raw.reportSnapshot(m.to, false);
  }

  private installSnapshot(s: Snapshot): void {
    this.sm.restore(JSON.parse(s.data) as ReplicatedLogState);
    this.applied = s.metadata.index;
  }

  private apply(e: Entry): void {
    if (e.index <= this.applied) return;
    if (e.type === 'conf-change') {
      this.raw.applyConfChange(decodeConfChange(e.data));
    } else if (e.data !== '') {
      // This host proposes text only.
      const text = entryDataText(e.data);
      this.sm.apply(e.index, text);
      const client = this.pendingProposals.get(text);
      if (client !== undefined) {
        this.pendingProposals.delete(text);
        const [, reqId, data] = splitPayload(text);
        this.ctx.send(client, { kind: 'propose-result', reqId, ok: true, index: e.index, term: e.term, data } satisfies RaftWire);
      }
    }
    this.applied = e.index;
    this.appliedEntries.set(e.index, { term: e.term, data: e.data });
    if (this.appliedEntries.size > this.options.appliedRetain) {
      const oldest = this.appliedEntries.keys().next().value;
      if (oldest !== undefined) this.appliedEntries.delete(oldest);
    }
  }

  private onReadState(rs: ReadState): void {
    const c = this.readClients.get(rs.requestCtx);
    if (c === undefined) return;
    this.readClients.delete(rs.requestCtx);
    this.pendingReads.push({ state: rs, ...c });
  }

  /** A read is served once the state machine has applied its ReadState's index. */
  private serveReads(): void {
    if (this.pendingReads.length === 0) return;
    const ready = this.pendingReads.filter((r) => r.state.index <= this.applied);
    this.pendingReads = this.pendingReads.filter((r) => r.state.index > this.applied);
    for (const r of ready) {
      this.ctx.send(r.client, { kind: 'read-result', reqId: r.reqId, ok: true, index: r.state.index, count: this.sm.count } satisfies RaftWire);
    }
  }

  /** Snapshots the state machine every snapshotEveryEntries and compacts the log behind it. */
  private maybeSnapshot(): void {
    const every = this.options.snapshotEveryEntries;
    const snapIndex = this.storage.snapshot().metadata.index;
    if (every <= 0 || this.applied - snapIndex < every) return;
    const cs = this.raw.raft.prs.confState();
    const snap = this.storage.createSnapshot(this.applied, cs, JSON.stringify(this.sm.state()));
    if (typeof snap === 'string') return;
    writeSnapshotAndCompact(this.ctx.disk, this.storage, snap, this.applied - this.options.catchUpEntries);
  }

  // ---- RaftView ----

  get term(): number {
    return this.raw.raft.term;
  }

  get commit(): number {
    return this.raw.raft.raftLog.committed;
  }

  get lastIndex(): number {
    return this.raw.raft.raftLog.lastIndex();
  }

  get firstIndex(): number {
    return this.raw.raft.raftLog.firstIndex();
  }

  get isLeader(): boolean {
    return this.raw.raft.state === 'leader';
  }

  entry(i: number): ViewEntry | undefined {
    return viewEntryAt(this.raw.raft.raftLog, i);
  }

  appliedEntry(i: number): ViewEntry | undefined {
    return this.appliedEntries.get(i);
  }

  /** The replicated state machine's digest (equal on members that applied the same prefix). */
  stateDigest(): ReplicatedLogState {
    return this.sm.state();
  }
}

function splitPayload(payload: string): [string, number, string] {
  const a = payload.indexOf('|');
  const b = payload.indexOf('|', a + 1);
  return [payload.slice(0, a), Number(payload.slice(a + 1, b)), payload.slice(b + 1)];
}
