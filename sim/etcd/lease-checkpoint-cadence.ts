// Invariant lease-checkpoint-cadence: with lease checkpointing on, a leader keeps checkpointing each
// lease while it leads (etcd 3.4 lessor: Grant and Checkpoint call scheduleCheckpointIfNeeded on the
// primary, which pushes the lease onto leaseCheckpointHeap at now + checkpointInterval when its
// RemainingTTL() — the checkpointed remaining TTL, else the TTL — is longer than the interval;
// checkpointScheduledLeases proposes what is due; Promote schedules every lease it holds). A leader
// that applied a grant or a checkpoint of such a lease, or promoted holding it, and still leads in
// the same term one interval after, must have appended the lease's next checkpoint by then (the
// judgement waits one more interval). Holdout 13's checkpoint-not-rescheduled (an applied
// checkpoint schedules no next one) left each lease one checkpoint, and no history can tell: the committed log holds only what the leader proposed.
//
// A due checkpoint is rightly skipped (findDueScheduledCheckpoints) when the lease is gone or
// expired, or when its remaining TTL, rounded up to seconds, is its whole TTL (renewed within the
// last second); read from the leader's lessor at the judgement: a renewal since the due moment only
// makes the rule more lenient. Also excused: a proposal the leader dropped (a leader transfer in
// flight at or after the due moment), a leader paused at or after it (its ticks run late), a log
// compacted before it was read. Times are the leader's own clock (the lessor's), and the world's
// clock must have run two intervals too (a forward jump of the leader's clock is no delay).
import { InvariantViolation } from '../../src/invariant-violation.ts';
import type { Entry } from '../../src/raft/types.ts';
import type { InternalRaftRequest } from '../../src/server/apply/raft-request.ts';
import { EtcdStateMachine } from '../../src/server/etcd-state-machine.ts';
import type { World } from '../world/world.ts';
import type { MemberHost } from './member-host.ts';
import { leaseRequest } from './lease-checkpoint-log.ts';

export interface CheckpointCadenceOptions {
  readonly intervalMs: number;
  readonly tickMs: number;
}

/** What the observer reads from the cluster: the world and each endpoint's last incarnation. */
export interface CadenceCluster {
  readonly world: World;
  readonly hosts: ReadonlyMap<string, MemberHost>;
}

/** A checkpoint the leader owes: the lease's next one, due at dueMs of its clock. */
interface Owed {
  /** The index of the grant or checkpoint that scheduled it: the next checkpoint comes after. */
  readonly index: number;
  readonly dueMs: number;
  readonly judgeWorldUs: number;
}

/** One leader in one term, from its promotion (its term's empty entry applied). */
interface Office {
  readonly name: string;
  readonly host: MemberHost;
  readonly term: number;
  /** The leader's log read up to here for checkpoint entries. */
  scannedTo: number;
  /** Lease id (decimal) → the index of its last checkpoint entry appended in this office. */
  readonly checkpointedAt: Map<string, number>;
  readonly owed: Map<string, Owed>;
  /** The leader's clock when a transfer was last seen in flight, or the leader paused (-Infinity: never). */
  excusedAtMs: number;
  /** Its log was compacted before it was read: nothing is judged any more. */
  unreadable: boolean;
}

/** Bound on the lease ids remembered from the committed log (a run grants far fewer). */
const LEASES_MAX = 1_000_000;

export class LeaseCheckpointCadence {
  /** The committed log read so far, in order (the first member to apply an index reads it). */
  private frontier = 0;
  /** Lease id → index of the grant that created it (a grant of a live id fails and creates nothing). */
  private readonly grantedAt = new Map<string, number>();
  private offices: Office[] = [];
  /** Owed checkpoints met (the lease's next grant-or-checkpoint applied) and owed ones judged at their deadline. */
  met = 0;
  judged = 0;

  constructor(
    private readonly cluster: CadenceCluster,
    private readonly options: CheckpointCadenceOptions,
  ) {}

  /** An entry `host` applied. */
  onApplied(e: Entry, host: MemberHost): void {
    const r = e.type === 'normal' && e.data !== '' ? leaseRequest(e) : undefined;
    if (e.index === this.frontier + 1) {
      this.frontier = e.index;
      if (r !== undefined) this.readCommitted(e, r);
    }
    if (!host.isLeader || host.term !== e.term) return;
    if (e.type === 'normal' && e.data === '') {
      this.promoted(host, e.index);
      return;
    }
    if (r === undefined) return;
    const office = this.offices.find((o) => o.host === host && o.term === e.term);
    if (office === undefined) return;
    const lessor = lessorOf(host);
    if (lessor === undefined) return;
    const nowMs = host.ctx.nowUs() / 1000;
    const body = r.body;
    if (body.kind === 'lease_grant') {
      const id = String(body.request.ID ?? 0n);
      const l = lessor.lookup(body.request.ID ?? 0n);
      if (this.grantedAt.get(id) !== e.index || l === undefined) return;
      this.owe(office, id, e.index, l.ttlSeconds, nowMs);
    } else if (body.kind === 'lease_checkpoint') {
      for (const cp of body.request.checkpoints ?? []) {
        const id = String(cp.ID ?? 0n);
        const l = lessor.lookup(cp.ID ?? 0n);
        if (l === undefined) continue;
        const remaining = Number(cp.remaining_TTL ?? 0);
        this.owe(office, id, e.index, remaining > 0 ? remaining : l.ttlSeconds, nowMs);
      }
    } else if (body.kind === 'lease_revoke') {
      office.owed.delete(String(body.request.ID ?? 0n));
    }
  }

