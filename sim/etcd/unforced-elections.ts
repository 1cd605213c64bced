// Elections no fault caused. Raft gives up a leader only when something kept it from being
// heard: a follower campaigns after an election timeout without an append, heartbeat or
// snapshot from its leader (§5.2), and a leader with CheckQuorum steps down after an election
// timeout in which no quorum of its voters answered it (etcd-raft's checkQuorum; a member just
// added counts as answered until the next check, initProgress's RecentActive). The network
// knows what was delivered, so both are judged from what each member stepped, in world time:
//
// - campaign-while-led: a member campaigns (pre-candidate or candidate, not on a transfer's
//   MsgTimeoutNow) though it stepped an append, heartbeat or snapshot of the term it campaigns
//   from (its leader's) within the last election timeout.
// - check-quorum-unforced: a leader steps down in its own term, still a voter, though a quorum
//   of its voters (each half of a joint configuration) answered it (append or heartbeat answers
//   of its term) within the last election timeout, or joined after it became leader and within it.
// - check-quorum-unheard: the mirror: a leader with CheckQuorum passes a check (its election
//   clock wraps to 0 and it still leads) though fewer than a quorum of its voters (each half)
//   answered it since its previous check, or since it became leader for its first: raft marks a
//   member active only when it answers (reset clears them all but the leader; a member added
//   since counts as answered), and clears the marks at every check. Read off raft's election
//   clock at each event, so a check is seen as it happens; not judged across a leader transfer
//   (transferLeader restarts that clock without a check) nor without CheckQuorum.
//
// The window is one election timeout less a tick (the first tick after a reset may come at
// once), shrunk by the fastest drift any simulated clock may have: anything heard inside it is
// certainly inside raft's own count of ticks, so a correct member never breaks either rule.
import type { Message, NodeId } from '../../src/raft/types.ts';
import { DRIFT_PPM_MAX } from '../world/clock.ts';
import type { MemberHost } from './member-host.ts';

const PPM = 1_000_000;

export type UnforcedElectionInvariant = 'campaign-while-led' | 'check-quorum-unforced' | 'check-quorum-unheard';

export interface UnforcedElection {
  readonly invariant: UnforcedElectionInvariant;
  readonly detail: string;
}

/** What one incarnation stepped from its peers, and what the rules last saw of it. */
interface Contact {
  /** World µs of the last append, heartbeat or snapshot of its own term it stepped as non-leader, and that term. */
  leaderHeardUs: number;
  leaderHeardTerm: number;
  /** World µs of the last MsgTimeoutNow it stepped (a transfer campaigns at once, by design). */
  timeoutNowUs: number;
  /** As leader of answersTerm: world µs of each member's last append or heartbeat answer of that term. */
  answersTerm: number;
  readonly answeredUs: Map<NodeId, number>;
  /** The vote tally of the last campaign judged (raft makes a new one at every campaign). */
  campaignVotes: unknown;
  /** The term it leads (0: none) and since when (world µs). */
  leaderTerm: number;
  leaderSinceUs: number;
  /** The progress map last looked at (raft replaces it at every configuration), and when each member first appeared in one. */
  progress: unknown;
  readonly firstSeenUs: Map<NodeId, number>;
  /** As leader: raft's election clock when last looked at, the world µs of its last check (or of the term's start), and whether a transfer restarted the clock since. */
  lastElapsed: number;
  lastCheckUs: number;
  transferSince: boolean;
}

/** One election timeout less a tick of `host`'s clock, in world µs at the fastest drift any clock may have (a drift may change within the window). */
function windowUs(host: MemberHost): number {
  const tickUs = host.config.tickMs * 1000;
  return Math.floor(((host.config.electionTicks - 1) * tickUs * PPM) / (PPM + DRIFT_PPM_MAX));
}

export class UnforcedElections {
  private readonly contacts = new WeakMap<MemberHost, Contact>();

  private contactOf(host: MemberHost): Contact {
    let c = this.contacts.get(host);
    if (c === undefined) {
      c = {
        leaderHeardUs: -Infinity, leaderHeardTerm: 0, timeoutNowUs: -Infinity, answersTerm: 0, answeredUs: new Map(),
        campaignVotes: undefined, leaderTerm: 0, leaderSinceUs: 0, progress: undefined, firstSeenUs: new Map(),
        lastElapsed: 0, lastCheckUs: 0, transferSince: false,
      };
      this.contacts.set(host, c);
    }
    return c;
  }

  /** `host`'s raft stepped `m` (addressed to it by its sender) at world time nowUs. */
  onStepped(host: MemberHost, m: Message, nowUs: number): void {
    const t = m.type;
    if (t !== 'MsgApp' && t !== 'MsgHeartbeat' && t !== 'MsgSnap' && t !== 'MsgTimeoutNow' && t !== 'MsgAppResp' && t !== 'MsgHeartbeatResp') return;
    const raft = host.recovered.raft.node.raft;
    const c = this.contactOf(host);
    if (t === 'MsgTimeoutNow') {
      c.timeoutNowUs = nowUs;
    } else if (t === 'MsgAppResp' || t === 'MsgHeartbeatResp') {
      if (raft.state !== 'leader' || m.term !== raft.term) return;
      if (c.answersTerm !== raft.term) {
        c.answersTerm = raft.term;
        c.answeredUs.clear();
      }
      c.answeredUs.set(m.from, nowUs);
    } else if (m.term === raft.term && raft.state !== 'leader') {
      c.leaderHeardUs = nowUs;
      c.leaderHeardTerm = m.term;
    }
  }

