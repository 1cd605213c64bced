// Election time after the leader crashes, with etcd's defaults (100 ms heartbeat, 1 s election
// timeout randomized to [1 s, 2 s), PreVote and CheckQuorum). The first follower to time out
// usually wins (about 1.3 s: the earlier of two timeouts drawn in [1 s, 2 s)); when two time
// out together the vote splits and another randomized timeout passes, hence the worst case.
import { describe, expect, it } from 'vitest';
import { measureElectionAfterLeaderCrash, summarize } from '../../support/raft/election-timing.ts';

describe('election time after a leader crash', () => {
  it('over 60 seeds a 3-member cluster elects a new leader within 4.5 s (two randomized timeouts), median between 1 and 1.6 s', () => {
    const times = Array.from({ length: 60 }, (_, i) => measureElectionAfterLeaderCrash(i + 1, 3).electionMs);
    const s = summarize(times);
    expect(s.worstMs).toBeLessThan(4_500);
    expect(s.medianMs).toBeGreaterThan(1_000);
    expect(s.medianMs).toBeLessThan(1_600);
  });
});
