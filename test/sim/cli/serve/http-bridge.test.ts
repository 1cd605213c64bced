// The HTTP bridge of `detcd serve`, over a real loopback socket with the world run in real
// time: unary requests and answers in the gateway's JSON form, its status codes, 404 for
// unknown paths, and a streaming watch response.
import type { IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startServe, type ServeHandle } from '../../../../sim/cli/serve/serve-cluster.ts';
import { JsonStreamSplitter } from '../../../../sim/cli/serve/json-stream.ts';
import { canonicalPath } from '../../../../sim/cli/serve/http-bridge.ts';
import { postJson } from '../../../differential/http.ts';
import { RegisterStateMachine } from '../../etcd/register-state-machine.ts';

describe('json stream splitter', () => {
  test('splits concatenated JSON values however the chunks fall, strings with braces included', () => {
    const s = new JsonStreamSplitter();
    expect(s.push('{"a":"}{"')).toEqual([]);
    expect(s.push(',"b":1}{"c"')).toEqual(['{"a":"}{","b":1}']);
    expect(s.push(':[1,{"d":"\\""}]}  ')).toEqual(['{"c":[1,{"d":"\\""}]}']);
  });
  test('refuses a value beyond its bound', () => {
    const s = new JsonStreamSplitter();
    expect(() => s.push('{"a":"' + 'x'.repeat(5 * 1024 * 1024))).toThrow(/too large/);
  });
  test('every top-level shape is a value: bare tokens end at a delimiter, a space or the end of the body', () => {
    const s = new JsonStreamSplitter();
    expect(s.push(' 5')).toEqual([]);
    expect(s.push('6 "a\\"b" [1,[2]] tr')).toEqual(['56', '"a\\"b"', '[1,[2]]']);
    expect(s.push('ue{"a":1}} , x')).toEqual(['true', '{"a":1}', '}', ',']);
    expect(s.end()).toBe('x');
    expect(s.push('{"a":')).toEqual([]);
    expect(s.end()).toBe('{"a":');
    expect(s.push('  ')).toEqual([]);
    expect(s.end()).toBeUndefined();
  });
});

test('canonical paths fold etcd aliases', () => {
  expect(canonicalPath('/v3/kv/lease/revoke')).toBe('/v3/lease/revoke');
  expect(canonicalPath('/v3/kv/put')).toBe('/v3/kv/put');
});

describe('http bridge', () => {
  let serve: ServeHandle;
  beforeAll(async () => {
    serve = await startServe({ port: 0, nodes: 3, seed: 7, makeStateMachine: () => new RegisterStateMachine() });
  });
  afterAll(async () => {
    await serve.close();
  });

  test('a put then a range answer 200 with gateway JSON', async () => {
    // Bytes in base64, as the gateway decodes every body against its request message.
    const put = await postJson(serve.endpoint, '/v3/kv/put', { key: 'aw==', value: 'dg==' });
    expect(put.status).toBe(200);
    const range = await postJson(serve.endpoint, '/v3/kv/range', { key: 'aw==' });
    expect(range).toMatchObject({ status: 200, body: { kvs: [{ key: 'aw==', value: 'dg==' }], count: '1' } });
  });

  test('maintenance status names the leader and the raft indexes', async () => {
    const st = await postJson(serve.endpoint, '/v3/maintenance/status', {});
    expect(st.status).toBe(200);
    expect(st.body).toMatchObject({ version: '3.4.23' });
    expect(Number((st.body as { leader: string }).leader)).toBeGreaterThan(0);
  });

  test('an empty body is an empty request, an unknown path is a 404, errors carry their gRPC code and HTTP status', async () => {
    const bad = await postJson(serve.endpoint, '/v3/kv/put', undefined);
    expect(bad.status).toBe(200); // an empty body is an empty request, as in etcd
    const unknown = await postJson(serve.endpoint, '/v3/nope', {});
    expect(unknown).toEqual({ status: 404, body: 'Not Found\n' });
    const err = await postJson(serve.endpoint, '/v3/lease/grant', {});
    expect(err.status).toBe(501);
    expect(err.body).toMatchObject({ code: 12, message: 'unsupported' });
  });
});

