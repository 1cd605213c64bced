// One client watch stream (etcd's mvcc watchStream + v3rpc serverWatchStream): watch ids, create,
// cancel, progress requests and notifications, prev_kv and fragmentation, and the bounded buffer
// of responses waiting to be sent. Responses come out in the order they were produced: a
// watcher's Created response always precedes its events. Every response is an api
// WatchResponse whose header holds only the revision; the member fills in cluster, member and
// term (and must keep revision 0 of a compaction cancel as it is).
import { invariantBroken } from '../invariant-violation.ts';
import type { Event } from '../mvcc/key-value.ts';
import type { WatchCreateRequest, WatchResponse } from '../api/types.ts';
import { messageSize, MAX_REQUEST_BYTES } from '../api/proto-size.ts';
import { WatchResponse as WatchResponseSchema } from '../api/schema.ts';
import type { WatchableStore } from './watchable-store.ts';
import type { StoreWatchResponse, Watcher, WatcherSink } from './watcher.ts';
import { withFields } from '../object/with-fields.ts';

/** etcd's chanBufLen: responses a stream buffers before its watchers become victims. */
export const WATCH_STREAM_BUFFER = 128;

export const ERR_EMPTY_WATCHER_RANGE = 'mvcc: watcher range is empty';
export const ERR_DUPLICATE_WATCH_ID = 'mvcc: duplicate watch ID provided on the WatchStream';

interface WatchState {
  readonly watcher: Watcher;
  readonly prevKv: boolean;
  readonly fragment: boolean;
  readonly progressNotify: boolean;
  /** True when no event went out since the last progress tick. */
  idle: boolean;
  /** A start revision in the future at creation: no progress before it is reached (#20221). */
  readonly futureStartRev: number;
  /** The highest revision a progress response queued on this stream vouched for this watch (0: none). */
  bookmarkRev: number;
}

type Pending = { readonly ctrl: WatchResponse } | { readonly store: StoreWatchResponse };

/** Planted bugs of the stream (see src/server/apply/bugs.ts). */
export interface WatchStreamBugs {
  /** etcd #15220: answer progress requests while a watch is unsynced. */
  readonly progressWhileUnsynced?: boolean;
  /** etcd #20221: progress for watches still waiting for a future start revision. */
  readonly progressBeforeStart?: boolean;
}

export class WatchStream implements WatcherSink {
  private readonly watches = new Map<number, WatchState>();
  private nextId = 0;
  private readonly out: Pending[] = [];
  /** Store responses in `out` (control responses do not count against the buffer). */
  private buffered = 0;
  private closed = false;

  constructor(
    private readonly ws: WatchableStore,
    private readonly bufferCapacity = WATCH_STREAM_BUFFER,
    private readonly maxRequestBytes = MAX_REQUEST_BYTES,
    private readonly bugs: WatchStreamBugs = {},
  ) {}

  deliver(resp: StoreWatchResponse): boolean {
    if (this.buffered >= this.bufferCapacity) return false;
    // BUGGIFY: a stream that is momentarily full (a slow client): the watcher becomes a victim.
    if (resp.watchId !== -1 && this.ws.hooks.fire('watch.stream-full')) return false;
    this.checkBookmarks(resp);
    this.buffered++;
    this.out.push({ store: resp });
    if (!(this.buffered <= this.bufferCapacity)) throw invariantBroken('watch', 'watch-stream-buffer-bounded', `${this.buffered} responses buffered, capacity ${this.bufferCapacity}`);
    return true;
  }

