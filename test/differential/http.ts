// The differential test's HTTP client: one JSON POST, and a watch stream read for a while.
import { request, type IncomingMessage } from 'node:http';

export interface HttpReply {
  status: number;
  body: unknown;
}

export function postJson(endpoint: string, path: string, body: unknown): Promise<HttpReply> {
  return postText(endpoint, path, JSON.stringify(body));
}

/** POSTs `text` as it is (malformed bodies included). */
export async function postText(endpoint: string, path: string, text: string | undefined): Promise<HttpReply> {
  const { status, body } = await exchange(endpoint, 'POST', path, text);
  return { status, body };
}

/** A body as JSON, or as JSON lines (a stream's answers), or else the raw text. */
function jsonOrLines(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    try {
      const lines = text.split('\n').filter((l) => l.trim() !== '');
      return lines.length > 1 ? lines.map((l) => JSON.parse(l) as unknown) : text;
    } catch {
      return text;
    }
  }
}

/** An HTTP answer as a differential test compares it: its headers and trailers too. */
export interface HttpExchange extends HttpReply {
  /** Lower-case names; not the ones two HTTP stacks legitimately differ in (framing, date). */
  headers: Record<string, string>;
  trailers: Record<string, string>;
}

/** Headers that say how bytes travel or when, not what the server answered. */
const FRAMING_HEADERS = new Set(['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding']);

/** The headers a differential test compares (lower-case names, sorted). */
export function answerHeaders(res: IncomingMessage): Record<string, string> {
  const kept = Object.keys(res.headers).filter((k) => !FRAMING_HEADERS.has(k)).sort();
  return Object.fromEntries(kept.map((k) => [k, String(res.headers[k])]));
}

/** A body that only the end of the connection ends: no length, not chunked, the connection closing. */
function closeDelimited(res: IncomingMessage): boolean {
  const h = res.headers;
  return h['content-length'] === undefined && h['transfer-encoding'] === undefined && h.connection === 'close';
}

/** `method` on `path` with `text` as its body (none when undefined): status, headers, body (JSON when it is), trailers. */
export function exchange(endpoint: string, method: string, path: string, text: string | undefined): Promise<HttpExchange> {
  return new Promise((resolve, reject) => {
    // The path as given, not through URL parsing (which would resolve `..` and `//`): the
    // server's own reading of an unclean path is under test.
    let answer: IncomingMessage | undefined;
    let received = '';
    const done = (res: IncomingMessage): void => {
      resolve({ status: res.statusCode ?? 0, body: jsonOrLines(received), headers: answerHeaders(res), trailers: Object.fromEntries(Object.entries(res.trailers).map(([k, v]) => [k, String(v)])) });
    };
    const req = request(endpoint, { path, method, headers: { 'content-type': 'application/json' } }, (res) => {
      answer = res;
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => { received += chunk; });
      res.on('end', () => done(res));
    });
    req.on('error', (err) => {
      // Go's server answers a request line it cannot parse ("GET /%zz") with a 400 whose body
      // ends with the connection, and closes at once: the close races the request's own bytes
      // and reaches this client as a reset about one time in seven (measured against etcd 3.4.23:
      // 74 of 500), after the whole answer. Such a body ends where the connection did.
      if (answer !== undefined && (err as NodeJS.ErrnoException).code === 'ECONNRESET' && closeDelimited(answer)) return done(answer);
      reject(new Error(`${method} ${endpoint}${path}: ${err.message}`, { cause: err }));
    });
    req.end(text);
  });
}

/**
 * Opens a watch stream with one create request, collects its responses (one JSON object per
 * line, as etcd's gateway streams them) until `quietMs` pass without one after the first (the
 * created response; etcd sends past events after it, from its sync loop) or `maxMs` elapse,
 * then closes it. A quiet period that ends while this process was not running (a loaded
 * machine) is checked once more after pending input has been read, so data that had already
 * arrived is never cut off.
 */
export async function watchFor(endpoint: string, createRequest: unknown, quietMs: number, maxMs: number): Promise<unknown[]> {
  // One create request, then the request body ends; the response stream stays open.
  return (await watchText(endpoint, JSON.stringify({ create_request: createRequest }), quietMs, maxMs)).body;
}

/**
 * watchFor with the request body's text as it is (several requests, malformed ones): the HTTP
 * status and the JSON values the response held (a refusal's one error object included).
 */
export function watchText(endpoint: string, text: string, quietMs: number, maxMs: number): Promise<{ status: number; body: unknown[]; headers: Record<string, string> }> {
  return new Promise((resolve, reject) => {
    let status = 0;
    let headers: Record<string, string> = {};
    const out: unknown[] = [];
    let buffer = '';
    let quietTimer: NodeJS.Timeout | undefined;
    let done = false;
    let chunks = 0;
    const req = request(endpoint + '/v3/watch', { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
      status = res.statusCode ?? 0;
      headers = answerHeaders(res);
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        chunks++;
        buffer += chunk;
        for (;;) {
          const nl = buffer.indexOf('\n');
          if (nl < 0) break;
          const line = buffer.slice(0, nl).trim();
          buffer = buffer.slice(nl + 1);
          if (line !== '') out.push(JSON.parse(line));
        }
        armQuiet();
      });
      res.on('end', () => finish());
    });
    const finish = (): void => {
      if (done) return;
      done = true;
      clearTimeout(quietTimer);
      clearTimeout(maxTimer);
      req.destroy();
      if (buffer.trim() !== '') {
        try { out.push(JSON.parse(buffer)); } catch { out.push(buffer); }
      }
      resolve({ status, body: out, headers });
    };
    const armQuiet = (): void => {
      if (out.length === 0) return; // nothing yet: only maxMs bounds the wait for the created response
      clearTimeout(quietTimer);
      const seen = chunks;
      // setImmediate runs after the poll phase: input that arrived meanwhile is read first.
      quietTimer = setTimeout(() => setImmediate(() => {
        if (chunks === seen) finish();
      }), quietMs);
    };
    const maxTimer = setTimeout(finish, maxMs);
    req.on('error', (err) => { if (!done) reject(err); });
    req.end(text);
  });
}

/**
 * A watch whose body stays open `holdMs` after `text` (the client might send more), then ends:
 * whether any response byte came while it was open, and the JSON values answered by `maxMs`.
 * `expectContinue`: the request asks "Expect: 100-continue" and writes its body after the 100.
 */
export function watchHeldOpen(endpoint: string, text: string, holdMs: number, maxMs: number, expectContinue: boolean): Promise<{ answeredWhileOpen: boolean; status: number; body: unknown[] }> {
  return new Promise((resolve, reject) => {
    let open = true;
    let answeredWhileOpen = false;
    let status = 0;
    let buffer = '';
    const headers: Record<string, string> = { 'content-type': 'application/json', ...(expectContinue ? { expect: '100-continue' } : {}) };
    const req = request(endpoint, { path: '/v3/watch', method: 'POST', headers }, (res) => {
      status = res.statusCode ?? 0;
      if (open) answeredWhileOpen = true;
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        if (open) answeredWhileOpen = true;
        buffer += chunk;
      });
    });
    req.on('error', (err) => { if (open) reject(err); });
    const send = (): void => {
      req.write(text);
      setTimeout(() => {
        open = false;
        req.end();
        setTimeout(() => {
          req.destroy();
          resolve({ answeredWhileOpen, status, body: buffer.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as unknown) });
        }, maxMs);
      }, holdMs);
    };
    if (expectContinue) req.on('continue', send);
    else {
      req.flushHeaders();
      send();
    }
  });
}
