// Operators calling etcd's member API the way etcd clients do, several at once and none waiting
// for another: each sends MemberAdd (as a learner: a member added but not started yet) or
// MemberRemove (of such a learner) to whichever member leads now, waits for the change to
// apply there, and when it cannot tell — the leader changed, or the request timed out, as
// etcd's configure() does — sends a DIFFERENT change to the current leader at once: nothing
// serialises them, so a leader often receives a second change while another is unapplied,
// and a new leader one while the old leader's change is still uncommitted in its log. etcd-raft
// refuses (drops) such a change (pendingConfIndex); the cluster invariant conf-change-pending
// (cluster-invariants.ts) fails a leader that appends one.
//
// The learners never start: their raft ids map to one endpoint that swallows what they are
// sent, as messages to a member that has not started go nowhere. They are never promoted
// (etcd refuses to promote a learner that has not caught up), so no quorum changes.
import type { ConfChangeSingle, ConfState } from '../../src/raft/types.ts';
import type { Prng } from '../world/prng.ts';
import type { MemberHost } from './member-host.ts';

/** What the operators need from the cluster. */
export interface OperatedCluster {
  nowUs(): number;
  schedule(delayUs: number, f: () => void): void;
  /** The live leader with the highest term, if any. */
  leaderHost(): MemberHost | undefined;
  /** A new raft id for a member to add (never reused), reachable but never started. */
  newLearnerId(): number;
}

export interface MemberOperatorOptions {
  /** Operators sending requests at once (1..). */
  readonly operators: number;
  /** An operator gives up on a request it cannot see applied after this long (µs). */
  readonly requestTimeoutUs: number;
  /** How often an operator looks at the cluster (µs): a new leader is seen within this. */
  readonly pollUs: number;
  /** At the bound of added, never-started learners an operator removes one (operators racing may pass it by a few). */
  readonly learnersMax: number;
}

export const MEMBER_OPERATOR_DEFAULTS: Omit<MemberOperatorOptions, 'operators'> = {
  requestTimeoutUs: 300_000,
  pollUs: 1000,
  learnersMax: 2,
};

interface Request {
  readonly change: ConfChangeSingle;
  /** The leader it was sent to, and that leader's term then. */
  readonly leader: string;
  readonly term: number;
  readonly sentUs: number;
}

/** The ids a stream of operators added as learners (they never start). */
function addedLearners(cs: ConfState, ours: ReadonlySet<number>): number[] {
  return cs.learners.filter((id) => ours.has(id));
}

function applied(change: ConfChangeSingle, cs: ConfState): boolean {
  const present = cs.voters.includes(change.nodeId) || cs.learners.includes(change.nodeId);
  return change.type === 'remove-node' ? !present : present;
}

export class MemberOperators {
  private readonly pending: (Request | undefined)[];
  private readonly ours = new Set<number>();
  private stopped = false;
  /** Requests sent (refused at once too), requests seen applied, requests whose outcome the operator could not tell. */
  readonly counts = { sent: 0, applied: 0, unknown: 0 };

  constructor(
    private readonly cluster: OperatedCluster,
    private readonly prng: Prng,
    private readonly options: MemberOperatorOptions,
  ) {
    this.pending = Array.from({ length: options.operators }, () => undefined);
    for (let i = 0; i < options.operators; i++) cluster.schedule(0, () => this.poll(i));
  }

  stop(): void {
    this.stopped = true;
  }

  private poll(i: number): void {
    if (this.stopped) return;
    this.step(i);
    this.cluster.schedule(this.options.pollUs, () => this.poll(i));
  }

  private step(i: number): void {
    const leader = this.cluster.leaderHost();
    if (leader === undefined) return;
    const cs = leader.member.membership;
    const req = this.pending[i];
    if (req !== undefined) {
      if (applied(req.change, cs)) {
        this.counts.applied++;
        this.pending[i] = undefined;
      } else {
        const sameLeader = req.leader === leader.id && req.term === leader.term;
        if (sameLeader && this.cluster.nowUs() - req.sentUs < this.options.requestTimeoutUs) return;
        // Unknown outcome: the change may still apply. The operator moves on to another.
        this.counts.unknown++;
        this.pending[i] = undefined;
      }
    }
    this.send(i, leader, cs, req?.change);
  }

  /** Sends a change unlike `previous` (the one whose outcome is unknown) to `leader`. */
  private send(i: number, leader: MemberHost, cs: ConfState, previous: ConfChangeSingle | undefined): void {
    const added = addedLearners(cs, this.ours);
    // Not the removal whose outcome is unknown again: another learner, or an addition.
    const learners = added.filter((id) => !(previous?.type === 'remove-node' && previous.nodeId === id));
    const remove = learners.length > 0 && (added.length >= this.options.learnersMax || this.prng.chance(1, 2));
    let change: ConfChangeSingle;
    if (remove) {
      change = { type: 'remove-node', nodeId: this.prng.pick(learners) };
    } else {
      const id = this.cluster.newLearnerId();
      this.ours.add(id);
      change = { type: 'add-learner-node', nodeId: id };
    }
    this.counts.sent++;
    // Refused at once (the member does not know yet that it leads, or was removed): an error
    // the operator sees, so it asks again at its next look. Accepted: its outcome is awaited.
    if (!leader.proposeConfChange({ transition: 'auto', changes: [change], context: '' })) return;
    this.pending[i] = { change, leader: leader.id, term: leader.term, sentUs: this.cluster.nowUs() };
  }
}
