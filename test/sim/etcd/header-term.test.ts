// header-term-not-stale (sim/etcd/header-term.ts): an answer's header never carries a raft term
// below the member's term when the request arrived (etcd fills the term as it answers). Holdout
// 21: a response header cached by revision alone kept the term of before an election.
import { describe, expect, it } from 'vitest';
import type { ClientReplyMessage, ClientRequestMessage } from '../../../src/server/client-protocol.ts';
import type { MemberHost } from '../../../sim/etcd/member-host.ts';
import { HeaderTerm } from '../../../sim/etcd/header-term.ts';

interface FakeHost { id: string; term: number; member: { header: { raftTerm: () => number } } }

function host(id: string): FakeHost {
  const h: FakeHost = { id, term: 1, member: { header: { raftTerm: () => h.term } } };
  return h;
}

const asHost = (h: FakeHost): MemberHost => h as unknown as MemberHost;
const request = (id: number): ClientRequestMessage => ({ kind: 'request', id, path: '/v3/kv/range', body: {} });
const reply = (id: number, term: string | undefined): ClientReplyMessage => ({ kind: 'reply', id, status: 200, body: term === undefined ? { message: 'x' } : { header: { revision: '5', raft_term: term } }, member: 'n1' });

describe('header-term-not-stale', () => {
  it('fails an answer whose header term is below the term the member was in when the request arrived', () => {
    const failures: string[] = [];
    const t = new HeaderTerm({ fail: (member, detail) => failures.push(`${member}: ${detail}`) });
    const n1 = host('n1');
    n1.term = 3;
    t.onRequest(asHost(n1), 'c1', request(9));
    t.onReply(asHost(n1), 'c1', reply(9, '2'));
    expect(failures).toEqual([expect.stringMatching(/^n1: answered request 9 of c1 with header raft_term 2, though the member was in term 3/)]);
  });

  it('passes the arrival term, a later one (an election while it waited), an answer without a header, and a request it never saw', () => {
    const failures: string[] = [];
    const t = new HeaderTerm({ fail: (member, detail) => failures.push(`${member}: ${detail}`) });
    const n1 = host('n1');
    n1.term = 3;
    t.onRequest(asHost(n1), 'c1', request(1));
    t.onRequest(asHost(n1), 'c1', request(2));
    t.onRequest(asHost(n1), 'c2', request(1));
    n1.term = 4;
    t.onReply(asHost(n1), 'c1', reply(1, '3'));
    t.onReply(asHost(n1), 'c1', reply(2, '4'));
    t.onReply(asHost(n1), 'c2', reply(1, undefined));
    t.onReply(asHost(n1), 'c3', reply(5, '1'));
    t.onReply(asHost(host('n1')), 'c1', reply(2, '1'));
    expect(failures).toEqual([]);
    expect(t.judged).toBe(2);
  });
});
