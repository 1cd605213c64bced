// The handler of a follower: accept the leader's log, forward proposals and reads to it,
// campaign at once on MsgTimeoutNow (leadership transfer).
import type { Raft } from './raft.ts';
import type { Message } from './types.ts';
import { NONE, messageTo } from './types.ts';
import type { StepError } from './errors.ts';
import { ErrProposalDropped } from './errors.ts';
import { handleAppendEntries, handleHeartbeat, handleSnapshot } from './follower-handlers.ts';

export function stepFollower(r: Raft, m: Message): StepError | undefined {
  switch (m.type) {
    case 'MsgProp':
      if (r.lead === NONE || r.cfg.disableProposalForwarding) return ErrProposalDropped;
      r.send(messageTo(m, r.lead));
      return undefined;
    case 'MsgApp':
      r.electionElapsed = 0;
      r.lead = m.from;
      handleAppendEntries(r, m);
      return undefined;
    case 'MsgHeartbeat':
      r.electionElapsed = 0;
      r.lead = m.from;
      handleHeartbeat(r, m);
      return undefined;
    case 'MsgSnap':
      r.electionElapsed = 0;
      r.lead = m.from;
      handleSnapshot(r, m);
      return undefined;
    case 'MsgTransferLeader':
      if (r.lead === NONE) return undefined;
      r.send(messageTo(m, r.lead));
      return undefined;
    case 'MsgTimeoutNow':
      // The leader asks us to take over: campaign now, without a pre-vote, breaking leases.
      r.hup('transfer');
      return undefined;
    case 'MsgReadIndex':
      if (r.lead === NONE) return ErrProposalDropped;
      r.send(messageTo(m, r.lead));
      return undefined;
    case 'MsgReadIndexResp':
      r.readStates.push({ index: m.index, requestCtx: m.context });
      return undefined;
    default:
      return undefined;
  }
}
