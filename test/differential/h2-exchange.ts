// One gRPC call as raw HTTP/2 shows it (what grpcurl -v or a proxy sees, and clientv3 hides): the
// response header block and trailers as sent, name and value in order, how many gRPC messages
// came, the RST_STREAM code that ended the stream (0: none) and whether it came while the client
// still sent. Any header may be set or
// overridden and the request body is raw bytes, so malformed requests can be sent. Never rejects.
import { connect, constants } from 'node:http2';

export interface H2Request {
  readonly path: string;
  readonly headers?: Record<string, string>;
  /** The request body as sent (gRPC frames, or not). */
  readonly body: Buffer;
  /** Keep the request side open this long after the body (a stream's deadline can fire meanwhile). */
  readonly openMs?: number;
  /** More request bytes, sent this long after the body (after the server's first response); the side ends with them unless `openMs` is longer. */
  readonly later?: { readonly afterMs: number; readonly body: Buffer };
  /** Cancel the call (RST_STREAM CANCEL) this long after it started, if the server has not ended it. */
  readonly cancelAfterMs?: number;
}

export interface H2Exchange {
  /** The first header block: [name, value] in order (trailers-only answers carry the status here). */
  readonly headers: readonly (readonly [string, string])[] | null;
  readonly trailers: readonly (readonly [string, string])[] | null;
  /** gRPC messages in the response body, by their 5-byte prefixes. */
  readonly messages: number;
  readonly rstCode: number;
  /**
   * The server reset the stream while the client still sent (Node's 'aborted'): grpc-go ends a
   * call with RST_STREAM NO_ERROR after its status when the client had not ended its side.
   */
  readonly aborted: boolean;
}

const EXCHANGE_MS_MAX = 10_000;

/** gRPC's length-prefixed framing of one message. */
export function grpcFrame(message: Buffer, compressed = false): Buffer {
  const prefix = Buffer.alloc(5);
  prefix[0] = compressed ? 1 : 0;
  prefix.writeUInt32BE(message.length, 1);
  return Buffer.concat([prefix, message]);
}

function pairs(raw: string[]): [string, string][] {
  const out: [string, string][] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) out.push([raw[i]!, raw[i + 1]!]);
  return out;
}

function messageCount(body: Buffer): number {
  let n = 0;
  for (let at = 0; at + 5 <= body.length; at += 5 + body.readUInt32BE(at + 1)) n++;
  return n;
}

export function h2Exchange(endpoint: string, request: H2Request): Promise<H2Exchange> {
  return new Promise((resolve) => {
    const session = connect(endpoint);
    session.on('error', () => undefined);
    const stream = session.request({ ':method': 'POST', ':path': request.path, 'content-type': 'application/grpc', te: 'trailers', ...request.headers });
    let headers: [string, string][] | null = null;
    let trailers: [string, string][] | null = null;
    const body: Buffer[] = [];
    const giveUp = setTimeout(() => stream.close(constants.NGHTTP2_CANCEL), request.cancelAfterMs ?? EXCHANGE_MS_MAX);
    // Node passes the raw header list third (not in its types): names and values in order.
    stream.on('response', (_h: unknown, _flags: unknown, raw: string[]) => (headers = pairs(raw)));
    stream.on('trailers', (_t: unknown, _flags: unknown, raw: string[]) => (trailers = pairs(raw)));
    stream.on('data', (chunk: Buffer) => body.push(chunk));
    stream.on('error', () => undefined);
    let aborted = false;
    stream.on('aborted', () => (aborted = true));
    stream.on('close', () => {
      clearTimeout(giveUp);
      session.close();
      resolve({ headers, trailers, messages: messageCount(Buffer.concat(body)), rstCode: stream.rstCode ?? 0, aborted });
    });
    const { later, openMs } = request;
    if (openMs === undefined && later === undefined) stream.end(request.body);
    else {
      stream.write(request.body);
      // Written only while the stream is open (an answered call may be closed by then).
      if (later !== undefined) setTimeout(() => stream.closed || stream.write(later.body), later.afterMs);
      setTimeout(() => stream.closed || stream.end(), Math.max(openMs ?? 0, later?.afterMs ?? 0));
    }
  });
}
