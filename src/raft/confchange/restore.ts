// Rebuilds a configuration and fresh progress from a ConfState (on restart or when a
// snapshot is installed).
import type { ConfState } from '../types.ts';
import { JointConfig } from '../quorum/joint.ts';
import { MajorityConfig } from '../quorum/majority.ts';
import { Progress } from '../tracker/progress.ts';
import type { ProgressMap, TrackerConfig } from '../tracker/tracker.ts';
import { invariant } from '../errors.ts';

export function restoreConfig(cs: ConfState, lastIndex: number, maxInflight: number): { config: TrackerConfig; progress: ProgressMap } {
  const incoming = new Set(cs.voters);
  const outgoing = new Set(cs.votersOutgoing);
  const learners = new Set(cs.learners);
  const learnersNext = new Set(cs.learnersNext);
  for (const id of learners) {
    invariant(!incoming.has(id) && !outgoing.has(id), 'learners-disjoint-from-voters', () => `${id} is a learner and a voter`);
  }
  for (const id of learnersNext) {
    invariant(outgoing.has(id) && !incoming.has(id), 'learners-next-are-outgoing', () => `${id} in learnersNext is not an outgoing-only voter`);
  }
  invariant(outgoing.size > 0 || (learnersNext.size === 0 && !cs.autoLeave), 'joint-fields-only-when-joint', () => JSON.stringify(cs));
  const progress: ProgressMap = new Map();
  const ids = [...new Set([...incoming, ...outgoing, ...learners])].sort((a, b) => a - b);
  for (const id of ids) {
    const pr = new Progress(0, lastIndex + 1, maxInflight, learners.has(id));
    pr.recentActive = true;
    progress.set(id, pr);
  }
  const config: TrackerConfig = {
    voters: new JointConfig(new MajorityConfig(incoming), new MajorityConfig(outgoing)),
    learners,
    learnersNext,
    autoLeave: cs.autoLeave,
  };
  return { config, progress };
}
