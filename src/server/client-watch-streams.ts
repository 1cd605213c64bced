// The watch streams clients opened on this member, one per (client, stream id), each backed by
// a watch stream of the state machine. Responses leave in the gateway's streaming form
// {"result": WatchResponse}, in the order the state machine produced them. A ping on a stream
// this member does not know (it restarted since) answers "closed", so the client reconnects.
import type { ClientToMember, MemberToClient } from './client-protocol.ts';
import type { StateMachinePort, WatchStreamPort } from './state-machine-port.ts';

/** Bound on watch streams per member. */
export const WATCH_STREAMS_MAX = 10_000;

interface Stream {
  readonly client: string;
  readonly stream: number;
  readonly port: WatchStreamPort;
  readonly requireLeader: boolean;
}

/** Why a require-leader stream ends (etcd rpctypes.ErrNoLeader, gRPC Unavailable). */
export const NO_LEADER_REASON = 'etcdserver: no leader';

type WatchMessage = Exclude<ClientToMember, { kind: 'request' }>;

export class ClientWatchStreams {
  private readonly streams = new Map<string, Stream>();

  constructor(
    private readonly sm: StateMachinePort,
    private readonly send: (client: string, m: MemberToClient) => void,
  ) {}

  get size(): number {
    return this.streams.size;
  }

  receive(client: string, m: WatchMessage): void {
    const key = `${client}#${m.stream}`;
    switch (m.kind) {
      case 'watch-send':
        return this.handle(client, m.stream, m.body, m.open === true, m.requireLeader === true, m.token);
      case 'watch-close':
        this.streams.get(key)?.port.close();
        this.streams.delete(key);
        return;
      case 'watch-ping':
        this.send(client, this.streams.has(key) ? { kind: 'watch-pong', stream: m.stream } : { kind: 'watch-closed', stream: m.stream, reason: 'unknown stream' });
        return;
    }
  }

  /** Sends whatever every stream has ready (new events, synced watchers, progress, cancels). */
  poll(): void {
    // forEach with one function made per member, not for-of: this runs after every persisted
    // Ready, and a Map iterator was one more object each time.
    this.streams.forEach(this.pollStream);
  }

  private readonly pollStream = (s: Stream): void => this.emit(s, s.port.poll());

  /**
   * Ends every stream that requires a leader, as etcd's monitorLeader does after 3 election
   * timeouts without one: the gRPC stream fails with "etcdserver: no leader" (clientv3 hands
   * its watchers a canceled response carrying that error), and the client reconnects.
   */
  cancelLeaderRequired(): void {
    for (const [key, s] of this.streams) {
      if (!s.requireLeader) continue;
      s.port.close();
      this.streams.delete(key);
      this.send(s.client, { kind: 'watch-closed', stream: s.stream, reason: NO_LEADER_REASON });
    }
  }

  private handle(client: string, stream: number, body: unknown, open: boolean, requireLeader: boolean, token: string | undefined): void {
    const key = `${client}#${stream}`;
    let s = this.streams.get(key);
    if (s === undefined) {
      if (!open) {
        this.send(client, { kind: 'watch-closed', stream, reason: 'unknown stream' });
        return;
      }
      // Only a create request opens a stream. Anything else on a stream this incarnation does
      // not know (a progress request after a restart) means the client's stream died with the
      // old process, as a gRPC stream does: tell it, so that it reconnects and resumes.
      const opens = body !== null && typeof body === 'object' && 'create_request' in body;
      if (!opens) {
        this.send(client, { kind: 'watch-closed', stream, reason: 'unknown stream' });
        return;
      }
      if (this.streams.size >= WATCH_STREAMS_MAX) {
        this.send(client, { kind: 'watch-closed', stream, reason: 'too many watch streams' });
        return;
      }
      s = { client, stream, port: this.sm.openWatchStream(token), requireLeader };
      this.streams.set(key, s);
    }
    this.emit(s, s.port.handle(body));
    this.emit(s, s.port.poll());
  }

  private emit(s: Stream, responses: readonly unknown[]): void {
    for (let i = 0; i < responses.length; i++) this.send(s.client, { kind: 'watch-response', stream: s.stream, body: { result: responses[i] } });
  }
}
