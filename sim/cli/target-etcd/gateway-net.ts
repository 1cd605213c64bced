// A client's network to real etcd members: the messages the simulated client sends (unary
// requests by gateway path, watch stream messages) become HTTP requests to etcd's gRPC gateway
// (JSON, /v3/...), and the answers come back as the messages a simulated member would send. So
// the harness's own EtcdClient, WatchStream and LeaseKeeper drive a real cluster unchanged.
// A watch stream is one long POST /v3/watch whose request body carries WatchRequests one JSON
// object at a time (grpc-gateway decodes a bidirectional stream that way) and whose response
// carries {"result": WatchResponse} lines.
import http from 'node:http';
import type { ClientToMember, MemberToClient } from '../../../src/server/client-protocol.ts';
import type { ClientNet, TransportFailure } from '../../etcd/client-net.ts';
import type { RealClock } from './real-clock.ts';

export interface GatewayTargets {
  /** Member id ("n1") → its client URL ("http://10.200.3.1:2379"). */
  url(member: string): string | undefined;
  readonly agent: http.Agent;
  /** Abort any HTTP request left unanswered this long (the client timed out long before). */
  readonly requestAbortMs: number;
  /** Test hook: ranges go out serializable (served from the member's own state), recorded as asked. */
  readonly serializableReads?: boolean;
}

/** A watch stream answers a ping with pong only if the member spoke this recently. */
const WATCH_ALIVE_MS = 1_500;
/** Bound on a single response body: a gateway answer past it is cut and dropped. */
const RESPONSE_BYTES_MAX = 64 * 1024 * 1024;

interface OpenStream {
  req: http.ClientRequest;
  /** WatchRequests written before the server asked for the body (100 Continue). */
  pending: string[] | undefined;
  member: string;
  lastHeardMs: number;
  closed: boolean;
}

/**
 * Connection errors raised before a byte of the request was written: the member certainly did
 * not receive it (a killed etcd's port refuses; its namespace gone, the host is unreachable).
 */
const NOT_SENT_CODES: ReadonlySet<string> = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH']);

/** What a unary request's transport error tells the client (TransportFailure). */
export function transportFailure(id: number, err: unknown): TransportFailure {
  const code = err !== null && typeof err === 'object' ? (err as { code?: unknown }).code : undefined;
  if (typeof code === 'string' && NOT_SENT_CODES.has(code)) return { kind: 'transport-failure', id, sent: false, reason: `connection refused (${code})` };
  return { kind: 'transport-failure', id, sent: true, reason: `connection lost (${typeof code === 'string' ? code : 'closed'})` };
}

type Deliver = (from: string, m: MemberToClient | TransportFailure) => void;

export function gatewayClientNet(id: string, targets: GatewayTargets, clock: RealClock, onMessage: (from: string, m: MemberToClient | TransportFailure) => void): ClientNet & { close(): void } {
  const streams = new Map<number, OpenStream>();
  const deliver: Deliver = (from, m) => clock.guard(() => onMessage(from, m));
  const closeStream = (stream: number, reason: string): void => {
    const s = streams.get(stream);
    if (s === undefined || s.closed) return;
    s.closed = true;
    streams.delete(stream);
    s.req.destroy();
    deliver(s.member, { kind: 'watch-closed', stream, reason });
  };
  const send = (to: string, message: unknown): void => {
    const m = message as ClientToMember;
    const url = targets.url(to);
    if (url === undefined) return; // not a member: as a message into the void
    switch (m.kind) {
      case 'request':
        return unary(url, to, m.id, m.path, onTheWire(m.path, m.body, targets.serializableReads === true), targets, deliver);
      case 'watch-send': {
        const s = streams.get(m.stream);
        if (m.open === true && s === undefined) {
          streams.set(m.stream, openWatch(url, to, m.stream, m.body, m.requireLeader === true, targets, deliver, closeStream));
          return;
        }
        if (s === undefined || s.closed) return void setImmediate(() => deliver(to, { kind: 'watch-closed', stream: m.stream, reason: 'stream unknown' }));
        const line = `${JSON.stringify(m.body)}\n`;
        if (s.pending !== undefined) s.pending.push(line);
        else s.req.write(line);
        return;
      }
      case 'watch-close': {
        const s = streams.get(m.stream);
        if (s !== undefined) {
          s.closed = true;
          streams.delete(m.stream);
          s.req.destroy();
        }
        return;
      }
      case 'watch-ping': {
        const s = streams.get(m.stream);
        const alive = s !== undefined && !s.closed && Date.now() - s.lastHeardMs < WATCH_ALIVE_MS;
        setImmediate(() => deliver(to, alive ? { kind: 'watch-pong', stream: m.stream } : { kind: 'watch-closed', stream: m.stream, reason: 'no answer' }));
        return;
      }
    }
  };
  return {
    id,
    nowUs: () => clock.nowUs(),
    schedule: (delayUs, fn) => clock.schedule(delayUs, fn),
    cancel: (timer) => clock.cancel(timer),
    send,
    close() {
      for (const [stream, s] of [...streams]) {
        s.closed = true;
        s.req.destroy();
        streams.delete(stream);
      }
    },
  };
}

