// Rule 3's proof that an expired lease's revoke was applied: when a lease expires, etcd's leader
// proposes its revoke (lessor.go revokeExpiredLeases, every 500 ms), and the revoke deletes the
// lease's keys only once it commits and applies — slow disks on a majority or a backlog delay
// that by any amount, and a linearizable read meanwhile still shows the keys (the ground truth's
// late revokes: seeds 1230, 1246, 1371, 1483 were "expired-key-visible" before). What bounds it
// is the leader's log order: a request that reached the leader after it proposed the revoke
// applies after the revoke. So a write sent after the lease's deadline (every request that goes
// through raft answers a header revision at or past everything applied before it: a put, a
// delete, a txn that wrote, a lease grant or revoke) that was answered at revision w proves the
// revoke applied at or below w, and a read of the state at w or later must not show the lease's
// keys. A leader change restarts the TTL (the deadline already waits for it).
import type { Op } from '../history/op.ts';
import { int } from './models/etcd/json.ts';
import { txnWrites } from './models/etcd/model.ts';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (typeof v === 'object' && v !== null ? (v as Obj) : {});

/** The ops etcd 3.4 serves through raft (a read-only txn is served by ReadIndex, not the log). */
function throughRaft(invoke: Op, ok: Op): boolean {
  switch (invoke.f) {
    case 'kv/put':
    case 'kv/deleterange':
    case 'lease/grant':
    case 'lease/revoke':
      return true;
    case 'kv/txn':
      return txnWrites(obj(invoke.value), obj(ok.value));
    default:
      return false;
  }
}

/** Per deadline, the lowest revision a request sent after it was answered at. */
export class RevokeCommitted {
  /** Invocation times of the raft requests answered ok, ascending, and the lowest revision answered from each on. */
  private readonly invokeUs: number[] = [];
  private readonly revisionMinFrom: number[] = [];
  /** And the earliest answer from each on. */
  private readonly answeredMinFrom: number[] = [];

  constructor(pairs: readonly { invoke: Op; ok: Op }[]) {
    const writes: { invokeUs: number; revision: number; okUs: number }[] = [];
    for (let i = 0; i < pairs.length; i++) {
      const { invoke, ok } = pairs[i]!;
      const revision = int(obj(obj(ok.value)['header'])['revision']);
      if (revision > 0 && throughRaft(invoke, ok)) writes.push({ invokeUs: invoke.time, revision, okUs: ok.time });
    }
    writes.sort((a, b) => a.invokeUs - b.invokeUs);
    this.revisionMinFrom = new Array<number>(writes.length);
    this.answeredMinFrom = new Array<number>(writes.length);
    let min = Infinity;
    let first = Infinity;
    for (let i = writes.length - 1; i >= 0; i--) {
      min = Math.min(min, writes[i]!.revision);
      first = Math.min(first, writes[i]!.okUs);
      this.revisionMinFrom[i] = min;
      this.answeredMinFrom[i] = first;
    }
    for (const w of writes) this.invokeUs.push(w.invokeUs);
  }

  /** The lowest revision at which a revoke proposed by `deadlineUs` had certainly applied (Infinity: none known). */
  appliedBy(deadlineUs: number): number {
    const i = this.firstSentAfter(deadlineUs);
    return i < this.revisionMinFrom.length ? this.revisionMinFrom[i]! : Infinity;
  }

  /**
   * When a revoke proposed by `deadlineUs` had certainly applied on a member (Infinity: none
   * known): the earliest answer to a write sent after it (lease-revoke-queue.ts).
   */
  appliedAtUs(deadlineUs: number): number {
    const i = this.firstSentAfter(deadlineUs);
    return i < this.answeredMinFrom.length ? this.answeredMinFrom[i]! : Infinity;
  }

  /** The first write (by invocation) sent after `us`. */
  private firstSentAfter(us: number): number {
    let lo = 0;
    let hi = this.invokeUs.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.invokeUs[mid]! <= us) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
