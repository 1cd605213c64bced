// How a leader sends its log: MsgApp batches within the message size limit and the inflight
// window, a snapshot when the follower needs compacted entries, heartbeats, and TimeoutNow.
import type { Raft } from './raft.ts';
import type { NodeId } from './types.ts';
import { appendMessage, heartbeatMessage } from './types.ts';
import { violated } from '../invariant-violation.ts';

/**
 * Sends the next batch of entries to `to` if flow control allows. With sendIfEmpty, sends
 * even without entries (to carry the commit index or probe). Returns true if a message left.
 */
export function maybeSendAppend(r: Raft, to: NodeId, sendIfEmpty: boolean): boolean {
  const pr = r.prs.progress.get(to);
  if (pr === undefined || pr.isPaused()) return false;
  const prevIndex = pr.next - 1;
  const prevTerm = r.raftLog.term(prevIndex);
  const ents = r.raftLog.entries(pr.next, r.cfg.maxSizePerMsgBytes);
  if (typeof ents !== 'string' && ents.length === 0 && !sendIfEmpty) return false;
  if (typeof prevTerm === 'string' || typeof ents === 'string') return sendSnapshot(r, to);
  r.sendMessage(appendMessage(to, prevIndex, prevTerm, ents, r.raftLog.committed));
  const n = ents.length;
  if (n > 0) {
    const last = (ents[n - 1] as { index: number }).index;
    switch (pr.state) {
      case 'replicate':
        // Stream optimistically: the next batch starts after this one.
        pr.optimisticUpdate(last);
        pr.inflights.add(last);
        break;
      case 'probe':
        // Wait for the answer (or the next heartbeat) before probing again.
        pr.probeSent = true;
        break;
      case 'snapshot':
        throw violated('raft', 'no-append-while-snapshotting', `${to} is sending a snapshot`);
    }
  }
  return true;
}

/** The entries the follower needs were compacted: send our latest snapshot instead. */
function sendSnapshot(r: Raft, to: NodeId): boolean {
  const pr = r.prs.progress.get(to);
  // Only a follower that recently answered gets a snapshot: they are large.
  if (pr === undefined || !pr.recentActive) return false;
  const snapshot = r.raftLog.snapshot();
  if (snapshot.metadata.index === 0) throw violated('raft', 'snapshot-not-empty', 'need non-empty snapshot');
  pr.becomeSnapshot(snapshot.metadata.index);
  r.send({ type: 'MsgSnap', to, snapshot });
  return true;
}

export function sendAppend(r: Raft, to: NodeId): void {
  maybeSendAppend(r, to, true);
}

/** Sends entries (or an empty MsgApp carrying the commit index) to every other member. */
export function bcastAppend(r: Raft): void {
  r.prs.visit((id) => {
    if (id !== r.id) sendAppend(r, id);
  });
}

export function sendHeartbeat(r: Raft, to: NodeId, context: string): void {
  // A follower may not have all committed entries: never tell it to commit beyond its match.
  const pr = r.prs.progress.get(to);
  const commit = Math.min(pr?.match ?? 0, r.raftLog.committed);
  r.sendMessage(heartbeatMessage(to, commit, context));
}

export function bcastHeartbeat(r: Raft): void {
  const ctx = r.readOnly.lastPendingRequestCtx();
  bcastHeartbeatWithCtx(r, ctx ?? '');
}

export function bcastHeartbeatWithCtx(r: Raft, ctx: string): void {
  // While ReadIndex reads wait for a quorum, every heartbeat round carries the newest one's
  // context: an answer to it releases that read and every earlier one (read-only.ts advance), so a
  // read whose own round was lost is confirmed by the next periodic heartbeat. A round without it
  // confirms nothing, and under loss reads wait for their timeout (etcd-raft's bcastHeartbeat
  // sends r.readOnly.lastPendingRequestCtx()).
  const newest = r.readOnly.lastPendingRequestCtx();
  if (!(newest === undefined || ctx === newest)) throw violated('raft', 'heartbeat-carries-newest-read',
    `heartbeat round with context ${JSON.stringify(ctx)} while read ${JSON.stringify(newest)} waits for a quorum (${r.readOnly.pendingCount} waiting)`);
  r.prs.visit((id) => {
    if (id !== r.id) sendHeartbeat(r, id, ctx);
  });
}

export function sendTimeoutNow(r: Raft, to: NodeId): void {
  r.send({ type: 'MsgTimeoutNow', to });
}
