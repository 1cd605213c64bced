import { describe, expect, it } from 'vitest';
import { MvccStore } from '../../../src/mvcc/store.ts';
import { WatchableStore } from '../../../src/watch/watchable-store.ts';
import { WatchStream } from '../../../src/watch/watch-stream.ts';

function setup(bufferCapacity?: number, maxRequestBytes?: number) {
  const store = new MvccStore();
  const ws = new WatchableStore(store);
  const stream = new WatchStream(ws, bufferCapacity, maxRequestBytes);
  const put = (k: string, v = 'v') => {
    const t = store.write();
    t.put(k, v, 0n);
    t.end();
  };
  return { store, ws, stream, put };
}

describe('watch streams', () => {
  it('catch-up sends at most 1000 revisions per response and never splits a revision', () => {
    const { ws, stream, put, store } = setup(10_000);
    for (let i = 0; i < 2500; i++) {
      if (i % 2 === 0) put(`k${i % 7}`);
      else {
        const t = store.write();
        t.put('a', 'x', 0n);
        t.put('b', 'y', 0n);
        t.end();
      }
    }
    stream.create({ key: '\0', range_end: '\0', start_revision: 1 });
    const sizes: number[][] = [];
    while (ws.pendingCount() > 0) {
      ws.syncWatchers();
      for (const r of stream.take()) if (r.events) sizes.push([...new Set(r.events.map((e) => e.kv.mod_revision))]);
    }
    expect(sizes.map((s) => s.length)).toEqual([1000, 1000, 500]);
    const all = sizes.flat();
    expect(all).toEqual(Array.from({ length: 2500 }, (_, i) => i + 2));
  });

  it('a full stream buffer makes the watcher a victim; nothing is lost or duplicated', () => {
    const { ws, stream, put } = setup(2);
    stream.create({ key: 'k' });
    for (let i = 0; i < 6; i++) put('k', String(i));
    const first = stream.take();
    expect(first.map((r) => r.events?.[0]?.kv.value)).toEqual([undefined, '0', '1']);
    const got: string[] = [];
    for (let round = 0; round < 10; round++) {
      ws.moveVictims();
      ws.syncWatchers();
      for (const r of stream.take()) got.push(...(r.events ?? []).map((e) => e.kv.value));
    }
    expect(got).toEqual(['2', '3', '4', '5']);
  });

  it('a future start revision is silent, with no progress, until reached (#20221)', () => {
    const { stream, put, ws } = setup();
    stream.create({ key: 'k', start_revision: 4, progress_notify: true });
    stream.take();
    put('k', 'a');
    stream.requestProgress();
    stream.progressTick();
    stream.progressTick();
    expect(stream.take()).toEqual([]);
    put('k', 'b');
    put('k', 'c');
    ws.syncWatchers();
    const out = stream.take();
    expect(out.map((r) => r.events?.map((e) => e.kv.value))).toEqual([['c']]);
    stream.requestProgress();
    expect(stream.take()).toEqual([{ header: { revision: 4 }, watch_id: -1 }]);
  });

  it('a progress request is dropped while any watch of the stream is unsynced', () => {
    const { stream, put, ws } = setup();
    put('k');
    put('k');
    stream.create({ key: 'k' });
    stream.create({ key: 'k', start_revision: 2 });
    stream.take();
    stream.requestProgress();
    expect(stream.take()).toEqual([]);
    ws.syncWatchers();
    stream.take();
    stream.requestProgress();
    expect(stream.take()).toEqual([{ header: { revision: 3 }, watch_id: -1 }]);
  });

  it('progress notifications go to idle synced watchers with their own id', () => {
    const { stream, put } = setup();
    stream.create({ key: 'k', progress_notify: true });
    stream.create({ key: 'j', progress_notify: true });
    stream.take();
    put('k');
    stream.take();
    stream.progressTick();
    // k had an event since the last tick; j gets a progress notification.
    expect(stream.take()).toEqual([{ header: { revision: 2 }, watch_id: 1 }]);
    stream.progressTick();
    expect(stream.take()).toEqual([{ header: { revision: 2 } }, { header: { revision: 2 }, watch_id: 1 }]);
  });

  it('cancel answers canceled and stops events; an unknown id gets no answer', () => {
    const { stream, put } = setup();
    stream.create({ key: 'k' });
    stream.cancel(0);
    stream.cancel(5);
    put('k');
    expect(stream.take()).toEqual([{ header: { revision: 1 }, created: true }, { header: { revision: 1 }, canceled: true }]);
  });

  it('fragments large responses when asked, each fragment under the limit', () => {
    const { stream, store, ws } = setup(128, 1000);
    const t = store.write();
    for (let i = 0; i < 10; i++) t.put(`k${i}`, 'x'.repeat(300), 0n);
    t.end();
    stream.create({ key: 'k', range_end: 'l', start_revision: 1, fragment: true });
    ws.syncWatchers();
    const out = stream.take().slice(1);
    expect(out.length).toBeGreaterThan(2);
    expect(out.slice(0, -1).every((r) => r.fragment === true)).toBe(true);
    expect(out[out.length - 1]!.fragment).toBeUndefined();
    expect(out.flatMap((r) => r.events!.map((e) => e.kv.key))).toEqual(Array.from({ length: 10 }, (_, i) => `k${i}`));
  });

  it('after a restore, synced watchers resync from the restored log without replaying or going back (#15271)', () => {
    const { stream, put, ws } = setup();
    stream.create({ key: 'k' });
    put('k', '1');
    ws.restored();
    ws.syncWatchers();
    put('k', '2');
    ws.syncWatchers();
    expect(stream.take().map((r) => r.events?.map((e) => e.kv.value))).toEqual([undefined, ['1'], ['2']]);
  });
});
