// The watchable store (etcd's mvcc/watchable_store.go). Synced watchers get each committed txn's
// events at once (one response per revision, in operation order); unsynced watchers (a start
// revision in the past) are caught up from the revision log by syncWatchers, at most 1000
// revisions per response and never splitting a revision; a watcher whose stream is full becomes
// a victim and is retried by moveVictims, so events are never dropped. A watcher that needs a
// compacted revision is cancelled with the compact revision. The member calls syncWatchers
// every 100 ms and moveVictims every 10 ms, as etcd's background loops do.
import type { Bytes } from '../mvcc/key.ts';
import type { Event } from '../mvcc/key-value.ts';
import type { MvccStore } from '../mvcc/store.ts';
import type { RangeEnd } from '../mvcc/tree-index.ts';
import { assert } from '../mvcc/errors.ts';
import type { WatcherFilters, WatcherSink } from './watcher.ts';
import { EventBatch, Watcher } from './watcher.ts';
import { WatcherGroup } from './watcher-group.ts';

/** Buggify and event hooks (src/server/buggify.ts), injected by the member's host; inert by default. */
export interface WatchHooks {
  fire(site: 'watch.stream-full' | 'watch.sync-batch-cut'): boolean;
  note(event: 'watch-compacted' | 'watch-victim'): void;
}

const NO_HOOKS: WatchHooks = { fire: () => false, note: () => undefined };

/** etcd's watchBatchMaxRevs. */
export const WATCH_BATCH_MAX_REVS = 1000;
/** etcd's maxWatchersPerSync. */
export const MAX_WATCHERS_PER_SYNC = 512;

type Batches = Map<Watcher, EventBatch>;

export class WatchableStore {
  /** Watchers are kept in creation order so that every iteration is deterministic. */
  private readonly synced = new WatcherGroup();
  private readonly unsynced = new WatcherGroup();
  private victims: Batches[] = [];
  hooks: WatchHooks = NO_HOOKS;
  private seq = 0;
  /** Revisions one catch-up sends an unsynced watcher at most (etcd's watchBatchMaxRevs). */
  batchMaxRevs = WATCH_BATCH_MAX_REVS;
  /** Planted bug (etcd #15271): synced watchers do not record what they were sent. */
  replayAfterRestore = false;
  /** Planted bugs (src/server/apply/bugs.ts). */
  bugs: { futureRevLowered?: boolean; skipsCompactRevision?: boolean; compactedStarved?: boolean; victimReplay?: boolean } = {};

  constructor(readonly store: MvccStore) {
    store.onCommit = (rev, events) => this.notify(rev, events);
  }

  rev(): number {
    return this.store.currentRev;
  }

  watch(key: Bytes, end: RangeEnd, startRev: number, id: number, filters: WatcherFilters, sink: WatcherSink): Watcher {
    const cur = this.store.currentRev;
    const synced = startRev > cur || startRev === 0;
    const minRev = synced ? Math.max(cur + 1, startRev) : startRev;
    const w = new Watcher(id, key, end, startRev, minRev, filters, sink, this.seq++);
    w.assertsRevisions = !this.replayAfterRestore && this.bugs.victimReplay !== true && this.bugs.futureRevLowered !== true;
    if (synced) this.synced.add(w);
    else this.unsynced.add(w);
    assert(this.inOneGroup(w), 'watch: a new watcher is in exactly one group');
    return w;
  }

  cancel(w: Watcher): void {
    this.synced.delete(w);
    this.unsynced.delete(w);
    for (const v of this.victims) v.delete(w);
    assert(!this.synced.has(w) && !this.unsynced.has(w) && this.victims.every((v) => !v.has(w)), 'watch: a cancelled watcher is in no group');
  }

  isSynced(w: Watcher): boolean {
    return this.synced.has(w);
  }

  /** Unsynced and victim watchers still to catch up. */
  pendingCount(): number {
    return this.unsynced.size + this.victims.reduce((n, v) => n + v.size, 0);
  }

