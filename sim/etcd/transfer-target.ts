// transfer-target-up-to-date: a leader hands leadership (MsgTimeoutNow) only to a member that
// acknowledged its whole log (Raft thesis §3.10; etcd-raft sends it once pr.Match equals the
// leader's last index), and appends nothing meanwhile (it drops proposals while a transfer runs).
// So the transferee's forced campaign carries a log at least as up to date as the old leader's
// log was when it sent the MsgTimeoutNow: judged when that campaign reaches the old leader,
// against the least up-to-date log it had at any MsgTimeoutNow it sent that member in that term
// (a late copy of an earlier one may be what the member acts on). A transfer to a member that
// lacks entries only deposes the leader, and the cluster waits an election timeout for another.
// Not judged when the old leader's log above the candidate's holds a conf change (the auto-leave
// of a joint configuration is appended even during a transfer).
import type { Message } from '../../src/raft/types.ts';
import { CAMPAIGN_TRANSFER } from '../../src/raft/types.ts';
import { viewEntryAt } from '../check/raft-invariants.ts';
import type { MemberHost } from './member-host.ts';

/** Entries of the old leader's log read at most, looking for a conf change above the candidate's last index. */
const SCAN_MAX = 10_000;

interface Asked {
  readonly to: number;
  readonly term: number;
  /** The old leader's last index and term when it sent the first MsgTimeoutNow of (to, term): the least of them. */
  readonly index: number;
  readonly logTerm: number;
}

export class TransferTargets {
  /** By member view id: the member its raft last handed leadership to, in which term, and its log then. */
  private readonly asked = new Map<string, Asked>();

  /** `host` sent `m` (after the Ready holding it was durable). */
  onSend(host: MemberHost, m: Message): void {
    if (m.type !== 'MsgTimeoutNow') return;
    const before = this.asked.get(host.id);
    // A leader's log only grows while it leads a term: the first send to `to` had the least of it.
    if (before !== undefined && before.to === m.to && before.term === m.term) return;
    const log = host.recovered.raft.node.raft.raftLog;
    this.asked.set(host.id, { to: m.to, term: m.term, index: log.lastIndex(), logTerm: log.lastTerm() });
  }

  /** Why the vote request `m` reaching `host` breaks the rule, or undefined. */
  judge(host: MemberHost, m: Message): string | undefined {
    if (m.type !== 'MsgVote' || m.context !== CAMPAIGN_TRANSFER) return undefined;
    const asked = this.asked.get(host.id);
    if (asked === undefined || asked.to !== m.from || asked.term + 1 !== m.term) return undefined;
    if (m.logTerm > asked.logTerm || (m.logTerm === asked.logTerm && m.index >= asked.index)) return undefined;
    const log = host.recovered.raft.node.raft.raftLog;
    for (let i = Math.max(m.index + 1, asked.index - SCAN_MAX + 1); i <= asked.index; i++) {
      if (viewEntryAt(log, i)?.type === 'conf-change') return undefined;
    }
    return `got the forced campaign (term ${m.term}) of member ${m.from}, to which it had handed leadership in term ${asked.term} with its log at last index ${asked.index}, term ${asked.logTerm}, but the candidate's log ends at index ${m.index}, term ${m.logTerm}: MsgTimeoutNow went to a member that had not acknowledged the leader's whole log`;
  }
}

/**
 * transfer-campaign-forced: a member that campaigns on its leader's MsgTimeoutNow asks for votes
 * at once, marked as a transfer (Raft thesis §3.10: the transfer's RequestVote is allowed to break
 * the leader lease; etcd-raft campaigns with campaignTransfer). A plain vote request or a
 * pre-vote is ignored by every member still in the old leader's lease, so the transfer only
 * deposes the leader, through the transferee's higher term, and the cluster waits an election
 * timeout for another. `sentFrom`: where the step's messages begin in the member's raft outbox;
 * undefined when it did not campaign (a learner, a conf change unapplied, already campaigning).
 */
export function transferCampaignUnforced(host: MemberHost, sentFrom: number): string | undefined {
  const msgs = host.recovered.raft.node.raft.msgs;
  for (let i = sentFrom; i < msgs.length; i++) {
    const m = msgs[i] as Message;
    if (m.type !== 'MsgVote' && m.type !== 'MsgPreVote') continue;
    if (m.type === 'MsgVote' && m.context === CAMPAIGN_TRANSFER) continue;
    const what = m.type === 'MsgPreVote' ? 'a pre-vote request' : 'a vote request not marked as a transfer';
    return `campaigned on MsgTimeoutNow with ${what} (term ${m.term}, to member ${m.to}): members in the old leader's lease ignore it, so the transfer only deposes the leader`;
  }
  return undefined;
}

/**
 * transfer-target-up-to-date, judged where the leader decides: a step that queues a MsgTimeoutNow
 * does so only while the leader's progress of that member says it acknowledged the leader's last
 * index (the rule above, read off raft's own progress in the same step; over FIFO links the
 * transferee's vote request rarely shows a short log, since the appends sent before the
 * MsgTimeoutNow arrive first). `sentFrom`: where the step's messages begin in the raft outbox.
 */
export function timeoutNowBeforeCaughtUp(host: MemberHost, sentFrom: number): string | undefined {
  const r = host.recovered.raft.node.raft;
  const msgs = r.msgs;
  for (let i = sentFrom; i < msgs.length; i++) {
    const m = msgs[i] as Message;
    if (m.type !== 'MsgTimeoutNow') continue;
    const match = r.prs.progress.get(m.to)?.match;
    const last = r.raftLog.lastIndex();
    if (match === last) continue;
    return `sent MsgTimeoutNow to member ${m.to} in term ${m.term} while its progress says it acknowledged index ${match ?? 'none'} of the leader's last ${last}: a transfer goes only to a member that holds the leader's whole log`;
  }
  return undefined;
}
