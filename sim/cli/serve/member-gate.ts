// One member's door to the outside world in `detcd serve`: every request that arrives on the
// member's port (gRPC or gateway JSON) becomes a simulated client call to exactly that member,
// so a client's choice of member, its failover and a member's "no leader" answers are real.
// Key-value and lease requests are recorded in the serve history (one history process per
// request, so concurrent requests never share one); maintenance and membership reads are not
// operations of the etcd model and go through a second, unrecorded client.
import type { MemberToClient } from '../../../src/server/client-protocol.ts';
import type { CallResult, EtcdClient } from '../../etcd/client.ts';
import type { HistoryLog } from '../../etcd/history-log.ts';
import { opName } from '../../etcd/request-kinds.ts';

/** Operations the etcd model checks; everything else is served but not recorded. */
const RECORDED = new Set(['kv/range', 'kv/put', 'kv/deleterange', 'kv/txn', 'kv/compaction', 'lease/grant', 'lease/revoke', 'lease/keepalive', 'lease/timetolive', 'lease/leases']);

/** The gRPC status and message of a failed call, as etcd's server would send them. */
export interface GateError {
  readonly code: number;
  readonly message: string;
}

export type GateResult = { readonly ok: true; readonly body: unknown } | { readonly ok: false; readonly error: GateError };

export const GRPC_UNAVAILABLE = 14;
export const GRPC_UNKNOWN = 2;
const STOPPED = 'detcd: the simulation has stopped';
const CLIENT_CLOSED = 'the client closed the stream (or its connection ended)';

/** Numbers history processes across every member's gate, so no two requests share one. */
export class ProcessCounter {
  private next = 1;
  take(): number {
    return this.next++;
  }
}

export interface WatchHandle {
  send(body: unknown): void;
  close(): void;
}

export type WatchListener = { response(body: unknown): void; closed(reason: string): void };

export class MemberGate {
  /** Calls waiting for the member's answer, by their once-only completion. */
  private readonly inflight = new Set<(r: GateResult) => void>();
  /**
   * Open watch streams: `end` as the member ends one (the client is told), `hangUp` as the client's
   * side does (the member is told).
   */
  private readonly streams = new Set<{ end(reason: string): void; hangUp(reason: string): void }>();

  constructor(
    readonly member: string,
    private readonly recording: EtcdClient,
    private readonly quiet: EtcdClient,
    /** Runs a function inside the simulation's turn (the world is single-threaded); false once the simulation stopped. */
    private readonly run: (fn: () => void) => boolean,
    private readonly isUp: () => boolean,
    private readonly processes: ProcessCounter,
  ) {}

  /** Why the member cannot be reached right now (crashed by the nemesis), or undefined. */
  downReason(): string | undefined {
    return this.isUp() ? undefined : `detcd: member ${this.member} is down (killed by the nemesis, or removed from the cluster); try another endpoint`;
  }

  /**
   * Sends one unary request (gateway path, gateway JSON body, the client's auth token if any) to
   * this member; `decoded`: the body as the member reads it, where its JSON cannot say all.
   */
  call(path: string, body: unknown, done: (r: GateResult) => void, token?: string, decoded?: object): void {
    const down = this.downReason();
    // A killed etcd refuses connections: nothing is sent, so nothing enters the history.
    if (down !== undefined) return done({ ok: false, error: { code: GRPC_UNAVAILABLE, message: down } });
    const client = RECORDED.has(opName(path)) ? this.recording : this.quiet;
    let answered = false;
    const finish = (r: GateResult): void => {
      if (answered) return;
      answered = true;
      this.inflight.delete(finish);
      done(r);
    };
    this.inflight.add(finish);
    const request = { path, body, ...(token === undefined ? {} : { token }), ...(decoded === undefined ? {} : { decoded }) };
    const ran = this.run(() => client.call(request, this.processes.take(), (r) => finish(gateResult(r, this.member))));
    if (!ran) finish({ ok: false, error: { code: GRPC_UNAVAILABLE, message: STOPPED } });
  }

  /**
   * The member was killed: like a dead etcd's dropped connections, every call waiting on it
   * fails now (its outcome unknown: the history completes it as info when the simulated
   * client gives up) and every watch stream on it ends, so clients fail over at once.
   */
  memberDown(): void {
    const lost = { ok: false as const, error: { code: GRPC_UNAVAILABLE, message: `detcd: member ${this.member} was killed (connection lost); the outcome is unknown` } };
    for (const finish of [...this.inflight]) finish(lost);
    for (const s of [...this.streams]) s.end(lost.error.message);
  }

  /**
   * serve's ports close: every stream still open ends as its connection does, and its close is
   * recorded now, not whenever the socket's last event comes (after the checks, maybe).
   */
  portsClosed(): void {
    for (const s of [...this.streams]) s.hangUp('detcd serve: the ports closed (the connection ended)');
  }

