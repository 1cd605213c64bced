// ReadIndex bookkeeping on the leader (§6.4 of the Raft thesis). A read request records the
// commit index when it arrives; it may be served once a quorum has answered a heartbeat sent
// after it arrived, which proves no newer leader existed at that moment.
import type { Message, NodeId } from './types.ts';
import { violated } from '../invariant-violation.ts';

/**
 * 'safe': confirm leadership with a heartbeat quorum for every read (the default).
 * 'lease-based': trust that no other leader can exist while our lease (election timeout since
 * the last quorum contact) runs. Depends on bounded clock drift; needs CheckQuorum.
 */
export type ReadOnlyOption = 'safe' | 'lease-based';

export interface ReadIndexStatus {
  /** The request message (local or forwarded from a follower). */
  readonly req: Message;
  readonly index: number;
  readonly acks: Set<NodeId>;
}

export class ReadOnly {
  readonly option: ReadOnlyOption;
  /** A bound on reads waiting for a heartbeat quorum; more are dropped. */
  readonly pendingMax: number;
  private readonly pending = new Map<string, ReadIndexStatus>();
  private queue: string[] = [];

  constructor(option: ReadOnlyOption, pendingMax: number) {
    this.option = option;
    this.pendingMax = pendingMax;
  }

  get pendingCount(): number {
    return this.queue.length;
  }

  /** Queues a read at `index`. Returns false if the queue is full or the ctx is a duplicate. */
  addRequest(index: number, req: Message): boolean {
    const ctx = req.context;
    if (this.pending.has(ctx)) return false;
    if (this.queue.length >= this.pendingMax) return false;
    this.pending.set(ctx, { req, index, acks: new Set() });
    this.queue.push(ctx);
    return true;
  }

  /** Records a heartbeat ack for the read `ctx`; returns the acks so far (undefined if unknown). */
  recvAck(id: NodeId, ctx: string): ReadonlySet<NodeId> | undefined {
    const rs = this.pending.get(ctx);
    if (rs === undefined) return undefined;
    rs.acks.add(id);
    return rs.acks;
  }

  /**
   * Releases the read `ctx` and every read queued before it: a quorum that answered a later
   * heartbeat also confirms leadership for the earlier reads.
   */
  advance(ctx: string): ReadIndexStatus[] {
    const at = this.queue.indexOf(ctx);
    if (at < 0) return [];
    const released = this.queue.slice(0, at + 1);
    this.queue = this.queue.slice(at + 1);
    const out: ReadIndexStatus[] = [];
    for (const c of released) {
      const rs = this.pending.get(c);
      if (rs === undefined) throw violated('raft', 'read-only-queue-consistent', `ctx ${c} queued but not pending`);
      this.pending.delete(c);
      out.push(rs);
    }
    return out;
  }

  /** Whether the read `ctx` waits for its heartbeat quorum (the cluster's read-index-served invariant asks). */
  isPending(ctx: string): boolean {
    return this.pending.has(ctx);
  }

  /**
   * The pending read `ctx`, one object each time it was queued: a request with a context already
   * served (a late copy of a follower's MsgReadIndex) is queued again, and waits for answers of
   * its own (the cluster's read-index-served invariant tells the two apart by it).
   */
  pendingRead(ctx: string): { readonly req: Message; readonly index: number } | undefined {
    return this.pending.get(ctx);
  }

  lastPendingRequestCtx(): string | undefined {
    return this.queue[this.queue.length - 1];
  }
}
