// One watcher of the watchable store (etcd's mvcc/watcher.go, watcher_group.go): a key or range,
// the next revision it needs (minRev), its filters, and the stream its responses go to.
import { invariantBroken } from '../invariant-violation.ts';
import type { Bytes } from '../mvcc/key.ts';
import type { Event } from '../mvcc/key-value.ts';
import type { RangeEnd } from '../mvcc/tree-index.ts';
import { withFields } from '../object/with-fields.ts';

/** A response of the watchable store, before the stream adds prev_kv and the header. */
export interface StoreWatchResponse {
  readonly watchId: number;
  readonly events: readonly Event[];
  /** Header revision: the event revision, the store revision at catch-up, 0 for compaction. */
  readonly revision: number;
  readonly compactRevision: number;
}

/** Where a watcher delivers; false means the stream buffer is full (the watcher becomes a victim). */
export interface WatcherSink {
  deliver(resp: StoreWatchResponse): boolean;
}

export interface WatcherFilters {
  readonly noPut: boolean;
  readonly noDelete: boolean;
}

export class Watcher {
  /** The next revision this watcher must see. */
  minRev: number;
  victim = false;
  compacted = false;
  /** The highest event revision sent to this watcher so far (0: none). */
  private sentRev = 0;
  /**
   * Whether sent revisions are asserted to increase. The store turns it off only under the
   * planted bugs that send a revision twice on purpose: the watch checker must find those.
   */
  assertsRevisions = true;

  constructor(
    readonly id: number,
    readonly key: Bytes,
    readonly end: RangeEnd,
    readonly startRev: number,
    minRev: number,
    readonly filters: WatcherFilters,
    readonly sink: WatcherSink,
    /** Sequence number for deterministic iteration. */
    readonly seq: number,
  ) {
    this.minRev = minRev;
  }

  contains(key: Bytes): boolean {
    if (this.end === undefined) return key === this.key;
    return this.key <= key && (this.end === '' || key < this.end);
  }

  /**
   * Filters and delivers (etcd's watcher.send): an event response emptied by the filters is not
   * sent and counts as delivered; a response without events (progress, compaction) always goes.
   */
  send(resp: StoreWatchResponse): boolean {
    for (let i = 1; i < resp.events.length; i++) {
      if (!(resp.events[i]!.kv.mod_revision >= resp.events[i - 1]!.kv.mod_revision)) throw invariantBroken('watch', 'watch-response-revision-order', `watcher ${this.id}: event ${i} goes back in revision`);
    }
    const progressEvent = resp.events.length === 0;
    const first = resp.events[0]?.kv.mod_revision ?? Infinity;
    if (this.assertsRevisions && !(first > this.sentRev)) throw invariantBroken('watch', 'watcher-revision-increases', `watcher ${this.id}: an event at revision ${first} after one at ${this.sentRev} was sent`);
    let events = resp.events;
    if (this.filters.noPut || this.filters.noDelete) {
      events = events.filter((e) => !(e.type === 'PUT' ? this.filters.noPut : this.filters.noDelete));
    }
    if (!progressEvent && events.length === 0) return this.sent(resp);
    return this.sink.deliver(events === resp.events ? resp : withFields(resp, { events })) && this.sent(resp);
  }

  /** Records what a response (now delivered or filtered away) covered; true. */
  private sent(resp: StoreWatchResponse): boolean {
    const last = resp.events[resp.events.length - 1];
    if (last === undefined) return true;
    this.sentRev = last.kv.mod_revision;
    if (this.assertsRevisions && !(this.minRev > this.sentRev)) throw invariantBroken('watch', 'watcher-needs-after-sent', `watcher ${this.id}: needs revision ${this.minRev} next, but was sent ${this.sentRev}`);
    return true;
  }
}

/** Events for one watcher, at most maxRevs revisions, never splitting a revision (etcd's eventBatch). */
export class EventBatch {
  readonly events: Event[] = [];
  revs = 0;
  /** The first revision left out because the batch was full (0: none). */
  moreRev = 0;

  constructor(private readonly maxRevs: number) {}

  add(ev: Event): void {
    const last = this.events[this.events.length - 1];
    if (!(last === undefined || ev.kv.mod_revision >= last.kv.mod_revision)) throw invariantBroken('watch', 'watch-batch-revision-order', `event at ${ev.kv.mod_revision} after ${last?.kv.mod_revision}`);
    if (this.revs > this.maxRevs) return;
    if (this.events.length === 0) {
      this.revs = 1;
      this.events.push(ev);
      return;
    }
    const ebRev = this.events[this.events.length - 1]!.kv.mod_revision;
    const evRev = ev.kv.mod_revision;
    if (evRev > ebRev) {
      this.revs++;
      if (this.revs > this.maxRevs) {
        this.moreRev = evRev;
        return;
      }
    }
    this.events.push(ev);
    if (!(this.revs <= this.maxRevs)) throw invariantBroken('watch', 'watch-batch-revisions-max', `${this.revs} revisions in a batch of at most ${this.maxRevs}`);
  }
}