  /** Opens a watch stream on this member; `requireLeader` is gRPC metadata "hasleader", `token` its "token". */
  openWatch(listener: WatchListener, requireLeader: boolean, token?: string): WatchHandle {
    let stream = 0;
    let first = true;
    let closed = false;
    const recorder = this.recording.history === undefined ? undefined : new WatchRecorder(this.recording.history, this.member, () => this.recording.net.nowUs(), this.processes);
    // The stream's end, once, recorded: the watch checker owes a closed stream nothing past it.
    const finish = (reason: string): boolean => {
      if (closed) return false;
      closed = true;
      this.streams.delete(ends);
      recorder?.closed(reason);
      return true;
    };
    const end = (reason: string): void => {
      if (!finish(reason)) return;
      this.quiet.closeStream(stream);
      listener.closed(reason);
    };
    const hangUp = (reason: string): void => {
      if (!finish(reason)) return;
      this.run(() => {
        this.quiet.closeStream(stream);
        this.quiet.sendStream(this.member, { kind: 'watch-close', stream });
      });
    };
    const ends = { end, hangUp };
    this.streams.add(ends);
    this.run(() => {
      stream = this.quiet.openStream((_from, m: MemberToClient) => {
        if (closed) return;
        if (m.kind === 'watch-response') {
          const body = unwrapResult(m.body);
          recorder?.response(body);
          listener.response(body);
        } else if (m.kind === 'watch-closed') {
          end(m.reason);
        }
      });
    });
    if (stream === 0) end(STOPPED);
    return {
      send: (body) => {
        const open = first;
        first = false;
        recorder?.request(body);
        this.run(() => this.quiet.sendStream(this.member, { kind: 'watch-send', stream, body, open, ...(open && requireLeader ? { requireLeader } : {}), ...(open && token !== undefined ? { token } : {}) }));
      },
      close: () => hangUp(CLIENT_CLOSED),
    };
  }
}

/**
 * Records a client's watch stream for the watch checker: each watcher of the stream (one per
 * create request, matched to its watch id by the order of the "created" answers, as etcd
 * answers creates in order) is its own history process, whose first record carries the create
 * request. Bounded: a stream with more pending creates than this drops the rest unrecorded.
 */
class WatchRecorder {
  private static readonly PENDING_MAX = 1024;
  private readonly pending: unknown[] = [];
  private readonly watchers = new Map<string, { process: string; request: unknown; first: boolean }>();

  constructor(
    private readonly history: HistoryLog,
    private readonly member: string,
    private readonly nowUs: () => number,
    private readonly processes: ProcessCounter,
  ) {}

  request(body: unknown): void {
    const create = (body as { create_request?: unknown } | null)?.create_request;
    if (create !== undefined && this.pending.length < WatchRecorder.PENDING_MAX) this.pending.push(create);
  }

  response(body: unknown): void {
    const r = body as { watch_id?: unknown; created?: unknown; canceled?: unknown } | null;
    if (r === null || typeof r !== 'object') return;
    const id = typeof r.watch_id === 'string' ? r.watch_id : '0';
    if (r.created === true && !this.watchers.has(id)) {
      const request = this.pending.shift();
      if (request !== undefined) this.watchers.set(id, { process: `client-watch-${this.processes.take()}`, request, first: true });
    }
    const w = this.watchers.get(id);
    if (w === undefined) return;
    this.history.watch({ process: w.process, time: this.nowUs(), node: this.member, response: body, ...(w.first ? { request: w.request } : {}) });
    w.first = false;
    if (r.canceled === true) this.watchers.delete(id);
  }

  /** The stream ended: each of its watchers still open gets a record saying so (WatchRecord.closed). */
  closed(reason: string): void {
    const time = this.nowUs();
    for (const w of this.watchers.values()) this.history.watch({ process: w.process, time, node: this.member, response: {}, closed: reason });
    this.watchers.clear();
    this.pending.length = 0;
  }
}

/** The gateway's streaming form {"result": m} carries the message itself. */
export function unwrapResult(body: unknown): unknown {
  if (body !== null && typeof body === 'object' && 'result' in body) return (body).result;
  return body;
}

function gateResult(r: CallResult, member: string): GateResult {
  if (r.type === 'ok') return { ok: true, body: r.body };
  if (r.type === 'info') return { ok: false, error: { code: GRPC_UNAVAILABLE, message: `detcd: no answer from member ${member} (${r.error ?? 'timeout'}); the outcome is unknown` } };
  const b = r.body as { code?: unknown; message?: unknown } | undefined;
  const code = typeof b?.code === 'number' ? b.code : GRPC_UNKNOWN;
  const message = typeof b?.message === 'string' ? b.message : (r.error ?? 'unknown error');
  return { ok: false, error: { code, message } };
}

/** What the lock and election services need of a gate: calls and watches, as one client makes them. */
export interface ClientGate {
  readonly member: string;
  call(path: string, body: unknown, done: (r: GateResult) => void): void;
  openWatch(listener: WatchListener, requireLeader: boolean): WatchHandle;
}

/**
 * The gate as a client holding `token` uses it: etcd's lock and election servers make their
 * reads, writes and watches with their caller's credentials, so a user without permission on the
 * lock's keys is refused ("permission denied"), as by etcd.
 */
export function asClient(gate: MemberGate, token: string | undefined): ClientGate {
  if (token === undefined) return gate;
  return { member: gate.member, call: (path, body, done) => gate.call(path, body, done, token), openWatch: (listener, requireLeader) => gate.openWatch(listener, requireLeader, token) };
}
