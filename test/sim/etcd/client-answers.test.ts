// reply-once and token-index-waited (sim/etcd/reply-once.ts, token-index-waited.ts): what a
// member answers a client, judged on the member's own view. Holdout 17 (bugs, nineteenth
// session): a waiter left registered after its answer (answered again "request timed out" at its
// deadline) and a token looked up one applied entry early were both invisible to every history
// checker; each is caught by its invariant (mutants.test.ts pins the runs).
import { describe, expect, it } from 'vitest';
import type { ClientReplyMessage, ClientRequestMessage } from '../../../src/server/client-protocol.ts';
import { ErrInvalidAuthToken } from '../../../src/auth/auth-errors.ts';
import type { MemberHost } from '../../../sim/etcd/member-host.ts';
import { ReplyOnce } from '../../../sim/etcd/reply-once.ts';
import { TokenIndexWaited } from '../../../sim/etcd/token-index-waited.ts';

interface FakeHost { id: string; applied: number; nowUs: number; ctx: { nowUs: () => number }; config: { electionTicks: number; tickMs: number } }

function host(id: string): FakeHost {
  const h: FakeHost = { id, applied: 0, nowUs: 0, ctx: { nowUs: () => h.nowUs }, config: { electionTicks: 10, tickMs: 100 } };
  return h;
}

const asHost = (h: FakeHost): MemberHost => h as unknown as MemberHost;
const request = (id: number, token?: string): ClientRequestMessage => (token === undefined
  ? { kind: 'request', id, path: '/v3/kv/range', body: {} }
  : { kind: 'request', id, path: '/v3/kv/range', body: {}, token });
const reply = (id: number, status = 200, body: unknown = {}): ClientReplyMessage => ({ kind: 'reply', id, status, body, member: 'n1' });
const invalidToken = { error: ErrInvalidAuthToken.message, message: ErrInvalidAuthToken.message, code: ErrInvalidAuthToken.code };

describe('reply-once', () => {
  it('fails a second answer to one request of one incarnation; other clients, other ids and a new incarnation are their own', () => {
    const failures: string[] = [];
    const r = new ReplyOnce({ fail: (member, detail) => failures.push(`${member}: ${detail}`) });
    const n1 = host('n1');
    r.onReply(asHost(n1), 'c1', reply(7));
    r.onReply(asHost(n1), 'c2', reply(7));
    r.onReply(asHost(n1), 'c1', reply(8));
    r.onReply(asHost(host('n1')), 'c1', reply(7));
    expect(failures).toEqual([]);
    r.onReply(asHost(n1), 'c1', reply(7, 408, { message: 'etcdserver: request timed out' }));
    expect(failures).toEqual([expect.stringMatching(/^n1: answered request 7 of c1 a second time \(status 408\)/)]);
  });
});

describe('token-index-waited', () => {
  function setup(): { t: TokenIndexWaited; failures: string[]; n2: FakeHost } {
    const failures: string[] = [];
    return { t: new TokenIndexWaited({ fail: (member, detail) => failures.push(`${member}: ${detail}`) }), failures, n2: host('n2') };
  }

  it('fails "invalid auth token" from a member that has not applied the token\'s index and has not waited its request timeout', () => {
    const { t, failures, n2 } = setup();
    n2.applied = 41;
    t.onRequest(asHost(n2), 'c1', request(3, 'abcdefghijklmnop.42'));
    n2.nowUs = 2_000;
    t.onReply(asHost(n2), 'c1', reply(3, 401, invalidToken));
    expect(failures).toEqual([expect.stringMatching(/^n2: answered request 3 of c1 "invalid auth token" after 2 ms at applied index 41, below the token's index 42/)]);
  });

  it('passes the same answer once the index applied, or after the request timeout (7 s here), and every other answer', () => {
    const { t, failures, n2 } = setup();
    n2.applied = 41;
    t.onRequest(asHost(n2), 'c1', request(1, 'abcdefghijklmnop.42'));
    t.onRequest(asHost(n2), 'c1', request(2, 'abcdefghijklmnop.42'));
    n2.nowUs = 1_000;
    t.onRequest(asHost(n2), 'c1', request(3, 'abcdefghijklmnop.42'));
    t.onRequest(asHost(n2), 'c1', request(4));
    t.onReply(asHost(n2), 'c1', reply(2, 403, { message: 'etcdserver: permission denied' }));
    t.onReply(asHost(n2), 'c1', reply(4, 401, invalidToken));
    n2.nowUs = 7_000_000;
    t.onReply(asHost(n2), 'c1', reply(1, 401, invalidToken));
    n2.applied = 42;
    t.onReply(asHost(n2), 'c1', reply(3, 401, invalidToken));
    expect(failures).toEqual([]);
  });
});