  /** After every world event: offices that ended are dropped, owed checkpoints past their judgement judged. */
  onEvent(): void {
    if (this.offices.length === 0) return;
    const world = this.cluster.world;
    const inOffice = (o: Office): boolean => this.cluster.hosts.get(o.name) === o.host && world.isUp(o.name) && o.host.isLeader && o.host.term === o.term;
    if (!this.offices.every(inOffice)) this.offices = this.offices.filter(inOffice);
    for (const o of this.offices) {
      if (o.owed.size === 0) continue;
      const nowMs = o.host.ctx.nowUs() / 1000;
      if (world.isPaused(o.name) || o.host.leadTransferee !== 0) o.excusedAtMs = nowMs;
      this.judge(o, nowMs, world.loop.now());
    }
  }

  /**
   * The leader applied its term's empty entry, where etcd promotes its lessor: Promote calls
   * scheduleCheckpointIfNeeded for every lease it holds, so each whose RemainingTTL() is longer than
   * the interval owes a checkpoint one interval on, as after a grant (before, only grants and applied
   * checkpoints were judged: a promotion that scheduled nothing went unseen).
   */
  private promoted(host: MemberHost, index: number): void {
    if (this.offices.some((o) => o.host === host && o.term === host.term)) return;
    this.offices = this.offices.filter((o) => o.host !== host);
    const office: Office = { name: host.ctx.id, host, term: host.term, scannedTo: host.lastIndex, checkpointedAt: new Map(), owed: new Map(), excusedAtMs: -Infinity, unreadable: false };
    this.offices.push(office);
    const lessor = lessorOf(host);
    if (lessor === undefined) return;
    const nowMs = host.ctx.nowUs() / 1000;
    for (const l of lessor.list()) this.owe(office, String(l.id), index, l.remainingTtlSeconds > 0 ? l.remainingTtlSeconds : l.ttlSeconds, nowMs);
  }

  /** scheduleCheckpointIfNeeded: a lease whose RemainingTTL() is longer than the interval is checkpointed again one interval on. */
  private owe(o: Office, id: string, index: number, remainingTtlSeconds: number, nowMs: number): void {
    const interval = this.options.intervalMs;
    if (remainingTtlSeconds * 1000 <= interval) {
      if (o.owed.delete(id)) this.met++;
      return;
    }
    if (o.owed.has(id)) this.met++;
    o.owed.set(id, { index, dueMs: nowMs + interval, judgeWorldUs: this.cluster.world.loop.now() + 2 * interval * 1000 });
  }

  private judge(o: Office, nowMs: number, worldUs: number): void {
    const interval = this.options.intervalMs;
    const tick = this.options.tickMs;
    for (const [id, owed] of o.owed) {
      if (nowMs < owed.dueMs + interval || worldUs < owed.judgeWorldUs) continue;
      this.judged++;
      o.owed.delete(id);
      this.scan(o);
      if (o.unreadable) return;
      if ((o.checkpointedAt.get(id) ?? 0) > owed.index) continue;
      if (o.excusedAtMs >= owed.dueMs - tick) continue;
      const l = lessorOf(o.host)?.lookup(BigInt(id));
      if (l === undefined) continue;
      // Skipped when due: expired by the tick that found it due, or renewed within its last second.
      if (l.expiryMs <= owed.dueMs + tick || l.expiryMs - owed.dueMs > (l.ttlSeconds - 1) * 1000) continue;
      throw new InvariantViolation({
        layer: 'lease',
        invariant: 'lease-checkpoint-cadence',
        member: o.name,
        detail: `leader ${o.name} (term ${o.term}) applied lease ${id}'s checkpoint or grant at index ${owed.index}, so its next checkpoint was due at ${Math.round(owed.dueMs)} ms of its clock; at ${Math.round(nowMs)} ms it still leads, the lease is live (expires at ${Math.round(l.expiryMs)} ms, TTL ${l.ttlSeconds} s) and no checkpoint of it was appended after index ${owed.index}`,
        facts: { term: o.term, index: owed.index, lease: id, dueMs: Math.round(owed.dueMs), atMs: Math.round(nowMs) },
      });
    }
  }

  /** Reads the leader's log appended since the last look: the last checkpoint entry of each lease. */
  private scan(o: Office): void {
    const host = o.host;
    const last = host.lastIndex;
    if (o.scannedTo + 1 < host.firstIndex) {
      o.unreadable = true;
      return;
    }
    for (let i = o.scannedTo + 1; i <= last; i++) {
      const e = host.entry(i);
      if (e === undefined) {
        o.unreadable = true;
        return;
      }
      const r = leaseRequest(e);
      if (r?.body.kind !== 'lease_checkpoint') continue;
      for (const cp of r.body.request.checkpoints ?? []) o.checkpointedAt.set(String(cp.ID ?? 0n), i);
    }
    o.scannedTo = last;
  }

  /** The committed log in order: which grant created each lease. */
  private readCommitted(e: Entry, r: InternalRaftRequest): void {
    const body = r.body;
    if (body.kind === 'lease_grant') {
      const id = String(body.request.ID ?? 0n);
      if (!this.grantedAt.has(id) && this.grantedAt.size < LEASES_MAX) this.grantedAt.set(id, e.index);
    } else if (body.kind === 'lease_revoke') {
      this.grantedAt.delete(String(body.request.ID ?? 0n));
    }
  }
}

function lessorOf(host: MemberHost): EtcdStateMachine['applier']['lessor'] | undefined {
  const sm = host.member.stateMachine;
  return sm instanceof EtcdStateMachine ? sm.applier.lessor : undefined;
}
