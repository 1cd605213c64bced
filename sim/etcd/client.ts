// The simulated etcd client: sends v3 requests (gateway path + wire JSON body) over the
// simulated network to one member or to any of several, with a timeout per try. It retries
// only what is safe (reads; writes only after an error proving they were not proposed), follows
// the leader hint members attach to replies, and records every request in the history: the
// invoke with the request body, the completion with the response body (ok), etcd's error
// message (fail), or the reason the outcome is unknown (info). Watch streams and lease
// keep-alives live in watch-stream.ts and lease-keeper.ts and share this client's endpoint.
import { jsonTextLength } from '../../src/api/json-length.ts';
import type { ClientReplyMessage, ClientRequestMessage, MemberToClient } from '../../src/server/client-protocol.ts';
import { isMemberToClient } from '../../src/server/client-protocol.ts';
import type { ClientNet, TransportFailure } from './client-net.ts';
import { isTransportFailure } from './client-net.ts';
import type { HistoryLog } from './history-log.ts';
import { watchOnce } from './watch-once.ts';

/** A request on this path opens a watch: its create is answered once (watch-once.ts). */
export const WATCH_PATH = '/v3/watch';
import { opName, outcomeUnknown, retryableError, safeToRetry } from './request-kinds.ts';
import { withFields } from '../../src/object/with-fields.ts';

export interface EtcdRequest {
  readonly path: string;
  readonly body: unknown;
  /** The body as the member's codec decodes it, where the builder made it (sim/workload/etcd-request.ts); sent with the body. */
  readonly decoded?: object;
  /** An auth token to send with the request (serve passes on what a real client sent). */
  readonly token?: string;
  /**
   * The token for the member a try goes to, asked at send time when `token` is unset (the
   * harness's liveness probes: a token only to a member whose authentication is on, as etcd 3.4
   * refuses any token, "invalid auth token", once authentication is off).
   */
  readonly tokenFor?: ((member: string) => string | undefined) | undefined;
}

export interface CallResult {
  readonly type: 'ok' | 'fail' | 'info';
  /** The response body (ok) or the error body (fail). */
  readonly body?: unknown;
  readonly error?: string;
  /** The member that answered, when one did. */
  readonly node?: string;
}

export interface EtcdClientOptions {
  /** Members this client may talk to; one pins it to that member. */
  readonly members: readonly string[];
  /** Time to wait for one try's reply (etcd's robustness traffic: 200 ms). */
  readonly requestTimeoutUs?: number;
  /** Extra tries for a safe request (and for a write refused before proposal). */
  readonly retriesMax?: number;
  /** Requests outstanding at once, at most. */
  readonly outstandingMax?: number;
  /** Wait before sending a refused request again (elections take a while). */
  readonly retryDelayUs?: number;
  /** Switch to the member a reply names as leader. */
  readonly followLeader?: boolean;
  /**
   * Every try goes to the next member of the list (clientv3's round-robin balancer over its
   * endpoints): a call right after a login may reach a member that has not applied it yet.
   */
  readonly roundRobin?: boolean;
  readonly history?: HistoryLog | undefined;
  /**
   * The auth token to send with a request (or a watch stream's opening) that carries none, asked
   * per member at send time; undefined sends none. Serve's own clients log in this way once a
   * user has turned authentication on (sim/etcd/harness-auth.ts).
   */
  readonly authToken?: ((member: string) => string | undefined) | undefined;
}

interface Call {
  readonly request: EtcdRequest;
  readonly process: number | string;
  readonly f: string;
  readonly safe: boolean;
  readonly done: (r: CallResult) => void;
  tries: number;
  timer: number;
  member: string;
  /** JSON.stringify(request.body).length, once the first try measured it. */
  bodyTextLength: number | undefined;
  /** When the try under way times out (a refused send goes elsewhere within the same try). */
  deadlineUs: number;
  /** Sends of the try under way that a member refused (the transport's word: certainly not received). */
  refusedInTry: number;
  /** Some try may have reached a member and taken effect (it timed out or its connection broke). */
  mayHaveTakenEffect: boolean;
}

type StreamListener = (from: string, message: MemberToClient) => void;

export class EtcdClient {
  private readonly calls = new Map<number, Call>();
  private nextId = 1;
  private current: string;
  private readonly requestTimeoutUs: number;
  private readonly retriesMax: number;
  private readonly outstandingMax: number;
  private readonly retryDelayUs: number;
  private readonly streamListeners = new Map<number, StreamListener>();
  private nextStream = 1;

