// The HTTP face of `detcd serve`: etcd's v3 JSON gateway on loopback. Unary requests become
// simulated client calls; POST /v3/watch is a streaming response of {"result": WatchResponse}
// lines, fed by a simulated watch stream, like etcd's gateway. Status codes and the error
// body {"error","code","message"} follow grpc-gateway.
import { STATUS_CODES, type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from 'node:http';
import { httpStatusFromGrpcCode } from '../../../src/server/client-protocol.ts';
import { gatewayBody, gatewayStreamRequest } from './gateway-body.ts';
import { JsonStreamSplitter } from './json-stream.ts';
import type { ClusterAdmin } from './cluster-admin.ts';
import { answerLocal, LOCAL_PATHS } from './local-methods.ts';
import { status as memberStatus, takeSnapshot } from './snapshot-method.ts';
import { CONCURRENCY_REQUESTS } from './concurrency-schema.ts';
import { decodeMessage } from '../../../src/api/json-codec.ts';
import { lock, unlock } from './lock-method.ts';
import { campaign, leader, observe, proclaim, resign } from './election-method.ts';
import type { GateResult, MemberGate, WatchHandle } from './member-gate.ts';
import { asClient, GRPC_UNAVAILABLE } from './member-gate.ts';
import { whenLeader } from './grpc-services.ts';
import { AUTH_METHODS } from '../../../src/api/auth-schema.ts';
import { writeMetrics } from './metrics.ts';
import { debugVars } from './expvar.ts';
import { setLogLevel } from './log-level.ts';
import { goJson } from './go-marshal.ts';
import { addCorsHeaders, GRPC_ERROR_HEADERS, GRPC_ERROR_TRAILERS, GRPC_SUCCESS_HEADERS, route } from './http-mux.ts';

const UNARY_PATHS = new Set([
  '/v3/kv/range', '/v3/kv/put', '/v3/kv/deleterange', '/v3/kv/txn', '/v3/kv/compaction',
  '/v3/lease/grant', '/v3/lease/revoke', '/v3/lease/keepalive', '/v3/lease/timetolive', '/v3/lease/leases',
  // No HashKV: etcd 3.4's gateway has no path for it (404).
  '/v3/maintenance/status', '/v3/maintenance/hash',
  ...Object.keys(LOCAL_PATHS),
  '/v3/lock/lock', '/v3/lock/unlock', '/v3/election/campaign', '/v3/election/proclaim', '/v3/election/leader', '/v3/election/resign',
  ...Object.values(AUTH_METHODS).map((m) => m.path),
]);
const ELECTION: Record<string, typeof leader> = { '/v3/election/proclaim': proclaim, '/v3/election/leader': leader, '/v3/election/resign': resign };
/** etcd 3.4.23's /version. */
export const VERSION_BODY = { etcdserver: '3.4.23', etcdcluster: '3.4.0' };
/**
 * Bound on one unary request body. etcd's gateway reads a body of any size and its gRPC server
 * refuses the message after (over MaxRequestBytes: "request is too large"; over 2 MiB encoded:
 * "grpc: received message larger than max"), which the member answers here too: the bound is
 * only the memory serve lends one request, well above what base64 makes of a 2 MiB message.
 */
const BODY_BYTES_MAX = 16 * 1024 * 1024;

/** The gateway paths that stream their answers (or their requests). */
const STREAM_PATHS = new Set(['/v3/watch', '/v3/maintenance/snapshot', '/v3/election/observe']);

/** etcd's gateway serves the lease paths twice (/v3/kv/lease/revoke); one canonical path each. */
export function canonicalPath(path: string): string {
  return path.startsWith('/v3/kv/lease/') ? '/v3/lease/' + path.slice('/v3/kv/lease/'.length) : path;
}

function writeJson(res: ServerResponse, status: number, body: unknown, headers: OutgoingHttpHeaders = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

/** A gateway answer the gRPC call gave, with the call's header metadata. */
function grpcAnswer(res: ServerResponse, body: unknown): void {
  writeJson(res, 200, body, GRPC_SUCCESS_HEADERS);
}

/** A stream's 200, with the call's header metadata. */
function startStream(res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'application/json', ...GRPC_SUCCESS_HEADERS });
}

