// The gRPC face of `detcd serve`, spoken with grpc-js and our own .proto files: one port per
// member serving gRPC and the gateway side by side, a follower's port answering writes (etcd
// forwards proposals to the leader), etcd's status codes and messages, UNIMPLEMENTED naming the
// method for what is not served (never a hang), a killed member's port refusing connections
// until it restarts, Status's db size (the bbolt file's), and the gateway's /health, /version,
// HashKV and 501 answers.
import * as grpc from '@grpc/grpc-js';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { etcdClientConstructor, type ServiceName } from '../../../../sim/cli/serve/grpc-codec.ts';
import { looksLikeHttp2 } from '../../../../sim/cli/serve/port-sniffer.ts';
import { quietScenario, startServe, type ServeHandle } from '../../../../sim/cli/serve/serve-cluster.ts';
import { postJson } from '../../../differential/http.ts';

type Unary = (req: object, cb: (err: grpc.ServiceError | null, res: Record<string, unknown>) => void) => void;

function unaryCall(client: grpc.Client, method: string, req: object): Promise<Record<string, unknown>> {
  const fn: Unary = (client as unknown as Record<string, Unary>)[method]!.bind(client);
  return new Promise((resolve, reject) => fn(req, (err, res) => (err === null ? resolve(res) : reject(err))));
}

const b64 = (s: string): string => Buffer.from(s).toString('base64');

/** The error a call failed with (the test fails if it succeeded). */
async function failure(p: Promise<unknown>): Promise<{ code: number; details: string }> {
  try {
    await p;
  } catch (err) {
    return err as grpc.ServiceError;
  }
  throw new Error('the call succeeded');
}

