// The HTTP face of `detcd serve`: etcd's v3 JSON gateway on loopback. Unary requests become
// simulated client calls; POST /v3/watch is a streaming response of {"result": WatchResponse}
// lines, fed by a simulated watch stream, like etcd's gateway. Status codes and the error
// body {"error","code","message"} follow grpc-gateway.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { httpStatusFromGrpcCode } from '../../../src/server/client-protocol.ts';
import type { EtcdClient } from '../../etcd/client.ts';
import { scanGoJson } from './go-json.ts';
import { JsonStreamSplitter } from './json-stream.ts';

const UNARY_PATHS = new Set([
  '/v3/kv/range', '/v3/kv/put', '/v3/kv/deleterange', '/v3/kv/txn', '/v3/kv/compaction',
  '/v3/lease/grant', '/v3/lease/revoke', '/v3/lease/keepalive', '/v3/lease/timetolive', '/v3/lease/leases',
  '/v3/maintenance/status', '/v3/maintenance/hash',
]);
/** Bound on one unary request body. */
const BODY_BYTES_MAX = 2 * 1024 * 1024;

/** etcd serves some paths twice (/v3/kv/lease/revoke, /v3beta/...); one canonical path each. */
export function canonicalPath(url: string): string {
  const path = (url.split('?')[0] ?? '').replace(/^\/v3(beta|alpha)\//, '/v3/');
  return path.startsWith('/v3/kv/lease/') ? '/v3/lease/' + path.slice('/v3/kv/lease/'.length) : path;
}

function writeJson(res: ServerResponse, status: number, body: unknown, wrapResult = false): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(wrapResult ? { result: body } : body) + (wrapResult ? '\n' : ''));
}

function grpcError(res: ServerResponse, code: number, message: string): void {
  writeJson(res, httpStatusFromGrpcCode(code), { error: message, message, code });
}

export class HttpBridge {
  private nextProcess = 1;

  /** `run` executes a function inside the simulation's turn (the world is single-threaded). */
  constructor(
    private readonly client: EtcdClient,
    private readonly run: (fn: () => void) => void,
  ) {}

  handle(req: IncomingMessage, res: ServerResponse): void {
    const path = canonicalPath(req.url ?? '/');
    if (path === '/v3/watch') return this.watch(req, res);
    if (!UNARY_PATHS.has(path)) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('Not Found');
      return;
    }
    if (req.method !== 'POST' && req.method !== 'PUT') {
      res.writeHead(405, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('Method Not Allowed');
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
      if (size > BODY_BYTES_MAX) req.destroy();
    });
    req.on('end', () => this.unary(path, Buffer.concat(chunks), res));
  }

  private unary(path: string, bytes: Buffer, res: ServerResponse): void {
    // Like the gateway's Go decoder: the first JSON value is the request, the rest is ignored.
    const scan = scanGoJson(bytes);
    if (!scan.ok) return grpcError(res, 3, scan.message);
    const body: unknown = scan.empty ? {} : JSON.parse(bytes.subarray(0, scan.end).toString('utf8'));
    const process = this.nextProcess++;
    this.run(() => this.client.call({ path, body }, process, (r) => {
      if (r.type === 'ok') return writeJson(res, 200, r.body, path === '/v3/lease/keepalive');
      if (r.type === 'info') return grpcError(res, 4, 'context deadline exceeded');
      const code = (r.body as { code?: number } | undefined)?.code ?? 2;
      writeJson(res, httpStatusFromGrpcCode(code), r.body);
    }));
  }

  private watch(req: IncomingMessage, res: ServerResponse): void {
    const splitter = new JsonStreamSplitter();
    let stream = 0;
    let member = '';
    let closed = false;
    let first = true;
    res.writeHead(200, { 'content-type': 'application/json' });
    this.run(() => {
      member = this.client.member;
      stream = this.client.openStream((_from, m) => {
        if (closed) return;
        if (m.kind === 'watch-response') res.write(JSON.stringify(m.body) + '\n');
        else if (m.kind === 'watch-closed') {
          closed = true;
          res.end();
        }
      });
    });
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      let values: string[];
      try {
        values = splitter.push(chunk);
      } catch {
        res.destroy();
        return;
      }
      for (const v of values) {
        let body: unknown;
        try {
          body = JSON.parse(v);
        } catch {
          continue;
        }
        const open = first;
        first = false;
        this.run(() => this.client.sendStream(member, { kind: 'watch-send', stream, body, open }));
      }
    });
    res.on('close', () => {
      closed = true;
      this.run(() => {
        this.client.closeStream(stream);
        this.client.sendStream(member, { kind: 'watch-close', stream });
      });
    });
  }
}
