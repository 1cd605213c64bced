// What a campaign sends, judged as its vote requests leave the member (after the Ready that holds
// them is durable; raft queues a campaign's requests at once, so they leave in one Ready, in one
// event):
//
// - transfer-campaign-forced (the other half of transfer-target.ts's rule): vote requests marked
//   as a transfer, which break the CheckQuorum lease of every member that hears them, come only
//   from a campaign the member began on its leader's MsgTimeoutNow (etcd-raft sets
//   campaignTransfer in that handler alone). An election of any other kind marked so lets a member
//   that rejoins with a higher term depose a leader that a quorum still hears (etcd#8243's
//   disruption), which the lease exists to prevent.
// - campaign-asks-every-voter: a campaign sends its (pre-)vote request to every voter of the
//   candidate's configuration but itself, of both halves of a joint one (Raft §4.3: a joint
//   election needs a majority of each half). One asked of fewer can be won only by the members
//   it asked, and with one of them down not at all.
import type { Message, NodeId } from '../../src/raft/types.ts';
import { CAMPAIGN_TRANSFER } from '../../src/raft/types.ts';
import type { MemberHost } from './member-host.ts';

interface Campaign {
  readonly host: MemberHost;
  readonly type: 'MsgVote' | 'MsgPreVote';
  readonly term: number;
  /** The voters it must ask, read off both halves of its configuration when the first request left. */
  readonly voters: ReadonlySet<NodeId>;
  readonly asked: Set<NodeId>;
}

export class CampaignRequests {
  /** By member view id: the term of the campaign it began on a MsgTimeoutNow. */
  private readonly transferTerm = new Map<string, number>();
  /** Campaigns whose requests left in the current event, judged once it ends. */
  private open: Campaign[] = [];

  /** `host`'s raft stepped a MsgTimeoutNow: a candidate after it campaigns for a transfer. */
  onTimeoutNowStepped(host: MemberHost): void {
    const r = host.recovered.raft.node.raft;
    if (r.state === 'candidate') this.transferTerm.set(host.id, r.term);
  }

  /** `host` sent `m`; returns a transfer-campaign-forced violation, or undefined. */
  onSend(host: MemberHost, m: Message): string | undefined {
    if (m.type !== 'MsgVote' && m.type !== 'MsgPreVote') return undefined;
    let c = this.open.find((o) => o.host === host && o.type === m.type && o.term === m.term);
    if (c === undefined) {
      const cfg = host.recovered.raft.node.raft.prs.config.voters;
      const voters = new Set<NodeId>([...cfg.incoming.ids, ...cfg.outgoing.ids]);
      voters.delete(host.config.id);
      c = { host, type: m.type, term: m.term, voters, asked: new Set() };
      this.open.push(c);
    }
    c.asked.add(m.to);
    if (m.type !== 'MsgVote' || m.context !== CAMPAIGN_TRANSFER || this.transferTerm.get(host.id) === m.term) return undefined;
    return `sent a vote request for term ${m.term} marked as a leadership transfer (it breaks the leader lease) from a campaign it did not begin on a MsgTimeoutNow`;
  }

  /** The event ended: every campaign whose requests left in it asked every voter, or the first that did not. */
  endOfEvent(): { member: string; detail: string } | undefined {
    if (this.open.length === 0) return undefined;
    const open = this.open;
    this.open = [];
    for (const c of open) {
      const missed = [...c.voters].filter((id) => !c.asked.has(id)).sort((a, b) => a - b);
      if (missed.length === 0) continue;
      const what = c.type === 'MsgPreVote' ? 'pre-vote' : 'vote';
      return { member: c.host.id, detail: `campaigned for term ${c.term} without asking voter${missed.length > 1 ? 's' : ''} ${missed.join(', ')} of its configuration for a ${what} (asked ${[...c.asked].sort((a, b) => a - b).join(', ') || 'none'})` };
    }
    return undefined;
  }
}
