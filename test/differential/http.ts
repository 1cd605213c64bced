// The differential test's HTTP client: one JSON POST, and a watch stream read for a while.
import { request } from 'node:http';

export interface HttpReply {
  status: number;
  body: unknown;
}

export function postJson(endpoint: string, path: string, body: unknown): Promise<HttpReply> {
  return postText(endpoint, path, JSON.stringify(body));
}

/** POSTs `text` as it is (malformed bodies included). */
export function postText(endpoint: string, path: string, text: string | undefined): Promise<HttpReply> {
  return new Promise((resolve, reject) => {
    const req = request(endpoint + path, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => { text += chunk; });
      res.on('end', () => {
        let parsed: unknown = text;
        try { parsed = JSON.parse(text); } catch { /* keep the raw text */ }
        resolve({ status: res.statusCode ?? 0, body: parsed });
      });
    });
    req.on('error', reject);
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
export function watchText(endpoint: string, text: string, quietMs: number, maxMs: number): Promise<{ status: number; body: unknown[] }> {
  return new Promise((resolve, reject) => {
    let status = 0;
    const out: unknown[] = [];
    let buffer = '';
    let quietTimer: NodeJS.Timeout | undefined;
    let done = false;
    let chunks = 0;
    const req = request(endpoint + '/v3/watch', { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
      status = res.statusCode ?? 0;
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
      resolve({ status, body: out });
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
