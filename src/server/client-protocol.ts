// The messages a client and a member exchange over the (simulated) network: unary v3 requests
// by gateway path with a wire JSON body, and watch streams. Bodies are exactly etcd's gateway
// JSON (base64 keys, 64-bit integers as strings), so a client can record them as they are.

/** A unary request: path is the gateway path ("/v3/kv/put"), body its JSON request. */
export interface ClientRequestMessage {
  readonly kind: 'request';
  /** Unique per client across all its messages; the reply carries it back. */
  readonly id: number;
  readonly path: string;
  readonly body: unknown;
  /**
   * JSON.stringify(body).length, where the sender already measured it (the simulated client
   * does, for the network): the member's size bound then reads it instead of walking the body
   * again. Absent, the member measures (jsonTextLength, the same figure).
   */
  readonly bodyTextLength?: number;
  /**
   * The body already decoded, where the sender built it beside the body (the simulated
   * workload, from the raw keys and values): what decodeMessage with the path's request schema
   * gives for the body (shared with the sender's retries: read, never written). The member then
   * reads it instead of decoding the body.
   * Absent, the member decodes the body (any other client).
   */
  readonly decoded?: object;
  /** The client's auth token (etcd's gRPC metadata "token"), after an Authenticate; absent without one. */
  readonly token?: string;
}

/** One message of a watch stream: a WatchRequest ({create_request} | {cancel_request} | {progress_request}). */
export interface WatchSendMessage {
  readonly kind: 'watch-send';
  /** Unique per client across all its messages, like a request's id (duplicates are dropped). */
  readonly id: number;
  readonly stream: number;
  readonly body: unknown;
  /**
   * True on the message that opens the stream. A member that does not know a stream (it
   * restarted since the stream opened) answers anything else on it with watch-closed, as a
   * broken connection would, instead of starting a stream the client never opened.
   */
  readonly open?: boolean;
  /**
   * On the opening message: the stream requires a leader (etcd's gRPC metadata "hasleader",
   * clientv3.WithRequireLeader; Kubernetes sets it). The member ends such a stream with
   * "etcdserver: no leader" once it has had no leader for 3 election timeouts.
   */
  readonly requireLeader?: boolean;
  /** On the opening message: the stream's auth token (gRPC metadata "token"), if the client has one. */
  readonly token?: string;
}

/** The client closes a watch stream (its watchers are cancelled silently). */
export interface WatchCloseMessage {
  readonly kind: 'watch-close';
  readonly id: number;
  readonly stream: number;
}

/** A liveness probe of a watch stream; the member answers pong or, if it no longer knows the stream, closed. */
export interface WatchPingMessage {
  readonly kind: 'watch-ping';
  readonly id: number;
  readonly stream: number;
}

export type ClientToMember = ClientRequestMessage | WatchSendMessage | WatchCloseMessage | WatchPingMessage;

export interface ClientReplyMessage {
  readonly kind: 'reply';
  readonly id: number;
  /** The HTTP status the gateway would answer with (200 on success). */
  readonly status: number;
  /** The response, or {"error","code","message"}. */
  readonly body: unknown;
  /** The member's name, and the leader it knows of (a hint for the client), if any. */
  readonly member: string;
  readonly leader?: string | undefined;
}

/** One WatchResponse, in the gateway's streaming form {"result": WatchResponse}. */
export interface WatchResponseMessage {
  readonly kind: 'watch-response';
  readonly stream: number;
  readonly body: unknown;
}

/** The stream ended on the member side (unknown stream after a restart, member stopping, no leader). */
export interface WatchClosedMessage {
  readonly kind: 'watch-closed';
  readonly stream: number;
  readonly reason: string;
}

export interface WatchPongMessage {
  readonly kind: 'watch-pong';
  readonly stream: number;
}

export type MemberToClient = ClientReplyMessage | WatchResponseMessage | WatchClosedMessage | WatchPongMessage;

export function isClientToMember(m: unknown): m is ClientToMember {
  if (m === null || typeof m !== 'object') return false;
  const k = (m as { kind?: unknown }).kind;
  return k === 'request' || k === 'watch-send' || k === 'watch-close' || k === 'watch-ping';
}

export function isMemberToClient(m: unknown): m is MemberToClient {
  if (m === null || typeof m !== 'object') return false;
  const k = (m as { kind?: unknown }).kind;
  return k === 'reply' || k === 'watch-response' || k === 'watch-closed' || k === 'watch-pong';
}

/** gRPC status code → HTTP status, as grpc-gateway maps it (runtime.HTTPStatusFromCode). */
export function httpStatusFromGrpcCode(code: number): number {
  const table: Record<number, number> = {
    0: 200, 1: 408, 2: 500, 3: 400, 4: 504, 5: 404, 6: 409, 7: 403, 8: 429,
    9: 412, 10: 409, 11: 400, 12: 501, 13: 500, 14: 503, 15: 500, 16: 401,
  };
  return table[code] ?? 500;
}
