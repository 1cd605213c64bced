// A request's path as Go's net/http reads it on etcd 3.4's client port (etcd 3.4.23 is built
// with Go 1.19), before any of etcd's handlers:
//   - the path handlers match is the request target percent-decoded (`/vers%69on` is /version);
//     a target with a malformed escape (`/%zz`) never reaches them: the server answers
//     "400 Bad Request" itself and closes the connection;
//   - http.ServeMux answers a path that is not clean (`//x`, `/a/../b`, `/x/.`) with a 301 to
//     the cleaned path, the query kept, and so a path one slash short of a subtree it registered.
// Paths are kept as latin1 strings, one character per byte: a decoded byte is never reinterpreted.

export type RequestTarget =
  | { readonly ok: true; readonly path: string; readonly query: string | undefined }
  | { readonly ok: false };

const HEX = '0123456789ABCDEF';

/** url.ParseRequestURI's path (unescaped) and raw query of an origin-form target (Node's req.url). */
export function requestTarget(url: string): RequestTarget {
  const q = url.indexOf('?');
  const raw = q < 0 ? url : url.slice(0, q);
  let path = '';
  for (let i = 0; i < raw.length; i++) {
    if (raw[i] !== '%') {
      path += raw[i];
      continue;
    }
    const hex = raw.slice(i + 1, i + 3);
    if (!/^[0-9a-fA-F]{2}$/.test(hex)) return { ok: false };
    path += String.fromCharCode(parseInt(hex, 16));
    i += 2;
  }
  return { ok: true, path, query: q < 0 ? undefined : url.slice(q + 1) };
}

/** Go's path.Clean of a rooted path: no empty or "." elements, ".." resolved (never above the root). */
function clean(p: string): string {
  const out: string[] = [];
  for (const e of p.split('/')) {
    if (e === '' || e === '.') continue;
    if (e === '..') out.pop();
    else out.push(e);
  }
  return '/' + out.join('/');
}

/** http.ServeMux's cleanPath: path.Clean, the trailing slash kept. */
export function cleanPath(p: string): string {
  const rooted = p.startsWith('/') ? p : '/' + p;
  const np = clean(rooted);
  return rooted.endsWith('/') && np !== '/' ? np + '/' : np;
}

/** Whether url.PathEscape leaves byte `c` as it is in a path (shouldEscape, encodePath). */
function keptInPath(c: number): boolean {
  const ch = String.fromCharCode(c);
  return /[A-Za-z0-9\-_.~$&+,/:;=@]/.test(ch);
}

/** url.URL{Path, RawQuery}.String() for a rooted path: the Location of ServeMux's redirect. */
export function location(path: string, query: string | undefined): string {
  let escaped = '';
  for (let i = 0; i < path.length; i++) {
    const c = path.charCodeAt(i);
    escaped += keptInPath(c) ? path[i] : `%${HEX[c >> 4]}${HEX[c & 15]}`;
  }
  return query === undefined || query === '' ? escaped : `${escaped}?${query}`;
}

/** html.EscapeString as http.Redirect uses it for the link in its body. */
function htmlEscape(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&#34;', "'": '&#39;' })[c]!);
}

/**
 * http.Redirect's 301 to `to`: a GET gets a short HTML link (Content-Type text/html), a HEAD the
 * Content-Type alone, any other method an empty body.
 */
export function movedPermanently(method: string, to: string): { status: number; headers: Record<string, string>; body: string } {
  const headers: Record<string, string> = { Location: to };
  if (method === 'GET' || method === 'HEAD') headers['Content-Type'] = 'text/html; charset=utf-8';
  const body = method === 'GET' ? `<a href="${htmlEscape(to)}">Moved Permanently</a>.\n\n` : '';
  return { status: 301, headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)) }, body };
}

/** Go's server refusing a request line it cannot parse: no handler ran (no CORS headers), the connection closes. */
export const BAD_REQUEST = {
  status: 400,
  headers: { 'Content-Type': 'text/plain; charset=utf-8', Connection: 'close' },
  body: '400 Bad Request',
} as const;
