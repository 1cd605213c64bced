// One JSON request to a member's gateway, for the harness's own bookkeeping (status polls,
// HashKV, cluster health): resolves to the parsed body, or undefined on any failure or timeout.
import http from 'node:http';

const BODY_BYTES_MAX = 16 * 1024 * 1024;

export function postJson(url: string, path: string, body: unknown, timeoutMs: number, agent?: http.Agent): Promise<unknown> {
  return new Promise((resolve) => {
    const payload = JSON.stringify(body);
    const req = http.request(`${url}${path}`, { method: 'POST', agent: agent ?? false, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } }, (res) => {
      const chunks: Buffer[] = [];
      let bytes = 0;
      res.on('data', (c: Buffer) => {
        bytes += c.length;
        if (bytes > BODY_BYTES_MAX) res.destroy();
        else chunks.push(c);
      });
      res.on('end', () => {
        if (res.statusCode !== 200) return resolve(undefined);
        try {
          resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        } catch {
          resolve(undefined);
        }
      });
      res.on('error', () => resolve(undefined));
    });
    req.setTimeout(timeoutMs, () => {
      req.destroy();
      resolve(undefined);
    });
    req.on('error', () => resolve(undefined));
    req.end(payload);
  });
}