/** The request's auth token: grpc-gateway passes the Authorization header on as metadata "authorization". */
function tokenOf(req: IncomingMessage): string | undefined {
  const v = req.headers.authorization;
  return v === undefined || v === '' ? undefined : v;
}

/**
 * grpc-gateway passes a "Grpc-Metadata-Hasleader" header on as gRPC metadata "hasleader" (etcd's
 * interceptors read its first value): "true" asks the member to refuse at once, "etcdserver: no
 * leader", when it knows no leader, and to end a watch when it loses its leader.
 */
function requiresLeader(req: IncomingMessage): boolean {
  return (req.headers['grpc-metadata-hasleader'] ?? '').toString().split(',')[0]?.trim() === 'true';
}

/** gRPC's UNKNOWN: how the gateway answers an error that carries no gRPC status (a decoder's). */
const GRPC_UNKNOWN = 2;

/** An error the gateway made itself (a body it could not decode): no gRPC metadata. */
function gatewayError(res: ServerResponse, code: number, message: string): void {
  writeJson(res, httpStatusFromGrpcCode(code), { error: message, message, code });
}

/** An error the gRPC call returned: its trailer metadata after the body. */
function grpcError(res: ServerResponse, code: number, message: string): void {
  res.addTrailers(GRPC_ERROR_TRAILERS);
  writeJson(res, httpStatusFromGrpcCode(code), { error: message, message, code }, GRPC_ERROR_HEADERS);
}

/** Go's expectsContinue: the request's Expect header names 100-continue (any case). */
function expectsContinue(req: IncomingMessage): boolean {
  return (req.headers.expect ?? '').split(',').some((t) => t.trim().toLowerCase() === '100-continue');
}

/**
 * A stream whose gRPC call failed after its first answer, as grpc-gateway ends it: the status is
 * sent, so the error comes as the last chunk, {"error": StreamError} in jsonpb's field names,
 * without the newline that follows a result (etcd's LeaseKeepAlive when a later renewal times out).
 */
function streamError(res: ServerResponse, code: number, message: string): void {
  const status = httpStatusFromGrpcCode(code);
  res.end(JSON.stringify({ error: { grpc_code: code, http_code: status, ...(message === '' ? {} : { message }), http_status: STATUS_CODES[status] } }));
}

export class HttpBridge {
  constructor(
    private readonly gate: MemberGate,
    private readonly admin: ClusterAdmin,
  ) {}

