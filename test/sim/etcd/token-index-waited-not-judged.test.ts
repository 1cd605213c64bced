// token-index-waited judged unary answers only: a watch stream opened with a simple token had its
// creates judged by nothing (auth-permissions seed 1: 61 such streams; the twentieth session
// counted them under the raft verdict). A create refused "invalid auth token" by a member that has
// not applied the token's index is now the same early lookup as a unary one; what is left unjudged
// (streams past the per-member bound) is counted, and the verdict names it.
import { describe, expect, it } from 'vitest';
import type { WatchResponseMessage, WatchSendMessage } from '../../../src/server/client-protocol.ts';
import { ErrInvalidAuthToken } from '../../../src/auth/auth-errors.ts';
import type { MemberHost } from '../../../sim/etcd/member-host.ts';
import { TokenIndexWaited } from '../../../sim/etcd/token-index-waited.ts';
import { notJudgedText } from '../../../sim/check/not-judged.ts';

const host = (id: string, applied: number) => ({ id, applied }) as unknown as MemberHost & { applied: number };
const open = (stream: number, token?: string): WatchSendMessage => ({ kind: 'watch-send', id: stream, stream, body: { create_request: { key: 'YQ==' } }, open: true, ...(token === undefined ? {} : { token }) });
const refused = (stream: number, reason = `rpc error: code = Unauthenticated desc = ${ErrInvalidAuthToken.message}`): WatchResponseMessage => ({ kind: 'watch-response', stream, body: { result: { header: {}, watch_id: '-1', created: true, canceled: true, cancel_reason: reason } } });

function setup(): { t: TokenIndexWaited; failures: string[] } {
  const failures: string[] = [];
  return { t: new TokenIndexWaited({ fail: (member, detail) => failures.push(`${member}: ${detail}`) }), failures };
}

describe('token-index-waited on watch streams', () => {
  it('fails a create refused "invalid auth token" before the index of the token its stream opened with applied', () => {
    const { t, failures } = setup();
    const n2 = host('n2', 41);
    t.onWatchOpen(n2, 'c1', open(5, 'abcdefghijklmnop.42'));
    t.onWatchResponse(n2, 'c1', refused(5));
    expect(failures).toEqual([expect.stringMatching(/^n2: refused a watch create on stream 5 of c1 "invalid auth token" at applied index 41, below the index 42 of the token the stream opened with/)]);
  });

  it('passes it once the index applied, other refusals, other streams, clients and incarnations, and events', () => {
    const { t, failures } = setup();
    const n2 = host('n2', 41);
    t.onWatchOpen(n2, 'c1', open(5, 'abcdefghijklmnop.42'));
    t.onWatchOpen(n2, 'c1', open(6));
    t.onWatchOpen(n2, 'c1', open(7, 'a.b.c'));
    t.onWatchResponse(n2, 'c1', refused(5, 'rpc error: code = PermissionDenied desc = etcdserver: permission denied'));
    t.onWatchResponse(n2, 'c1', { kind: 'watch-response', stream: 5, body: { result: { header: {}, watch_id: '0', events: [] } } });
    t.onWatchResponse(n2, 'c1', refused(6));
    t.onWatchResponse(n2, 'c1', refused(7));
    t.onWatchResponse(n2, 'c2', refused(5));
    t.onWatchResponse(host('n2', 41), 'c1', refused(5));
    n2.applied = 42;
    t.onWatchResponse(n2, 'c1', refused(5));
    expect(failures).toEqual([]);
    expect(t.notJudged()).toEqual([]);
  });

  it('counts the streams past its per-member bound as not judged, and the verdict names them', () => {
    const { t } = setup();
    const n1 = host('n1', 0);
    for (let s = 0; s < 100_002; s++) t.onWatchOpen(n1, 'c1', open(s, 'abcdefghijklmnop.9'));
    expect(t.notJudged().map(notJudgedText)).toEqual(["2 watch streams not judged: opened with a simple token past the 100000 token-index-waited remembers per member incarnation (its creates' answers not looked at)"]);
  });
});
