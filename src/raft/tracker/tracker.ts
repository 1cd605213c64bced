// The leader's (and a candidate's) bookkeeping over the whole membership: the configuration,
// one Progress per member, and the votes of the current election.
import type { ConfState, NodeId } from '../types.ts';
import { JointConfig } from '../quorum/joint.ts';
import { insertionSort } from '../../sort/insertion-sort.ts';
import type { VoteResult } from '../quorum/vote-result.ts';
import type { Progress } from './progress.ts';

/** A membership configuration (etcd's tracker.Config). */
export interface TrackerConfig {
  readonly voters: JointConfig;
  /** Non-voting members. Invariant: disjoint from both halves of `voters`. */
  readonly learners: ReadonlySet<NodeId>;
  /**
   * Voters of the outgoing half that become learners when the joint config is left. A member
   * cannot be a learner and a voter at once, so they wait here. Invariant: each is an
   * outgoing voter, not an incoming one.
   */
  readonly learnersNext: ReadonlySet<NodeId>;
  readonly autoLeave: boolean;
}

export function emptyConfig(): TrackerConfig {
  return { voters: new JointConfig(), learners: new Set(), learnersNext: new Set(), autoLeave: false };
}

export function configString(c: TrackerConfig): string {
  let s = `voters=${c.voters.toString()}`;
  if (c.learners.size > 0) s += ` learners=(${[...c.learners].sort((a, b) => a - b).join(' ')})`;
  if (c.learnersNext.size > 0) s += ` learners_next=(${[...c.learnersNext].sort((a, b) => a - b).join(' ')})`;
  if (c.autoLeave) s += ' autoleave';
  return s;
}

export type ProgressMap = Map<NodeId, Progress>;

export class ProgressTracker {
  config: TrackerConfig = emptyConfig();
  progress: ProgressMap = new Map();
  votes = new Map<NodeId, boolean>();
  readonly maxInflight: number;

  constructor(maxInflight: number) {
    this.maxInflight = maxInflight;
  }

  confState(): ConfState {
    const sorted = (s: Iterable<NodeId>): NodeId[] => [...s].sort((a, b) => a - b);
    return {
      voters: this.config.voters.incoming.sorted(),
      votersOutgoing: this.config.voters.outgoing.sorted(),
      learners: sorted(this.config.learners),
      learnersNext: sorted(this.config.learnersNext),
      autoLeave: this.config.autoLeave,
    };
  }

  isSingleton(): boolean {
    return this.config.voters.incoming.size === 1 && !this.config.voters.isJoint();
  }

  /** The largest index a quorum (of both halves, when joint) has persisted. */
  committed(): number {
    return this.config.voters.committedIndex((id) => this.progress.get(id)?.match);
  }

  /** Every member with a Progress, in increasing id order (deterministic message order). */
  ids(): NodeId[] {
    return insertionSort([...this.progress.keys()]);
  }

  visit(fn: (id: NodeId, pr: Progress) => void): void {
    for (const id of this.ids()) fn(id, this.progress.get(id) as Progress);
  }

  /** True if a quorum was recently active (CheckQuorum). The leader counts itself. */
  quorumActive(): boolean {
    const votes = new Map<NodeId, boolean>();
    this.visit((id, pr) => {
      if (!pr.isLearner) votes.set(id, pr.recentActive);
    });
    return this.config.voters.voteResult(votes) === 'won';
  }

  voterNodes(): NodeId[] {
    return this.config.voters.ids();
  }

  learnerNodes(): NodeId[] {
    return [...this.config.learners].sort((a, b) => a - b);
  }

  resetVotes(): void {
    this.votes = new Map();
  }

  /** Records a vote; a member's first answer in an election is the one that counts. */
  recordVote(id: NodeId, granted: boolean): void {
    if (!this.votes.has(id)) this.votes.set(id, granted);
  }

  tallyVotes(): { granted: number; rejected: number; result: VoteResult } {
    let granted = 0;
    let rejected = 0;
    this.visit((id, pr) => {
      if (pr.isLearner) return;
      const v = this.votes.get(id);
      if (v === undefined) return;
      if (v) granted++;
      else rejected++;
    });
    return { granted, rejected, result: this.config.voters.voteResult(this.votes) };
  }
}