describe('serve --nodes 3 over gRPC', () => {
  let serve: ServeHandle;
  const clients: grpc.Client[] = [];
  const client = (service: ServiceName, member: number): grpc.Client => {
    const Ctor = etcdClientConstructor(service);
    const c = new Ctor(serve.endpoints[member]!.url.replace('http://', ''), grpc.credentials.createInsecure());
    clients.push(c);
    return c;
  };
  beforeAll(async () => {
    serve = await startServe({ port: 0, nodes: 3, seed: 31 });
  }, 60_000);
  afterAll(async () => {
    for (const c of clients) c.close();
    await serve.close();
  });

  test('every member has its own port; a write through any member is read through every other', async () => {
    const ports = new Set(serve.endpoints.map((e) => e.port));
    expect(ports.size).toBe(3);
    await unaryCall(client('KV', 1), 'Put', { key: b64('x'), value: b64('via-n2') });
    for (const m of [0, 1, 2]) {
      const r = await unaryCall(client('KV', m), 'Range', { key: b64('x') });
      expect((r['kvs'] as { value: string }[])[0]!.value).toBe(b64('via-n2'));
      expect((r['header'] as { member_id: string }).member_id).toBe(String(m + 1));
    }
    const status = await Promise.all([0, 1, 2].map((m) => unaryCall(client('Maintenance', m), 'Status', {})));
    const leaders = new Set(status.map((s) => s['leader']));
    expect(leaders.size).toBe(1);
  });

  test("etcd's errors keep their gRPC code and message", async () => {
    const kv = client('KV', 0);
    await expect(unaryCall(kv, 'Range', { key: b64('x'), revision: '999' })).rejects.toMatchObject({ code: grpc.status.OUT_OF_RANGE, details: 'etcdserver: mvcc: required revision is a future revision' });
    await expect(unaryCall(kv, 'Put', { value: b64('v') })).rejects.toMatchObject({ code: grpc.status.INVALID_ARGUMENT, details: 'etcdserver: key is not provided' });
    await expect(unaryCall(client('Lease', 0), 'LeaseRevoke', { ID: '12345' })).rejects.toMatchObject({ code: grpc.status.NOT_FOUND, details: 'etcdserver: requested lease not found' });
  });

  test('what is not served answers UNIMPLEMENTED naming the method, at once', async () => {
    // Connect both clients first (a served call each), so that only the calls are timed, not a
    // channel's start on a loaded machine.
    const maintenance = client('Maintenance', 0);
    await unaryCall(maintenance, 'Status', {});
    const started = Date.now();
    const activate = await failure(unaryCall(maintenance, 'Alarm', { action: 'ACTIVATE', alarm: 'NOSPACE' }));
    expect(activate.code).toBe(grpc.status.UNIMPLEMENTED);
    expect(activate.details).toContain('Maintenance.Alarm');
    await expect(unaryCall(maintenance, 'Alarm', { action: 'ACTIVATE', alarm: 'CORRUPT' })).rejects.toMatchObject({ code: grpc.status.UNIMPLEMENTED });
    // Two answers in less than two request timeouts (1 s each by default): none waited on the simulation.
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  test('HashKV, MemberList and an empty alarm list, over gRPC and the gateway', async () => {
    const hash = await unaryCall(client('Maintenance', 2), 'HashKV', {});
    expect(typeof hash['hash']).toBe('number');
    // etcd 3.4's gateway has no path for HashKV.
    const gw = await postJson(serve.endpoints[2]!.url, '/v3/maintenance/hashkv', {});
    expect(gw).toEqual({ status: 404, body: 'Not Found\n' });
    await expect(unaryCall(client('Maintenance', 2), 'HashKV', { revision: '999' })).rejects.toMatchObject({ code: grpc.status.OUT_OF_RANGE });
    const list = await unaryCall(client('Cluster', 0), 'MemberList', {});
    expect((list['members'] as { clientURLs: string[] }[]).map((m) => m.clientURLs[0])).toEqual(serve.endpoints.map((e) => e.url));
    expect(await unaryCall(client('Maintenance', 0), 'Alarm', {})).toEqual({});
  });

  test("MoveLeader: etcd's checks on a follower and the leader, a move to the leader itself, a transfer to a follower", async () => {
    const status = await unaryCall(client('Maintenance', 0), 'Status', {});
    const leader = Number(status['leader']) - 1;
    const follower = [0, 1, 2].find((m) => m !== leader)!;
    await expect(unaryCall(client('Maintenance', follower), 'MoveLeader', { targetID: String(leader + 1) })).rejects.toMatchObject({ code: grpc.status.FAILED_PRECONDITION, details: 'etcdserver: not leader' });
    await expect(unaryCall(client('Maintenance', leader), 'MoveLeader', { targetID: '99' })).rejects.toMatchObject({ code: grpc.status.FAILED_PRECONDITION, details: 'etcdserver: bad leader transferee' });
    expect(await unaryCall(client('Maintenance', leader), 'MoveLeader', { targetID: String(leader + 1) })).toEqual({});
    // Answered once the old leader follows the new one: every member then names it.
    expect(await unaryCall(client('Maintenance', leader), 'MoveLeader', { targetID: String(follower + 1) })).toEqual({});
    expect((await unaryCall(client('Maintenance', leader), 'Status', {}))['leader']).toBe(String(follower + 1));
    await expect.poll(async () => (await unaryCall(client('Maintenance', follower), 'Status', {}))['leader'], { timeout: 20_000 }).toBe(String(follower + 1));
  });

  test('a call requiring a leader (metadata hasleader) fails at once with "no leader" on a member that knows none', async () => {
    const kv = client('KV', 0);
    const requireLeader = new grpc.Metadata();
    requireLeader.set('hasleader', 'true');
    type RangeWithMetadata = (r: object, m: grpc.Metadata, cb: (e: grpc.ServiceError | null, v: unknown) => void) => void;
    const range = (): Promise<unknown> => new Promise((resolve, reject) => {
      (kv as unknown as { Range: RangeWithMetadata }).Range({ key: b64('x') }, requireLeader, (e, v) => (e === null ? resolve(v) : reject(e)));
    });
    await range(); // with a leader it is served
    const leaderOf0 = async (): Promise<unknown> => (await unaryCall(client('Maintenance', 0), 'Status', {}))['leader'] ?? '0';
    const world = serve.internals.cluster.world;
    world.crash('n2', false);
    world.crash('n3', false);
    try {
      // n1 alone loses its leader (or its leadership) within an election timeout or two.
      await expect.poll(leaderOf0).toBe('0');
      // Refused at once with etcd's answer (waiting for a leader would end in a timeout's message).
      await expect(range()).rejects.toMatchObject({ code: grpc.status.UNAVAILABLE, details: 'etcdserver: no leader' });
    } finally {
      world.restart('n2');
      world.restart('n3');
    }
    await expect.poll(leaderOf0).not.toBe('0');
  });

  test('the gateway on the same port: /version, /health, 501 naming the method, 404 for nonsense', async () => {
    const url = serve.endpoints[1]!.url;
    expect(await (await fetch(`${url}/version`)).json()).toEqual({ etcdserver: '3.4.23', etcdcluster: '3.4.0' });
    const health = await fetch(`${url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ health: 'true' });
    const activate = await postJson(url, '/v3/maintenance/alarm', { action: 'ACTIVATE', alarm: 'NOSPACE' });
    expect(activate).toMatchObject({ status: 501, body: { code: 12 } });
    expect((activate.body as { message: string }).message).toContain('Maintenance.Alarm');
    expect(await postJson(url, '/v3/maintenance/defragment', {})).toEqual({ status: 200, body: {} });
    expect((await postJson(url, '/v3/nope', {})).status).toBe(404);
  });

  test('a watch stream over gRPC sees a put made through another member', async () => {
    const Ctor = etcdClientConstructor('Watch');
    const w = new Ctor(serve.endpoints[0]!.url.replace('http://', ''), grpc.credentials.createInsecure());
    clients.push(w);
    const stream = (w as unknown as { Watch: () => grpc.ClientDuplexStream<object, Record<string, unknown>> }).Watch();
    stream.on('error', () => undefined); // the client closing under the stream ends it
    const responses: Record<string, unknown>[] = [];
    let created: () => void = () => undefined;
    const isCreated = new Promise<void>((resolve) => (created = resolve));
    const gotEvent = new Promise<void>((resolve) => stream.on('data', (r: Record<string, unknown>) => {
      responses.push(r);
      if (r['created'] === true) created();
      if (Array.isArray(r['events'])) resolve();
    }));
    stream.write({ create_request: { key: b64('watched'), prev_kv: true } });
    // The put must come after the watch exists (a watch without a start revision sees only later writes).
    await isCreated;
    await unaryCall(client('KV', 2), 'Put', { key: b64('watched'), value: b64('1') });
    await gotEvent;
    stream.end();
    expect(responses[0]).toMatchObject({ created: true });
    expect(responses.at(-1)).toMatchObject({ events: [{ kv: { key: b64('watched'), value: b64('1') } }] });
  });

  test("a killed follower's port refuses connections, as a killed etcd's; its streams end; it serves again once restarted", async () => {
    const status = await unaryCall(client('Maintenance', 0), 'Status', {});
    const follower = [0, 1, 2].find((m) => String(m + 1) !== status['leader'])!;
    const other = [0, 1, 2].find((m) => m !== follower)!;
    const name = `n${follower + 1}`;
    const Ctor = etcdClientConstructor('Watch');
    const w = new Ctor(serve.endpoints[follower]!.url.replace('http://', ''), grpc.credentials.createInsecure());
    clients.push(w);
    const stream = (w as unknown as { Watch: () => grpc.ClientDuplexStream<object, Record<string, unknown>> }).Watch();
    const ended = new Promise<{ code: number; details: string }>((resolve) => stream.on('error', (err: grpc.ServiceError) => resolve(err)));
    const created = new Promise<void>((resolve) => stream.on('data', () => resolve()));
    stream.write({ create_request: { key: b64('x') } });
    await created;
    const kv = client('KV', follower);
    serve.internals.cluster.world.crash(name, false);
    try {
      // Like a dead etcd's dropped connection: the open stream ends at once, so clients fail over.
      expect((await ended).code).toBe(grpc.status.UNAVAILABLE);
      await expect.poll(() => refused(serve.endpoints[follower]!.port)).toBe(true);
      const down = await failure(unaryCall(kv, 'Range', { key: b64('x') }));
      expect(down.code).toBe(grpc.status.UNAVAILABLE);
      await unaryCall(client('KV', other), 'Put', { key: b64('x'), value: b64('while-down') });
    } finally {
      serve.internals.cluster.world.restart(name);
    }
    await expect.poll(() => refused(serve.endpoints[follower]!.port)).toBe(false);
    await expect.poll(async () => ((await unaryCall(client('KV', follower), 'Range', { key: b64('x') }))['kvs'] as { value: string }[] | undefined)?.[0]?.value, { timeout: 20_000 }).toBe(b64('while-down'));
  });

  test("Status reports the size of the bbolt file Snapshot streams as dbSize and dbSizeInUse, over gRPC and the gateway", async () => {
    await unaryCall(client('KV', 0), 'Put', { key: b64('size'), value: b64('v'.repeat(5000)) });
    const url = serve.endpoints[0]!.url;
    const snap = await fetch(`${url}/v3/maintenance/snapshot`, { method: 'POST', body: '{}' });
    const blobs = (await snap.text()).trim().split('\n').map((l) => Buffer.from((JSON.parse(l) as { result: { blob: string } }).result.blob, 'base64'));
    const fileBytes = blobs.slice(0, -1).reduce((n, b) => n + b.length, 0);
    expect(fileBytes % 4096).toBe(0);
    const grpcStatus = await unaryCall(client('Maintenance', 0), 'Status', {});
    expect(grpcStatus).toMatchObject({ dbSize: String(fileBytes), dbSizeInUse: String(fileBytes) });
    const gw = await postJson(url, '/v3/maintenance/status', {});
    expect(gw.body).toMatchObject({ dbSize: String(fileBytes), dbSizeInUse: String(fileBytes) });
  });
});

/** True when a TCP connection to the loopback port is refused. */
function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code === 'ECONNREFUSED'));
  });
}

test('the port tells HTTP/2 (gRPC) from HTTP/1 by the connection preface', () => {
  expect(looksLikeHttp2(Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'))).toBe(true);
  expect(looksLikeHttp2(Buffer.from('PRI'))).toBe(true);
  expect(looksLikeHttp2(Buffer.from('POST /v3/kv/put HTTP/1.1'))).toBe(false);
  expect(looksLikeHttp2(Buffer.from('PUT /'))).toBe(false);
});

describe('serve with a scenario records what clients saw', () => {
  let serve: ServeHandle;
  beforeAll(async () => {
    serve = await startServe({ port: 0, nodes: 1, seed: 41, scenario: quietScenario(1) });
  }, 60_000);
  afterAll(async () => {
    await serve.close();
  });

  test('two watchers on one gRPC stream become two watch processes, each with its create request; puts are history ops', async () => {
    const address = serve.endpoint.replace('http://', '');
    const kv = new (etcdClientConstructor('KV'))(address, grpc.credentials.createInsecure());
    const w = new (etcdClientConstructor('Watch'))(address, grpc.credentials.createInsecure());
    try {
      const stream = (w as unknown as { Watch: () => grpc.ClientDuplexStream<object, Record<string, unknown>> }).Watch();
      stream.on('error', () => undefined); // the client closing under the stream ends it
      let created = 0;
      let events = 0;
      let bothCreated: () => void = () => undefined;
      const watching = new Promise<void>((resolve) => (bothCreated = resolve));
      const ready = new Promise<void>((resolve) => stream.on('data', (r: Record<string, unknown>) => {
        if (r['created'] === true) created++;
        if (Array.isArray(r['events'])) events++;
        if (created === 2) bothCreated();
        if (created === 2 && events === 2) resolve();
      }));
      stream.write({ create_request: { key: b64('a') } });
      stream.write({ create_request: { key: b64('b'), prev_kv: true } });
      // The puts must come after both watches exist (they see only later writes).
      await watching;
      await unaryCall(kv, 'Put', { key: b64('a'), value: b64('1') });
      await unaryCall(kv, 'Put', { key: b64('b'), value: b64('2') });
      await ready;
      stream.end();
    } finally {
      kv.close();
      w.close();
    }
    const history = serve.history!;
    expect(history.ops.filter((op) => op.f === 'kv/put' && op.type === 'ok')).toHaveLength(2);
    const clientWatches = history.watches.filter((r) => String(r.process).startsWith('client-watch-'));
    const processes = [...new Set(clientWatches.map((r) => r.process))];
    expect(processes).toHaveLength(2);
    for (const [i, p] of processes.entries()) {
      const records = clientWatches.filter((r) => r.process === p);
      expect(records[0]!.request).toMatchObject({ key: b64(i === 0 ? 'a' : 'b') });
      const keys = records.flatMap((r) => ((r.response as { events?: { kv: { key: string } }[] }).events ?? []).map((e) => e.kv.key));
      expect(keys).toEqual([b64(i === 0 ? 'a' : 'b')]);
    }
  });
});