  /** Judges `host` after an event it ran in. */
  check(host: MemberHost, nowUs: number): UnforcedElection | undefined {
    const raft = host.recovered.raft.node.raft;
    const c = this.contactOf(host);
    const progress = raft.prs.progress;
    if (progress !== c.progress) {
      c.progress = progress;
      for (const id of progress.keys()) if (!c.firstSeenUs.has(id)) c.firstSeenUs.set(id, nowUs);
    }
    const state = raft.state;
    if (state === 'leader') {
      if (c.leaderTerm !== raft.term) {
        c.leaderTerm = raft.term;
        c.leaderSinceUs = nowUs;
        c.lastCheckUs = nowUs;
        c.lastElapsed = raft.electionElapsed;
        c.transferSince = raft.leadTransferee !== 0;
        return undefined;
      }
      return this.judgeCheck(host, c, nowUs);
    }
    if (c.leaderTerm !== 0) {
      const term = c.leaderTerm;
      c.leaderTerm = 0;
      if (raft.term === term && raft.prs.config.voters.has(raft.id)) return this.judgeStepDown(host, c, term, nowUs, windowUs(host));
    }
    if ((state === 'candidate' || state === 'pre-candidate') && raft.prs.votes !== c.campaignVotes) {
      c.campaignVotes = raft.prs.votes;
      const from = state === 'candidate' ? raft.term - 1 : raft.term;
      const w = windowUs(host);
      if (c.leaderHeardTerm === from && c.leaderHeardUs > nowUs - w && c.timeoutNowUs < c.leaderHeardUs) {
        return {
          invariant: 'campaign-while-led',
          detail: `campaigned (${state} in term ${raft.term}) ${Math.round((nowUs - c.leaderHeardUs) / 1000)} ms after it stepped its leader's message of term ${from} (an election timeout less a tick is ${Math.round(w / 1000)} ms at the fastest clock), no transfer asked`,
        };
      }
    }
    return undefined;
  }

  /** check-quorum-unheard: at a check this leader passed (its election clock wrapped), a quorum answered since the previous one. */
  private judgeCheck(host: MemberHost, c: Contact, nowUs: number): UnforcedElection | undefined {
    const raft = host.recovered.raft.node.raft;
    const elapsed = raft.electionElapsed;
    const wrapped = elapsed < c.lastElapsed;
    c.lastElapsed = elapsed;
    if (raft.leadTransferee !== 0) c.transferSince = true;
    if (!wrapped) return undefined;
    const since = c.lastCheckUs;
    c.lastCheckUs = nowUs;
    const transfer = c.transferSince;
    c.transferSince = raft.leadTransferee !== 0;
    if (transfer || !raft.cfg.checkQuorum) return undefined;
    return this.countCheck(host, c, since, nowUs);
  }

  /**
   * judgeCheck's count at a check the leader passed: a method of its own, as the closure's
   * variables made V8 allocate a context at every call of the method holding them, and
   * judgeCheck runs after every event a leader runs (0.9 % of a bench run's bytes).
   */
  private countCheck(host: MemberHost, c: Contact, since: number, nowUs: number): UnforcedElection | undefined {
    const raft = host.recovered.raft.node.raft;
    // Answers at the previous check's instant count (they may have come before its tick): lenient.
    // A member counts as joined only when first seen after that instant (every member is first
    // seen when the incarnation is first looked at).
    const heard = (id: NodeId): boolean =>
      id === raft.id || (c.answersTerm === raft.term && (c.answeredUs.get(id) ?? -Infinity) >= since) || (c.firstSeenUs.get(id) ?? -Infinity) > since;
    const halves = [raft.prs.config.voters.incoming.ids, raft.prs.config.voters.outgoing.ids];
    for (const ids of halves) {
      if (ids.size === 0) continue;
      let n = 0;
      for (const id of ids) if (heard(id)) n++;
      if (n * 2 > ids.size) continue;
      return {
        invariant: 'check-quorum-unheard',
        detail: `still leads term ${raft.term} after a CheckQuorum though only ${n} of ${ids.size} voters (${[...ids].filter(heard).join(', ') || 'none'}) answered it or joined in the ${Math.round((nowUs - since) / 1000)} ms since its ${since === c.leaderSinceUs ? 'election' : 'previous check'}`,
      };
    }
    return undefined;
  }

  private judgeStepDown(host: MemberHost, c: Contact, term: number, nowUs: number, w: number): UnforcedElection | undefined {
    const raft = host.recovered.raft.node.raft;
    const since = nowUs - w;
    const joinedAfter = Math.max(since, c.leaderSinceUs);
    const heard = (id: NodeId): boolean =>
      id === raft.id || (c.answersTerm === term && (c.answeredUs.get(id) ?? -Infinity) > since) || (c.firstSeenUs.get(id) ?? -Infinity) > joinedAfter;
    const halves = [raft.prs.config.voters.incoming.ids, raft.prs.config.voters.outgoing.ids];
    const named: string[] = [];
    for (const ids of halves) {
      if (ids.size === 0) continue;
      let n = 0;
      for (const id of ids) if (heard(id)) n++;
      if (n * 2 <= ids.size) return undefined;
      named.push(`${n} of ${ids.size} voters (${[...ids].filter(heard).join(', ')})`);
    }
    return {
      invariant: 'check-quorum-unforced',
      detail: `stepped down as leader of term ${term} though ${named.join(' and ')} answered it or joined within the last ${Math.round(w / 1000)} ms (an election timeout less a tick at the fastest clock)`,
    };
  }
}
