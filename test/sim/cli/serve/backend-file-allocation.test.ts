// What writing etcd's backend file costs in allocation (snapshot-db.ts): Status and /metrics write
// it to size the member's database (once per size/64 KiB entries applied), Snapshot to stream it,
// and on a large store each write allocated ≈30 times the store (every value byte pushed into a
// JS number array, 8 bytes and more each, then copied): ≈300 MB of garbage at once for the
// 10,000 1 KiB values of `etcdctl check datascale`, the resident memory the next check starts
// from. A message is now written from its parts, each value copied once.
// Measured with V8's sampling heap profiler, collected objects included.
import { Session } from 'node:inspector/promises';
import { expect, test } from 'vitest';
import { backendFile } from '../../../../sim/cli/serve/snapshot-db.ts';
import type { LogRecord } from '../../../../src/mvcc/snapshot.ts';

const VALUES = 2000;
const VALUE_BYTES = 1024;
/** Per value byte; ≈30 before. */
const ALLOCATED_PER_VALUE_BYTE_MAX = 8;

test('the backend file of 2,000 1 KiB values allocates a few times its size, not tens of times', async () => {
  const log: LogRecord[] = Array.from({ length: VALUES }, (_, i): LogRecord => [i + 2, 0, `key/${String(i).padStart(6, '0')}`, String.fromCharCode(97 + (i % 26)).repeat(VALUE_BYTES), i + 2, 1, '0', 0]);
  const state = { consistentIndex: VALUES + 10, mvcc: { currentRev: VALUES + 1, compactMainRev: 0, log }, leases: [], members: [{ ID: '1', name: 'n1', peerURLs: ['http://n1:2380'], clientURLs: ['http://127.0.0.1:2379'] }] };
  const warm = backendFile(state); // optimized code allocates as it will
  const session = new Session();
  session.connect();
  try {
    await session.post('HeapProfiler.enable');
    await session.post('HeapProfiler.startSampling', { samplingInterval: 4096, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
    const file = backendFile(state);
    const { profile } = await session.post('HeapProfiler.stopSampling');
    expect(Buffer.from(file).equals(Buffer.from(warm))).toBe(true);
    let sampled = 0;
    const walk = (n: typeof profile.head): void => {
      sampled += n.selfSize;
      n.children.forEach(walk);
    };
    walk(profile.head);
    if (process.env['DETCD_SHOW'] !== undefined) console.log(`allocated ${(sampled / (VALUES * VALUE_BYTES)).toFixed(1)} bytes per value byte`);
    expect(sampled / (VALUES * VALUE_BYTES)).toBeLessThan(ALLOCATED_PER_VALUE_BYTE_MAX);
  } finally {
    session.disconnect();
  }
});