/** Calls `onLine` with each JSON line of a streamed response, in order, and the count so far. */
function eachLine(res: IncomingMessage, lines: { result: Record<string, unknown> }[], onLine: (count: number) => void): void {
  let buf = '';
  res.setEncoding('utf8');
  res.on('data', (chunk: string) => {
    buf += chunk;
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      lines.push(JSON.parse(buf.slice(0, nl)) as { result: Record<string, unknown> });
      buf = buf.slice(nl + 1);
      onLine(lines.length);
    }
  });
}

/** After the watch exists (it sees only later writes), puts `key` and deletes it, then waits for the stream. */
async function putThenDelete(endpoint: string, key: string, created: Promise<void>, done: Promise<void>): Promise<void> {
  await created;
  await postJson(endpoint, '/v3/kv/put', { key, value: Buffer.from('1').toString('base64') });
  await postJson(endpoint, '/v3/kv/deleterange', { key });
  await done;
}

/** The stream's first three lines: created, the put's event, the delete's event. */
function expectCreatedPutDelete(lines: { result: Record<string, unknown> }[], key: string): void {
  expect(lines[0]!.result).toMatchObject({ created: true });
  expect(lines[1]!.result).toMatchObject({ events: [{ kv: { key, version: '1' } }] });
  expect(lines[2]!.result).toMatchObject({ events: [{ type: 'DELETE', kv: { key } }] });
}

describe('http bridge watch stream (etcd state machine)', () => {
  let serve: ServeHandle;
  beforeAll(async () => {
    serve = await startServe({ port: 0, nodes: 1, seed: 8 });
  });
  afterAll(async () => {
    await serve.close();
  });

  test('a watch with "Expect: 100-continue" streams both ways: created, one response per write, then canceled on a cancel request in the same body', async () => {
    const { request } = await import('node:http');
    const key = Buffer.from('w').toString('base64');
    const lines: { result: Record<string, unknown> }[] = [];
    // Go's server leaves the body to the handler after a 100 Continue (the harness's target-etcd does this).
    const req = request(`${serve.endpoint}/v3/watch`, { method: 'POST', headers: { expect: '100-continue' } });
    let isCreated: () => void = () => undefined;
    const created = new Promise<void>((resolve) => (isCreated = resolve));
    const done = new Promise<void>((resolve) => {
      req.on('response', (res) => eachLine(res, lines, (n) => {
        if (n === 1) isCreated();
        if (n === 3) req.write(JSON.stringify({ cancel_request: { watch_id: '0' } }));
        if (n === 4) resolve();
      }));
    });
    req.on('continue', () => req.write(JSON.stringify({ create_request: { key } })));
    await putThenDelete(serve.endpoint, key, created, done);
    req.destroy();
    expectCreatedPutDelete(lines, key);
    expect(lines[3]!.result).toMatchObject({ canceled: true });
  });

  test('a watch streams {"result"} lines once its body ended: created, one response per write; nothing while the body is open', async () => {
    const { request } = await import('node:http');
    const key = Buffer.from('w').toString('base64');
    const lines: { result: Record<string, unknown> }[] = [];
    const req = request(`${serve.endpoint}/v3/watch`, { method: 'POST' });
    let answered = false;
    let isCreated: () => void = () => undefined;
    const created = new Promise<void>((resolve) => (isCreated = resolve));
    const done = new Promise<void>((resolve) => {
      req.on('response', (res) => {
        answered = true;
        eachLine(res, lines, (n) => {
          if (n === 1) isCreated();
          if (n === 3) resolve();
        });
      });
    });
    req.write(JSON.stringify({ create_request: { key } }));
    // etcd 3.4's HTTP/1.1 server writes no response while the request body is still coming.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(answered).toBe(false);
    req.end();
    await putThenDelete(serve.endpoint, key, created, done);
    req.destroy();
    expectCreatedPutDelete(lines, key);
  });

});
