// etcd's raftNode.processMessages (etcdserver/raft.go, 3.4): of a Ready's MsgAppResps only the
// last is sent, "since the last one covers all the previous ones" (a follower answers its one
// leader, and raft appends its answers in the order it took the appends). A follower whose fsync
// is in flight takes several appends (one per proposal, one per commit the leader broadcasts)
// into its next Ready: the leader then steps one answer per Ready, not one per append.
import type { Message } from '../raft/types.ts';

/** `messages` without every MsgAppResp but the last (the same array when there is at most one). */
export function lastAppRespOnly(messages: readonly Message[]): readonly Message[] {
  let last = -1;
  let count = 0;
  for (let i = 0; i < messages.length; i++) {
    if ((messages[i] as Message).type !== 'MsgAppResp') continue;
    last = i;
    count++;
  }
  if (count <= 1) return messages;
  const out: Message[] = [];
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i] as Message;
    if (m.type !== 'MsgAppResp' || i === last) out.push(m);
  }
  return out;
}