  /** A txn committed at rev: its events go to every synced watcher they match, in one response. */
  private notify(rev: number, events: readonly Event[]): void {
    let victims: Batches | undefined;
    const ordered = this.synced.ordered();
    if (events.length === 1) {
      // One event (most commits: a put or a delete of one key): a watcher matches it at most
      // once, in the group's order, which is the order batch()'s map would give, without the
      // map and its iterator per commit. `ordered` is not written by a victim's removal below
      // (a change makes a new array), and matching draws nothing: the sends run as before.
      const ev = events[0] as Event;
      for (let j = 0; j < ordered.length; j++) {
        const w = ordered[j] as Watcher;
        if (!w.contains(ev.kv.key) || w.minRev > ev.kv.mod_revision) continue;
        const eb = new EventBatch(this.batchMaxRevs);
        eb.add(ev);
        victims = this.notifyWatcher(w, eb, rev, victims);
      }
    } else {
      for (const [w, eb] of this.batch(ordered, events)) victims = this.notifyWatcher(w, eb, rev, victims);
    }
    if (victims !== undefined) this.victims.push(victims);
  }

  /** Sends one synced watcher its events of rev; a watcher whose stream is full joins `victims` (made on the first). */
  private notifyWatcher(w: Watcher, eb: EventBatch, rev: number, victims: Batches | undefined): Batches | undefined {
    assert(eb.revs === 1, 'watch: a notification holds one revision');
    // A synced watcher has now seen everything up to rev. Recording it (etcd's fix for #15271)
    // keeps a later resync, after a snapshot restore, from replaying events.
    if (!this.replayAfterRestore) w.minRev = rev + 1;
    if (w.send({ watchId: w.id, events: eb.events, revision: rev, compactRevision: 0 })) return victims;
    // Planted bug (etcd#17247): "the victim still has rev to send", so its next revision
    // stays at rev, and the resync after moveVictims sends rev a second time.
    w.minRev = this.bugs.victimReplay === true ? rev : rev + 1;
    w.victim = true;
    const out = victims ?? new Map<Watcher, EventBatch>();
    out.set(w, eb);
    this.synced.delete(w);
    this.hooks.note('watch-victim');
    assert(!this.synced.has(w) && !this.unsynced.has(w), 'watch: a victim waits in no other group');
    return out;
  }

  /** Catches up to `watchersMax` unsynced watchers from the revision log; returns how many remain. */
  syncWatchers(watchersMax = MAX_WATCHERS_PER_SYNC): number {
    if (this.unsynced.size === 0) return 0;
    // BUGGIFY: a sync cut short leaves the others for the next round, as a busy etcd does.
    const chosenMax = this.hooks.fire('watch.sync-batch-cut') ? 1 : watchersMax;
    const curRev = this.store.currentRev;
    const compactRev = this.store.compactMainRev;
    const chosen: Watcher[] = [];
    let minRev = Infinity;
    for (const w of this.unsynced.ordered()) {
      if (chosen.length >= chosenMax) break;
      if (w.minRev < compactRev) {
        if (w.send({ watchId: w.id, events: [], revision: 0, compactRevision: compactRev })) {
          w.compacted = true;
          this.unsynced.delete(w);
          this.hooks.note('watch-compacted');
          continue;
        }
        // The cancel did not fit the stream: try again next time (etcd#17529). The planted bug
        // syncs the watcher on from where the others are, as if it had caught up.
        if (this.bugs.compactedStarved !== true) continue;
        chosen.push(w);
        continue;
      }
      chosen.push(w);
      minRev = Math.min(minRev, w.minRev);
    }
    if (chosen.length === 0) return this.unsynced.size;
    if (minRev === Infinity) minRev = curRev + 1;
    // The compact revision itself is still readable (only older ones are gone); the planted bug
    // (etcd#18089) starts after it.
    const from = this.bugs.skipsCompactRevision === true && minRev <= compactRev ? compactRev + 1 : minRev;
    const batches = this.batch(chosen, this.eventsBetween(from, curRev, chosen));
    const victims: Batches = new Map();
    for (const w of chosen) {
      // Never move backwards: a watcher restored ahead of the store keeps its minRev (#15271).
      w.minRev = this.replayAfterRestore || this.bugs.futureRevLowered === true ? curRev + 1 : Math.max(w.minRev, curRev + 1);
      const eb = batches.get(w);
      if (eb === undefined) {
        this.unsynced.delete(w);
        this.synced.add(w);
        assert(w.minRev > curRev && this.inOneGroup(w), 'watch: a watcher synced needs only future revisions, in one group');
        continue;
      }
      if (eb.moreRev !== 0) w.minRev = eb.moreRev;
      if (!w.send({ watchId: w.id, events: eb.events, revision: curRev, compactRevision: 0 })) {
        w.victim = true;
        victims.set(w, eb);
      } else if (eb.moreRev !== 0) {
        continue;
      } else {
        this.synced.add(w);
      }
      this.unsynced.delete(w);
    }
    if (victims.size > 0) this.victims.push(victims);
    return this.unsynced.size;
  }

