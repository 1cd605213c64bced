// election-lost-unwinnable: a campaign counts lost only when no majority is possible any more.
import { describe, expect, it } from 'vitest';
import { lostWinnable, type CampaignBefore } from '../../../sim/etcd/election-lost-unwinnable.ts';
import { message } from '../../../src/raft/types.ts';

const campaign = (votes: [number, boolean][], incoming = [1, 2, 3], outgoing: number[] = []): CampaignBefore => ({ state: 'candidate', term: 5, votes: new Map(votes), incoming, outgoing });
const refusal = (from: number) => message({ type: 'MsgVoteResp', from, to: 1, term: 5, reject: true });

describe('election-lost-unwinnable', () => {
  it('flags a candidate of three that gives up on one refusal while the third voter has not answered', () => {
    expect(lostWinnable(refusal(2), campaign([[1, true]]), 'follower', 5)).toMatch(/gave up its election of term 5/);
  });

  it('passes a candidate that gives up once two of three refused', () => {
    expect(lostWinnable(refusal(3), campaign([[1, true], [2, false]]), 'follower', 5)).toBeUndefined();
  });

  it('judges each half of a joint configuration: lost in the outgoing half is lost', () => {
    expect(lostWinnable(refusal(5), campaign([[1, true], [4, false]], [1, 2, 3], [1, 4, 5]), 'follower', 5)).toBeUndefined();
    expect(lostWinnable(refusal(2), campaign([[1, true]], [1, 2, 3], [1, 4, 5]), 'follower', 5)).toMatch(/&&/);
  });

  it('leaves alone a campaign still running, a move to another term, and an answer of the other kind', () => {
    expect(lostWinnable(refusal(2), campaign([[1, true]]), 'candidate', 5)).toBeUndefined();
    expect(lostWinnable(refusal(2), campaign([[1, true]]), 'follower', 6)).toBeUndefined();
    const preVoteAnswer = message({ type: 'MsgPreVoteResp', from: 2, to: 1, term: 5, reject: true });
    expect(lostWinnable(preVoteAnswer, campaign([[1, true]]), 'follower', 5)).toBeUndefined();
  });

  it('counts only a voter\'s first answer (etcd-raft records the first)', () => {
    // 2 granted before: its late refusal does not count, and 1 and 2 make a majority of three.
    expect(lostWinnable(refusal(2), campaign([[1, true], [2, true]]), 'follower', 5)).toMatch(/gave up/);
  });
});
