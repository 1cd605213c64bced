// The differential tests' HTTP client reads an answer as the server wrote it, whatever way the
// connection ends: Go's server refuses a request line it cannot parse with a 400 whose body ends
// with the connection and closes at once, which reaches the client as a reset now and then
// (etcd 3.4.23: 74 of 500 `GET /x%2`). A reset that cuts a body of known length stays an error.
import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, expect, test } from 'vitest';
import { exchange } from './http.ts';

let server: Server | undefined;
afterEach(async () => {
  await new Promise<void>((resolve) => (server === undefined ? resolve() : server.close(() => resolve())));
  server = undefined;
});

/** A server that writes `answer` to the first request, then resets the connection once the client has read it. */
async function resettingServer(answer: string): Promise<string> {
  server = createServer((socket: Socket) => {
    socket.once('data', () => socket.write(answer, () => setTimeout(() => socket.resetAndDestroy(), 50)));
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address() as { port: number };
  return `http://127.0.0.1:${address.port}`;
}

test('a body the connection ends, ended by a reset: the answer as written', async () => {
  const endpoint = await resettingServer('HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n400 Bad Request');
  const answer = await exchange(endpoint, 'GET', '/x%2', '');
  expect(answer).toEqual({ status: 400, body: '400 Bad Request', headers: { 'content-type': 'text/plain; charset=utf-8' }, trailers: {} });
});

test('a body of known length cut by a reset: an error naming the request', async () => {
  const endpoint = await resettingServer('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{"cut":');
  await expect(exchange(endpoint, 'POST', '/v3/kv/range', '{}')).rejects.toThrow(/POST http:\/\/127\.0\.0\.1:\d+\/v3\/kv\/range: .*(ECONNRESET|aborted)/);
});
