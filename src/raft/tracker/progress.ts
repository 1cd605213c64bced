// The leader's view of one follower: how much of the log it has (Match), what to send next
// (Next), and how to send it (probe, replicate or snapshot). Invariant: match < next.
import { raftViolation } from '../errors.ts';
import { Inflights } from './inflights.ts';

/**
 * probe: we do not know where the follower's log matches; send one MsgApp per heartbeat
 *        interval and wait for its answer.
 * replicate: the follower is known to match; stream MsgApps optimistically within the
 *        inflight window.
 * snapshot: the follower needs a snapshot; send nothing else until it is applied or fails.
 */
export type ProgressState = 'probe' | 'replicate' | 'snapshot';

export class Progress {
  match: number;
  next: number;
  state: ProgressState = 'probe';
  /** In snapshot state, the index of the snapshot being sent. */
  pendingSnapshot = 0;
  /** Whether we heard from the follower since the last CheckQuorum. */
  recentActive = false;
  /** In probe state, a MsgApp was sent and we wait for its answer before sending another. */
  probeSent = false;
  inflights: Inflights;
  isLearner: boolean;

  constructor(match: number, next: number, maxInflight: number, isLearner: boolean) {
    this.match = match;
    this.next = next;
    this.inflights = new Inflights(maxInflight);
    this.isLearner = isLearner;
  }

  toString(): string {
    let s = `${this.state} match=${this.match} next=${this.next}`;
    if (this.isLearner) s += ' learner';
    if (this.probeSent) s += ' paused';
    if (this.pendingSnapshot > 0) s += ` pendingSnap=${this.pendingSnapshot}`;
    if (!this.recentActive) s += ' inactive';
    if (this.inflights.count > 0) s += ` inflight=${this.inflights.count}${this.inflights.full() ? '[full]' : ''}`;
    return s;
  }

  private resetState(state: ProgressState): void {
    this.probeSent = false;
    this.pendingSnapshot = 0;
    this.state = state;
    this.inflights.reset();
  }

  becomeProbe(): void {
    // After a snapshot, the follower has at least the snapshot: probe right after it.
    if (this.state === 'snapshot') {
      const pendingSnapshot = this.pendingSnapshot;
      this.resetState('probe');
      this.next = Math.max(this.match + 1, pendingSnapshot + 1);
    } else {
      this.resetState('probe');
      this.next = this.match + 1;
    }
    if (!(this.match < this.next)) throw raftViolation('progress-match-below-next', `probe: match ${this.match} next ${this.next}`);
    if (this.inflights.count !== 0) throw raftViolation('progress-probe-no-inflight', `probe with ${this.inflights.count} in flight`);
  }

  becomeReplicate(): void {
    // Replication starts from a successful probe (a snapshot is followed by a probe first).
    if (this.state !== 'probe') throw raftViolation('progress-replicate-from-probe', `replicate from ${this.state}`);
    this.resetState('replicate');
    this.next = this.match + 1;
    if (!(this.match < this.next)) throw raftViolation('progress-match-below-next', `replicate: match ${this.match} next ${this.next}`);
    if (this.inflights.count !== 0) throw raftViolation('progress-replicate-starts-empty', `replicate with ${this.inflights.count} in flight`);
  }

  becomeSnapshot(snapshotIndex: number): void {
    if (!(snapshotIndex > 0)) throw raftViolation('progress-snapshot-index', `snapshot at index ${snapshotIndex}`);
    if (this.state === 'snapshot') throw raftViolation('progress-one-snapshot-at-a-time', `a snapshot at ${snapshotIndex} while one at ${this.pendingSnapshot} is pending`);
    this.resetState('snapshot');
    this.pendingSnapshot = snapshotIndex;
    if (!this.isPaused()) throw raftViolation('progress-snapshot-paused', 'a follower waiting for a snapshot must not be sent entries');
  }

  /** The follower acknowledged index n. Returns true if Match advanced. */
  maybeUpdate(n: number): boolean {
    const matchBefore = this.match;
    let updated = false;
    if (this.match < n) {
      this.match = n;
      updated = true;
      this.probeSent = false;
    }
    this.next = Math.max(this.next, n + 1);
    if (!(this.match >= matchBefore)) throw raftViolation('progress-match-monotonic', `match went from ${matchBefore} to ${this.match}`);
    if (!(this.match < this.next)) throw raftViolation('progress-match-below-next', `update: match ${this.match} next ${this.next}`);
    return updated;
  }

  /** In replicate state, entries up to n were sent: assume they will arrive. */
  optimisticUpdate(n: number): void {
    if (this.state !== 'replicate') throw raftViolation('progress-optimistic-in-replicate', `optimistic update in ${this.state}`);
    this.next = n + 1;
    if (!(this.match < this.next)) throw raftViolation('progress-match-below-next', `optimistic: match ${this.match} next ${this.next}`);
  }

  /**
   * The follower rejected a MsgApp at index `rejected`; `matchHint` is where it may match.
   * Returns false if the rejection is stale (it answers an older MsgApp).
   */
  maybeDecrTo(rejected: number, matchHint: number): boolean {
    if (this.state === 'replicate') {
      if (rejected <= this.match) return false; // stale: we already know it matches there
      this.next = this.match + 1;
      if (!(this.match < this.next)) throw raftViolation('progress-match-below-next', `replicate rejected: match ${this.match} next ${this.next}`);
      return true;
    }
    if (this.next - 1 !== rejected) return false; // not an answer to our latest probe
    this.next = Math.max(Math.min(rejected, matchHint + 1), this.match + 1, 1);
    this.probeSent = false;
    if (!(this.match < this.next)) throw raftViolation('progress-match-below-next', `match ${this.match} next ${this.next}`);
    return true;
  }

  /** Whether sending to this follower must wait (flow control). */
  isPaused(): boolean {
    switch (this.state) {
      case 'probe':
        return this.probeSent;
      case 'replicate':
        return this.inflights.full();
      case 'snapshot':
        return true;
    }
  }
}
