// A watch created with a negative start_revision, as etcd 3.4 serves it (etcdctl watch --rev=-1,
// or any gRPC client): the watchable store reads the catch-up events from the backend's keys
// minRev.._ to curRev+1._, a revision written as its uint64 bytes, and a negative minRev's bytes
// come after every key: the catch-up is empty, for every watcher synced in that round. The
// watcher then waits for new writes; after a compaction it is cancelled with the compact revision
// instead (minRev < compactMainRev). Seen against etcd 3.4.23: `watch a --rev=-1` after
// `put a 1` printed nothing until the next write.
import { describe, expect, it } from 'vitest';
import type { WatchResponse } from '../../../src/api/types.ts';
import { MvccStore } from '../../../src/mvcc/store.ts';
import { WatchableStore } from '../../../src/watch/watchable-store.ts';
import { WatchStream } from '../../../src/watch/watch-stream.ts';

function put(store: MvccStore, key: string): void {
  const t = store.write();
  t.put(key, 'v', 0n);
  t.end();
}

/** Every event revision each watch id was sent, and its cancels' compact revisions. */
function seen(out: readonly WatchResponse[]): { events: Map<number, number[]>; compacted: Map<number, number> } {
  const events = new Map<number, number[]>();
  const compacted = new Map<number, number>();
  for (const r of out) {
    const id = r.watch_id ?? 0;
    if (r.canceled === true && r.compact_revision !== undefined) compacted.set(id, r.compact_revision);
    for (const e of r.events ?? []) events.set(id, [...(events.get(id) ?? []), e.kv.mod_revision]);
  }
  return { events, compacted };
}

function setup(): { store: MvccStore; ws: WatchableStore; stream: WatchStream } {
  const store = new MvccStore();
  const ws = new WatchableStore(store);
  return { store, ws, stream: new WatchStream(ws, 100) };
}

describe('a watch from a negative start revision', () => {
  it('gets no past events, only the writes after its catch-up', () => {
    const { store, ws, stream } = setup();
    put(store, 'a');
    put(store, 'a');
    stream.create({ key: 'a', start_revision: -1 });
    ws.syncWatchers();
    put(store, 'a');
    expect(seen(stream.take()).events.get(0)).toEqual([4]);
  });

  it('empties the catch-up of the watchers synced in the same round (etcd 3.4 loses their past events)', () => {
    const { store, ws, stream } = setup();
    put(store, 'a');
    put(store, 'b');
    stream.create({ key: 'a', start_revision: 1 });
    stream.create({ key: 'b', start_revision: -1 });
    ws.syncWatchers();
    put(store, 'a');
    expect(seen(stream.take()).events).toEqual(new Map([[0, [4]]]));
    // Alone, the same watch from revision 1 gets its past.
    const alone = setup();
    put(alone.store, 'a');
    put(alone.store, 'b');
    alone.stream.create({ key: 'a', start_revision: 1 });
    alone.ws.syncWatchers();
    expect(seen(alone.stream.take()).events).toEqual(new Map([[0, [2]]]));
  });

  it('is cancelled with the compact revision once the store was compacted', () => {
    const { store, ws, stream } = setup();
    put(store, 'a');
    put(store, 'a');
    store.compact(2);
    stream.create({ key: 'a', start_revision: -1 });
    ws.syncWatchers();
    expect(seen(stream.take()).compacted).toEqual(new Map([[0, 2]]));
  });
});
