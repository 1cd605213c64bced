// Replication acknowledgements are truthful. A follower's MsgAppResp that accepts index i tells
// the leader of its term that its log holds the leader's entries up to i: the leader sets its
// match to i and counts it towards commit. Two invariants, checked on every ack sent and after
// every event:
//
// - ack-matches-leader: an accepted MsgAppResp of term T for index i comes from a member whose
//   log holds, at i, the entry the leader of T has there (same term; Log Matching then covers
//   everything below). A follower that answers a stale append, a refused snapshot or a heartbeat
//   with an index past what it verified (its last index: maybe an older term's tail, maybe
//   nothing) shows at that ack, whether or not the leader then commits something lost.
// - acked-entries-kept: while a member's term stays T, its log never ends below the highest
//   index it acknowledged in T (the leader counts on those entries: an ack is sent after its
//   entries are durable). A follower that replaces a longer matching log by a snapshot, or
//   truncates entries it acknowledged, shows as soon as its log shrinks.
//
// Entries a log no longer holds (compacted into a snapshot, or beyond a restarted leader's
// durable log) are not compared; a leader deposed or restarted is not asked.
import type { Message } from '../../src/raft/types.ts';
import type { MemberHost } from './member-host.ts';

/** Members whose acknowledgements are remembered at most (the record is one entry per member incarnation view). */
const MEMBERS_KEPT_MAX = 10_000;

export interface ReplicationAcksPort {
  /** The host of a member by raft id (its last incarnation, up or down), if any. */
  hostOf(raftId: number): MemberHost | undefined;
  fail(invariant: 'ack-matches-leader' | 'acked-entries-kept', member: string, detail: string): void;
}

interface Acked {
  term: number;
  index: number;
}

export class ReplicationAcks {
  private readonly acked = new Map<string, Acked>();
  acksChecked = 0;

  constructor(private readonly port: ReplicationAcksPort) {}

  /** A member sent a raft message: an accepted append acknowledgement is checked and remembered. */
  onSend(host: MemberHost, m: Message): void {
    if (m.type !== 'MsgAppResp' || m.reject === true) return;
    const raft = host.recovered.raft.node.raft;
    // Sent after the Ready it belongs to was persisted: the member may have moved on since.
    if (raft.term !== m.term) return;
    let a = this.acked.get(host.id);
    if (a === undefined) {
      if (this.acked.size >= MEMBERS_KEPT_MAX) return;
      a = { term: m.term, index: m.index };
      this.acked.set(host.id, a);
    } else if (a.term !== m.term) {
      a.term = m.term;
      a.index = m.index;
    } else if (m.index > a.index) {
      a.index = m.index;
    }
    this.checkAgainstLeader(host, m);
  }

  /** acked-entries-kept: the member's log still reaches what it acknowledged in its current term. */
  checkKept(host: MemberHost): void {
    const a = this.acked.get(host.id);
    if (a === undefined) return;
    const log = host.recovered.raft.node.raft.raftLog;
    if (host.term !== a.term) return;
    const last = log.lastIndex();
    if (last >= a.index) return;
    this.port.fail('acked-entries-kept', host.id, `its log ends at index ${last} in term ${a.term}, below index ${a.index} it acknowledged to the leader of term ${a.term}: entries the leader counts on are gone`);
  }

  private checkAgainstLeader(host: MemberHost, m: Message): void {
    const leader = this.port.hostOf(m.to);
    if (leader === undefined || leader === host || !leader.isLeader || leader.term !== m.term) return;
    this.acksChecked++;
    const mine = host.recovered.raft.node.raft.raftLog;
    const theirs = leader.recovered.raft.node.raft.raftLog;
    const i = m.index;
    if (i === 0) return;
    if (i > mine.lastIndex()) {
      this.port.fail('ack-matches-leader', host.id, `acknowledged index ${i} to the leader of term ${m.term}, past its own last index ${mine.lastIndex()}`);
      return;
    }
    const ours = mine.termOrZero(i);
    const leaders = theirs.termOrZero(i);
    // 0: compacted on one side (committed, so equal), or beyond a log that is not the whole story.
    if (ours === 0 || leaders === 0 || ours === leaders) return;
    this.port.fail('ack-matches-leader', host.id, `acknowledged index ${i} to the leader of term ${m.term}, but holds an entry of term ${ours} there and the leader one of term ${leaders}: the leader counts it towards commit`);
  }
}
