// Requests a member holds while it knows no leader, as etcd 3.4 holds them: raft's node stops
// reading proposals while it has no leader (node.run sets propc to nil), so a write's Propose
// waits until a leader is known — then it is proposed as if it had just come — or until its
// context ends; the lessor's forwarding (LeaseRenew, LeaseTimeToLive, LeaseLeases) waits for a
// leader the same way (waitLeader). What a request does once released or expired is the
// member's (`retry`, `fail`); this only keeps them, in arrival order.

interface Held {
  readonly deadlineMs: number;
  readonly retry: () => void;
  readonly fail: () => void;
}

/** Bound on requests held at once (the member answers "too many requests" past it). */
export const LEADER_WAIT_MAX = 10_000;

export class LeaderWait {
  private held: Held[] = [];

  get size(): number {
    return this.held.length;
  }

  /** Holds a request until release() or its deadline; false when the bound is reached. */
  hold(deadlineMs: number, retry: () => void, fail: () => void): boolean {
    if (this.held.length >= LEADER_WAIT_MAX) return false;
    this.held.push({ deadlineMs, retry, fail });
    return true;
  }

  /** A leader is known: every held request goes on, in the order it came. */
  release(): void {
    if (this.held.length === 0) return;
    const held = this.held;
    this.held = [];
    for (const h of held) h.retry();
  }

  /** Fails the requests whose deadline has come. */
  expire(nowMs: number): void {
    if (this.held.length === 0) return;
    const due = this.held.filter((h) => h.deadlineMs <= nowMs);
    if (due.length === 0) return;
    this.held = this.held.filter((h) => h.deadlineMs > nowMs);
    for (const h of due) h.fail();
  }
}
