// leader-is-voter: a member leads only as a voter of its own configuration (either half of a
// joint one). Raft never lets a learner campaign (etcd-raft's promotable) and an election counts
// only voters, so a learner in office means a member outside the quorums the configuration
// defines decides what commits; a leader that applies its own removal or demotion steps down in
// that same step (stepDownOnRemoval). Checked on every leader after every event, from the
// tracker configuration its raft holds.
import type { Raft } from '../../src/raft/raft.ts';

/** Undefined when `raft` is not a leader or leads as a voter; else why it breaks leader-is-voter. */
export function leaderOutsideVoters(raft: Raft): string | undefined {
  if (raft.state !== 'leader') return undefined;
  const voters = raft.prs.config.voters;
  if (voters.incoming.ids.has(raft.id) || voters.outgoing.ids.has(raft.id)) return undefined;
  const role = raft.prs.config.learners.has(raft.id) ? 'a learner' : 'not a member';
  return `leads term ${raft.term} while ${role} of its configuration (voters ${voters.toString()})`;
}
