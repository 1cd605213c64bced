// Client requests that were proposed to raft and wait for their entry to be applied (etcd's
// wait.Wait registry). Only the member that registered a request id answers it; every member
// applies the entry. Bounded: a full table rejects new proposals ("too many requests").
import { PENDING_REQUESTS_MAX } from './member-config.ts';
import { violated } from '../invariant-violation.ts';

export interface Pending<W> {
  readonly waiter: W;
  /** Local time (ms) after which the client gets "request timed out". */
  readonly deadlineMs: number;
}

export class PendingRequests<W> {
  private readonly byId = new Map<string, Pending<W>>();

  constructor(private readonly capacity: number = PENDING_REQUESTS_MAX) {
    if (!(capacity > 0)) throw violated('server', 'pending-capacity', 'capacity must be positive');
  }

  get size(): number {
    return this.byId.size;
  }

  /** True while the request `id` proposed here waits for its entry to apply. */
  has(id: string): boolean {
    return this.byId.has(id);
  }

  get full(): boolean {
    return this.byId.size >= this.capacity;
  }

  register(id: string, waiter: W, deadlineMs: number): void {
    if (this.byId.has(id)) throw violated('server', 'request-id-unique', `request id ${id} registered twice`);
    if (this.full) throw violated('server', 'pending-bounded', 'register on a full table');
    this.byId.set(id, { waiter, deadlineMs });
  }

  /** The waiter of `id`, removed; undefined when this member did not register it (or it timed out). */
  take(id: string): W | undefined {
    const p = this.byId.get(id);
    if (p === undefined) return undefined;
    this.byId.delete(id);
    return p.waiter;
  }

  /** Removes and returns every waiter whose deadline has passed, oldest registration first. */
  expire(nowMs: number): W[] {
    const out: W[] = [];
    for (const [id, p] of this.byId) {
      if (p.deadlineMs <= nowMs) {
        out.push(p.waiter);
        this.byId.delete(id);
      }
    }
    return out;
  }

  /** Removes and returns every waiter (the member stops). */
  drain(): W[] {
    const out = [...this.byId.values()].map((p) => p.waiter);
    this.byId.clear();
    return out;
  }
}
