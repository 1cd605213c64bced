// The HTTP framing of etcd 3.4's client port, before and around its handlers, so that a browser
// or curl sees on serve what it sees on etcd:
//   - etcd's CORS handler (--cors defaults to "*") wraps everything: every response carries its
//     three Access-Control headers, and an OPTIONS request of any path is answered 200, empty,
//     without reaching a handler (a browser's preflight);
//   - /v3/ and /v3beta/ belong to grpc-gateway's mux: a path it does not serve is 404 "Not
//     Found", a method other than POST on a path it serves is 405 (v3alpha is not served by
//     3.4: it falls to Go's mux);
//   - Go's http.ServeMux holds the rest: /version and /health answer GET alone (405 naming it
//     in Allow), /metrics any method, anything else is 404 "404 page not found";
//   - refusals are Go's http.Error: text/plain, nosniff, the text and a newline;
//   - what the gateway forwards from its gRPC client carries that call's metadata: a success
//     the header Grpc-Metadata-Content-Type, a gRPC error the trailer Grpc-Trailer-Content-Type
//     (a body the gateway could not decode never reached gRPC, so it carries neither).
import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';

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

/** The gateway's prefixes as etcd 3.4 registers them (v3beta is kept for old clients). */
export const GATEWAY_PREFIXES = ['/v3/', '/v3beta/'] as const;

const GET_ONLY = new Set(['/version', '/health']);
const ANY_METHOD = new Set(['/metrics']);

const goError = (status: number, text: string, extra: OutgoingHttpHeaders = {}): MuxAnswer => ({
  status,
  headers: { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff', ...extra },
  body: `${text}\n`,
});

/**
 * The muxes' own answer to `method` on `path` (the URL without its query), or undefined when a
 * handler answers. `gatewayServes`: whether grpc-gateway has `path` (canonical, /v3/...).
 */
export function muxAnswer(method: string, path: string, gatewayServes: (canonical: string) => boolean): MuxAnswer | undefined {
  if (method === 'OPTIONS') return { status: 200, headers: { 'Content-Length': '0' }, body: '' };
  const prefix = GATEWAY_PREFIXES.find((p) => path.startsWith(p));
  if (prefix !== undefined) {
    if (!gatewayServes(`/v3/${path.slice(prefix.length)}`)) return goError(404, 'Not Found');
    return method === 'POST' ? undefined : goError(405, 'Method Not Allowed');
  }
  if (GET_ONLY.has(path)) return method === 'GET' ? undefined : goError(405, 'Method Not Allowed', { Allow: 'GET' });
  if (ANY_METHOD.has(path)) return undefined;
  return goError(404, '404 page not found');
}

/** Sets the CORS handler's headers on a response about to be written. */
export function addCorsHeaders(res: ServerResponse): void {
  for (const [name, value] of Object.entries(CORS_HEADERS)) res.setHeader(name, value);
}
