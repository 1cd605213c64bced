// etcd's lock and election services (v3lockpb.Lock, v3electionpb.Election) on `detcd serve`,
// where the differential test cannot go without racing (grpc-vs-etcd.test.ts has the
// uncontended cases, compared with etcd 3.4): a second locker (candidate) waits, its key in
// place, until the holder unlocks (the leader resigns); a locker that gives up (its deadline)
// has its waiter key deleted, as etcd's Mutex.Lock does; without a lease, a session lease of
// 60 s is granted; the gateway's /v3/lock/... and /v3/election/... answer the same. Before
// they were served, every call here answered UNIMPLEMENTED (gateway: 404).
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startServe, type ServeHandle } from '../../../../sim/cli/serve/serve-cluster.ts';
import { postJson } from '../../../differential/http.ts';
import { RawClient, type Reply } from './grpc-diff/raw-client.ts';

const b64 = (s: string): string => Buffer.from(s, 'latin1').toString('base64');
const text = (s: unknown): string => Buffer.from(String(s), 'base64').toString('latin1');
const ok = (r: Reply): Record<string, unknown> => {
  if (!('ok' in r)) throw new Error(`failed: ${JSON.stringify(r)}`);
  return r.ok;
};

describe('v3lock and v3election on serve', () => {
  let serve: ServeHandle;
  let raw: RawClient;
  const keys = async (prefix: string): Promise<string[]> => {
    const r = ok(await raw.unary('KV.Range', { key: b64(prefix), range_end: b64(prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1)), keys_only: true }));
    return ((r['kvs'] ?? []) as { key: string }[]).map((kv) => text(kv.key));
  };
  beforeAll(async () => {
    serve = await startServe({ port: 0, nodes: 1, seed: 41 });
    raw = new RawClient(serve.endpoint.replace('http://', ''));
    for (const ID of ['1', '2']) ok(await raw.unary('Lease.LeaseGrant', { ID, TTL: '600' }));
  }, 60_000);
  afterAll(async () => {
    raw.close();
    await serve.close();
  });

  test('a second locker waits, its key in place, until the holder unlocks', async () => {
    expect(text(ok(await raw.unary('Lock.Lock', { name: b64('m'), lease: '1' }))['key'])).toBe('m/1');
    let second: Reply | undefined;
    const waiting = raw.unary('Lock.Lock', { name: b64('m'), lease: '2' }, 60_000).then((r) => (second = r));
    await expect.poll(() => keys('m/')).toEqual(['m/1', 'm/2']);
    expect(second).toBeUndefined();
    ok(await raw.unary('Lock.Unlock', { key: b64('m/1') }));
    await waiting;
    expect(text(ok(second!)['key'])).toBe('m/2');
    expect(await keys('m/')).toEqual(['m/2']);
  });

  test('a locker that gives up has its waiter key deleted', async () => {
    ok(await raw.unary('Lock.Lock', { name: b64('c'), lease: '1' }));
    expect(await raw.unary('Lock.Lock', { name: b64('c'), lease: '2' }, 1_000)).toMatchObject({ code: 4 });
    await expect.poll(() => keys('c/')).toEqual(['c/1']);
  });

  test('without a lease, a 60 s session lease is granted and names the key', async () => {
    const key = text(ok(await raw.unary('Lock.Lock', { name: b64('z') }))['key']);
    expect(key).toMatch(/^z\/[0-9a-f]+$/);
    const ttl = ok(await raw.unary('Lease.LeaseTimeToLive', { ID: BigInt(`0x${key.slice(2)}`).toString(), keys: true }));
    expect(ttl).toMatchObject({ grantedTTL: '60', keys: [b64(key)] });
  });

  test('the gateway locks and unlocks', async () => {
    const locked = await postJson(serve.endpoint, '/v3/lock/lock', { name: b64('g'), lease: '1' });
    expect(locked).toMatchObject({ status: 200, body: { key: b64('g/1') } });
    expect(await postJson(serve.endpoint, '/v3/lock/unlock', { key: b64('g/1') })).toMatchObject({ status: 200 });
    expect(await keys('g/')).toEqual([]);
  });

  test('a second candidate waits, its key in place, until the leader resigns', async () => {
    const first = ok(await raw.unary('Election.Campaign', { name: b64('ce'), lease: '1', value: b64('a') }));
    let second: Reply | undefined;
    const waiting = raw.unary('Election.Campaign', { name: b64('ce'), lease: '2', value: b64('b') }, 60_000).then((r) => (second = r));
    await expect.poll(() => keys('ce/')).toEqual(['ce/1', 'ce/2']);
    expect(second).toBeUndefined();
    expect(text((ok(await raw.unary('Election.Leader', { name: b64('ce') }))['kv'] as { value: string }).value)).toBe('a');
    ok(await raw.unary('Election.Resign', { leader: first['leader'] }));
    await waiting;
    expect(text((ok(second!)['leader'] as { key: string }).key)).toBe('ce/2');
    expect(text((ok(await raw.unary('Election.Leader', { name: b64('ce') }))['kv'] as { value: string }).value)).toBe('b');
  });

  test('the gateway campaigns and reads the leader', async () => {
    expect(await postJson(serve.endpoint, '/v3/election/campaign', { name: b64('ge'), lease: '1', value: b64('v') })).toMatchObject({ status: 200, body: { leader: { key: b64('ge/1') } } });
    expect(await postJson(serve.endpoint, '/v3/election/leader', { name: b64('ge') })).toMatchObject({ status: 200, body: { kv: { value: b64('v') } } });
  });

  test('Observe: the first candidate, its proclaimed values, then the next leader after a resign', async () => {
    const stream = raw.serverStream('Election.Observe', { name: b64('ob') });
    const values = (): string[] => stream.replies.map((r) => text((ok(r)['kv'] as { value: string }).value));
    const first = ok(await raw.unary('Election.Campaign', { name: b64('ob'), lease: '1', value: b64('a') }));
    const second = raw.unary('Election.Campaign', { name: b64('ob'), lease: '2', value: b64('b') }, 60_000);
    await expect.poll(() => keys('ob/')).toEqual(['ob/1', 'ob/2']);
    ok(await raw.unary('Election.Proclaim', { leader: first['leader'], value: b64('a2') }));
    ok(await raw.unary('Election.Resign', { leader: first['leader'] }));
    ok(await second);
    await expect.poll(values).toEqual(['a', 'a2', 'b']);
    stream.close();
  });
});