  /**
   * A progress response vouches that its watches saw everything up to its revision, so no event
   * at or below it may follow for them (etcd#15220 class), as queued, in the order the client
   * reads. Off under the planted bugs that break exactly this, or resend revisions: the watch
   * checker must find those.
   */
  private checkBookmarks(resp: StoreWatchResponse): void {
    if (this.bugs.progressWhileUnsynced === true || this.bugs.progressBeforeStart === true || resp.compactRevision !== 0) return;
    if (resp.events.length === 0) {
      if (resp.watchId === -1) for (const st of this.watches.values()) st.bookmarkRev = Math.max(st.bookmarkRev, resp.revision);
      else {
        const st = this.watches.get(resp.watchId);
        if (st !== undefined) st.bookmarkRev = Math.max(st.bookmarkRev, resp.revision);
      }
      return;
    }
    const st = this.watches.get(resp.watchId);
    if (st === undefined || !st.watcher.assertsRevisions) return;
    const first = resp.events[0]!.kv.mod_revision;
    if (!(first > st.bookmarkRev)) throw invariantBroken('watch', 'watch-event-after-progress', `watch ${resp.watchId}: an event at revision ${first} after a progress response for revision ${st.bookmarkRev}`);
  }

  /** A create_request (v3rpc recvLoop): answers Created, or Created+Canceled with the reason. */
  create(creq: WatchCreateRequest): void {
    // An empty key is "\0", the smallest key; range_end "\0" means every key >= key.
    const key = (creq.key ?? '') === '' ? '\0' : creq.key!;
    const rawEnd = creq.range_end ?? '';
    const end = rawEnd === '' ? undefined : rawEnd === '\0' ? '' : rawEnd;
    const wsrev = this.ws.rev();
    const rev = (creq.start_revision ?? 0) === 0 ? wsrev + 1 : creq.start_revision!;
    let id = creq.watch_id ?? 0;
    let reason: string | undefined;
    if (this.closed || (end !== undefined && end !== '' && !(key < end))) reason = ERR_EMPTY_WATCHER_RANGE;
    else if (id === 0) {
      while (this.watches.has(this.nextId)) this.nextId++;
      id = this.nextId++;
    } else if (this.watches.has(id)) reason = ERR_DUPLICATE_WATCH_ID;
    if (reason !== undefined) {
      this.out.push({ ctrl: { header: { revision: wsrev }, watch_id: -1, created: true, canceled: true, cancel_reason: reason } });
      return;
    }
    const filters = { noPut: creq.filters?.includes('NOPUT') ?? false, noDelete: creq.filters?.includes('NODELETE') ?? false };
    // Created goes out first: it is queued before the watcher can produce anything.
    this.out.push({ ctrl: id === 0 ? { header: { revision: wsrev }, created: true } : { header: { revision: wsrev }, watch_id: id, created: true } });
    const watcher = this.ws.watch(key, end, rev, id, filters, this);
    this.watches.set(id, {
      watcher,
      prevKv: creq.prev_kv === true,
      fragment: creq.fragment === true,
      progressNotify: creq.progress_notify === true,
      idle: true,
      futureStartRev: rev > wsrev + 1 ? rev : 0,
      bookmarkRev: 0,
    });
  }

  /** A cancel_request: answers {watch_id, canceled}; an unknown id gets no answer. */
  cancel(id: number): void {
    const st = this.watches.get(id);
    if (st === undefined) return;
    this.ws.cancel(st.watcher);
    this.watches.delete(id);
    this.out.push({ ctrl: id === 0 ? { header: { revision: this.ws.rev() }, canceled: true } : { header: { revision: this.ws.rev() }, watch_id: id, canceled: true } });
  }

  /**
   * A progress_request: {watch_id: -1, header.revision: current}, but only if the stream has
   * watches, all synced and past their start revision; otherwise dropped (etcd 3.5 progressIfSync).
   */
  requestProgress(): void {
    // A stream without watches gets nothing (etcd 3.5; 3.4 answered), so that a bookmark never
    // speaks for a watch created after it.
    if (this.watches.size === 0) return;
    const rev = this.ws.rev();
    for (const st of this.watches.values()) {
      if (!this.ws.isSynced(st.watcher) && this.bugs.progressWhileUnsynced !== true) return;
      if (rev < st.futureStartRev && this.bugs.progressBeforeStart !== true) return;
    }
    this.deliver({ watchId: -1, events: [], revision: rev, compactRevision: 0 });
  }

