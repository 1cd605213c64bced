// How a follower takes what the leader sends: entries (the consistency check of §5.3),
// heartbeats (the commit index), and snapshots.
import type { Raft } from './raft.ts';
import type { Message } from './types.ts';
import { appendAccepted, heartbeatAnswer } from './types.ts';

export function handleAppendEntries(r: Raft, m: Message): void {
  if (m.index < r.raftLog.committed) {
    // Everything up to our commit index matches the leader's log (Log Matching): tell it so.
    r.sendMessage(appendAccepted(m.from, r.raftLog.committed));
    return;
  }
  const lastNewIndex = r.raftLog.maybeAppend(m.index, m.logTerm, m.commit, m.entries);
  if (lastNewIndex !== undefined) {
    r.sendMessage(appendAccepted(m.from, lastNewIndex));
    return;
  }
  // Reject, with a hint: the last index <= the probe whose term is <= the probe's term.
  // The leader skips straight past every entry that cannot match.
  const hintIndex = r.raftLog.findConflictByTerm(Math.min(m.index, r.raftLog.lastIndex()), m.logTerm);
  const hintTerm = r.raftLog.termOrZero(hintIndex);
  r.send({ type: 'MsgAppResp', to: m.from, index: m.index, reject: true, rejectHint: hintIndex, logTerm: hintTerm });
}

export function handleHeartbeat(r: Raft, m: Message): void {
  r.raftLog.commitTo(m.commit);
  r.sendMessage(heartbeatAnswer(m.from, m.context));
}

export function handleSnapshot(r: Raft, m: Message): void {
  const s = m.snapshot;
  if (s === undefined) return;
  if (r.restore(s)) {
    r.send({ type: 'MsgAppResp', to: m.from, index: r.raftLog.lastIndex() });
  } else {
    r.send({ type: 'MsgAppResp', to: m.from, index: r.raftLog.committed });
  }
}
