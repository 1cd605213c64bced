// The ground truth of a generated etcd history: a leader and one or two lagging followers,
// each the state machine every simulated member runs (src/server/etcd-state-machine.ts), fed
// one raft log. Requests are classified, proposed, applied and read exactly as a member does, so
// every answer is, byte for byte, the gateway JSON a client records; the order in which the
// leader applies entries is the history's linearization. Leadership may move: the new leader
// has every committed entry (what the old leader applied), appends its term's empty entry,
// and only after applying it promotes its lessor (every lease's TTL restarts from then plus an
// election timeout, etcd#9888); the old leader's lessor is demoted (its leases never expire).
import { EtcdStateMachine } from '../../../../src/server/etcd-state-machine.ts';
import { DEFAULT_MEMBER_CONFIG, electionTimeoutMs } from '../../../../src/server/member-config.ts';
import { WatchStream } from '../../../../src/watch/watch-stream.ts';
import type { EntryData } from '../../../../src/raft/types.ts';
import type { Classified, MemberHeader, WatchStreamPort, WireReply } from '../../../../src/server/state-machine-port.ts';

/** What a member is built with: how often its watches get progress notifications, and the size past which its watch responses fragment. */
export interface MemberShape {
  /** --experimental-watch-progress-notify-interval (default 10 min: never within a history). */
  progressNotifyMs?: number;
  /**
   * Watch responses of several events this large or larger are fragmented (fragment: true).
   * etcd's bound is 1.5 MiB; a small one stands in for large values, so that generated
   * histories (short values) exercise fragmented responses.
   */
  fragmentBytes?: number;
}

export class GroundMember {
  sm: EtcdStateMachine;
  /** Entries of the log this member applied. */
  applied = 0;
  readonly streams: { stream: WatchStreamPort; out: unknown[] }[] = [];
  /** The term the member's answers carry. */
  term = 2;

  constructor(
    readonly name: string,
    private readonly id: number,
    leader: boolean,
    private readonly peers: number[],
    private readonly shape: MemberShape = {},
  ) {
    this.sm = this.fresh();
    if (leader) this.sm.promoteLessor(0, 0);
    else this.sm.demoteLessor();
  }

  private fresh(): EtcdStateMachine {
    const sm = new EtcdStateMachine({ ...DEFAULT_MEMBER_CONFIG, id: this.id, peers: this.peers }, this.shape.progressNotifyMs !== undefined ? { progressNotifyIntervalMs: this.shape.progressNotifyMs } : {});
    const header: MemberHeader = { clusterId: '1', memberId: String(this.id), raftTerm: () => this.term };
    sm.bindHeader(header);
    const bytes = this.shape.fragmentBytes;
    if (bytes !== undefined) {
      // The applier's own watch stream, with a smaller fragment bound (applier.ts openWatchStream).
      const applier = sm.applier;
      applier.openWatchStream = () => new WatchStream(applier.watchable, applier.watchStreamBuffer, bytes);
    }
    return sm;
  }

  /**
   * A crash and restart (a follower): a new process that loads its last snapshot (or nothing)
   * and applies the rest of the log only as it catches up again. Its watch streams are gone.
   */
  restart(snapshot: { data: string; applied: number } | undefined, nowMs: number): void {
    for (const s of this.streams) s.stream.close();
    this.streams.length = 0;
    this.sm = this.fresh();
    this.applied = 0;
    if (snapshot !== undefined) {
      this.sm.restore(snapshot.data, nowMs);
      this.applied = snapshot.applied;
    }
    this.sm.demoteLessor();
  }

  classify(path: string, body: unknown): Classified {
    return this.sm.classify(path, body, { clusterId: '1', memberId: String(this.id), raftTerm: () => this.term });
  }

  /** Collects what every watch stream of this member has ready. */
  poll(): void {
    for (const s of this.streams) s.out.push(...s.stream.poll());
  }

  get revision(): number {
    return this.sm.status().revision;
  }
}

interface Entry {
  /** Undefined: the empty entry a new leader appends for its term. */
  data: EntryData | undefined;
  term: number;
  nowMs: number;
}

export class GroundCluster {
  readonly members: GroundMember[];
  leader: GroundMember;
  private readonly log: Entry[] = [];
  private nextRequestId = 1000;
  private term = 2;

