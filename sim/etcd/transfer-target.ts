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
