// read-index-served: a leader serves a ReadIndex read (ReadOnlySafe) as soon as a quorum of its
// voters, itself included, answered a heartbeat that carried the read's context (Raft thesis
// §6.4: the leader's own acknowledgement counts; etcd-raft records it before the heartbeat round).
// A leader that waits for more (its own ack forgotten, acks of one half of a joint configuration
// asked twice, an answer dropped) serves no linearizable read while any voter is down or cut off:
// the reads time out although a quorum is there, which no history checker calls wrong. Judged at
// the leader's step of each heartbeat answer of its term: once the answers with that context,
// with the leader, make a majority of each half of its configuration (counted here, not with
// raft's own quorum code), the read must no longer be pending. Answers carrying a later read's
// context also release the earlier reads; they are not counted for the earlier ones, so a leader
// that releases more than this counts is never flagged. Only answers from members of the leader's
// configuration count and are judged (etcd-raft drops the others before reading them): a member
// removed while the read waited, answering afterwards, neither confirms the read nor asks for it.
// A read served and then queued again under its context (a late copy of a follower's MsgReadIndex,
// which etcd-raft's addRequest takes as a new read) counts only the answers stepped since it was
// queued again (swarm 913: answers to the first round, kept, made a quorum for the second).
import type { Message, NodeId } from '../../src/raft/types.ts';
import type { MemberHost } from './member-host.ts';

interface LeaderReads {
  readonly term: number;
  /** By read context: the members whose heartbeat answer with it the leader stepped, and the read they answered. */
  readonly acks: Map<string, { read: object; members: Set<NodeId> }>;
}

export class ReadIndexServed {
  /** By member incarnation view: the reads of the term it leads. */
  private readonly leaders = new Map<string, LeaderReads>();

  /** `host` stepped the heartbeat answer `m`: why a read it confirmed is still pending, or undefined. */
  onStepped(host: MemberHost, m: Message): string | undefined {
    if (m.type !== 'MsgHeartbeatResp' || m.context === '') return undefined;
    const r = host.recovered.raft.node.raft;
    if (r.state !== 'leader' || r.term !== m.term || r.readOnly.option !== 'safe') return undefined;
    let reads = this.leaders.get(host.id);
    if (reads === undefined || reads.term !== r.term) {
      reads = { term: r.term, acks: new Map() };
      this.leaders.set(host.id, reads);
    }
    const read = r.readOnly.pendingRead(m.context);
    if (read === undefined) {
      reads.acks.delete(m.context);
      return undefined;
    }
    // An answer from a member the leader no longer tracks (removed since it was asked) is dropped
    // unread, as etcd-raft's stepLeader drops every message without a Progress: it confirms
    // nothing, and a read a configuration change alone made a quorum waits for the next answer.
    if (!r.prs.progress.has(m.from)) return undefined;
    let entry = reads.acks.get(m.context);
    if (entry === undefined || entry.read !== read) {
      entry = { read, members: new Set() };
      reads.acks.set(m.context, entry);
    }
    const acked = entry.members;
    acked.add(m.from);
    const cs = r.prs.confState();
    if (!majority(cs.voters, acked, r.id) || !majority(cs.votersOutgoing, acked, r.id)) return undefined;
    const who = [r.id, ...[...acked].filter((id) => id !== r.id)].join(', ');
    const config = cs.votersOutgoing.length > 0 ? `(${cs.voters.join(' ')})&&(${cs.votersOutgoing.join(' ')})` : `(${cs.voters.join(' ')})`;
    return `leader of term ${r.term} still holds read ${JSON.stringify(m.context)} after members ${who} (itself included) answered its heartbeat for it, a quorum of voters ${config}: a confirmed ReadIndex is served at once (Raft thesis §6.4)`;
  }
}

/** A majority of `voters` (an empty half agrees) acknowledged, the leader counting itself where it votes. */
function majority(voters: readonly NodeId[], acked: ReadonlySet<NodeId>, self: NodeId): boolean {
  if (voters.length === 0) return true;
  let n = 0;
  for (const id of voters) if (id === self || acked.has(id)) n++;
  return 2 * n > voters.length;
}
