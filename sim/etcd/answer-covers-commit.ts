// answer-covers-commit: a member answers a linearizable KV request (a range or read-only txn
// that is not serializable, or a put, delete or txn that writes) only from a state machine that
// has applied every entry committed anywhere in the cluster before the request reached it.
//
// Why it holds for a correct member: a linearizable read waits for a read index — the leader's
// commit index when the read reached it, confirmed by a quorum answering a heartbeat round sent
// after that (Raft thesis §6.4) — and is served once the member applied up to that index. A
// leader confirmed after the read arrived knows every entry committed before then (an entry of
// its own term, or of an earlier term, which leader completeness puts in its log below its first
// commit). A write is answered when its own entry applies, and that entry was appended after the
// request arrived, so above every entry committed by then (a committed index holds one entry).
//
// What it finds, whether or not a client ever sees the difference: a deposed leader serving
// reads (no ReadIndex, a lease past its time, a heartbeat round that was sent before the read
// arrived releasing it, a late answer to an earlier round), a follower serving before it applied
// up to the read index, a read index taken before the leader's first commit of its term. The
// committed index is the highest commit index any member had when the request arrived, cut to
// what that member had made durable (MemberHost.commit), so the bound is never above the truth:
// raft counts a leader's own unsynced append towards its quorum (etcd raft 3.4 does too), so a
// one-member cluster "commits" an entry before its fsync; a crash then loses that entry, which
// was never committed (nothing applied or answered it: etcd 3.4.21+ waits for the WAL before
// applying a committed entry it has not synced), and the index is filled again by another.
//
// Not judged: serializable reads (they may be stale by contract), lease-based reads (readOnly
// lease-based: stale reads under clock trouble or a cut-off leader are documented anomalies),
// answers that are not ok, and requests a member no longer remembers (bounded table).
import { isTxnReadonly, isTxnSerializable } from '../../src/api/validate.ts';
import type { ClientReplyMessage, ClientRequestMessage } from '../../src/server/client-protocol.ts';
import type { MemberHost } from './member-host.ts';

/** Requests one member incarnation remembers waiting for their answer; past it new ones are not judged. */
const PENDING_PER_HOST_MAX = 100_000;

/** What a request found when it reached a member: the highest commit index in the cluster. */
interface Arrival {
  readonly commitMax: number;
  readonly path: string;
}

/** True for the KV requests an etcd member answers linearizably. */
export function isLinearizableKv(path: string, body: unknown): boolean {
  if (path === '/v3/kv/put' || path === '/v3/kv/deleterange') return true;
  if (typeof body !== 'object' || body === null) return false;
  if (path === '/v3/kv/range') return (body as { serializable?: unknown }).serializable !== true;
  if (path === '/v3/kv/txn') return !(isTxnReadonly(body) && isTxnSerializable(body));
  return false;
}

export interface AnswerCoversCommitPort {
  /** Every member host known (the last incarnation of each endpoint, up or down). */
  readonly hosts: ReadonlyMap<string, MemberHost>;
  /** Records a violation (the first one wins). */
  fail(member: string, detail: string): void;
}

export class AnswerCoversCommit {
  /** The highest durable commit index seen on any member so far (entries committed and on that member's disk). */
  private commitMax = 0;
  /** Per host incarnation, per client, per request id: what the request found on arrival. */
  private readonly pending = new WeakMap<MemberHost, { size: number; byClient: Map<string, Map<number, Arrival>> }>();
  judged = 0;

  constructor(private readonly port: AnswerCoversCommitPort) {}

  /** A client request reached `host`. */
  onRequest(host: MemberHost, from: string, m: ClientRequestMessage): void {
    if (!isLinearizableKv(m.path, m.body)) return;
    let mine = this.pending.get(host);
    if (mine === undefined) {
      mine = { size: 0, byClient: new Map() };
      this.pending.set(host, mine);
    }
    if (mine.size >= PENDING_PER_HOST_MAX) return;
    let byId = mine.byClient.get(from);
    if (byId === undefined) {
      byId = new Map();
      mine.byClient.set(from, byId);
    }
    // A duplicated request keeps its first arrival (the lower bound).
    if (byId.has(m.id)) return;
    byId.set(m.id, { commitMax: this.clusterCommit(), path: m.path });
    mine.size++;
  }

  /** `host` answered a client. */
  onReply(host: MemberHost, to: string, m: ClientReplyMessage): void {
    const mine = this.pending.get(host);
    const byId = mine?.byClient.get(to);
    const arrival = byId?.get(m.id);
    if (arrival === undefined || mine === undefined || byId === undefined) return;
    byId.delete(m.id);
    mine.size--;
    if (m.status !== 200) return;
    this.judged++;
    const applied = host.member.applied;
    if (applied >= arrival.commitMax) return;
    this.port.fail(host.id, `answered ${arrival.path} of ${to} (request ${m.id}) ok at applied index ${applied}, below index ${arrival.commitMax}, committed in the cluster before the request reached it: a stale answer (its read index did not prove leadership after the request arrived, or it did not wait to apply it)`);
  }

  /** The highest durable commit index of any member now, and ever. */
  private clusterCommit(): number {
    for (const host of this.port.hosts.values()) {
      // Not raftLog.committed: it may count the member's own unsynced entries, which a crash loses.
      const c = host.commit;
      if (c > this.commitMax) this.commitMax = c;
    }
    return this.commitMax;
  }
}