  /** Retries victims (etcd's moveVictims); returns how many were delivered. */
  moveVictims(): number {
    const victims = this.victims;
    this.victims = [];
    let moved = 0;
    const curRev = this.store.currentRev;
    for (const wb of victims) {
      const still: Batches = new Map();
      for (const [w, eb] of wb) {
        // The watcher has observed the store up to, but not including, w.minRev.
        if (!w.send({ watchId: w.id, events: eb.events, revision: w.minRev - 1, compactRevision: 0 })) {
          still.set(w, eb);
          continue;
        }
        moved++;
        w.victim = false;
        if (eb.moreRev !== 0) w.minRev = eb.moreRev;
        if (w.minRev <= curRev) this.unsynced.add(w);
        else this.synced.add(w);
        assert(this.inOneGroup(w), 'watch: a delivered victim joins exactly one group');
      }
      if (still.size > 0) this.victims.push(still);
    }
    return moved;
  }

  /** Sends a progress notification to w if it is synced (etcd's progress). */
  progress(w: Watcher, responseWatchId = w.id): void {
    if (this.synced.has(w)) w.send({ watchId: responseWatchId, events: [], revision: this.store.currentRev, compactRevision: 0 });
  }

  /**
   * After the store was restored from a snapshot: every synced watcher must be caught up from the
   * restored log (etcd's watchableStore.Restore).
   */
  restored(): void {
    const watchers = this.synced.size + this.unsynced.size;
    for (const w of this.synced) this.unsynced.add(w);
    this.synced.clear();
    assert(this.synced.size === 0 && this.unsynced.size === watchers, 'watch: after a restore every watcher catches up, none lost');
  }

  /** Synced or unsynced, not both (a victim is in neither until it is delivered). */
  private inOneGroup(w: Watcher): boolean {
    return this.synced.has(w) !== this.unsynced.has(w);
  }

  /** The events of the revision log in [minRev, curRev] that match one of the watchers. */
  private eventsBetween(minRev: number, curRev: number, watchers: readonly Watcher[]): Event[] {
    const out: Event[] = [];
    // etcd reads the events from the backend's keys minRev.._ to curRev+1._, a revision written as
    // its uint64 bytes: a negative minRev (a watch created with start_revision < 0) is past them
    // all, so the range is empty, for every watcher synced in the same round.
    if (minRev < 0) return out;
    for (let main = Math.max(minRev, 1); main <= curRev; main++) {
      const subs = this.store.log.get(main);
      if (subs === undefined) continue;
      for (const e of subs) {
        if (e === undefined) continue;
        if (!watchers.some((w) => w.contains(e.kv.key))) continue;
        out.push({ type: e.tombstone ? 'DELETE' : 'PUT', kv: e.kv });
      }
    }
    return out;
  }

  /** Events by watcher; `ordered` in creation order (the batches' iteration order follows it). */
  private batch(ordered: readonly Watcher[], events: readonly Event[]): Batches {
    const wb: Batches = new Map();
    if (ordered.length === 0) return wb;
    // Indexed loops: this runs for every write's events against every synced watcher.
    for (let i = 0; i < events.length; i++) {
      const ev = events[i] as Event;
      for (let j = 0; j < ordered.length; j++) {
        const w = ordered[j] as Watcher;
        if (!w.contains(ev.kv.key) || ev.kv.mod_revision < w.minRev) continue;
        let eb = wb.get(w);
        if (eb === undefined) {
          eb = new EventBatch(this.batchMaxRevs);
          wb.set(w, eb);
        }
        eb.add(ev);
      }
    }
    return wb;
  }

  /** Watchers in creation order (for the streams' progress checks and tests). */
  watchers(): Watcher[] {
    return [...this.synced, ...this.unsynced, ...this.victims.flatMap((v) => [...v.keys()])].sort((a, b) => a.seq - b.seq);
  }
}
