// How grpc-go (etcd 3.4) reads the one request message of a unary or server-streaming call, where
// grpc-js differs. grpc-go reads exactly one length-prefixed message and never looks further (a
// second message is ignored; grpc-js answered "Received a second request message"), and serves
// the call once that message is read, whether the client has ended its side or not (grpc-js
// waited for the end: a client that kept sending had no answer); a body that
// ends before one whole message is "EOF" (nothing) or "unexpected EOF" (part of one), where
// grpc-js answered UNIMPLEMENTED "Received no request message"; the prefix's flag byte must be 0:
// 1 is a compressed message without an encoding, anything else no format at all (grpc-js took
// both as uncompressed).
import type { ServerHttp2Stream } from 'node:http2';
import * as grpc from '@grpc/grpc-js';

const PREFIX_BYTES = 5;

/** grpc-go's answer to a request body that is not one gRPC message, or undefined while it may still be. */
export function prefixRefusal(prefix: Buffer): { code: grpc.status; details: string } | undefined {
  const flag = prefix[0]!;
  if (flag === 0) return undefined;
  if (flag === 1) return { code: grpc.status.INTERNAL, details: 'grpc: compressed flag set with identity or empty encoding' };
  return { code: grpc.status.INTERNAL, details: `grpc: received unexpected payload format ${flag}` };
}

/** grpc-go's answer to a body that ended after `bytesSeen` bytes, short of one message. */
export function shortBodyRefusal(bytesSeen: number, streaming: boolean): { code: grpc.status; details: string } {
  if (bytesSeen === 0) return { code: grpc.status.UNKNOWN, details: 'EOF' };
  // A stream's RecvMsg turns a cut message into INTERNAL; a unary call passes the error on as it is.
  return { code: streaming ? grpc.status.INTERNAL : grpc.status.UNKNOWN, details: 'unexpected EOF' };
}

/**
 * Lets grpc-js's reader of `stream` see exactly one well-formed request message and the body's
 * end, as grpc-go reads it; anything else is answered by `refuse` (a trailers-only status) and
 * grpc-js sees nothing more. Only the first 5 bytes are ever held back.
 */
export function readingOneMessage(stream: ServerHttp2Stream, streaming: boolean, refuse: (code: grpc.status, details: string) => void): void {
  const emit = stream.emit.bind(stream) as (event: string | symbol, ...args: unknown[]) => boolean;
  let held = Buffer.alloc(0);
  let seen = 0;
  /** The message's end in body bytes, once its prefix is known. */
  let messageEnd: number | undefined;
  let finished = false;
  const stop = (status: { code: grpc.status; details: string }): void => {
    finished = true;
    refuse(status.code, status.details);
  };
  /** Told grpc-js the request side ended: grpc-go serves the call once its message is read, sent on or not. */
  let halfClosed = false;
  const whole = (flowing: boolean): boolean => {
    if (halfClosed || messageEnd === undefined || seen < messageEnd) return flowing;
    halfClosed = true;
    emit('end');
    return flowing;
  };
  stream.emit = ((event: string | symbol, ...args: unknown[]): boolean => {
    if (event === 'data') {
      if (finished || (messageEnd !== undefined && seen >= messageEnd)) return true;
      let chunk = args[0] as Buffer;
      if (messageEnd === undefined) {
        held = Buffer.concat([held, chunk]);
        seen += chunk.length;
        if (held.length < PREFIX_BYTES) return true;
        const refusal = prefixRefusal(held);
        if (refusal !== undefined) {
          stop(refusal);
          return true;
        }
        messageEnd = PREFIX_BYTES + held.readUInt32BE(1);
        chunk = held.subarray(0, messageEnd);
        held = Buffer.alloc(0);
        return whole(emit('data', chunk));
      }
      const passing = chunk.subarray(0, messageEnd - seen);
      seen += chunk.length;
      return whole(emit('data', passing));
    }
    if (event === 'end') {
      if (finished || halfClosed) return true;
      if (messageEnd === undefined || seen < messageEnd) {
        stop(shortBodyRefusal(seen, streaming));
        return true;
      }
    }
    return emit(event, ...args);
  }) as typeof stream.emit;
}

/**
 * The request side of a bidirectional stream (Watch, LeaseKeepAlive): every message passes, but a
 * bad flag byte or a body cut inside a message ends the call with `refuse` as grpc-go's Recv
 * error ends etcd's stream (INTERNAL), before the stream's first response or after it (then in
 * trailers: grpc-js passed the bytes on, leaving the stream open, or ending a keep-alive OK).
 */
export function readingMessages(stream: ServerHttp2Stream, refuse: (code: grpc.status, details: string) => void): void {
  const emit = stream.emit.bind(stream) as (event: string | symbol, ...args: unknown[]) => boolean;
  /** Body bytes before the current message's prefix, and that prefix's bytes so far. */
  let messageStart = 0;
  let prefix = Buffer.alloc(0);
  let seen = 0;
  let finished = false;
  const refused = (status: { code: grpc.status; details: string } | undefined): boolean => {
    if (status === undefined) return false;
    finished = true;
    refuse(status.code, status.details);
    return true;
  };
  stream.emit = ((event: string | symbol, ...args: unknown[]): boolean => {
    if (finished) return event === 'data' || event === 'end' ? true : emit(event, ...args);
    if (event === 'data') {
      const chunk = args[0] as Buffer;
      // Each prefix in this chunk is checked before any of the chunk passes.
      for (let at = 0; at < chunk.length; ) {
        const need = PREFIX_BYTES - prefix.length;
        if (seen + at < messageStart) {
          at = messageStart - seen;
          continue;
        }
        prefix = Buffer.concat([prefix, chunk.subarray(at, at + need)]);
        at += need;
        if (prefix.length < PREFIX_BYTES) break;
        if (refused(prefixRefusal(prefix))) return true;
        messageStart = seen + Math.min(at, chunk.length) + prefix.readUInt32BE(1);
        prefix = Buffer.alloc(0);
      }
      seen += chunk.length;
      return emit('data', chunk);
    }
    if (event === 'end' && (prefix.length > 0 || seen < messageStart) && refused(shortBodyRefusal(1, true))) return true;
    return emit(event, ...args);
  }) as typeof stream.emit;
}
