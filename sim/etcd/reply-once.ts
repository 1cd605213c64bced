// reply-once: a member incarnation answers each client request once. A gRPC unary call gets one
// response; etcd's wait.Trigger hands a proposal's result to its waiter and forgets the id, and
// a linearizable read's notifier fires once. A member that answered a request and still holds
// it (a waiter left registered after its entry applied, so that its deadline later answers
// "request timed out" too) breaks it at the second answer, which a client that already moved on
// ignores: no history shows it, so only the member's own replies can.
//
// Judged per incarnation (a restarted member is a new host and never saw the old one's requests)
// and per client, over a window of the client's request ids (ids only grow per client); a
// request the network delivered twice reaches the member twice, but the member handles it once
// (recent-ids.ts), so it is still answered once.
import type { ClientReplyMessage } from '../../src/server/client-protocol.ts';
import type { MemberHost } from './member-host.ts';

/** Request ids remembered per client behind its newest answered one. */
const WINDOW = 65_536;

interface Answered {
  readonly ids: Set<number>;
  max: number;
}

export interface ReplyOncePort {
  /** Records a violation (the first one wins). */
  fail(member: string, detail: string): void;
}

export class ReplyOnce {
  private readonly answered = new WeakMap<MemberHost, Map<string, Answered>>();

  constructor(private readonly port: ReplyOncePort) {}

  /** `host` answered client `to`. */
  onReply(host: MemberHost, to: string, m: ClientReplyMessage): void {
    let byClient = this.answered.get(host);
    if (byClient === undefined) {
      byClient = new Map();
      this.answered.set(host, byClient);
    }
    let a = byClient.get(to);
    if (a === undefined) {
      a = { ids: new Set(), max: m.id };
      byClient.set(to, a);
    }
    if (a.ids.has(m.id)) {
      this.port.fail(host.id, `answered request ${m.id} of ${to} a second time (status ${m.status}): a client request gets one answer`);
      return;
    }
    if (m.id <= a.max - WINDOW) return;
    a.ids.add(m.id);
    if (m.id > a.max) a.max = m.id;
    if (a.ids.size > 2 * WINDOW) for (const id of a.ids) if (id <= a.max - WINDOW) a.ids.delete(id);
  }
}
