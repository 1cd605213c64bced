// Computes the configuration that a membership change leads to, without touching the live
// tracker: the caller switches to the result only if it is valid. Joint consensus follows
// §4.3 of the Raft thesis; simple changes may alter at most one voter (§4.1).
import type { ConfChangeSingle, NodeId } from '../types.ts';
import { JointConfig } from '../quorum/joint.ts';
import { MajorityConfig } from '../quorum/majority.ts';
import { Progress } from '../tracker/progress.ts';
import type { ProgressMap, TrackerConfig } from '../tracker/tracker.ts';
import type { ProgressTracker } from '../tracker/tracker.ts';
import { violated } from '../../invariant-violation.ts';

/** A new configuration and progress map, or the reason the change is refused. */
export type ChangeResult = { ok: true; config: TrackerConfig; progress: ProgressMap } | { ok: false; reason: string };

interface Working {
  incoming: Set<NodeId>;
  outgoing: Set<NodeId>;
  learners: Set<NodeId>;
  learnersNext: Set<NodeId>;
  autoLeave: boolean;
  progress: ProgressMap;
}

export class Changer {
  private readonly tracker: ProgressTracker;
  /** The leader's last index: new members start probing right after it. */
  private readonly lastIndex: number;

  constructor(tracker: ProgressTracker, lastIndex: number) {
    this.tracker = tracker;
    this.lastIndex = lastIndex;
  }

  /** Enters a joint configuration: outgoing = current voters, incoming = them with `ccs` applied. */
  enterJoint(autoLeave: boolean, ccs: readonly ConfChangeSingle[]): ChangeResult {
    const w = this.copy();
    if (w.outgoing.size > 0) return { ok: false, reason: 'config is already joint' };
    if (w.incoming.size === 0) return { ok: false, reason: "can't make a zero-voter config joint" };
    for (const id of w.incoming) w.outgoing.add(id);
    const err = this.apply(w, ccs);
    if (err !== undefined) return { ok: false, reason: err };
    w.autoLeave = autoLeave;
    return this.checkAndReturn(w);
  }

  /** Leaves the joint configuration: drops the outgoing half, demotes learnersNext. */
  leaveJoint(): ChangeResult {
    const w = this.copy();
    if (w.outgoing.size === 0) return { ok: false, reason: "can't leave a non-joint config" };
    for (const id of w.learnersNext) {
      w.learners.add(id);
      (w.progress.get(id) as Progress).isLearner = true;
    }
    w.learnersNext.clear();
    for (const id of w.outgoing) {
      if (!w.incoming.has(id) && !w.learners.has(id)) w.progress.delete(id);
    }
    w.outgoing.clear();
    w.autoLeave = false;
    return this.checkAndReturn(w);
  }

  /** Applies changes that alter at most one voter, without a joint configuration. */
  simple(ccs: readonly ConfChangeSingle[]): ChangeResult {
    const w = this.copy();
    if (w.outgoing.size > 0) return { ok: false, reason: "can't apply simple config change in joint config" };
    const before = new Set(w.incoming);
    const err = this.apply(w, ccs);
    if (err !== undefined) return { ok: false, reason: err };
    let changed = 0;
    for (const id of before) if (!w.incoming.has(id)) changed++;
    for (const id of w.incoming) if (!before.has(id)) changed++;
    if (changed > 1) return { ok: false, reason: 'more than one voter changed without entering joint config' };
    return this.checkAndReturn(w);
  }

  private apply(w: Working, ccs: readonly ConfChangeSingle[]): string | undefined {
    for (const cc of ccs) {
      if (cc.nodeId === 0) continue; // etcd ignores changes to node 0
      switch (cc.type) {
        case 'add-node':
          this.makeVoter(w, cc.nodeId);
          break;
        case 'add-learner-node':
          this.makeLearner(w, cc.nodeId);
          break;
        case 'remove-node':
          this.remove(w, cc.nodeId);
          break;
      }
    }
    if (w.incoming.size === 0) return 'removed all voters';
    return undefined;
  }

