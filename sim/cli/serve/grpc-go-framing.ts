// What etcd 3.4's gRPC transport (grpc-go 1.26) does with a stream's header blocks, where grpc-js
// differs; a raw HTTP/2 client (grpcurl -v, a proxy) sees these, clientv3 and etcd3 do not.
//   - Request headers grpc-go refuses reset the stream (RST_STREAM PROTOCOL_ERROR): a content-type
//     other than "application/grpc" or "application/grpc+X" / ";X" (grpc-js answered 415, or took
//     "application/grpcx"), a grpc-timeout that is not [+-]digits and one unit in 2..9 characters
//     (grpc-js answered INTERNAL "Invalid grpc-timeout value").
//   - A timeout of zero or less is a deadline already past (grpc-js read "-5S" as 5 s).
//   - A request compressed with anything but identity: etcd installs no decompressor, so a known
//     method answers UNIMPLEMENTED `grpc: Decompressor is not installed for grpc-encoding "gzip"`
//     before reading a message (grpc-js decompressed gzip and deflate and answered).
//   - Responses: content-type "application/grpc" plus the request's subtype ("+proto" echoed,
//     ";x" as "+x"), no grpc-accept-encoding, grpc-encoding or date; grpc-status and
//     grpc-message right after content-type; grpc-message "" on OK (grpc-js "OK"), other
//     messages percent-encoded as Go does (bytes outside ' '..'~' and '%' only; grpc-js used
//     encodeURI, "%20" for every space). grpc-js's deadline answer in etcd's words.
//   - A unary or server-streaming call's one request message read as grpc-go reads it
//     (grpc-go-request.ts).
import { constants, type IncomingHttpHeaders, type OutgoingHttpHeaders, type ServerHttp2Stream, type ServerStreamResponseOptions } from 'node:http2';
import * as grpc from '@grpc/grpc-js';
import { readingMessages, readingOneMessage } from './grpc-go-request.ts';

const BASE_CONTENT_TYPE = 'application/grpc';

/** grpc-go's contentSubtype: "" for application/grpc, X for "+X" or ";X"; undefined: not gRPC. */
export function contentSubtype(contentType: string | undefined): string | undefined {
  if (contentType === BASE_CONTENT_TYPE) return '';
  if (contentType === undefined || !contentType.startsWith(BASE_CONTENT_TYPE)) return undefined;
  const next = contentType[BASE_CONTENT_TYPE.length];
  return next === '+' || next === ';' ? contentType.slice(BASE_CONTENT_TYPE.length + 1) : undefined;
}

/** The content-type grpc-go answers a request of `subtype` with. */
export function responseContentType(subtype: string): string {
  return subtype === '' ? BASE_CONTENT_TYPE : `${BASE_CONTENT_TYPE}+${subtype}`;
}

/**
 * grpc-go's decodeTimeout, as far as it decides: 'invalid' (the stream is reset), 'expired' (zero
 * or less: the call's context is done at once), else 'ok'.
 */
export function timeoutVerdict(value: string): 'invalid' | 'expired' | 'ok' {
  if (value.length < 2 || value.length > 9) return 'invalid';
  const m = /^([+-]?)(\d+)[HMSmun]$/.exec(value);
  if (m === null) return 'invalid';
  return m[1] === '-' || /^0+$/.test(m[2]!) ? 'expired' : 'ok';
}

