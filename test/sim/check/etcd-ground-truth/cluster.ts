// The ground truth of a generated etcd history: a leader and a lagging follower, each the
// state machine every simulated member runs (src/server/etcd-state-machine.ts), fed one raft
// log. Requests are classified, proposed, applied and read exactly as a member does, so every
// answer is, byte for byte, the gateway JSON a client records; the order in which the leader
// applies entries is the history's linearization.
import { EtcdStateMachine } from '../../../../src/server/etcd-state-machine.ts';
import { DEFAULT_MEMBER_CONFIG } from '../../../../src/server/member-config.ts';
import type { EntryData } from '../../../../src/raft/types.ts';
import type { Classified, MemberHeader, WatchStreamPort, WireReply } from '../../../../src/server/state-machine-port.ts';

export class GroundMember {
  sm: EtcdStateMachine;
  /** Entries of the log this member applied. */
  applied = 0;
  readonly streams: { stream: WatchStreamPort; out: unknown[] }[] = [];

  constructor(
    readonly name: string,
    private readonly id: number,
    leader: boolean,
  ) {
    this.sm = this.fresh();
    if (leader) this.sm.promoteLessor(0, 0);
    else this.sm.demoteLessor();
  }

  private fresh(): EtcdStateMachine {
    const sm = new EtcdStateMachine({ ...DEFAULT_MEMBER_CONFIG, id: this.id, peers: [1, 2] });
    const header: MemberHeader = { clusterId: '1', memberId: String(this.id), raftTerm: () => 2 };
    sm.bindHeader(header);
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
    return this.sm.classify(path, body, { clusterId: '1', memberId: '1', raftTerm: () => 2 });
  }

  /** Collects what every watch stream of this member has ready. */
  poll(): void {
    for (const s of this.streams) s.out.push(...s.stream.poll());
  }

  get revision(): number {
    return this.sm.status().revision;
  }
}

export class GroundCluster {
  readonly leader = new GroundMember('n1', 1, true);
  readonly follower = new GroundMember('n2', 2, false);
  private readonly log: { data: EntryData; nowMs: number }[] = [];
  private nextRequestId = 1000;

  /** Appends an entry and applies it on the leader: the linearization point of a write. */
  propose(c: Classified & { kind: 'propose' }, nowMs: number): WireReply {
    const data = c.encode(String(this.nextRequestId++)).data;
    return this.applyOnLeader(data, nowMs);
  }

  private applyOnLeader(data: EntryData, nowMs: number): WireReply {
    this.log.push({ data, nowMs });
    const reply = this.leader.sm.apply(this.log.length, 2, data, nowMs).reply;
    this.leader.applied = this.log.length;
    this.leader.poll();
    return reply;
  }

  /** The leader revokes leases that expired by `nowMs` (each with chance `revoke`), as its expiry loop does. */
  expireLeases(nowMs: number, revoke: () => boolean): void {
    for (const id of this.leader.sm.expiredLeases(nowMs, 16)) {
      if (revoke()) this.applyOnLeader(this.leader.sm.encodeLeaseRevoke(id, String(this.nextRequestId++)), nowMs);
    }
  }

  /** The leader's whole state as a raft snapshot the follower installs (it lagged past the leader's log). */
  installLeaderSnapshot(nowMs: number): void {
    if (this.follower.applied >= this.log.length) return;
    this.follower.sm.restore(this.leader.sm.snapshot(), nowMs);
    this.follower.sm.demoteLessor();
    this.follower.applied = this.log.length;
    this.follower.poll();
  }

  /** The follower applies up to `n` more entries of the log. */
  catchUp(n: number): void {
    for (let i = 0; i < n && this.follower.applied < this.log.length; i++) {
      const e = this.log[this.follower.applied]!;
      this.follower.applied++;
      this.follower.sm.apply(this.follower.applied, 2, e.data, e.nowMs);
    }
    this.follower.poll();
  }

  tick(nowMs: number): void {
    for (const m of [this.leader, this.follower]) {
      m.sm.onTick(nowMs);
      m.poll();
    }
  }
}
