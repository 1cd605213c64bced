// The leader's message handler: proposals, reads, leadership transfer, and (in
// leader-responses.ts) the answers of its followers.
import type { Raft } from './raft.ts';
import { validateConfChange } from './confchange/conf-change-kind.ts';
import type { Entry, Message } from './types.ts';
import { NONE, decodeConfChange, readIndexAnswer } from './types.ts';
import type { StepError } from './errors.ts';
import { ErrProposalDropped, raftViolation } from './errors.ts';
import { bcastAppend, bcastHeartbeat, bcastHeartbeatWithCtx, sendAppend, sendTimeoutNow } from './replication.ts';
import { Changer } from './confchange/changer.ts';
import { stepLeaderResponse } from './leader-responses.ts';

export function stepLeader(r: Raft, m: Message): StepError | undefined {
  switch (m.type) {
    case 'MsgBeat':
      bcastHeartbeat(r);
      return undefined;
    case 'MsgCheckQuorum':
      checkQuorum(r);
      return undefined;
    case 'MsgProp':
      return propose(r, m);
    case 'MsgReadIndex':
      return readIndex(r, m);
    case 'MsgTransferLeader':
      transferLeader(r, m);
      return undefined;
    default:
      return stepLeaderResponse(r, m);
  }
}

/** CheckQuorum: a leader that has not heard from a quorum within an election timeout steps down. */
function checkQuorum(r: Raft): void {
  if (!r.prs.quorumActive()) {
    if (r.unsafe.checkQuorumNeverStepsDown === true) return;
    r.becomeFollower(r.term, NONE);
    return;
  }
  // UNSAFE (planted bug): without the reset, activity seen once counts forever.
  if (r.unsafe.checkQuorumKeepsActivity === true) return;
  r.prs.visit((id, pr) => {
    if (id !== r.id) pr.recentActive = false;
  });
}

function propose(r: Raft, m: Message): StepError | undefined {
  if (!(m.entries.length > 0)) throw raftViolation('proposal-not-empty', `${r.id} stepped empty MsgProp`);
  if (!r.prs.progress.has(r.id)) return ErrProposalDropped; // we were removed
  if (r.leadTransferee !== NONE) return ErrProposalDropped; // let the transfer finish
  const ents = m.entries.map((e, i) => (e.type === 'conf-change' ? checkConfChange(r, e, i) : e));
  if (!r.appendEntry(ents)) return ErrProposalDropped;
  bcastAppend(r);
  return undefined;
}

/**
 * Only one conf change may be unapplied at a time, and it must be valid against the current
 * configuration. One that is not is replaced by an empty entry, so the proposal's other
 * entries keep their indexes.
 */
function checkConfChange(r: Raft, e: Entry, i: number): Entry {
  const cc = decodeConfChange(e.data);
  let refused: string | undefined;
  // UNSAFE (planted bug): without the pending check two changes can be in flight at once.
  if (r.unsafe.confChangeIgnoresPending !== true && r.pendingConfIndex > r.raftLog.applied) {
    refused = `possible unapplied conf change at index ${r.pendingConfIndex} (applied to ${r.raftLog.applied})`;
  } else {
    refused = validateConfChange(new Changer(r.prs, r.raftLog.lastIndex()), cc);
  }
  if (refused !== undefined) return { term: 0, index: 0, type: 'normal', data: '' };
  r.pendingConfIndex = r.raftLog.lastIndex() + i + 1;
  return e;
}

function readIndex(r: Raft, m: Message): StepError | undefined {
  if (r.unsafe.readWithoutReadIndex === true) {
    // UNSAFE (planted bug): serve from our own commit index without confirming we still lead.
    respondToReadIndex(r, m, r.raftLog.committed);
    return undefined;
  }
  if (r.prs.isSingleton()) {
    respondToReadIndex(r, m, r.raftLog.committed);
    return undefined;
  }
  // Until an entry of our term is committed, our commit index may lag the true one (§6.4).
  if (!r.committedEntryInCurrentTerm()) {
    if (r.pendingReadIndexMessages.length >= r.cfg.maxPendingReads) return ErrProposalDropped;
    r.pendingReadIndexMessages.push(m);
    return undefined;
  }
  return sendMsgReadIndexResponse(r, m);
}

export function sendMsgReadIndexResponse(r: Raft, m: Message): StepError | undefined {
  if (r.readOnly.option === 'lease-based') {
    respondToReadIndex(r, m, r.raftLog.committed);
    return undefined;
  }
  if (!r.readOnly.addRequest(r.raftLog.committed, m)) return ErrProposalDropped;
  // Our own ack, then a heartbeat round that carries the request's context.
  r.readOnly.recvAck(r.id, m.context);
  bcastHeartbeatWithCtx(r, m.context);
  return undefined;
}

/** Answers a read: locally as a ReadState, or to the follower that forwarded it. */
export function respondToReadIndex(r: Raft, req: Message, index: number): void {
  if (req.from === NONE || req.from === r.id) {
    r.readStates.push({ index, requestCtx: req.context });
    return;
  }
  r.sendMessage(readIndexAnswer(req.from, index, req.context));
}

/** Releases reads that waited for this leader's first commit. */
export function releasePendingReadIndexMessages(r: Raft): void {
  if (r.pendingReadIndexMessages.length === 0 || !r.committedEntryInCurrentTerm()) return;
  const msgs = r.pendingReadIndexMessages;
  r.pendingReadIndexMessages = [];
  for (const m of msgs) sendMsgReadIndexResponse(r, m);
}

function transferLeader(r: Raft, m: Message): void {
  const pr = r.prs.progress.get(m.from);
  if (pr === undefined || pr.isLearner) return; // a learner cannot lead
  const transferee = m.from;
  if (r.leadTransferee !== NONE) {
    if (r.leadTransferee === transferee) return; // already under way
    r.abortLeaderTransfer();
  }
  if (transferee === r.id) return; // we lead already
  // The transfer must finish within one election timeout.
  r.electionElapsed = 0;
  r.leadTransferee = transferee;
  if (pr.match === r.raftLog.lastIndex()) {
    sendTimeoutNow(r, transferee);
  } else {
    sendAppend(r, transferee);
  }
}
