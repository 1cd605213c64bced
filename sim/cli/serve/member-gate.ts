// One member's door to the outside world in `detcd serve`: every request that arrives on the
// member's port (gRPC or gateway JSON) becomes a simulated client call to exactly that member,
// so a client's choice of member, its failover and a member's "no leader" answers are real.
// Key-value and lease requests are recorded in the serve history (one history process per
// request, so concurrent requests never share one); maintenance and membership reads are not
// operations of the etcd model and go through a second, unrecorded client.
import type { MemberToClient } from '../../../src/server/client-protocol.ts';
import type { CallResult, EtcdClient } from '../../etcd/client.ts';
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
    return this.isUp() ? undefined : `detcd: member ${this.member} is down (killed by the nemesis); try another endpoint`;
  }

  /** Sends one unary request (gateway path, gateway JSON body) to this member. */
  call(path: string, body: unknown, done: (r: GateResult) => void): void {
    const down = this.downReason();
    // A killed etcd refuses connections: nothing is sent, so nothing enters the history.
    if (down !== undefined) return done({ ok: false, error: { code: GRPC_UNAVAILABLE, message: down } });
    const client = RECORDED.has(opName(path)) ? this.recording : this.quiet;
    const ran = this.run(() => client.call({ path, body }, this.processes.take(), (r) => done(gateResult(r, this.member))));
    if (!ran) done({ ok: false, error: { code: GRPC_UNAVAILABLE, message: STOPPED } });
  }

  /** Opens a watch stream on this member; `requireLeader` is gRPC metadata "hasleader". */
  openWatch(listener: WatchListener, requireLeader: boolean): WatchHandle {
    let stream = 0;
    let first = true;
    let closed = false;
    this.run(() => {
      stream = this.quiet.openStream((_from, m: MemberToClient) => {
        if (closed) return;
        if (m.kind === 'watch-response') listener.response(unwrapResult(m.body));
        else if (m.kind === 'watch-closed') {
          closed = true;
          listener.closed(m.reason);
        }
      });
    });
    if (stream === 0) listener.closed(STOPPED);
    return {
      send: (body) => {
        const open = first;
        first = false;
        this.run(() => this.quiet.sendStream(this.member, { kind: 'watch-send', stream, body, open, ...(open && requireLeader ? { requireLeader } : {}) }));
      },
      close: () => {
        closed = true;
        this.run(() => {
          this.quiet.closeStream(stream);
          this.quiet.sendStream(this.member, { kind: 'watch-close', stream });
        });
      },
    };
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
