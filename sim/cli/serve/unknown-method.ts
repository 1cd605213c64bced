// A call to a method the server does not have, answered as etcd 3.4's Go gRPC server answers it
// (grpc-go's handleStream), not with grpc-js's "The server does not implement the method /s/m":
//   - a path with no "/" after its leading one: RESOURCE_EXHAUSTED `malformed method name: "/x"`;
//   - a service it does not register (grpc reflection, a 3.5 service, a typo):
//     UNIMPLEMENTED "unknown service etcdserverpb.Nope";
//   - a method its service lacks (a 3.5 client's Maintenance/Downgrade):
//     UNIMPLEMENTED "unknown method Downgrade for service etcdserverpb.Maintenance".
// The service is everything before the path's last "/", as grpc-go splits it.
import * as grpc from '@grpc/grpc-js';

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

/**
 * Makes `server` answer calls of unknown methods as etcd does. grpc-js has no public hook for
 * them: its handler lookup is replaced on this one instance, a miss becoming a stream handler
 * that fails at once (grpc-go answers before reading any request message).
 */
export function answerUnknownMethodsAsEtcd(server: grpc.Server): void {
  const s = server as unknown as HandlerLookup;
  const lookup = s._retrieveHandler.bind(server);
  s._retrieveHandler = (path: string): unknown => {
    const known = lookup(path);
    if (known !== null && known !== undefined) return known;
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
