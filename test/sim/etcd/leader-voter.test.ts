// leader-is-voter: a voter that leads passes; a learner that leads fails (what a learner that may
// campaign, holdout mutant learner-promotable, leads to), and so does a leader outside its config.
import { describe, expect, it } from 'vitest';
import { leaderOutsideVoters } from '../../../sim/etcd/leader-voter.ts';
import { newStorage, newTestRaft } from '../../src/raft/helpers.ts';

describe('leader-is-voter', () => {
  it('passes a voter that leads, and any member that does not lead', () => {
    const voter = newTestRaft(1, 10, 1, newStorage([1]));
    voter.campaign('election');
    expect(voter.state).toBe('leader');
    expect(leaderOutsideVoters(voter)).toBeUndefined();
    const learner = newTestRaft(1, 10, 1, newStorage([2, 3], [1]));
    expect(learner.state).toBe('follower');
    expect(leaderOutsideVoters(learner)).toBeUndefined();
  });

  it('fails a learner that leads, naming its role and the voters', () => {
    const learner = newTestRaft(1, 10, 1, newStorage([2, 3], [1]));
    learner.state = 'leader';
    expect(leaderOutsideVoters(learner)).toMatch(/leads term 0 while a learner of its configuration/);
    const stranger = newTestRaft(4, 10, 1, newStorage([1, 2, 3]));
    stranger.state = 'leader';
    expect(leaderOutsideVoters(stranger)).toMatch(/while not a member/);
  });
});