  handle(req: IncomingMessage, res: ServerResponse): void {
    const to = route(req.method ?? 'GET', req.url ?? '/', (p) => UNARY_PATHS.has(canonicalPath(p)) || STREAM_PATHS.has(p));
    if ('answer' in to) {
      req.resume();
      if (to.cors) addCorsHeaders(res);
      if (to.close) res.shouldKeepAlive = false;
      res.writeHead(to.answer.status, to.answer.headers);
      res.end(to.answer.body);
      return;
    }
    addCorsHeaders(res);
    const path = canonicalPath(to.path);
    const leader = requiresLeader(req);
    if (path === '/v3/watch') return this.watch(req, res, leader);
    if (path === '/version') return writeJson(res, 200, VERSION_BODY);
    if (path === '/health') return this.health(res);
    if (path === '/metrics') return this.metrics(res);
    if (path === '/debug/vars') return this.debugVars(res);
    if (path === '/config/local/log') return this.logLevel(req, res);
    if (path === '/v3/maintenance/snapshot') return this.snapshot(req, res, leader);
    if (path === '/v3/election/observe') return this.observe(req, res, leader);
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
      if (size > BODY_BYTES_MAX) req.destroy();
    });
    req.on('end', () => this.unary(path, Buffer.concat(chunks), res, tokenOf(req), leader));
  }

  private unary(path: string, bytes: Buffer, res: ServerResponse, token: string | undefined, leader: boolean): void {
    if (path === '/v3/lease/keepalive') return this.keepAlive(bytes, res, token, leader);
    const read = gatewayBody(path, bytes);
    if (!read.ok) return gatewayError(res, 3, read.message);
    const body = read.body;
    const answer = (r: GateResult): void => {
      if (r.ok) return grpcAnswer(res, r.body);
      grpcError(res, r.error.code, r.error.message);
    };
    const local = LOCAL_PATHS[path];
    if (local !== undefined) return whenLeader(this.gate, leader, answer, () => answerLocal({ gate: this.gate, admin: this.admin }, local, body, answer, token));
    const schema = CONCURRENCY_REQUESTS[path];
    const decoded = schema === undefined ? undefined : decodeMessage(schema, body);
    if (decoded !== undefined && !decoded.ok) return gatewayError(res, 3, decoded.error);
    whenLeader(this.gate, leader, answer, () => this.call(path, body, res, token, answer));
  }

  /** A unary call the gateway decoded, to the member or the services beside it. */
  private call(path: string, body: unknown, res: ServerResponse, token: string | undefined, answer: (r: GateResult) => void): void {
    const request = (body ?? {}) as Record<string, unknown>;
    const gate = asClient(this.gate, token);
    if (path === '/v3/lock/lock') {
      const pending = lock(gate, request, answer);
      res.on('close', () => pending.cancel());
      return;
    }
    if (path === '/v3/lock/unlock') return unlock(gate, request, answer);
    if (path === '/v3/maintenance/status') return memberStatus(this.gate, this.admin, answer);
    if (path === '/v3/election/campaign') {
      const pending = campaign(gate, request, answer);
      res.on('close', () => pending.cancel());
      return;
    }
    const election = ELECTION[path];
    if (election !== undefined) return election(gate, request, answer);
    this.gate.call(path, body, answer, token);
  }

  /**
   * LeaseKeepAlive as the gateway runs it, a stream: every request of the body in turn, one
   * {"result"} line each; a request it cannot decode ends the requests (UNKNOWN, HTTP 500, when it
   * is the first), and a body without any request ends the stream at once, empty. A renewal the
   * member refuses is the gRPC error when it is the first, and the stream's error chunk after
   * answers were sent (streamError).
   */
  private keepAlive(bytes: Buffer, res: ServerResponse, token: string | undefined, leader: boolean): void {
    const splitter = new JsonStreamSplitter();
    let values: string[];
    try {
      values = splitter.push(bytes.toString('utf8'));
    } catch {
      res.destroy();
      return;
    }
    const rest = splitter.end();
    if (rest !== undefined) values.push(rest);
    const requests: unknown[] = [];
    let refusal: string | undefined;
    for (const v of values) {
      const read = gatewayStreamRequest('/v3/lease/keepalive', v);
      if (!read.ok) {
        refusal = read.message;
        break;
      }
      requests.push(read.body ?? {}); // null is an empty request to jsonpb
    }
    if (requests.length === 0 && refusal !== undefined) return gatewayError(res, GRPC_UNKNOWN, refusal);
    let started = false;
    const next = (i: number): void => {
      if (i === requests.length) {
        if (!started) res.writeHead(200, { 'content-type': 'application/json' });
        res.end();
        return;
      }
      this.gate.call('/v3/lease/keepalive', requests[i], (r) => {
        if (!r.ok) return started ? streamError(res, r.error.code, r.error.message) : grpcError(res, r.error.code, r.error.message);
        if (!started) startStream(res);
        started = true;
        res.write(JSON.stringify({ result: r.body }) + '\n');
        next(i + 1);
      }, token);
    };
    whenLeader(this.gate, leader, (r) => !r.ok && grpcError(res, r.error.code, r.error.message), () => next(0));
  }

  /** Maintenance.Snapshot as the gateway streams it: one {"result": SnapshotResponse} line per chunk. */
  private snapshot(req: IncomingMessage, res: ServerResponse, leader: boolean): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const read = gatewayBody('/v3/maintenance/snapshot', Buffer.concat(chunks));
      if (!read.ok) return gatewayError(res, 3, read.message);
      whenLeader(this.gate, leader, (r) => !r.ok && grpcError(res, r.error.code, r.error.message), () => this.streamSnapshot(res, tokenOf(req)));
    });
  }

  private streamSnapshot(res: ServerResponse, token: string | undefined): void {
    takeSnapshot(this.gate, this.admin, token, (r) => {
      if (!r.ok) return grpcError(res, r.error.code, r.error.message);
      startStream(res);
      for (const chunk of r.chunks) res.write(JSON.stringify({ result: chunk }) + '\n');
      res.end();
    });
  }

  /** Election.Observe as the gateway streams it: one {"result": LeaderResponse} line per leader or value. */
  private observe(req: IncomingMessage, res: ServerResponse, leader: boolean): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const read = gatewayBody('/v3/election/observe', Buffer.concat(chunks));
      if (!read.ok) return gatewayError(res, 3, read.message);
      const body = read.body as Record<string, unknown>;
      const decoded = decodeMessage(CONCURRENCY_REQUESTS['/v3/election/observe']!, body);
      if (!decoded.ok) return gatewayError(res, 3, decoded.error);
      whenLeader(this.gate, leader, (r) => !r.ok && grpcError(res, r.error.code, r.error.message), () => {
        startStream(res);
        const pending = observe(asClient(this.gate, tokenOf(req)), body, (r) => res.write(JSON.stringify({ result: r }) + '\n'), () => res.end());
        res.on('close', () => pending.cancel());
      });
    });
  }

  /**
   * The process's resident memory as the scrape arrives: the Status behind the other figures
   * writes the member's whole backend (its size), a passing peak that is serve's own bookkeeping,
   * and `etcdctl check datascale` reads this figure as the memory its writes cost.
   */
  private metrics(res: ServerResponse): void {
    const rssBytes = process.memoryUsage().rss;
    memberStatus(this.gate, this.admin, (st) => writeMetrics(res, st, rssBytes));
  }

  /** expvar's handler (expvar.ts): the variables etcd publishes, this member's raft status among them. */
  private debugVars(res: ServerResponse): void {
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
    res.end(debugVars(this.admin.raftOf(this.gate.member)));
  }

  /** PUT /config/local/log (log-level.ts): answered as etcd does, nothing to set. */
  private logLevel(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const answer = setLogLevel(Buffer.concat(chunks));
      if (answer.status === 204) {
        res.writeHead(204);
        res.end();
        return;
      }
      res.writeHead(answer.status, { 'content-type': 'application/json' });
      res.end(goJson({ message: answer.message }));
    });
  }

  /**
   * etcd's /health: healthy when the member knows a leader and serves a linearizable read. Its
   * handler sets no Content-Type: Go's sniffing of the JSON text names it text/plain.
   */
  private health(res: ServerResponse): void {
    const answer = (healthy: boolean): void => {
      res.writeHead(healthy ? 200 : 503, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(JSON.stringify({ health: healthy ? 'true' : 'false' }));
    };
    this.gate.call('/v3/maintenance/status', {}, (st) => {
      const leader = st.ok ? (st.body as { leader?: string }).leader : undefined;
      if (leader === undefined) return answer(false);
      // etcd 3.4's checkHealth: with authentication on, the read's "user name is empty" or
      // "permission denied" still shows a serving member.
      this.gate.call('/v3/kv/range', { key: 'aGVhbHRo', keys_only: true, limit: '1' }, (r) => {
        const healthy = r.ok || r.error.message === 'etcdserver: user name is empty' || r.error.message === 'etcdserver: permission denied';
        answer(healthy);
      });
    });
  }

  /**
   * The watch stream as etcd's gateway runs it: the requests go to the member as the body
   * brings them; a first request the gateway cannot decode (bad JSON, a wrong type, an int64 out
   * of range) is the whole answer (UNKNOWN, HTTP 500, as the gateway sends a decoder's error);
   * one that comes later stops the requests there, the stream staying open. Nothing is answered
   * before the request body ends unless the client sent "Expect: 100-continue": etcd 3.4's
   * HTTP/1.1 server (Go 1.19) reads the rest of a request's body before it writes the
   * response's first byte, so a client that keeps its body open to send a cancel later waits, on
   * etcd, for a response that never starts; after a 100 Continue it leaves the body to the
   * handler, both ways at once (and closes the connection after the response).
   */
  private watch(req: IncomingMessage, res: ServerResponse, leader: boolean): void {
    const splitter = new JsonStreamSplitter();
    let closed = false;
    let stopped = false;
    let handle: WatchHandle | undefined;
    /** What is written before the body ended, held until it ends (half duplex). */
    let held: (() => void)[] | undefined = expectsContinue(req) ? undefined : [];
    const answer = (write: () => void): void => {
      if (held === undefined) write();
      else held.push(write);
    };
    // The status line goes with the first response, as etcd's server sends its headers with its first message.
    let started = false;
    const open = (): WatchHandle => this.gate.openWatch({
      response: (body) => {
        if (closed) return;
        const line = JSON.stringify({ result: body }) + '\n';
        answer(() => {
          if (res.writableEnded || res.destroyed) return;
          if (!started) startStream(res);
          started = true;
          res.write(line);
        });
      },
      // The member ended the stream (no leader with "hasleader", killed, restarted, the
      // simulation stopped): the gRPC stream's UNAVAILABLE, as grpc-services.ts sends it, in the
      // gateway's form — its error chunk once answers went out, the call's error before.
      closed: (reason) => {
        closed = true;
        answer(() => (started ? streamError(res, GRPC_UNAVAILABLE, reason) : grpcError(res, GRPC_UNAVAILABLE, reason)));
      },
    }, leader, tokenOf(req));
    /** Sends the requests read, in order, until one is refused (the rest are not read). */
    const take = (values: readonly string[]): void => {
      for (const v of values) {
        const read = gatewayStreamRequest('/v3/watch', v);
        if (!read.ok) {
          stopped = true;
          if (handle === undefined) {
            closed = true;
            answer(() => gatewayError(res, GRPC_UNKNOWN, read.message));
          }
          return;
        }
        handle ??= open();
        // An empty request (`{}`, or `null`, which jsonpb reads as one) sets none of the request's
        // oneof: etcd's recvLoop passes it by. The member would take it for the first request of a
        // stream it does not know.
        const body = read.body;
        if (body === null || (typeof body === 'object' && Object.keys(body).length === 0)) continue;
        handle.send(body);
      }
    };
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      if (stopped) return;
      let values: string[];
      try {
        values = splitter.push(chunk);
      } catch {
        res.destroy();
        return;
      }
      take(values);
    });
    // The end of the body finishes a bare token (`5`) or cuts a value short ("unexpected EOF");
    // a body that ends before any request: the gateway still opens the stream. What was held
    // is written now.
    req.on('end', () => {
      if (!stopped) {
        const rest = splitter.end();
        if (rest !== undefined) take([rest]);
        if (!stopped && !closed) handle ??= open();
      }
      const writes = held ?? [];
      held = undefined;
      for (const write of writes) write();
    });
    res.on('close', () => {
      closed = true;
      handle?.close();
    });
  }
}
