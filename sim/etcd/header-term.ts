// header-term-not-stale: a member's answer carries a raft term no lower than the member's term
// when the request reached it. etcd's v3rpc header.fill reads the raft term as it answers
// (s.Term()), and a member's term only rises, so an answer never speaks of a term older than the
// one the member was in when the request arrived. A header kept from an earlier response (cached
// by revision, holdout 21: header-cache-ignores-term) would carry the term before an election
// that moved nothing else; no history shows it, since a client cannot tell a member's term apart
// from the header it reads. Judged per member incarnation and client, on answers with a header.
import type { ClientReplyMessage, ClientRequestMessage } from '../../src/server/client-protocol.ts';
import type { MemberHost } from './member-host.ts';

/** Requests remembered per client awaiting their answer; past it the oldest are forgotten (not judged). */
const PENDING_MAX = 4_096;

export interface HeaderTermPort {
  fail(member: string, detail: string): void;
}

export class HeaderTerm {
  /** Per member incarnation, per client: request id → the member's term when it arrived. */
  private readonly arrived = new WeakMap<MemberHost, Map<string, Map<number, number>>>();
  judged = 0;

  constructor(private readonly port: HeaderTermPort) {}

  onRequest(host: MemberHost, from: string, m: ClientRequestMessage): void {
    let byClient = this.arrived.get(host);
    if (byClient === undefined) {
      byClient = new Map();
      this.arrived.set(host, byClient);
    }
    let ids = byClient.get(from);
    if (ids === undefined) {
      ids = new Map();
      byClient.set(from, ids);
    }
    if (ids.size >= PENDING_MAX) ids.delete(ids.keys().next().value as number);
    ids.set(m.id, host.member.header.raftTerm());
  }

  onReply(host: MemberHost, to: string, m: ClientReplyMessage): void {
    const ids = this.arrived.get(host)?.get(to);
    const term = ids?.get(m.id);
    if (term === undefined) return;
    ids!.delete(m.id);
    const header = (m.body as { header?: { raft_term?: unknown } } | null)?.header;
    if (header === undefined || header.raft_term === undefined) return;
    this.judged++;
    const answered = Number(header.raft_term);
    if (answered >= term) return;
    this.port.fail(host.id, `answered request ${m.id} of ${to} with header raft_term ${answered}, though the member was in term ${term} when the request arrived (etcd fills the term as it answers)`);
  }
}
