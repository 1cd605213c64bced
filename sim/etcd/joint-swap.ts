// Membership changes of several voters at once, each one ConfChangeV2 through a joint
// configuration (etcd-raft's EnterJoint with transition JointImplicit, left automatically), on
// the members' own raft ids: no member is stopped, wiped or started, a demoted voter stays up as
// a learner. Three steps, each waiting for the previous one to be left on the current leader:
//   shrink  demote two followers at once (one when the cluster has an even number of voters),
//           so that the incoming voters are an odd-sized minority of the outgoing ones: with 3
//           voters the incoming configuration is the leader alone;
//   swap    with 3 or more voters left, promote one demoted member and demote another follower
//           in one change (add Y, remove X);
//   grow    promote every member still demoted, back to the voters it started with.
// In every step a majority of the incoming voters is not a majority of the outgoing ones (with
// 3 and 5 voters; §4.3 of the Raft thesis), so a commit or an election counted on the incoming
// half alone is wrong there, where one-voter changes never tell.
import type { ConfChangeSingle, ConfState } from '../../src/raft/types.ts';
import type { MemberHost } from './member-host.ts';
import { PhasedChange, POLL_US } from './phased-change.ts';
import type { PhasedCluster } from './phased-change.ts';

export type JointSwapPhase = 'shrink' | 'swap' | 'grow' | 'done' | 'abandoned';

/** What the driver needs from the cluster. */
export interface JointSwapCluster extends PhasedCluster {
  /** The live leader with the highest term, if any. */
  leaderHost(): MemberHost | undefined;
  /** Told when the driver finished or gave up. */
  finished(s: JointSwap): void;
}


export class JointSwap extends PhasedChange<JointSwapPhase> {
  /** The members this change demoted and has not promoted again. */
  private readonly demoted = new Set<number>();
  /** The swap step's pair, chosen at its first proposal. */
  private swapPair: { promote: number; demote: number } | undefined;

  constructor(
    private readonly cluster: JointSwapCluster,
    /** The endpoint the fault named: demoted first when it is a follower. */
    readonly endpoint: string,
    /** Its raft id. */
    readonly raftId: number,
    /** The voters when the change started; the grow step ends with them all voters again. */
    readonly votersBefore: readonly number[],
    readonly deadlineUs: number,
  ) {
    super(cluster, 'shrink');
  }

  /** Every member stays up: no endpoint is held. */
  get holdsEndpoint(): boolean {
    return false;
  }

  protected tellFinished(): void {
    this.cluster.finished(this);
  }

  protected poll(): void {
    if (this.finished) return;
    if (this.cluster.nowUs() >= this.deadlineUs) return this.enter('abandoned');
    const leader = this.cluster.leaderHost();
    // A joint configuration is being left: wait until it is (the leader proposes the leave).
    if (leader !== undefined && leader.member.membership.votersOutgoing.length === 0) this.advance(leader);
    if (!this.finished) this.cluster.schedule(POLL_US, () => this.poll());
  }

  private advance(leader: MemberHost): void {
    const cs = leader.member.membership;
    switch (this.phase) {
      case 'shrink': {
        const demotedNow = this.votersBefore.filter((id) => cs.learners.includes(id));
        if (demotedNow.length > 0) {
          for (const id of demotedNow) this.demoted.add(id);
          return this.enter(cs.voters.length >= 3 ? 'swap' : 'grow');
        }
        const followers = orderedFollowers(cs, leader.config.id, this.raftId);
        const k = cs.voters.length % 2 === 1 ? 2 : 1;
        if (followers.length < k) return this.enter('abandoned');
        return this.propose(leader, followers.slice(0, k).map((nodeId) => ({ type: 'add-learner-node', nodeId })));
      }
      case 'swap': {
        const pair = this.swapPair;
        if (pair !== undefined && cs.voters.includes(pair.promote) && cs.learners.includes(pair.demote)) {
          this.demoted.delete(pair.promote);
          this.demoted.add(pair.demote);
          return this.enter('grow');
        }
        // Chosen (again) while nothing applied: the follower to demote must not lead now.
        const demote = orderedFollowers(cs, leader.config.id, this.raftId)[0];
        const promote = [...this.demoted].find((id) => cs.learners.includes(id));
        if (demote === undefined || promote === undefined) return this.enter('grow');
        this.swapPair = { promote, demote };
        return this.propose(leader, [{ type: 'add-node', nodeId: promote }, { type: 'add-learner-node', nodeId: demote }]);
      }
      case 'grow': {
        const learners = this.votersBefore.filter((id) => cs.learners.includes(id));
        if (learners.length === 0) return this.enter('done');
        return this.propose(leader, learners.map((nodeId) => ({ type: 'add-node', nodeId })));
      }
      case 'done':
      case 'abandoned':
        return;
    }
  }

  private propose(leader: MemberHost, changes: ConfChangeSingle[]): void {
    if (!this.proposalDue()) return;
    leader.proposeConfChange({ transition: 'joint-implicit', changes, context: '' });
  }
}

/** The voters other than the leader, the named member first (when it is one of them). */
function orderedFollowers(cs: ConfState, leaderId: number, first: number): number[] {
  const followers = cs.voters.filter((id) => id !== leaderId);
  return followers.includes(first) ? [first, ...followers.filter((id) => id !== first)] : followers;
}