  constructor(
    readonly net: ClientNet,
    readonly options: EtcdClientOptions,
  ) {
    if (options.members.length === 0) throw new Error('EtcdClient: at least one member is needed');
    this.current = options.members[0] as string;
    this.requestTimeoutUs = options.requestTimeoutUs ?? 1_000_000;
    this.retriesMax = options.retriesMax ?? 2;
    this.outstandingMax = options.outstandingMax ?? 10_000;
    this.retryDelayUs = options.retryDelayUs ?? 100_000;
  }

  get history(): HistoryLog | undefined {
    return this.options.history;
  }

  /** The member requests go to now. */
  get member(): string {
    return this.current;
  }

  get outstanding(): number {
    return this.calls.size;
  }

  /** Sends one request as history process `process`; `done` runs exactly once. */
  call(request: EtcdRequest, process: number | string, done: (r: CallResult) => void): void {
    if (request.path === WATCH_PATH) return watchOnce(this, request, process, this.requestTimeoutUs, done);
    const f = opName(request.path);
    this.options.history?.invoke(process, f, request.body);
    if (this.calls.size >= this.outstandingMax) {
      // Refused locally before anything was sent: certainly not applied.
      this.finish(newCall(request, process, f, true, done, this.current), { type: 'fail', error: 'client: too many outstanding requests' });
      return;
    }
    const c = newCall(request, process, f, safeToRetry(request.path, request.body), done, this.current);
    this.send(c);
  }

  /** Handles a message from a member (wire it to the world's client endpoint). */
  receive(from: string, message: unknown): void {
    if (isTransportFailure(message)) return this.onTransportFailure(message);
    if (!isMemberToClient(message)) return;
    if (message.kind === 'reply') return this.onReply(from, message);
    this.streamListeners.get(message.stream)?.(from, message);
  }

  /** A message id, unique among everything this client sends (members drop duplicates by it). */
  nextMessageId(): number {
    return this.nextId++;
  }

  /** Sends a watch stream message (send, close, ping) to `member`, with a fresh message id. */
  sendStream(member: string, m: { kind: 'watch-send'; stream: number; body: unknown; open?: boolean; requireLeader?: boolean; token?: string } | { kind: 'watch-close' | 'watch-ping'; stream: number }): void {
    const token = m.kind === 'watch-send' && m.open === true && m.token === undefined ? this.options.authToken?.(member) : undefined;
    this.net.send(member, withFields(m, token === undefined ? { id: this.nextMessageId() } : { id: this.nextMessageId(), token }));
  }

  /** A new stream id with a listener for its messages (watch-stream.ts uses this). */
  openStream(listener: StreamListener): number {
    const id = this.nextStream++;
    this.streamListeners.set(id, listener);
    return id;
  }

  closeStream(id: number): void {
    this.streamListeners.delete(id);
  }

  /** The next member after `m` in this client's list (round robin). */
  nextMember(m: string): string {
    const ms = this.options.members;
    const i = ms.indexOf(m);
    return ms[(i + 1) % ms.length] as string;
  }

  /** A new try: the request goes to the current member with the whole request timeout. */
  private send(c: Call): void {
    c.tries++;
    c.refusedInTry = 0;
    c.deadlineUs = this.net.nowUs() + this.requestTimeoutUs;
    this.attempt(c, this.requestTimeoutUs);
    if (this.options.roundRobin === true) this.current = this.nextMember(c.member);
  }

  /** Sends the call to the current member; the try times out in `timeoutUs`. */
  private attempt(c: Call, timeoutUs: number): void {
    const id = this.nextId++;
    c.member = this.current;
    this.calls.set(id, c);
    c.timer = this.net.schedule(timeoutUs, () => this.onTimeout(id));
    // Measured once per call (a retry sends the same body); the member's size bound reads it too.
    c.bodyTextLength ??= jsonTextLength(c.request.body);
    const decoded = c.request.decoded;
    const token = c.request.token ?? c.request.tokenFor?.(c.member) ?? this.options.authToken?.(c.member);
    // Literals for the two shapes the workload sends (withFields costs an Object.assign per request).
    const m: ClientRequestMessage = token === undefined
      ? decoded === undefined
        ? { kind: 'request', id, path: c.request.path, body: c.request.body, bodyTextLength: c.bodyTextLength }
        : { kind: 'request', id, path: c.request.path, body: c.request.body, bodyTextLength: c.bodyTextLength, decoded }
      : withFields({ kind: 'request' as const, id, path: c.request.path, body: c.request.body, bodyTextLength: c.bodyTextLength }, decoded === undefined ? { token } : { decoded, token });
    this.net.send(c.member, m, c.bodyTextLength);
  }

