// What etcd 3.4's Go gRPC server answers itself, before etcd's handlers, in its words rather than
// grpc-js's. A request message over its 2 MiB receive limit (unary or server-streaming calls):
// RESOURCE_EXHAUSTED "grpc: received message larger than max (N vs. 2097152)". A request message
// etcd's gogo decoder refuses (grpc-codec.ts MalformedRequest): INTERNAL in grpc-go's words. A call to a method
// the server does not have (grpc-go's handleStream), not "The server does not implement the method /s/m":
//   - a path with no "/" after its leading one: RESOURCE_EXHAUSTED `malformed method name: "/x"`;
//   - a service it does not register (grpc reflection, a 3.5 service, a typo):
//     UNIMPLEMENTED "unknown service etcdserverpb.Nope";
//   - a method its service lacks (a 3.5 client's Maintenance/Downgrade):
//     UNIMPLEMENTED "unknown method Downgrade for service etcdserverpb.Maintenance".
// The service is everything before the path's last "/", as grpc-go splits it.
import * as grpc from '@grpc/grpc-js';
import { GRPC_RECEIVE_BYTES_MAX, MalformedRequest, OversizedRequest } from './grpc-codec.ts';

export interface CallStatus {
  readonly code: grpc.status;
  readonly details: string;
}

/** etcd's answer to a call of `path`, which no handler serves; `knownPaths`: the paths that have one. */
export function unknownMethodStatus(path: string, knownPaths: Iterable<string>): CallStatus {
  const sm = path.startsWith('/') ? path.slice(1) : path;
  const slash = sm.lastIndexOf('/');
  // grpc-go quotes with %q; JSON's quoting agrees on printable ASCII.
  if (slash < 0) return { code: grpc.status.RESOURCE_EXHAUSTED, details: `malformed method name: ${JSON.stringify(path)}` };
  const service = sm.slice(0, slash);
  const method = sm.slice(slash + 1);
  const services = new Set([...knownPaths].map((p) => p.slice(1, p.lastIndexOf('/'))));
  return services.has(service)
    ? { code: grpc.status.UNIMPLEMENTED, details: `unknown method ${method} for service ${service}` }
    : { code: grpc.status.UNIMPLEMENTED, details: `unknown service ${service}` };
}

/** The part of grpc-js's server this reaches into: its handler lookup, by path (null when none). */
interface HandlerLookup {
  handlers: Map<string, unknown>;
  _retrieveHandler(path: string): unknown;
}

interface Call {
  request?: unknown;
  emit(event: string, ...args: unknown[]): boolean;
}

interface Handler {
  readonly type: 'unary' | 'serverStream' | 'clientStream' | 'bidi';
  readonly func: (call: Call, callback?: (status: CallStatus) => void) => void;
}

/** grpc-go's answer to a message over its receive limit. */
function oversized(sizeBytes: number): CallStatus {
  return { code: grpc.status.RESOURCE_EXHAUSTED, details: `grpc: received message larger than max (${sizeBytes} vs. ${GRPC_RECEIVE_BYTES_MAX})` };
}

/** grpc-go's answer to a request it cannot take (too large, or not decodable), if it is one. */
function refusal(request: unknown): CallStatus | undefined {
  if (request instanceof OversizedRequest) return oversized(request.sizeBytes);
  if (request instanceof MalformedRequest) return { code: grpc.status.INTERNAL, details: request.details };
  return undefined;
}

/**
 * `handler` with a request it could not take refused: a single request before the handler runs;
 * on a bidirectional stream, the first such message ends the call (etcd's receive loop returns
 * the error, and the stream ends with it).
 */
function refusingUntakeable(handler: Handler): Handler {
  if (handler.type === 'bidi') {
    return {
      ...handler,
      func: (call, callback) => {
        const emit = call.emit.bind(call);
        call.emit = (event, ...args): boolean => {
          const status = event === 'data' ? refusal(args[0]) : undefined;
          return status === undefined ? emit(event, ...args) : emit('error', status);
        };
        handler.func(call, callback);
      },
    };
  }
  if (handler.type !== 'unary' && handler.type !== 'serverStream') return handler;
  return {
    ...handler,
    func: (call, callback) => {
      const status = refusal(call.request);
      if (status === undefined) return handler.func(call, callback);
      if (callback !== undefined) callback(status);
      else call.emit('error', status);
    },
  };
}

/**
 * Makes `server` answer as grpc-go does where grpc-js would use its own words. grpc-js has no
 * public hook for this: its handler lookup is replaced on this one instance — a known handler
 * refusing an oversized request first, a miss becoming a stream handler that fails at once
 * (grpc-go answers an unknown method before reading any request message).
 */
export function answerAsGrpcGo(server: grpc.Server): void {
  const s = server as unknown as HandlerLookup;
  const lookup = s._retrieveHandler.bind(server);
  s._retrieveHandler = (path: string): unknown => {
    const known = lookup(path) as Handler | null | undefined;
    if (known !== null && known !== undefined) return refusingUntakeable(known);
    const status = unknownMethodStatus(path, s.handlers.keys());
    return {
      type: 'bidi',
      path,
      serialize: (v: Buffer) => v,
      deserialize: (b: Buffer) => b,
      func: (call: grpc.ServerDuplexStream<Buffer, Buffer>) => call.emit('error', status),
    };
  };
}
