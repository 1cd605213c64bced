// One membership change driven through Raft the way an operator drives etcd's member API:
// MemberRemove the old member (it stops once the removal applies), wipe its data directory,
// MemberAdd a fresh member on the same endpoint as a learner (a new raft id, as etcd gives
// every added member), start it with an empty disk, and MemberPromote it once it has caught
// up (etcd's isLearnerReady: its match at least 90% of the leader's). Each step waits for the
// previous one to apply on the current leader and re-proposes after leader changes. With a
// joint transition, the removal and the promotion each go through a joint configuration (left
// automatically once it applies); the removed member stops once the joint one is left.
import type { ConfChangeSingle, ConfChangeTransition, ConfState } from '../../src/raft/types.ts';
import type { MemberHost } from './member-host.ts';
import { PhasedChange, POLL_US } from './phased-change.ts';
import type { PhasedCluster } from './phased-change.ts';

export type ReconfigurationPhase = 'remove' | 'add-learner' | 'start' | 'catch-up' | 'promote' | 'done' | 'abandoned';

/** What the driver needs from the cluster. */
export interface ReconfigurableCluster extends PhasedCluster {
  /** The live leader with the highest term, if any. */
  leaderHost(): MemberHost | undefined;
  /** Live hosts, for snapshots that hold the learner. */
  liveHosts(): MemberHost[];
  isUp(endpoint: string): boolean;
  /** Stops the endpoint's process (clean crash) if it is up. */
  stop(endpoint: string): void;
  /** Removes the endpoint's data (made durable) and makes its next start a fresh member `raftId`. */
  wipeAs(endpoint: string, raftId: number): void;
  /** Starts the endpoint's (crashed) process: it boots from its empty disk. */
  start(endpoint: string): void;
  /** Told when the driver finished or gave up. */
  finished(r: Reconfiguration): void;
}

/** etcd's readyPercent for promoting a learner. */
const LEARNER_READY_PERCENT = 90;

export class Reconfiguration extends PhasedChange<ReconfigurationPhase> {
  /** When the learner was first found caught up (learnerHoldUs counts from there). */
  private readyAtUs: number | undefined;

  constructor(
    private readonly cluster: ReconfigurableCluster,
    readonly endpoint: string,
    readonly oldRaftId: number,
    readonly newRaftId: number,
    readonly deadlineUs: number,
    /** How long the caught-up learner stays a learner before the promotion is proposed. */
    readonly learnerHoldUs = 0,
    /** How the removal and the promotion are proposed: 'auto' one-voter changes, or through a joint configuration. */
    readonly transition: ConfChangeTransition = 'auto',
  ) {
    super(cluster, 'remove');
  }

  /** The endpoint has no process the cluster counts on: between its removal and its fresh start. */
  get holdsEndpoint(): boolean {
    return this.phase === 'add-learner' || this.phase === 'start' || (this.phase === 'abandoned' && !this.cluster.isUp(this.endpoint));
  }

  protected tellFinished(): void {
    this.cluster.finished(this);
  }

  protected poll(): void {
    if (this.finished) return;
    if (this.cluster.nowUs() >= this.deadlineUs) return this.enter('abandoned');
    this.advance();
    if (!this.finished) this.cluster.schedule(POLL_US, () => this.poll());
  }

  private advance(): void {
    const c = this.cluster;
    const leader = c.leaderHost();
    switch (this.phase) {
      case 'remove': {
        if (leader === undefined) return;
        if (!inConfig(leader.member.membership, this.oldRaftId)) {
          c.stop(this.endpoint);
          c.wipeAs(this.endpoint, this.newRaftId);
          return this.enter('add-learner');
        }
        return this.propose(leader, { type: 'remove-node', nodeId: this.oldRaftId });
      }
      case 'add-learner': {
        if (leader === undefined) return;
        if (inConfig(leader.member.membership, this.newRaftId)) return this.enter('start');
        return this.propose(leader, { type: 'add-learner-node', nodeId: this.newRaftId });
      }
      case 'start': {
        // Every member that applied the learner snapshots and compacts its log, so whoever
        // leads sends the newcomer a snapshot holding the membership, never the log from 1.
        const ready = this.prepareJoinSnapshots(leader);
        if (!ready) return;
        if (!c.isUp(this.endpoint)) c.start(this.endpoint);
        return this.enter('catch-up');
      }
      case 'catch-up': {
        if (leader === undefined) return;
        // A leader elected since the start (or one that restarted) must also send a snapshot.
        this.prepareJoinSnapshots(leader);
        const raft = leader.recovered.raft.node.raft;
        const match = raft.prs.progress.get(this.newRaftId)?.match ?? 0;
        const leaderMatch = raft.raftLog.lastIndex();
        if (match * 100 < leaderMatch * LEARNER_READY_PERCENT) return;
        this.readyAtUs ??= c.nowUs();
        if (c.nowUs() - this.readyAtUs < this.learnerHoldUs) return;
        return this.enter('promote');
      }
      case 'promote': {
        if (leader === undefined) return;
        if (leader.member.membership.voters.includes(this.newRaftId)) return this.enter('done');
        return this.propose(leader, { type: 'add-node', nodeId: this.newRaftId });
      }
      case 'done':
      case 'abandoned':
        return;
    }
  }

  /**
   * Asks every live member that knows the learner for a join snapshot unless it would already
   * send one: its latest snapshot holds the learner and its log no longer starts at index 1
   * (an early snapshot that kept catch-up entries holds the learner but not a compacted log).
   * True when the leader is ready.
   */
  private prepareJoinSnapshots(leader: MemberHost | undefined): boolean {
    let ready = false;
    for (const h of this.cluster.liveHosts()) {
      if (!inConfig(h.member.membership, this.newRaftId)) continue;
      const storage = h.recovered.storage;
      if (inConfig(storage.snapshot().metadata.confState, this.newRaftId) && storage.firstIndex() > 1) {
        if (h === leader) ready = true;
      } else {
        h.requestSnapshot();
      }
    }
    return ready;
  }

  private propose(leader: MemberHost, change: ConfChangeSingle): void {
    if (!this.proposalDue()) return;
    leader.proposeConfChange({ transition: change.type === 'add-learner-node' ? 'auto' : this.transition, changes: [change], context: '' });
  }
}

export function inConfig(cs: ConfState, id: number): boolean {
  return cs.voters.includes(id) || cs.learners.includes(id) || cs.votersOutgoing.includes(id) || cs.learnersNext.includes(id);
}
