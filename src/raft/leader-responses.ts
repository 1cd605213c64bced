// The leader's handling of its followers' answers: append results (with fast backtracking),
// heartbeat answers (which also confirm ReadIndex requests), snapshot and reachability reports.
import type { Raft } from './raft.ts';
import type { Message } from './types.ts';
import type { StepError } from './errors.ts';
import type { Progress } from './tracker/progress.ts';
import { bcastAppend, maybeSendAppend, sendAppend, sendTimeoutNow } from './replication.ts';
import { releasePendingReadIndexMessages, respondToReadIndex } from './step-leader.ts';

export function stepLeaderResponse(r: Raft, m: Message): StepError | undefined {
  const pr = r.prs.progress.get(m.from);
  if (pr === undefined) return undefined; // not (or no longer) a member
  switch (m.type) {
    case 'MsgAppResp':
      pr.recentActive = true;
      if (m.reject) onAppendRejected(r, m, pr);
      else onAppendAccepted(r, m, pr);
      return undefined;
    case 'MsgHeartbeatResp':
      onHeartbeatResp(r, m, pr);
      return undefined;
    case 'MsgSnapStatus':
      if (pr.state !== 'snapshot') return undefined;
      // Success or failure, probe next: on success from after the snapshot; wait for the
      // answer (or a heartbeat) before sending more.
      if (m.reject) pr.pendingSnapshot = 0;
      pr.becomeProbe();
      pr.probeSent = true;
      return undefined;
    case 'MsgUnreachable':
      // Stop streaming optimistically to a follower we cannot reach.
      if (pr.state === 'replicate') pr.becomeProbe();
      return undefined;
    default:
      return undefined;
  }
}

function onAppendRejected(r: Raft, m: Message, pr: Progress): void {
  // Fast backtracking: the follower said where its log may match (rejectHint, with the term
  // there in logTerm); skip every entry of ours with a larger term than that in one step.
  let nextProbeIdx = m.rejectHint;
  if (m.logTerm > 0) nextProbeIdx = r.raftLog.findConflictByTerm(m.rejectHint, m.logTerm);
  if (pr.maybeDecrTo(m.index, nextProbeIdx)) {
    if (pr.state === 'replicate') pr.becomeProbe();
    sendAppend(r, m.from);
  }
}

function onAppendAccepted(r: Raft, m: Message, pr: Progress): void {
  const oldPaused = pr.isPaused();
  if (!pr.maybeUpdate(m.index)) {
    if (oldPaused) sendAppend(r, m.from);
    return;
  }
  switch (pr.state) {
    case 'probe':
      pr.becomeReplicate();
      break;
    case 'snapshot':
      if (pr.match >= pr.pendingSnapshot) {
        // The follower caught up past the snapshot (or it arrived): resume normal replication.
        pr.becomeProbe();
        pr.becomeReplicate();
      }
      break;
    case 'replicate':
      pr.inflights.freeLE(m.index);
      break;
  }
  if (r.maybeCommit()) {
    releasePendingReadIndexMessages(r);
    bcastAppend(r);
  } else if (oldPaused) {
    sendAppend(r, m.from);
  }
  // Send everything the window allows now; bounded by the window and the log length.
  for (let i = 0; i < r.cfg.maxInflightMsgs && maybeSendAppend(r, m.from, false); i++);
  if (m.from === r.leadTransferee && pr.match === r.raftLog.lastIndex()) sendTimeoutNow(r, m.from);
}

function onHeartbeatResp(r: Raft, m: Message, pr: Progress): void {
  pr.recentActive = true;
  pr.probeSent = false;
  // A slow follower answered: make room for one more message in a full window.
  if (pr.state === 'replicate' && pr.inflights.full()) pr.inflights.freeFirstOne();
  if (pr.match < r.raftLog.lastIndex()) sendAppend(r, m.from);
  if (r.readOnly.option !== 'safe' || m.context === '') return;
  const acks = r.readOnly.recvAck(m.from, m.context);
  if (acks === undefined) return;
  const votes = new Map<number, boolean>();
  for (const id of acks) votes.set(id, true);
  if (r.prs.config.voters.voteResult(votes) !== 'won') return;
  for (const rs of r.readOnly.advance(m.context)) respondToReadIndex(r, rs.req, rs.index);
}
