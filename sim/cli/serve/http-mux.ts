// The HTTP framing of etcd 3.4's client port, before and around its handlers, so that a browser
// or curl sees on serve what it sees on etcd:
//   - etcd's CORS handler (--cors defaults to "*") wraps everything: every response carries its
//     three Access-Control headers, and an OPTIONS request of any path is answered 200, empty,
//     without reaching a handler (a browser's preflight);
//   - /v3/ and /v3beta/ belong to grpc-gateway's mux: a path it does not serve is 404 "Not
//     Found", a method other than POST on a path it serves is 405 (v3alpha is not served by
//     3.4: it falls to Go's mux);
//   - Go's http.ServeMux holds the rest: /version, /health and /debug/vars answer GET alone
//     (405 naming it in Allow), /config/local/log PUT alone, /metrics any method, anything else
//     is 404 "404 page not found";
//   - before the muxes, Go reads the path percent-decoded and refuses a malformed one, etcd's
//     access controller turns a /v3beta/ prefix into /v3/, and the outer mux redirects a path
//     that is not clean, and /v3, with a 301 (go-path.ts);
//   - refusals are Go's http.Error: text/plain, nosniff, the text and a newline;
//   - what the gateway forwards from its gRPC client carries that call's metadata: a success
//     the header Grpc-Metadata-Content-Type, a gRPC error the trailer Grpc-Trailer-Content-Type
//     (a body the gateway could not decode never reached gRPC, so it carries neither).
import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { BAD_REQUEST, cleanPath, location, movedPermanently, requestTarget } from './go-path.ts';

export const CORS_HEADERS: Readonly<Record<string, string>> = {
  'Access-Control-Allow-Methods': 'POST, GET, OPTIONS, PUT, DELETE',
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Headers': 'accept, content-type, authorization',
};

/** A gateway answer that came from the gRPC call: its response header metadata. */
export const GRPC_SUCCESS_HEADERS: OutgoingHttpHeaders = { 'Grpc-Metadata-Content-Type': 'application/grpc' };

/** A gateway error that came from the gRPC call: its trailer metadata, announced, then sent after the body. */
export const GRPC_ERROR_HEADERS: OutgoingHttpHeaders = { Trailer: 'Grpc-Trailer-Content-Type' };
export const GRPC_ERROR_TRAILERS = { 'Grpc-Trailer-Content-Type': 'application/grpc' };

/** What the muxes answer themselves, before any handler. */
export interface MuxAnswer {
  readonly status: number;
  readonly headers: OutgoingHttpHeaders;
  readonly body: string;
}

/** The prefix grpc-gateway's mux is registered at; etcd's access controller rewrites /v3beta/ to it first (3.3's clients). */
const GATEWAY_PREFIX = '/v3/';
const V3BETA_PREFIX = '/v3beta/';

/** Paths of Go's mux that answer one method alone, by path. */
const ONE_METHOD: Readonly<Record<string, string>> = { '/version': 'GET', '/health': 'GET', '/debug/vars': 'GET', '/config/local/log': 'PUT' };
const ANY_METHOD = new Set(['/metrics']);

const goError = (status: number, text: string, extra: OutgoingHttpHeaders = {}): MuxAnswer => ({
  status,
  headers: { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff', ...extra },
  body: `${text}\n`,
});

/**
 * Where a request goes: an answer the server or the muxes give themselves (`cors`: false when
 * Go's server refused the request before etcd's handler, `close`: the connection ends after it),
 * or the path a handler serves (decoded, /v3beta/ read as /v3/).
 * `gatewayServes`: whether grpc-gateway has `path` (/v3/...).
 */
export type Route =
  | { readonly answer: MuxAnswer; readonly cors: boolean; readonly close: boolean }
  | { readonly path: string };

export function route(method: string, url: string, gatewayServes: (path: string) => boolean): Route {
  const target = requestTarget(url);
  if (!target.ok) return { answer: BAD_REQUEST, cors: false, close: true };
  const answer = (a: MuxAnswer): Route => ({ answer: a, cors: true, close: false });
  const path = target.path.startsWith(V3BETA_PREFIX) ? GATEWAY_PREFIX + target.path.slice(V3BETA_PREFIX.length) : target.path;
  if (method === 'OPTIONS') return answer({ status: 200, headers: { 'Content-Length': '0' }, body: '' });
  const cleaned = cleanPath(path);
  // The outer mux has /v3/ and /: /v3 is a subtree's name without its slash.
  if (cleaned === '/v3') return answer(movedPermanently(method, location('/v3/', target.query)));
  if (cleaned !== path) return answer(movedPermanently(method, location(cleaned, target.query)));
  if (path.startsWith(GATEWAY_PREFIX)) {
    if (!gatewayServes(path)) return answer(goError(404, 'Not Found'));
    return method === 'POST' ? { path } : answer(goError(405, 'Method Not Allowed'));
  }
  const only = ONE_METHOD[path];
  if (only !== undefined) return method === only ? { path } : answer(goError(405, 'Method Not Allowed', { Allow: only }));
  if (ANY_METHOD.has(path)) return { path };
  return answer(goError(404, '404 page not found'));
}

/** Sets the CORS handler's headers on a response about to be written. */
export function addCorsHeaders(res: ServerResponse): void {
  for (const [name, value] of Object.entries(CORS_HEADERS)) res.setHeader(name, value);
}
