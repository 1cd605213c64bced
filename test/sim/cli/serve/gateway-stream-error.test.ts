// A gateway stream whose gRPC call fails after it answered ends as grpc-gateway ends it: the
// last chunk is {"error": StreamError} (grpc_code, http_code, message, http_status), with no
// newline after it. The oracle text is etcd 3.4.23's own, recorded by hand: a three-member
// cluster, a LeaseKeepAlive body of 100,000 renewals on a follower, the other two members
// stopped (SIGSTOP) half a second in — 1,586 results, then
// {"error":{"grpc_code":14,"http_code":503,"message":"etcdserver: request timed out","http_status":"Service Unavailable"}}.
// No real etcd here: the member's failure is scripted through a stand-in gate.
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, expect, test } from 'vitest';
import { HttpBridge } from '../../../../sim/cli/serve/http-bridge.ts';
import type { ClusterAdmin } from '../../../../sim/cli/serve/cluster-admin.ts';
import type { GateResult, MemberGate, WatchListener } from '../../../../sim/cli/serve/member-gate.ts';

const TIMED_OUT = { code: 14, message: 'etcdserver: request timed out' };
const ETCD_ERROR_CHUNK = '{"error":{"grpc_code":14,"http_code":503,"message":"etcdserver: request timed out","http_status":"Service Unavailable"}}';

let server: Server | undefined;
afterEach(() => {
  server?.close();
  server = undefined;
});

/** A bridge over `gate` on a loopback port; the body `text` POSTed to `path`, the answer's text. */
async function post(gate: Partial<MemberGate>, path: string, text: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  const bridge = new HttpBridge({ member: 'n1', downReason: () => undefined, ...gate } as MemberGate, {} as ClusterAdmin);
  server = createServer((req, res) => bridge.handle(req, res));
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'POST', headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => { body += c; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end(text);
  });
}

test('LeaseKeepAlive: a renewal refused after others were answered ends the stream with the error chunk (the first refused: the gRPC error)', async () => {
  let calls = 0;
  const call = (_path: string, body: unknown, done: (r: GateResult) => void): void => {
    calls++;
    done(calls === 1 ? { ok: true, body: { header: {}, ID: (body as { ID: string }).ID, TTL: '60' } } : { ok: false, error: TIMED_OUT });
  };
  const answer = await post({ call }, '/v3/lease/keepalive', '{"ID":"7"}{"ID":"7"}{"ID":"7"}');
  expect(answer).toEqual({ status: 200, body: `{"result":{"header":{},"ID":"7","TTL":"60"}}\n${ETCD_ERROR_CHUNK}` });
  expect(calls).toBe(2);
  // The first renewal refused is the gRPC error itself, nothing having been streamed.
  server?.close();
  const first = await post({ call: (_p: string, _b: unknown, done: (r: GateResult) => void) => done({ ok: false, error: TIMED_OUT }) }, '/v3/lease/keepalive', '{"ID":"7"}{"ID":"7"}');
  expect(first.status).toBe(503);
  expect(JSON.parse(first.body)).toEqual({ error: TIMED_OUT.message, message: TIMED_OUT.message, code: 14 });
});

test('Watch: a stream the member ends (its member killed) ends with the error chunk of the gRPC stream\'s UNAVAILABLE', async () => {
  const reason = 'detcd: member n1 was killed (connection lost); the outcome is unknown';
  const openWatch = (listener: WatchListener) => ({
    send: () => {
      listener.response({ header: {}, created: true });
      listener.closed(reason);
    },
    close: () => undefined,
  });
  const answer = await post({ openWatch }, '/v3/watch', '{"create_request":{"key":"YQ=="}}');
  expect(answer).toEqual({
    status: 200,
    body: `{"result":{"header":{},"created":true}}\n{"error":{"grpc_code":14,"http_code":503,"message":${JSON.stringify(reason)},"http_status":"Service Unavailable"}}`,
  });
});

test('Grpc-Metadata-Hasleader: true (grpc-gateway\'s metadata "hasleader"): a member knowing no leader refuses "etcdserver: no leader" at once; a watch asks the member to require one', async () => {
  const paths: string[] = [];
  const call = (path: string, _body: unknown, done: (r: GateResult) => void): void => {
    paths.push(path);
    done(path === '/v3/maintenance/status' ? { ok: true, body: { header: {}, leader: '0' } } : { ok: true, body: { header: {} } });
  };
  const refused = await post({ call }, '/v3/kv/range', '{"key":"YQ=="}', { 'Grpc-Metadata-Hasleader': 'true' });
  expect(refused.status).toBe(503);
  expect(JSON.parse(refused.body)).toEqual({ error: 'etcdserver: no leader', message: 'etcdserver: no leader', code: 14 });
  expect(paths).toEqual(['/v3/maintenance/status']);
  server?.close();
  // Without the header the call goes on, leader or not.
  expect((await post({ call }, '/v3/kv/range', '{"key":"YQ=="}')).status).toBe(200);
  server?.close();
  // A watch that requires a leader and is ended for the lack of one before answering: the call's error.
  let required: boolean | undefined;
  const openWatch = (listener: WatchListener, requireLeader: boolean) => {
    required = requireLeader;
    return { send: () => listener.closed('etcdserver: no leader'), close: () => undefined };
  };
  const watch = await post({ openWatch }, '/v3/watch', '{"create_request":{"key":"YQ=="}}', { 'Grpc-Metadata-Hasleader': 'true' });
  expect(required).toBe(true);
  expect(watch.status).toBe(503);
  expect(JSON.parse(watch.body)).toEqual({ error: 'etcdserver: no leader', message: 'etcdserver: no leader', code: 14 });
});
