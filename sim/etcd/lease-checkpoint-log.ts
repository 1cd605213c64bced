// The remaining TTL each new leader restarts a lease from, read from the committed log, not from
// any member's lessor. With lease checkpointing on (etcd's --experimental-enable-lease-checkpoint)
// the leader proposes each lease's remaining TTL now and then (LeaseCheckpoint), every member
// applies it, and a new leader's Promote restarts the lease from that remaining TTL instead of the
// full TTL (etcd 3.4.23, checked: a 900 s lease checkpointed at 600 s left showed 597 s three seconds
// after a move-leader, not 900). A leader promotes when it applies its term's first (empty)
// entry, so the checkpoints that count are those committed below that entry. The lease checker
// bounds a lease's life after a leader change by them (holdout 12: lease-checkpoints-ignored, an
// applier that dropped checkpoints, restarted every lease at its full TTL and no run failed).
import type { Entry } from '../../src/raft/types.ts';
import { entryDataText } from '../../src/raft/types.ts';
import { decodeRaftRequest, RaftRequestPayload } from '../../src/server/apply/raft-request.ts';
import type { InternalRaftRequest } from '../../src/server/apply/raft-request.ts';

/** Bound on the terms remembered (a run has far fewer leader changes). */
const TERMS_MAX = 10_000;

export class LeaseCheckpointLog {
  /** The committed prefix read so far: entries up to this index were seen, in order. */
  private frontier = 0;
  /** Lease id (decimal) → remaining TTL (s) of its last checkpoint; a grant, a revoke or a checkpoint of 0 clears it. */
  private readonly remaining = new Map<string, number>();
  /** Term → the checkpointed remaining TTLs when that term's leader applied its first entry (promoted). */
  private readonly promoted = new Map<number, ReadonlyMap<string, number>>();

  /**
   * An entry some member applied. Every member applies the same committed log in order, and the
   * first to apply index i had applied i - 1 before: reading each index once, when the furthest
   * member reaches it, reads the committed log in order (a member restored from a snapshot
   * applies only indexes past it, which others applied first).
   */
  onApplied(e: Entry): void {
    if (e.index !== this.frontier + 1) return;
    this.frontier = e.index;
    if (e.type !== 'normal') return;
    if (e.data === '') {
      if (!this.promoted.has(e.term) && this.promoted.size < TERMS_MAX) this.promoted.set(e.term, new Map(this.remaining));
      return;
    }
    const r = leaseRequest(e);
    if (r === undefined) return;
    const body = r.body;
    if (body.kind === 'lease_checkpoint') {
      for (const cp of body.request.checkpoints ?? []) {
        const id = String(cp.ID ?? 0n);
        const ttl = Number(cp.remaining_TTL ?? 0);
        if (ttl > 0) this.remaining.set(id, ttl);
        else this.remaining.delete(id);
      }
    } else if (body.kind === 'lease_grant' || body.kind === 'lease_revoke') {
      this.remaining.delete(String(body.request.ID ?? 0n));
    }
  }

  /**
   * The checkpointed remaining TTL (s) of each lease when term `term`'s leader promoted, for the
   * leases that had one; undefined when no leader of that term applied its first entry.
   */
  promotedWith(term: number): ReadonlyMap<string, number> | undefined {
    return this.promoted.get(term);
  }

  /** The terms whose leader could have promoted its lessor (their first entry applied), ascending. */
  promotedTerms(): number[] {
    return [...this.promoted.keys()].sort((a, b) => a - b);
  }
}

/** The lease request an entry carries; undefined for any other entry (decoded only when its text names a lease request). */
export function leaseRequest(e: { readonly data: Entry['data'] }): InternalRaftRequest | undefined {
  const data = e.data;
  if (data instanceof RaftRequestPayload) return data.request.body.kind.startsWith('lease_') ? data.request : undefined;
  if (!entryDataText(data).includes('"lease_')) return undefined;
  return decodeRaftRequest(data);
}
