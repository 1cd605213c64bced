// token-index-waited: a member answers "invalid auth token" to a simple token only once it has
// applied the raft index the token was issued at, or once its request timeout has passed since
// the request arrived. A simple token is "<prefix>.<index>", assigned by every member as it
// applies the Authenticate entry at that index; etcd's isValidSimpleToken makes a member that
// has not applied it yet wait (v3_server.go, up to the request's deadline), because a client
// that logged in through another member may reach this one first. A member that looked the
// token up one entry early refuses a fresh login it is about to hold; the client sees an auth
// error no history checker can tell from a token really gone (a restart, a snapshot install,
// an expiry), so only the member's own view can.
//
// A watch stream carries its token on the message that opens it, and every create on it is
// checked with that token when it is read (etcd's recvLoop, isWatchPermitted): a create refused
// "invalid auth token" (created and canceled at once, etcd's cancel reason) by a member that has
// not applied the token's index is the same early lookup. etcd's wait there has no deadline but
// the stream's (the stream context), so no request timeout excuses it.
//
// Not judged: other answers (a member that does wait serves the request once the index applied),
// a request a restarted member never saw (a new host), and requests and watch streams past the
// bounds kept per host: those are counted, and the raft checker's verdict says how many.
import { requestTimeoutMs } from '../../src/server/member-config.ts';
import { simpleTokenIndex } from '../../src/auth/simple-tokens.ts';
import { ErrInvalidAuthToken } from '../../src/auth/auth-errors.ts';
import type { ClientReplyMessage, ClientRequestMessage, WatchResponseMessage, WatchSendMessage } from '../../src/server/client-protocol.ts';
import type { NotJudged } from '../check/not-judged.ts';
import type { MemberHost } from './member-host.ts';

/** Token-bearing requests one host incarnation remembers waiting for their answer. */
const PENDING_PER_HOST_MAX = 100_000;
/** Watch streams opened with a simple token one host incarnation remembers (etcd's member holds 10,000 at once). */
const WATCH_STREAMS_PER_HOST_MAX = 100_000;

/** The token's raft index, and when (the member's clock, µs) the request reached it. */
interface Arrival {
  readonly index: number;
  readonly atUs: number;
}

export interface TokenIndexWaitedPort {
  /** Records a violation (the first one wins). */
  fail(member: string, detail: string): void;
}

export class TokenIndexWaited {
  private readonly pending = new WeakMap<MemberHost, { size: number; byKey: Map<string, Arrival> }>();
  /** Token-bearing requests not remembered: their host already waited on PENDING_PER_HOST_MAX. */
  private pastBound = 0;
  /** Per host incarnation, the raft index of the simple token each watch stream opened with, by "client#stream". */
  private readonly watchTokens = new WeakMap<MemberHost, Map<string, number>>();
  /** Watch streams opened with a simple token and not remembered: their host already held WATCH_STREAMS_PER_HOST_MAX. */
  private watchStreamsPastBound = 0;

  constructor(private readonly port: TokenIndexWaitedPort) {}

  /** A client request reached `host`. */
  onRequest(host: MemberHost, from: string, m: ClientRequestMessage): void {
    if (m.token === undefined) return;
    const index = simpleTokenIndex(m.token);
    if (index === undefined) return;
    let mine = this.pending.get(host);
    if (mine === undefined) {
      mine = { size: 0, byKey: new Map() };
      this.pending.set(host, mine);
    }
    const key = `${from} ${m.id}`;
    if (mine.byKey.has(key)) return;
    if (mine.size >= PENDING_PER_HOST_MAX) {
      this.pastBound++;
      return;
    }
    mine.byKey.set(key, { index, atUs: host.ctx.nowUs() });
    mine.size++;
  }

  /** A client opened a watch stream on `host` (its token, if any, rides on this opening message). */
  onWatchOpen(host: MemberHost, from: string, m: WatchSendMessage): void {
    const index = m.token === undefined ? undefined : simpleTokenIndex(m.token);
    if (index === undefined) return;
    let mine = this.watchTokens.get(host);
    if (mine === undefined) {
      mine = new Map();
      this.watchTokens.set(host, mine);
    }
    const key = `${from}#${m.stream}`;
    if (!mine.has(key) && mine.size >= WATCH_STREAMS_PER_HOST_MAX) {
      this.watchStreamsPastBound++;
      return;
    }
    mine.set(key, index);
  }

  /** `host` sent a watch response on a client's stream: a create refused "invalid auth token" before the token's index applied is an early lookup. */
  onWatchResponse(host: MemberHost, to: string, m: WatchResponseMessage): void {
    const index = this.watchTokens.get(host)?.get(`${to}#${m.stream}`);
    if (index === undefined || host.applied >= index) return;
    const r = (m.body as { result?: { canceled?: unknown; cancel_reason?: unknown } } | null)?.result;
    if (r?.canceled !== true || typeof r.cancel_reason !== 'string' || !r.cancel_reason.includes(ErrInvalidAuthToken.message)) return;
    this.port.fail(host.id, `refused a watch create on stream ${m.stream} of ${to} "invalid auth token" at applied index ${host.applied}, below the index ${index} of the token the stream opened with: it must wait for that index to apply before it looks the token up (etcd's isWatchPermitted waits as long as the stream lives)`);
  }

  /** What was seen and not judged, by class (none: empty). */
  notJudged(): NotJudged[] {
    const out: NotJudged[] = [];
    if (this.pastBound > 0) out.push({ count: this.pastBound, what: 'token-bearing request', why: `token-index-waited remembers ${PENDING_PER_HOST_MAX} per member incarnation, and these came past it` });
    if (this.watchStreamsPastBound > 0) out.push({ count: this.watchStreamsPastBound, what: 'watch stream', why: `opened with a simple token past the ${WATCH_STREAMS_PER_HOST_MAX} token-index-waited remembers per member incarnation (its creates' answers not looked at)` });
    return out;
  }

  /** `host` answered a client. */
  onReply(host: MemberHost, to: string, m: ClientReplyMessage): void {
    const mine = this.pending.get(host);
    if (mine === undefined) return;
    const key = `${to} ${m.id}`;
    const arrival = mine.byKey.get(key);
    if (arrival === undefined) return;
    mine.byKey.delete(key);
    mine.size--;
    if (m.status === 200 || !isInvalidAuthToken(m.body)) return;
    if (host.applied >= arrival.index) return;
    const waitedMs = (host.ctx.nowUs() - arrival.atUs) / 1_000;
    if (waitedMs >= requestTimeoutMs(host.config)) return;
    this.port.fail(host.id, `answered request ${m.id} of ${to} "invalid auth token" after ${waitedMs} ms at applied index ${host.applied}, below the token's index ${arrival.index}: it must wait for that index to apply (up to its request timeout) before it looks the token up`);
  }
}

function isInvalidAuthToken(body: unknown): boolean {
  return typeof body === 'object' && body !== null && (body as { message?: unknown }).message === ErrInvalidAuthToken.message;
}
