// One TCP port that speaks both of etcd's client protocols, as etcd's own client port does:
// a connection that opens with the HTTP/2 connection preface ("PRI * HTTP/2.0", what gRPC
// clients such as etcdctl send in cleartext) is relayed to the member's gRPC server (grpc-js
// owns its HTTP/2 server, so it listens on a private Unix socket); anything else is HTTP/1.1
// and goes to the gateway's HTTP server in this process. What a client sends over HTTP/2 goes
// through an AuthorityRewriter (h2-authority.ts): etcd 3.4's Go clients put the endpoint's
// scheme in :authority, which Node's HTTP/2 would refuse.
// Until the member is ready (setReady), connections are accepted and held unread: etcd 3.4 opens
// its client listener at start but serves it only once its server is ready (embed's serve waits
// on ReadyNotify: a leader is known and the member published itself), so a client that comes
// early waits (etcdctl: "context deadline exceeded" if it never becomes ready), never "no leader".
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

export interface SniffingServer {
  readonly server: Server;
  /** Every open connection, held ones too. */
  readonly sockets: Set<Socket>;
  /** Ready: held connections are served, in the order they came, and new ones at once. Not ready: new ones are held. */
  readonly setReady: (ready: boolean) => void;
}

/** A server on one port: HTTP/2 to `grpcSocketPath`, HTTP/1.1 to `http`; holds connections until setReady(true). */
export function sniffingServer(http: HttpServer, grpcSocketPath: string): SniffingServer {
  const sockets = new Set<Socket>();
  const held: Socket[] = [];
  let ready = false;
  const serve = (socket: Socket): void => {
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
  };
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => {
      sockets.delete(socket);
      const i = held.indexOf(socket);
      if (i >= 0) held.splice(i, 1);
    });
    socket.on('error', () => socket.destroy());
    // Unread until served: no 'data' listener, so the bytes wait in the socket (and the kernel).
    if (ready) serve(socket);
    else held.push(socket);
  });
  const setReady = (now: boolean): void => {
    ready = now;
    if (!ready) return;
    for (const socket of held.splice(0)) serve(socket);
  };
  return { server, sockets, setReady };
}