function onTheWire(path: string, body: unknown, serializable: boolean): unknown {
  if (!serializable || path !== '/v3/kv/range' || body === null || typeof body !== 'object') return body;
  return { ...(body as Record<string, unknown>), serializable: true };
}

function unary(url: string, member: string, id: number, path: string, body: unknown, targets: GatewayTargets, deliver: Deliver): void {
  const payload = JSON.stringify(body ?? {});
  // Settled once: an answer, a transport failure, or the abort long after the client's timeout.
  let settled = false;
  const failed = (err: unknown): void => {
    if (settled) return;
    settled = true;
    deliver(member, transportFailure(id, err));
  };
  const req = http.request(`${url}${path}`, { method: 'POST', agent: targets.agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } }, (res) => {
    readBody(res, failed, (text) => {
      if (settled) return;
      settled = true;
      let parsed: unknown;
      try {
        parsed = text === '' ? {} : JSON.parse(text);
      } catch {
        return; // not JSON: a broken answer is no answer (the client times out)
      }
      // Streaming endpoints (lease keep-alive) answer {"result": ...} like a watch.
      if (path === '/v3/lease/keepalive' && parsed !== null && typeof parsed === 'object' && 'result' in parsed) parsed = (parsed).result;
      deliver(member, { kind: 'reply', id, status: res.statusCode ?? 500, body: parsed, member });
    });
  });
  req.setTimeout(targets.requestAbortMs, () => {
    settled = true;
    req.destroy();
  });
  // A refused connection: the client sends elsewhere at once; a broken one: the outcome is unknown now, not at the timeout.
  req.on('error', failed);
  req.end(payload);
}

function readBody(res: http.IncomingMessage, failed: (err: unknown) => void, done: (text: string) => void): void {
  const chunks: Buffer[] = [];
  let bytes = 0;
  res.on('data', (c: Buffer) => {
    bytes += c.length;
    if (bytes > RESPONSE_BYTES_MAX) return void res.destroy();
    chunks.push(c);
  });
  res.on('end', () => done(Buffer.concat(chunks).toString('utf8')));
  res.on('error', failed);
  res.on('aborted', () => failed(undefined));
}

function openWatch(
  url: string,
  member: string,
  stream: number,
  create: unknown,
  requireLeader: boolean,
  targets: GatewayTargets,
  deliver: (from: string, m: MemberToClient) => void,
  closeStream: (stream: number, reason: string) => void,
): OpenStream {
  // Go's HTTP/1.1 server stops reading a request body once the handler has written its answer
  // unless the client asked "Expect: 100-continue": then the body streams both ways (curl -T).
  const headers: Record<string, string> = { 'content-type': 'application/json', expect: '100-continue' };
  // grpc-gateway forwards Grpc-Metadata-* headers as gRPC metadata: clientv3.WithRequireLeader.
  if (requireLeader) headers['grpc-metadata-hasleader'] = 'true';
  const req = http.request(`${url}/v3/watch`, { method: 'POST', headers, agent: false });
  const s: OpenStream = { req, member, lastHeardMs: Date.now(), closed: false, pending: [`${JSON.stringify(create)}\n`] };
  req.on('continue', () => {
    for (const line of s.pending ?? []) req.write(line);
    s.pending = undefined;
  });
  req.on('response', (res) => {
    let buffered = '';
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      s.lastHeardMs = Date.now();
      buffered += chunk;
      for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
        const line = buffered.slice(0, nl).trim();
        buffered = buffered.slice(nl + 1);
        if (line !== '') onLine(line);
      }
      if (buffered.length > RESPONSE_BYTES_MAX) closeStream(stream, 'watch response too large');
    });
    res.on('end', () => closeStream(stream, 'stream ended'));
    res.on('error', () => closeStream(stream, 'connection lost'));
  });
  req.on('error', () => closeStream(stream, 'connection lost'));
  const onLine = (line: string): void => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      return closeStream(stream, 'malformed watch response');
    }
    const error = (parsed as { error?: { message?: string } }).error;
    if (error !== undefined) return closeStream(stream, error.message ?? 'watch error');
    deliver(member, { kind: 'watch-response', stream, body: parsed });
  };
  req.flushHeaders();
  return s;
}