  /** The progress-notify ticker (etcd: every 10 min): watchers idle since the last tick get a progress response. */
  progressTick(): void {
    const rev = this.ws.rev();
    for (const [id, st] of this.watches) {
      if (!st.progressNotify) continue;
      if (st.idle && (rev >= st.futureStartRev || this.bugs.progressBeforeStart === true)) this.ws.progress(st.watcher, id);
      st.idle = true;
    }
  }

  /** Every response ready to send, in order, as api WatchResponses; empties the buffer. */
  take(): WatchResponse[] {
    const out: WatchResponse[] = [];
    for (const p of this.out.splice(0)) {
      if ('ctrl' in p) out.push(p.ctrl);
      else this.convert(p.store, out);
    }
    this.buffered = 0;
    return out;
  }

  hasOutput(): boolean {
    return this.out.length > 0;
  }

  ids(): number[] {
    return [...this.watches.keys()];
  }

  /** The stream ends: every watcher is cancelled silently. */
  close(): void {
    for (const st of this.watches.values()) this.ws.cancel(st.watcher);
    this.watches.clear();
    this.closed = true;
  }

  private convert(r: StoreWatchResponse, out: WatchResponse[]): void {
    const st = this.watches.get(r.watchId);
    if (r.watchId !== -1 && st === undefined) return; // cancelled meanwhile
    if (r.compactRevision !== 0) {
      // The watcher is gone from the store; forget it here too.
      this.watches.delete(r.watchId);
      const resp: WatchResponse = { header: { revision: r.revision }, canceled: true, compact_revision: r.compactRevision };
      if (r.watchId !== 0) resp.watch_id = r.watchId;
      out.push(resp);
      return;
    }
    const events = st?.prevKv === true ? r.events.map((e) => this.withPrevKv(e)) : r.events.slice();
    if (st !== undefined && events.length > 0) st.idle = false;
    const resp: WatchResponse = { header: { revision: r.revision } };
    if (r.watchId !== 0) resp.watch_id = r.watchId;
    if (events.length > 0) resp.events = events;
    if (st?.fragment === true) this.sendFragments(resp, out);
    else out.push(resp);
  }

  /** prev_kv is the key at mod_revision - 1, read now; absent for creates or if compacted. */
  private withPrevKv(e: Event): Event {
    if (e.type === 'PUT' && e.kv.create_revision === e.kv.mod_revision) return e;
    const rr = this.ws.store.range(e.kv.key, undefined, { rev: e.kv.mod_revision - 1 });
    if (typeof rr === 'string' || rr.kvs.length === 0) return e;
    // Object.assign, not { ...e, prev_kv }: V8 (Node 20) builds a spread followed by a field slowly (µs).
    return Object.assign({}, e, { prev_kv: rr.kvs[0]! });
  }

  /** etcd's sendFragments: split responses of maxRequestBytes or more that hold several events. */
  private sendFragments(wr: WatchResponse, out: WatchResponse[]): void {
    const events = wr.events ?? [];
    if (events.length < 2 || messageSize(WatchResponseSchema, wr) < this.maxRequestBytes) {
      out.push(wr);
      return;
    }
    let idx = 0;
    for (;;) {
      const cur: WatchResponse = withFields(wr, { fragment: true, events: [] as Event[] });
      for (const ev of events.slice(idx)) {
        cur.events!.push(ev);
        if (cur.events!.length > 1 && messageSize(WatchResponseSchema, cur) >= this.maxRequestBytes) {
          cur.events!.pop();
          break;
        }
        idx++;
      }
      if (idx === events.length) delete cur.fragment;
      out.push(cur);
      if (cur.fragment !== true) return;
    }
  }
}
