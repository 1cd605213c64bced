// token-index-waited judges unary answers only: a watch stream opened with a simple token had its
// creates judged by nothing, and the raft verdict said "no Raft invariant broken" without a word of
// it (auth-permissions seed 1: 61 such streams). It counts them now, and the verdict names them.
import { describe, expect, it } from 'vitest';
import { TokenIndexWaited } from '../../../sim/etcd/token-index-waited.ts';
import { notJudgedText } from '../../../sim/check/not-judged.ts';

describe('token-index-waited says what it does not judge', () => {
  it('counts watch streams opened with a simple token', () => {
    const t = new TokenIndexWaited({ fail: () => undefined });
    t.onWatchOpen({ kind: 'watch-send', id: 1, stream: 1, body: {}, open: true, token: 'abc.7' });
    t.onWatchOpen({ kind: 'watch-send', id: 2, stream: 2, body: {}, open: true, token: 'abc.9' });
    // No token, or not a simple one (a JWT has no index): nothing to wait for, nothing unjudged.
    t.onWatchOpen({ kind: 'watch-send', id: 3, stream: 3, body: {}, open: true });
    t.onWatchOpen({ kind: 'watch-send', id: 4, stream: 4, body: {}, open: true, token: 'a.b.c' });
    expect(t.notJudged().map(notJudgedText)).toEqual(['2 watch streams not judged: opened with a simple token, and token-index-waited reads unary answers only (an early "invalid auth token" to a create is not looked for)']);
  });

  it('says nothing when it saw nothing it does not judge', () => {
    expect(new TokenIndexWaited({ fail: () => undefined }).notJudged()).toEqual([]);
  });
});
