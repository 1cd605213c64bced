import { describe, expect, it } from 'vitest';
import { SimDisk } from '../../../sim/world/disk.ts';
import type { DiskOptions } from '../../../sim/world/disk.ts';
import { EventLoop } from '../../../sim/world/event-loop.ts';
import { Prng } from '../../../sim/world/prng.ts';
import { Trace } from '../../../sim/world/trace.ts';

function makeDisk(options: DiskOptions = {}, seed = 1) {
  const loop = new EventLoop();
  const trace = new Trace(() => loop.now(), 0);
  const disk = new SimDisk(
    {
      nowUs: () => loop.now(),
      schedule: (d, fn) => loop.schedule(d, fn),
      cancel: (id) => void loop.cancel(id),
      deliver: (fn) => fn(),
      trace,
      nodeTraceId: trace.intern('n1'),
    },
    new Prng(seed),
    { tornWrite: { num: 0, den: 1 }, ...options },
  );
  return { loop, disk, trace };
}
const values = (records: readonly { value: unknown }[]) => records.map((r) => r.value);

describe('SimDisk', () => {
  it('shows writes to the process at once but makes them durable only when an fsync completes', () => {
    const { loop, disk } = makeDisk({ fsyncLatencyUsMin: 100, fsyncLatencyUsMax: 100 });
    disk.append('wal', 'a', 10);
    disk.append('wal', 'b', 10);
    expect(values(disk.read('wal'))).toEqual(['a', 'b']);
    expect(disk.readDurable('wal')).toEqual([]);
    let durableAtUs = -1;
    disk.fsync(() => (durableAtUs = loop.now()));
    loop.run({ untilUs: 99 });
    expect(durableAtUs).toBe(-1);
    expect(disk.readDurable('wal')).toEqual([]);
    loop.run();
    expect(durableAtUs).toBe(100);
    expect(values(disk.readDurable('wal'))).toEqual(['a', 'b']);
    expect(disk.stats()).toMatchObject({ fsyncs: 1, bytesWritten: 20, bytesSynced: 20 });
  });

  it('loses exactly the unsynced writes on a crash, including those written during an fsync', () => {
    const { loop, disk } = makeDisk();
    disk.append('wal', 1, 8);
    disk.append('wal', 2, 8);
    disk.fsync(() => undefined);
    disk.append('wal', 3, 8); // after the fsync call: not covered by it
    loop.run();
    disk.append('wal', 4, 8);
    expect(disk.unsyncedOps).toBe(2);
    expect(disk.crash()).toBe(2);
    expect(values(disk.read('wal'))).toEqual([1, 2]);
    expect(values(disk.readDurable('wal'))).toEqual([1, 2]);
    expect(disk.read('wal').every((r) => !r.torn)).toBe(true);
  });

  it('never calls back an fsync that was in flight at a crash, and its writes are lost', () => {
    const { loop, disk } = makeDisk({ fsyncLatencyUsMin: 500, fsyncLatencyUsMax: 500 });
    disk.append('wal', 'x', 8);
    let called = false;
    disk.fsync(() => (called = true));
    loop.run({ untilUs: 200 });
    disk.crash();
    loop.run();
    expect(called).toBe(false);
    expect(disk.read('wal')).toEqual([]);
    expect(disk.exists('wal')).toBe(false);
  });

  it('tears the first unsynced record of a file on a crash when the tear happens, smaller and marked torn', () => {
    const { loop, disk } = makeDisk({ tornWrite: { num: 1, den: 1 } });
    disk.append('wal', 'kept', 100);
    disk.fsync(() => undefined);
    loop.run();
    disk.append('wal', 'half', 100);
    disk.append('wal', 'gone', 100);
    disk.crash();
    const wal = disk.read('wal');
    expect(wal.length).toBe(2);
    expect(wal[0]).toEqual({ value: 'kept', sizeBytes: 100, torn: false });
    expect(wal[1]?.torn).toBe(true);
    expect(wal[1]?.value).toBeUndefined();
    expect(wal[1]?.sizeBytes).toBeGreaterThan(0);
    expect(wal[1]?.sizeBytes).toBeLessThan(100);
    expect(disk.stats().tornRecords).toBe(1);
  });

  it('never tears anything when no write was pending, or when the tear probability is zero', () => {
    const torn = makeDisk({ tornWrite: { num: 1, den: 1 } });
    torn.disk.append('wal', 'a', 100);
    torn.disk.fsync(() => undefined);
    torn.loop.run();
    torn.disk.crash();
    expect(torn.disk.read('wal').map((r) => r.torn)).toEqual([false]);
    const never = makeDisk({ tornWrite: { num: 0, den: 1 } });
    for (let i = 0; i < 50; i++) {
      never.disk.append('wal', i, 100);
      never.disk.crash();
    }
    expect(never.disk.read('wal')).toEqual([]);
    expect(never.disk.stats().tornRecords).toBe(0);
  });

  it('replaces a file atomically: a crash before the fsync leaves the old content, never a mix', () => {
    const { loop, disk } = makeDisk({ tornWrite: { num: 1, den: 1 } });
    disk.replace('snap', [{ value: 'v1', sizeBytes: 50 }]);
    disk.fsync(() => undefined);
    loop.run();
    disk.replace('snap', [{ value: 'v2a', sizeBytes: 50 }, { value: 'v2b', sizeBytes: 50 }]);
    expect(values(disk.read('snap'))).toEqual(['v2a', 'v2b']);
    disk.crash();
    expect(disk.read('snap')).toEqual([{ value: 'v1', sizeBytes: 50, torn: false }]);
    disk.replace('snap', [{ value: 'v3', sizeBytes: 50 }]);
    disk.fsync(() => undefined);
    loop.run();
    disk.crash();
    expect(values(disk.read('snap'))).toEqual(['v3']);
  });

  it('makes truncate and remove durable only after an fsync', () => {
    const { loop, disk } = makeDisk();
    for (const v of [1, 2, 3]) disk.append('wal', v, 4);
    disk.append('old', 'x', 4);
    disk.fsync(() => undefined);
    loop.run();
    disk.truncate('wal', 1);
    disk.remove('old');
    expect(values(disk.read('wal'))).toEqual([1]);
    expect(disk.files()).toEqual(['wal']);
    disk.crash();
    expect(values(disk.read('wal'))).toEqual([1, 2, 3]);
    expect(disk.files()).toEqual(['old', 'wal']);
    disk.truncate('wal', 1);
    disk.remove('old');
    disk.fsync(() => undefined);
    loop.run();
    disk.crash();
    expect(values(disk.read('wal'))).toEqual([1]);
    expect(disk.files()).toEqual(['wal']);
  });

  it('completes fsyncs in the order they were issued, each within its latency bounds', () => {
    const { loop, disk } = makeDisk({ fsyncLatencyUsMin: 10, fsyncLatencyUsMax: 1_000 }, 7);
    const done: number[] = [];
    const issuedAt: number[] = [];
    for (let i = 0; i < 50; i++) {
      loop.schedule(i * 3, () => {
        issuedAt[i] = loop.now();
        disk.fsync(() => done.push(i));
      });
    }
    loop.run();
    expect(done).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(loop.now()).toBeLessThanOrEqual(49 * 3 + 1_000);
    expect(disk.stats().fsyncs).toBe(50);
  });

  it('sometimes takes a latency spike when spikes are on, never when off', () => {
    const spiky = makeDisk({ fsyncLatencyUsMin: 10, fsyncLatencyUsMax: 10, fsyncSpike: { num: 1, den: 2 }, fsyncSpikeLatencyUs: 50_000 });
    const latencies: number[] = [];
    const issue = (left: number): void => {
      const start = spiky.loop.now();
      spiky.disk.fsync(() => {
        latencies.push(spiky.loop.now() - start);
        if (left > 0) issue(left - 1);
      });
    };
    issue(40);
    spiky.loop.run();
    expect(new Set(latencies)).toEqual(new Set([10, 50_000]));
    expect(spiky.disk.stats().fsyncSpikes).toBeGreaterThan(0);
    const calm = makeDisk({ fsyncLatencyUsMin: 10, fsyncLatencyUsMax: 10 });
    for (let i = 0; i < 40; i++) calm.disk.fsync(() => undefined);
    calm.loop.run();
    expect(calm.disk.stats().fsyncSpikes).toBe(0);
  });

  it('makes a clean crash when tearing is not allowed, even with tornWrite certain', () => {
    const { disk } = makeDisk({ tornWrite: { num: 1, den: 1 } });
    disk.append('wal', 'a', 100);
    disk.crash(false);
    expect(disk.read('wal')).toEqual([]);
    expect(disk.stats().tornRecords).toBe(0);
  });

  it('uses a new fsync latency range from the moment it is set', () => {
    const { loop, disk } = makeDisk({ fsyncLatencyUsMin: 10, fsyncLatencyUsMax: 10 });
    const done: number[] = [];
    disk.fsync(() => done.push(loop.now()));
    disk.setFsyncLatency(5_000, 5_000);
    disk.fsync(() => done.push(loop.now()));
    loop.run();
    expect(done).toEqual([10, 5_000]);
    expect(() => disk.setFsyncLatency(5, 1)).toThrow(/^SimDisk.setFsyncLatency: fsyncUsMax: must be a whole number from 5 up, got 1$/);
  });

  it('rejects bad sizes and options', () => {
    const { disk } = makeDisk();
    expect(() => disk.append('wal', 1, -1)).toThrow(/sizeBytes/);
    expect(() => disk.truncate('missing', 0)).toThrow(/no file/);
    expect(() => makeDisk({ fsyncLatencyUsMin: 10, fsyncLatencyUsMax: 5 })).toThrow(/fsyncLatency/);
    expect(() => makeDisk({ tornWrite: { num: 3, den: 2 } })).toThrow(/probability/);
  });
});
