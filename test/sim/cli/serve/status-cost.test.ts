// What a Status or a /metrics scrape costs serve: the member's size figures come from its whole
// state (serialized, and written as etcd's backend file), so they are measured once per applied
// entry, not once per call — health checks and scrapes ask often, and on a large store each
// measurement allocated several times the store (`etcdctl check datascale` read ≈380 MB for 10,000
// 1 KiB values; etcd ≈50 MB). The resident memory a scrape reports is read as the scrape arrives,
// before that measurement, and the quiet serve snapshots at etcd's --snapshot-count.
import { afterAll, beforeAll, expect, test, vi } from 'vitest';
import { quietScenario, startServe, type ServeHandle } from '../../../../sim/cli/serve/serve-cluster.ts';
import { EtcdStateMachine } from '../../../../src/server/etcd-state-machine.ts';
import { Applier } from '../../../../src/server/apply/applier.ts';
import { STATUS_MEASURE_BYTES_PER_ENTRY } from '../../../../src/server/member.ts';
import { postJson } from '../../../differential/http.ts';

let serve: ServeHandle;
beforeAll(async () => {
  serve = await startServe({ port: 0, nodes: 1, seed: 5 });
}, 60_000);
afterAll(async () => {
  vi.restoreAllMocks();
  await serve.close();
});

const status = async (): Promise<Record<string, string>> => (await postJson(serve.endpoint, '/v3/maintenance/status', {})).body as Record<string, string>;

test('repeated Status calls serialize the state machine once per applied entry, with the same sizes', async () => {
  await postJson(serve.endpoint, '/v3/kv/put', { key: Buffer.from('k').toString('base64'), value: Buffer.alloc(1024).toString('base64') });
  const snapshots = vi.spyOn(EtcdStateMachine.prototype, 'snapshot');
  const first = await status();
  for (let i = 0; i < 4; i++) expect((await status()).dbSize).toBe(first.dbSize);
  expect(snapshots.mock.calls.length).toBeLessThanOrEqual(1);
  await postJson(serve.endpoint, '/v3/kv/put', { key: Buffer.from('k2').toString('base64'), value: Buffer.alloc(8192).toString('base64') });
  // A new entry: measured again, and the backend grew by the new value at least.
  expect(Number((await status()).dbSize)).toBeGreaterThan(Number(first.dbSize));
  snapshots.mockRestore();
});

test('/metrics reads the resident memory as the scrape arrives, before the Status measures the store', async () => {
  await postJson(serve.endpoint, '/v3/kv/put', { key: Buffer.from('k3').toString('base64'), value: Buffer.from('v').toString('base64') });
  const order: string[] = [];
  const memoryUsage = process.memoryUsage.bind(process);
  const rss = vi.spyOn(process, 'memoryUsage').mockImplementation(() => {
    order.push('rss');
    return { ...memoryUsage(), rss: 1 };
  });
  const snapshot = EtcdStateMachine.prototype.snapshot;
  const measured = vi.spyOn(EtcdStateMachine.prototype, 'snapshot').mockImplementation(function (this: EtcdStateMachine) {
    order.push('measure');
    return snapshot.call(this);
  });
  const text = await fetch(`${serve.endpoint}/metrics`).then((r) => r.text());
  measured.mockRestore();
  rss.mockRestore();
  expect(text.split('\n')).toContain('process_resident_memory_bytes 1');
  // A new entry applied since the last Status: this scrape measures the store, after reading the memory.
  expect(order).toEqual(['rss', 'measure']);
});

test('a client polling Status while it writes to a large store: the store is measured once per size/64 KiB entries, not at every entry', async () => {
  const put = (key: string, bytes: number): Promise<unknown> => postJson(serve.endpoint, '/v3/kv/put', { key: Buffer.from(key).toString('base64'), value: Buffer.alloc(bytes, 0x61).toString('base64') });
  // ≈ 2.6 MB of values: a measurement reads them all.
  for (let i = 0; i < 40; i++) await put(`big/${i}`, 65_536);
  const before = await status();
  const members = vi.spyOn(EtcdStateMachine.prototype, 'snapshot');
  const files = vi.spyOn(Applier.prototype, 'snapshot');
  const polls = 20;
  for (let i = 0; i < polls; i++) {
    await put(`poll/${i}`, 100);
    await status();
  }
  const bound = Math.ceil(polls / Math.floor(Number(before.dbSize) / STATUS_MEASURE_BYTES_PER_ENTRY));
  // The member's serialized state and serve's backend file, each measured at most `bound` times (was: 20 each).
  expect(members.mock.calls.length).toBeLessThanOrEqual(bound + 1);
  // (A snapshot of the member state serializes the applier too: only serve's own files count here.)
  expect(files.mock.calls.length - members.mock.calls.length).toBeLessThanOrEqual(bound + 1);
  expect(bound).toBeLessThan(polls / 4);
  members.mockRestore();
  files.mockRestore();
  // The figures still grow with the store once measured again.
  for (let i = 0; i < polls * 2; i++) await put(`more/${i}`, 65_536);
  expect(Number((await status()).dbSize)).toBeGreaterThan(Number(before.dbSize));
});

test("the quiet serve snapshots at etcd 3.4's --snapshot-count and keeps its catch-up entries", () => {
  expect(quietScenario(3).cluster.etcd.snapshotCount).toBe(100_000);
  expect(quietScenario(3).cluster.etcd.snapshotCatchUpEntries).toBe(5_000);
});