  private makeVoter(w: Working, id: NodeId): void {
    const pr = w.progress.get(id);
    if (pr === undefined) {
      this.initProgress(w, id, false);
      return;
    }
    pr.isLearner = false;
    w.learners.delete(id);
    w.learnersNext.delete(id);
    w.incoming.add(id);
  }

  private makeLearner(w: Working, id: NodeId): void {
    const pr = w.progress.get(id);
    if (pr === undefined) {
      this.initProgress(w, id, true);
      return;
    }
    if (pr.isLearner) return;
    this.remove(w, id);
    w.progress.set(id, pr); // keep its Progress: it stays a member
    // A voter of the outgoing half cannot be a learner yet: it becomes one on leaving.
    if (w.outgoing.has(id)) {
      w.learnersNext.add(id);
    } else {
      pr.isLearner = true;
      w.learners.add(id);
    }
  }

  private remove(w: Working, id: NodeId): void {
    if (!w.progress.has(id)) return;
    w.incoming.delete(id);
    w.learners.delete(id);
    w.learnersNext.delete(id);
    // An outgoing voter still votes until the joint config is left: keep its Progress.
    if (!w.outgoing.has(id)) w.progress.delete(id);
  }

  private initProgress(w: Working, id: NodeId, isLearner: boolean): void {
    if (isLearner) w.learners.add(id);
    else w.incoming.add(id);
    // Start probing at our last index; recentActive so CheckQuorum does not count it as down
    // before it had a chance to answer.
    const pr = new Progress(0, Math.max(this.lastIndex, 1), this.tracker.maxInflight, isLearner);
    pr.recentActive = true;
    w.progress.set(id, pr);
  }

  private copy(): Working {
    const c = this.tracker.config;
    const progress: ProgressMap = new Map();
    for (const [id, pr] of this.tracker.progress) {
      const copy = new Progress(pr.match, pr.next, this.tracker.maxInflight, pr.isLearner);
      copy.state = pr.state;
      copy.pendingSnapshot = pr.pendingSnapshot;
      copy.recentActive = pr.recentActive;
      copy.probeSent = pr.probeSent;
      copy.inflights = pr.inflights.clone();
      progress.set(id, copy);
    }
    return {
      incoming: new Set(c.voters.incoming.ids),
      outgoing: new Set(c.voters.outgoing.ids),
      learners: new Set(c.learners),
      learnersNext: new Set(c.learnersNext),
      autoLeave: c.autoLeave,
      progress,
    };
  }

  private checkAndReturn(w: Working): ChangeResult {
    const err = checkInvariants(w);
    if (err !== undefined) throw violated('raft', 'conf-change-valid', `${err}`);
    const config: TrackerConfig = {
      voters: new JointConfig(new MajorityConfig(w.incoming), new MajorityConfig(w.outgoing)),
      learners: w.learners,
      learnersNext: w.learnersNext,
      autoLeave: w.autoLeave,
    };
    return { ok: true, config, progress: w.progress };
  }
}

/** The structural invariants of a configuration; returns a description of the first broken one. */
function checkInvariants(w: Working): string | undefined {
  for (const ids of [w.incoming, w.outgoing, w.learners, w.learnersNext]) {
    for (const id of ids) if (!w.progress.has(id)) return `no progress for ${id}`;
  }
  for (const id of w.learnersNext) {
    if (!w.outgoing.has(id)) return `${id} is in LearnersNext, but not Voters[1]`;
    if ((w.progress.get(id) as Progress).isLearner) return `${id} is in LearnersNext, but is already marked as learner`;
  }
  for (const id of w.learners) {
    if (w.outgoing.has(id)) return `${id} is in Learners and Voters[1]`;
    if (w.incoming.has(id)) return `${id} is in Learners and Voters[0]`;
    if (!(w.progress.get(id) as Progress).isLearner) return `${id} is in Learners, but is not marked as learner`;
  }
  if (w.outgoing.size === 0) {
    if (w.learnersNext.size > 0) return 'cfg.LearnersNext must be nil when not joint';
    if (w.autoLeave) return 'AutoLeave must be false when not joint';
  }
  return undefined;
}