  /** `size`: 2 or 3 members; n1 leads first. */
  constructor(size = 2, shape: MemberShape = {}) {
    const peers = Array.from({ length: size }, (_, i) => i + 1);
    this.members = peers.map((id) => new GroundMember(`n${id}`, id, id === 1, peers, shape));
    this.leader = this.members[0]!;
  }

  /** The first follower (the one a two-member cluster has). */
  get follower(): GroundMember {
    return this.followers[0]!;
  }

  get followers(): GroundMember[] {
    return this.members.filter((m) => m !== this.leader);
  }

  /** Appends an entry and applies it on the leader: the linearization point of a write. */
  propose(c: Classified & { kind: 'propose' }, nowMs: number): WireReply {
    const data = c.encode(String(this.nextRequestId++)).data;
    return this.applyOnLeader(data, nowMs);
  }

  private applyOnLeader(data: EntryData, nowMs: number): WireReply {
    this.log.push({ data, term: this.term, nowMs });
    const reply = this.leader.sm.apply(this.log.length, this.term, data, nowMs).reply;
    this.leader.applied = this.log.length;
    this.leader.poll();
    return reply;
  }

  /** Revokes the leader proposed that have not committed yet, in proposal order, with when it proposed them (µs). */
  private readonly proposedRevokes: { id: number; data: EntryData; proposedUs: number }[] = [];

  /** The leader proposes the revokes of leases that expired by `nowMs` (once each), to commit later. */
  proposeExpiredRevokes(nowMs: number, nowUs: number): void {
    for (const id of this.leader.sm.expiredLeases(nowMs, 16)) {
      if (this.proposedRevokes.some((r) => r.id === id)) continue;
      this.proposedRevokes.push({ id, data: this.leader.sm.encodeLeaseRevoke(id, String(this.nextRequestId++)), proposedUs: nowUs });
    }
  }

  /** The revokes proposed before `beforeUs` commit, and the leader applies them in the order it proposed them. */
  commitRevokes(beforeUs: number, nowMs: number): void {
    while (this.proposedRevokes.length > 0 && this.proposedRevokes[0]!.proposedUs < beforeUs) this.applyOnLeader(this.proposedRevokes.shift()!.data, nowMs);
  }

  /** The leader revokes leases that expired by `nowMs` (each with chance `revoke`), as its expiry loop does. */
  expireLeases(nowMs: number, revoke: () => boolean): void {
    for (const id of this.leader.sm.expiredLeases(nowMs, 16)) {
      if (revoke()) this.applyOnLeader(this.leader.sm.encodeLeaseRevoke(id, String(this.nextRequestId++)), nowMs);
    }
  }

  /** The leader's whole state as a raft snapshot `m` installs (it lagged past the leader's log). */
  installLeaderSnapshot(m: GroundMember, nowMs: number): void {
    if (m === this.leader || m.applied >= this.log.length) return;
    m.sm.restore(this.leader.sm.snapshot(), nowMs);
    m.sm.demoteLessor();
    m.applied = this.log.length;
    m.poll();
  }

  /** `m` applies up to `n` more entries of the log. */
  catchUp(m: GroundMember, n: number): void {
    for (let i = 0; i < n && m.applied < this.log.length; i++) {
      const e = this.log[m.applied]!;
      m.applied++;
      m.term = Math.max(m.term, e.term);
      if (e.data === undefined) m.sm.applyNoop(m.applied);
      else m.sm.apply(m.applied, e.term, e.data, e.nowMs);
    }
    m.poll();
  }

  /**
   * `m` wins an election: it has every committed entry (it catches up first), appends and
   * applies its term's empty entry, and then promotes its lessor; the old leader is demoted.
   */
  elect(m: GroundMember, nowMs: number): void {
    if (m === this.leader) return;
    this.catchUp(m, Number.MAX_SAFE_INTEGER);
    this.leader.sm.demoteLessor();
    this.term++;
    this.leader = m;
    m.term = this.term;
    this.log.push({ data: undefined, term: this.term, nowMs });
    m.sm.applyNoop(this.log.length);
    m.applied = this.log.length;
    m.sm.promoteLessor(nowMs, electionTimeoutMs({ ...DEFAULT_MEMBER_CONFIG, id: 1, peers: [1] }));
    m.poll();
  }

  tick(nowMs: number): void {
    for (const m of this.members) {
      m.sm.onTick(nowMs);
      m.poll();
    }
  }
}
