// The handler of a candidate or pre-candidate: count votes, and yield to a leader of our term.
import type { Raft } from './raft.ts';
import type { Message } from './types.ts';
import type { StepError } from './errors.ts';
import { ErrProposalDropped } from './errors.ts';
import { bcastAppend } from './replication.ts';
import { handleAppendEntries, handleHeartbeat, handleSnapshot } from './follower-handlers.ts';

export function stepCandidate(r: Raft, m: Message): StepError | undefined {
  // Only the answers to our own kind of request count: a pre-candidate ignores stale
  // MsgVoteResp, a candidate ignores late MsgPreVoteResp.
  const myVoteResp = r.state === 'pre-candidate' ? 'MsgPreVoteResp' : 'MsgVoteResp';
  switch (m.type) {
    case 'MsgProp':
      return ErrProposalDropped; // no leader to forward to
    case 'MsgApp':
      r.becomeFollower(m.term, m.from); // a leader of our term exists (§5.2)
      handleAppendEntries(r, m);
      return undefined;
    case 'MsgHeartbeat':
      r.becomeFollower(m.term, m.from);
      handleHeartbeat(r, m);
      return undefined;
    case 'MsgSnap':
      r.becomeFollower(m.term, m.from);
      handleSnapshot(r, m);
      return undefined;
    case 'MsgTimeoutNow':
      return undefined; // we are campaigning already
    default:
      if (m.type === myVoteResp || (r.unsafe.countPreVotes === true && m.type === 'MsgPreVoteResp')) onVoteResp(r, m);
      return undefined;
  }
}

function onVoteResp(r: Raft, m: Message): void {
  switch (r.poll(m.from, !m.reject)) {
    case 'won':
      if (r.state === 'pre-candidate') {
        r.campaign('election');
      } else {
        r.becomeLeader();
        bcastAppend(r);
      }
      return;
    case 'lost':
      // A rejection may carry a higher term; becomeFollower at our own term otherwise.
      r.becomeFollower(r.term, 0);
      return;
    case 'pending':
      return;
  }
}
