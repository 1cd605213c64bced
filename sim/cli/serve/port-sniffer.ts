// One TCP port that speaks both of etcd's client protocols, as etcd's own client port does:
// a connection that opens with the HTTP/2 connection preface ("PRI * HTTP/2.0", what gRPC
// clients such as etcdctl send in cleartext) is relayed to the member's gRPC server (grpc-js
// owns its HTTP/2 server, so it listens on a private Unix socket); anything else is HTTP/1.1
// and goes to the gateway's HTTP server in this process. What a client sends over HTTP/2 goes
// through an AuthorityRewriter (h2-authority.ts): etcd 3.4's Go clients put the endpoint's
// scheme in :authority, which Node's HTTP/2 would refuse.
import { connect, createServer } from 'node:net';
import { Transform } from 'node:stream';
import type { Server, Socket } from 'node:net';
import type { Server as HttpServer } from 'node:http';
import { AuthorityRewriter } from './h2-authority.ts';

const H2_PREFACE_START = Buffer.from('PRI * HTTP/2.0', 'latin1');
/** Bytes that decide the protocol: HTTP/1 has no method starting "PRI". */
const SNIFF_BYTES = 3;

/** True when `head` starts like the HTTP/2 preface (it may be only the first few bytes). */
export function looksLikeHttp2(head: Buffer): boolean {
  const n = Math.min(head.length, H2_PREFACE_START.length);
  return n >= SNIFF_BYTES && head.subarray(0, n).equals(H2_PREFACE_START.subarray(0, n));
}

function relay(client: Socket, upstreamPath: string, head: Buffer): void {
  const upstream = connect(upstreamPath);
  const rewriter = new AuthorityRewriter();
  const rewrite = new Transform({
    transform(chunk: Buffer, _encoding, done): void {
      try {
        done(null, rewriter.push(chunk));
      } catch (err) {
        done(err as Error);
      }
    },
  });
  rewrite.write(head);
  client.pipe(rewrite).pipe(upstream);
  upstream.pipe(client);
  const close = (): void => {
    client.destroy();
    upstream.destroy();
  };
  rewrite.on('error', close);
  client.on('error', close);
  upstream.on('error', close);
  client.on('close', close);
  upstream.on('close', close);
}

/** A server on one port: HTTP/2 to `grpcSocketPath`, HTTP/1.1 to `http`. */
export function sniffingServer(http: HttpServer, grpcSocketPath: string): { server: Server; sockets: Set<Socket> } {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    let head = Buffer.alloc(0);
    const onData = (chunk: Buffer): void => {
      head = Buffer.concat([head, chunk]);
      if (head.length < SNIFF_BYTES) return;
      socket.off('data', onData);
      socket.pause();
      if (looksLikeHttp2(head)) {
        relay(socket, grpcSocketPath, head);
        socket.resume();
        return;
      }
      socket.unshift(head);
      http.emit('connection', socket);
      socket.resume();
    };
    socket.on('data', onData);
  });
  return { server, sockets };
}
