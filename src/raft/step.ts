// The part of message handling shared by every role: comparing terms (§5.1), answering vote
// requests (§5.2, §5.4.1, PreVote and CheckQuorum leases), then the role's own handler.
import type { Raft } from './raft.ts';
import type { Message, MessageType } from './types.ts';
import { CAMPAIGN_TRANSFER, NONE } from './types.ts';
import type { StepError } from './errors.ts';

export function stepRaft(r: Raft, m: Message): StepError | undefined {
  if (m.term > r.term) {
    if (!onHigherTerm(r, m)) return undefined;
  } else if (m.term !== 0 && m.term < r.term) {
    onLowerTerm(r, m);
    return undefined;
  }
  switch (m.type) {
    case 'MsgHup':
      r.hup(r.cfg.preVote ? 'pre-election' : 'election');
      return undefined;
    case 'MsgVote':
    case 'MsgPreVote':
      handleVoteRequest(r, m);
      return undefined;
    default:
      return r.stepFn(r, m);
  }
}

/** Returns false if the message must be ignored. */
function onHigherTerm(r: Raft, m: Message): boolean {
  if (m.type === 'MsgVote' || m.type === 'MsgPreVote') {
    const force = m.context === CAMPAIGN_TRANSFER;
    // With CheckQuorum, a member that heard from a leader within the election timeout does
    // not help depose it (the leader lease). A transfer explicitly asks to break it.
    // The planted bug forgets that the lease runs out: a member that once knew a leader refuses
    // every vote until it hears of a new term, so a dead leader is never replaced.
    const leaseRunning = r.electionElapsed < r.electionTimeout || r.unsafe.leaseNeverExpires === true;
    const inLease = r.cfg.checkQuorum && r.lead !== NONE && leaseRunning;
    if (!force && inLease) return false;
  }
  if (m.type === 'MsgPreVote') return true; // never change term because of a pre-vote
  if (m.type === 'MsgPreVoteResp' && !m.reject) return true; // the term moves when we win
  const leaderMsg = m.type === 'MsgApp' || m.type === 'MsgHeartbeat' || m.type === 'MsgSnap';
  r.becomeFollower(m.term, leaderMsg ? m.from : NONE);
  return true;
}

function onLowerTerm(r: Raft, m: Message): void {
  if ((r.cfg.checkQuorum || r.cfg.preVote) && (m.type === 'MsgHeartbeat' || m.type === 'MsgApp')) {
    // A stale leader (e.g. after a partition) would otherwise never learn of the new term,
    // since we ignore its messages, and the lease or pre-vote stops us from disturbing it.
    r.send({ type: 'MsgAppResp', to: m.from });
  } else if (m.type === 'MsgPreVote') {
    // Reject with our term so that a stale pre-candidate learns it and catches up.
    r.send({ type: 'MsgPreVoteResp', to: m.from, term: r.term, reject: true });
  }
}

function voteRespType(t: MessageType): 'MsgVoteResp' | 'MsgPreVoteResp' {
  return t === 'MsgVote' ? 'MsgVoteResp' : 'MsgPreVoteResp';
}

function handleVoteRequest(r: Raft, m: Message): void {
  // We can vote for whom we voted for already (a duplicate request), for anyone if we have
  // not voted and know no leader, and pre-vote for anyone in a future term.
  const canVote =
    r.vote === m.from || (r.vote === NONE && r.lead === NONE) || (m.type === 'MsgPreVote' && m.term > r.term);
  const upToDate = r.unsafe.voteWithoutLogCheck === true || r.raftLog.isUpToDate(m.index, m.logTerm, r.unsafe.upToDateCheck);
  if (canVote && upToDate) {
    // Answer in the term of the request: for a pre-vote, the term the candidate will use.
    r.send({ type: voteRespType(m.type), to: m.from, term: m.term });
    if (m.type === 'MsgVote') {
      // Granting a real vote resets the election timer (§5.2) and binds us for this term.
      r.electionElapsed = 0;
      r.vote = m.from;
    }
  } else {
    r.send({ type: voteRespType(m.type), to: m.from, term: r.term, reject: true });
  }
}