/** grpc-go's encodeGrpcMessage: UTF-8 bytes outside printable ASCII, and '%', as %XX. */
export function goGrpcMessage(message: string): string {
  let out = '';
  for (const byte of Buffer.from(message, 'utf8')) {
    out += byte >= 0x20 && byte <= 0x7e && byte !== 0x25 ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** What grpc-js meant by a grpc-message it wrote (encodeURI's text; left as it is if not that). */
function grpcJsDetails(value: OutgoingHttpHeaders[string]): string {
  const text = Array.isArray(value) ? value.join(',') : String(value ?? '');
  try {
    return decodeURI(text);
  } catch {
    return text;
  }
}

/** etcd's bidirectional streams return the context's error unconverted: grpc-go answers it UNKNOWN. */
const CONTEXT_ERROR_UNKNOWN_PATHS = new Set(['/etcdserverpb.Watch/Watch', '/etcdserverpb.Lease/LeaseKeepAlive']);

/** What grpc-js's own deadline timer answers. */
const GRPC_JS_DEADLINE = 'Deadline exceeded';

/** grpc-js's words for a status, in etcd's: its own deadline answer is the context's error in Go. */
function goStatus(code: grpc.status, details: string, path: string): { code: grpc.status; message: string } {
  if (code === grpc.status.OK) return { code, message: '' };
  if (code === grpc.status.DEADLINE_EXCEEDED && details === GRPC_JS_DEADLINE) {
    return { code: CONTEXT_ERROR_UNKNOWN_PATHS.has(path) ? grpc.status.UNKNOWN : code, message: 'context deadline exceeded' };
  }
  return { code, message: details };
}

/** Headers grpc-js sends that grpc-go does not (it compresses nothing; Node adds date itself). */
const DROPPED = new Set(['content-type', 'grpc-accept-encoding', 'grpc-encoding', 'grpc-status', 'grpc-message', 'date', ':status']);

/** A header block grpc-js wrote (response headers, trailers-only or trailers) as grpc-go writes it. */
export function goHeaderBlock(block: OutgoingHttpHeaders, contentType: string | undefined, path: string): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  if (block[':status'] !== undefined) out[':status'] = block[':status'];
  if (contentType !== undefined) out['content-type'] = contentType;
  if (block['grpc-status'] !== undefined) {
    const status = goStatus(Number(block['grpc-status']), grpcJsDetails(block['grpc-message']), path);
    out['grpc-status'] = String(status.code);
    out['grpc-message'] = goGrpcMessage(status.message);
  }
  for (const [name, value] of Object.entries(block)) if (!DROPPED.has(name)) out[name] = value;
  return out;
}

/** The part of grpc-js's server this reaches into: its per-stream entry points (the one in use is bound at bind time). */
interface StreamEntry {
  handlers: Map<string, unknown>;
  _streamHandler(extraInterceptors: unknown, stream: ServerHttp2Stream, headers: IncomingHttpHeaders): void;
  _channelzHandler(extraInterceptors: unknown, stream: ServerHttp2Stream, headers: IncomingHttpHeaders): void;
}

/** The stream's responses written as grpc-go writes them (see goHeaderBlock); its status, however far the call is. */
function framedAsGrpcGo(stream: ServerHttp2Stream, subtype: string, path: string, unary: boolean): (code: grpc.status, details: string) => void {
  const respond = stream.respond.bind(stream);
  const sendTrailers = stream.sendTrailers.bind(stream);
  let trailersSent = false;
  // grpc-js sends a unary answer's OK status in its message's write callback, so a deadline
  // timer due meanwhile ended an answered call DEADLINE_EXCEEDED; grpc-go writes the answer and
  // OK together once the handler returned. A unary call that wrote its answer ends OK.
  let answered = false;
  if (unary) {
    const write = stream.write.bind(stream) as (...args: unknown[]) => boolean;
    stream.write = ((...args: unknown[]): boolean => {
      answered = true;
      return write(...args);
    }) as typeof stream.write;
  }
  const contentType = responseContentType(subtype);
  // Node's own option (not in its types): no date header.
  const noDate = { sendDate: false } as ServerStreamResponseOptions;
  stream.respond = (headers = {}, options = {}): void => {
    // A call answered here first (answer below) may still have grpc-js's deadline timer: its late
    // respond would throw ERR_HTTP2_HEADERS_SENT out of a timer and end the process.
    if (stream.headersSent || stream.closed) return;
    respond(goHeaderBlock(headers, contentType, path), { ...options, ...noDate });
    if (options.endStream === true) finishStream(stream);
  };
  stream.sendTrailers = (trailers): void => {
    // One status: grpc-js's own may follow one serve sent (endWithStatus).
    if (trailersSent) return;
    trailersSent = true;
    const deadline = Number(trailers['grpc-status']) === Number(grpc.status.DEADLINE_EXCEEDED) && grpcJsDetails(trailers['grpc-message']) === GRPC_JS_DEADLINE;
    sendTrailers(goHeaderBlock(answered && deadline ? { ...trailers, 'grpc-status': grpc.status.OK, 'grpc-message': '' } : trailers, undefined, path));
    // Node submits trailers on its next turn (setImmediate): the reset must follow them.
    setImmediate(() => finishStream(stream));
  };
  let ended = false;
  /**
   * Ends the call with a status of serve's own: trailers-only before any response; once grpc-js
   * has answered, in trailers after what it wrote, as etcd's stream handler returning an error
   * does (grpc-js's later writes fail quietly; its stream sees the close and cancels the call).
   */
  return (code, details): void => {
    if (!stream.headersSent) return answer(stream, code, details);
    if (ended || trailersSent || stream.closed) return;
    ended = true;
    stream.on('error', () => undefined);
    stream.once('wantTrailers', () => stream.sendTrailers({ 'grpc-status': String(code), 'grpc-message': encodeURI(details) }));
    stream.end();
  };
}

/**
 * After the status, grpc-go's finishStream: a client still sending gets RST_STREAM NO_ERROR (its
 * stream ends at the status, as etcd's does at a Watch's deadline, not when the client stops);
 * one that had ended its side has whatever it sent read, so the stream closes.
 */
function finishStream(stream: ServerHttp2Stream): void {
  if (stream.closed || stream.destroyed) return;
  if (stream.state.remoteClose === 1) stream.resume();
  else stream.close(constants.NGHTTP2_NO_ERROR);
}

/**
 * A trailers-only answer, as grpc-go writes one before any message; then finishStream (and
 * grpc-js sees the call gone if the client was still sending).
 */
function answer(stream: ServerHttp2Stream, code: grpc.status, details: string): void {
  stream.respond({ ':status': 200, 'grpc-status': code, 'grpc-message': encodeURI(details) }, { endStream: true });
}

/**
 * Makes every stream `server` takes go through grpc-go's checks and framing first (see the top
 * of this file). Must run before the server binds: grpc-js binds its entry point then.
 */
export function frameAsGrpcGo(server: grpc.Server): void {
  const s = server as unknown as StreamEntry;
  for (const entry of ['_streamHandler', '_channelzHandler'] as const) {
    const original = s[entry].bind(server);
    s[entry] = (extraInterceptors, stream, headers): void => {
      const subtype = contentSubtype(headers['content-type']);
      const timeout = headers['grpc-timeout'];
      const verdict = timeout === undefined ? 'ok' : timeoutVerdict(String(timeout));
      if (subtype === undefined || verdict === 'invalid') {
        // Node reports the reset it sends as the stream's error: nothing to do with it.
        stream.on('error', () => undefined);
        stream.close(constants.NGHTTP2_PROTOCOL_ERROR);
        return;
      }
      const path = String(headers[':path'] ?? '');
      const type = (s.handlers.get(path) as { type?: string } | undefined)?.type;
      const endWithStatus = framedAsGrpcGo(stream, subtype, path, type === 'unary');
      // An unknown method is answered first (grpc-go-answers.ts), then the encoding.
      const encoding = headers['grpc-encoding'];
      if (s.handlers.has(path) && encoding !== undefined && encoding !== '' && encoding !== 'identity') {
        answer(stream, grpc.status.UNIMPLEMENTED, `grpc: Decompressor is not installed for grpc-encoding ${JSON.stringify(encoding)}`);
        return;
      }
      // A single request is read as grpc-go reads it (grpc-go-request.ts).
      if (type === 'unary' || type === 'serverStream') readingOneMessage(stream, type === 'serverStream', endWithStatus);
      else if (type === 'bidi') readingMessages(stream, endWithStatus);
      // grpc-js's own deadline then answers at once, in etcd's words (goStatus).
      if (verdict === 'expired') headers['grpc-timeout'] = '0n';
      original(extraInterceptors, stream, headers);
    };
  }
}