  private onTimeout(id: number): void {
    const c = this.calls.get(id);
    if (c === undefined) return;
    this.calls.delete(id);
    // The member may be down or cut off: the next try (if any) goes elsewhere.
    this.current = this.nextMember(c.member);
    this.tryEnded(c, 'timeout', true);
  }

  /**
   * The transport could not carry a send. Refused (nothing left this client): the same try goes
   * to the next member at once, within what is left of its timeout, as clientv3's balancer sends
   * an RPC only on a connected endpoint; after a whole round of refusals it waits retryDelayUs
   * (every member down: a restart takes a while). Broken after it was written: the outcome is
   * unknown, as at a timeout that came early, and only a safe call tries again.
   */
  private onTransportFailure(m: TransportFailure): void {
    const c = this.calls.get(m.id);
    if (c === undefined) return; // a try that already timed out
    this.net.cancel(c.timer);
    this.current = this.nextMember(c.member);
    if (m.sent) {
      this.calls.delete(m.id);
      return this.tryEnded(c, m.reason, true);
    }
    c.refusedInTry++;
    const waitUs = c.refusedInTry % this.options.members.length === 0 ? this.retryDelayUs : 0;
    const remainingUs = c.deadlineUs - this.net.nowUs();
    if (remainingUs <= waitUs) {
      this.calls.delete(m.id);
      return this.tryEnded(c, m.reason, false);
    }
    // Kept under its id while it waits, so that it counts as outstanding.
    const resend = (): void => {
      this.calls.delete(m.id);
      this.attempt(c, remainingUs - waitUs);
    };
    if (waitUs === 0) return resend();
    c.timer = this.net.schedule(waitUs, resend);
  }

  /** A try ended without an answer: a safe call tries again; otherwise unknown if any try may have taken effect, failed if none did. */
  private tryEnded(c: Call, error: string, mayHaveTakenEffect: boolean): void {
    if (mayHaveTakenEffect) c.mayHaveTakenEffect = true;
    if (c.safe && c.tries <= this.retriesMax) return this.send(c);
    this.finish(c, c.mayHaveTakenEffect ? { type: 'info', error } : { type: 'fail', error: `client: ${error}` });
  }

  private onReply(from: string, m: ClientReplyMessage): void {
    const c = this.calls.get(m.id);
    if (c === undefined) return; // late reply to a try that timed out
    this.calls.delete(m.id);
    this.net.cancel(c.timer);
    this.followHint(m);
    if (m.status === 200) return this.finish(c, { type: 'ok', body: m.body, node: from });
    const message = errorMessage(m.body);
    if (retryableError(message, c.safe) && c.tries <= this.retriesMax) {
      if (m.leader === undefined || m.leader === from) this.current = this.nextMember(from);
      c.timer = this.net.schedule(this.retryDelayUs, () => this.send(c));
      return;
    }
    const unknown = !c.safe && outcomeUnknown(message);
    this.finish(c, { type: unknown ? 'info' : 'fail', body: m.body, error: message, node: from });
  }

  private followHint(m: ClientReplyMessage): void {
    if (this.options.followLeader === false || m.leader === undefined) return;
    if (this.options.members.includes(m.leader)) this.current = m.leader;
  }

  private finish(c: Call, r: CallResult): void {
    const value = r.type === 'ok' ? r.body : r.type === 'fail' ? (r.body ?? null) : null;
    // `tries` tells a checker how many sends may have been served. A write is sent again only
    // after a refusal before proposal (retryableError: certainly not applied), so its earlier
    // tries had no effect and it records one: recorded as sent more than once, the etcd model
    // would take each earlier try as a write of unknown outcome (earlier-tries.ts), and a member
    // that applied a write it answered "no leader" would be explained away.
    this.options.history?.complete(c.process, r.type, c.f, value, r.error, r.node, c.safe ? c.tries : 1);
    c.done(r);
  }
}

function newCall(request: EtcdRequest, process: number | string, f: string, safe: boolean, done: (r: CallResult) => void, member: string): Call {
  return { request, process, f, safe, done, tries: 0, timer: 0, member, bodyTextLength: undefined, deadlineUs: 0, refusedInTry: 0, mayHaveTakenEffect: false };
}

function errorMessage(body: unknown): string {
  if (body !== null && typeof body === 'object') {
    const m = (body as { message?: unknown }).message;
    if (typeof m === 'string') return m;
  }
  return 'unknown error';
}
