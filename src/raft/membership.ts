// Membership as it changes under a running member: applying a committed conf change, switching
// the tracker to the new configuration (stepping down if this leader was removed), leaving an
// auto-leave joint configuration, and installing a snapshot (which carries a configuration).
import type { Raft } from './raft.ts';
import type { ConfChange, ConfState, Snapshot } from './types.ts';
import { NONE, encodeConfChange } from './types.ts';
import { invariant } from './errors.ts';
import type { ProgressMap, TrackerConfig } from './tracker/tracker.ts';
import { Changer } from './confchange/changer.ts';
import { computeChange } from './confchange/conf-change-kind.ts';
import { restoreConfig } from './confchange/restore.ts';
import { bcastAppend, maybeSendAppend, sendTimeoutNow } from './replication.ts';

/**
 * Installs a snapshot sent by the leader. Returns false if it is older than our commit index
 * (an older snapshot never replaces newer state) or already matches our log.
 */
export function restoreSnapshot(r: Raft, s: Snapshot): boolean {
  const meta = s.metadata;
  const older = meta.index <= r.raftLog.committed;
  if (older && r.unsafe.installOlderSnapshot !== true) return false;
  if (r.state !== 'follower') {
    // Only a follower receives snapshots (it stepped down on seeing the leader's term).
    r.becomeFollower(r.term + 1, NONE);
    return false;
  }
  const cs = meta.confState;
  const member = [cs.voters, cs.learners, cs.votersOutgoing].some((ids) => ids.includes(r.id));
  if (!member) return false; // a snapshot that removes us: ignore it, we will be removed anyway
  if (!older && r.raftLog.matchTerm(meta.index, meta.term)) {
    // We have the entry: fast-forward the commit index instead of dropping the log.
    r.raftLog.commitTo(meta.index);
    return false;
  }
  r.raftLog.restore(s);
  const restored = restoreConfig(cs, r.raftLog.lastIndex(), r.cfg.maxInflightMsgs);
  switchToConfig(r, restored.config, restored.progress);
  return true;
}

export function applyConfChange(r: Raft, cc: ConfChange): ConfState {
  // A snapshot restored while the host still applies entries handed out before it (raft steps
  // messages while a Ready is in flight) is past all of them, and its configuration with them:
  // applying their conf changes again on top of it gives a configuration no member ever held at
  // any index (swarm seed 108: a learner added and later removed came back). etcd-raft 3.4 does
  // apply it; the snapshot's configuration is the one the log agrees with.
  if (r.raftLog.hasPendingSnapshot()) return r.prs.confState();
  const changer = new Changer(r.prs, r.raftLog.lastIndex());
  const res = computeChange(changer, cc);
  // The leader validated the change against this same configuration when it was proposed
  // (only one may be pending), so a refusal here means the log and the config disagree.
  invariant(res.ok, 'conf-change-applies', () => (res.ok ? '' : `${res.reason} (${JSON.stringify(cc)})`));
  return switchToConfig(r, res.config, res.progress);
}

export function switchToConfig(r: Raft, config: TrackerConfig, progress: ProgressMap): ConfState {
  r.prs.config = config;
  r.prs.progress = progress;
  const cs = r.prs.confState();
  const pr = progress.get(r.id);
  r.isLearner = pr?.isLearner ?? false;
  if ((pr === undefined || r.isLearner) && r.state === 'leader') {
    // This leader was removed (or demoted). Hand over to an up-to-date voter if there is
    // one, then step down: it may no longer count itself in any quorum.
    if (r.cfg.stepDownOnRemoval) {
      handOverOnRemoval(r);
      r.becomeFollower(r.term, NONE);
    }
    return cs;
  }
  if (r.state !== 'leader' || cs.voters.length === 0) return cs;
  // The quorum may have changed: the commit index may move, new members need entries.
  if (r.maybeCommit()) {
    bcastAppend(r);
  } else {
    r.prs.visit((id) => {
      if (id !== r.id) maybeSendAppend(r, id, false);
    });
  }
  if (r.leadTransferee !== NONE && !r.prs.config.voters.has(r.leadTransferee)) r.abortLeaderTransfer();
  return cs;
}

function handOverOnRemoval(r: Raft): void {
  const lastIndex = r.raftLog.lastIndex();
  for (const id of r.prs.config.voters.ids()) {
    const pr = r.prs.progress.get(id);
    if (id !== r.id && pr !== undefined && pr.match === lastIndex) {
      sendTimeoutNow(r, id);
      return;
    }
  }
}

/** A leader in an auto-leave joint config proposes the leave once the enter is applied. */
export function onApplied(r: Raft, oldApplied: number, newApplied: number): void {
  if (!r.prs.config.autoLeave || r.state !== 'leader') return;
  if (oldApplied > r.pendingConfIndex || newApplied < r.pendingConfIndex) return;
  const leave: ConfChange = { transition: 'auto', changes: [], context: '' };
  const ok = r.appendEntry([{ term: 0, index: 0, type: 'conf-change', data: encodeConfChange(leave) }], true);
  invariant(ok, 'auto-leave-appended', () => 'refused un-refusable auto-leaving ConfChange');
  r.pendingConfIndex = r.raftLog.lastIndex();
  bcastAppend(r);
}
