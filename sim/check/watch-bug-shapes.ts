// The shapes two known bugs of real etcd leave in watch histories, so a run against a release
// that has them can say which of its watch violations a known bug explains (the verdict stays:
// the server broke the guarantee). Each shape is judged per violation, from the raw watch
// responses and the client history, never from one run's numbers.
// - etcd#20221: a watch opened at a revision the member has not reached yet (a client moving to
//   a lagging member resumes there at last-seen + 1) is sent progress notifications at the
//   member's own, lower revision, and may be sent events below its start revision. Fixed for
//   progress notifications by etcd#20229 ("Skip sending progress notification for watch with
//   starting revision in the future").
// - etcd#18089: compaction at revision C removes a key's tombstone at C from the backend, so a
//   watch opened at start revision C (the compact revision is still watchable) misses a DELETE
//   made at C. Any path reaches it: a watcher resuming after a compaction cancel, or one
//   reconnecting after a member failure whose last-seen + 1 happens to be C.
import type { Op, WatchRecord } from '../history/op.ts';
import { matchesKey, type WatchViolation } from './watch.ts';
import { decodeKey, int } from './models/etcd/json.ts';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (typeof v === 'object' && v !== null ? (v as Obj) : {});

interface ShapeEvent {
  readonly type: 'PUT' | 'DELETE';
  readonly key: string;
  readonly revision: number;
}

/** One (re)opened watch of a client, as far as the shapes need it. */
interface ShapeWatch {
  readonly process: number | string;
  readonly key: string;
  readonly rangeEnd: string | undefined;
  readonly startRevision: number;
  /** When the first response of the watch arrived (its Created response, normally). */
  openedAt: number;
  /** The header revision of its Created response: the member's revision when it opened the watch (0: unknown). */
  createdHeader: number;
  readonly progress: number[];
  readonly events: ShapeEvent[];
}

export interface WatchShapeFacts {
  readonly watches: readonly ShapeWatch[];
  /** Every event any watcher was sent, by revision. */
  readonly eventsAt: ReadonlyMap<number, readonly ShapeEvent[]>;
  /** Compactions clients asked for that did not fail for sure: [invoke time, revision]. */
  readonly compactions: readonly (readonly [number, number])[];
}

/** What the shapes read from a run's watch records and its history (one pass over each). */
export function watchShapeFacts(records: readonly WatchRecord[], history: readonly Op[]): WatchShapeFacts {
  const watches: ShapeWatch[] = [];
  const current = new Map<number | string, ShapeWatch>();
  const eventsAt = new Map<number, ShapeEvent[]>();
  for (const rec of records) {
    // A stream's close record carries no response.
    if (rec.closed !== undefined) continue;
    let w = current.get(rec.process);
    if (rec.request !== undefined || w === undefined) {
      const req = obj(obj(rec.request)['create_request'] ?? rec.request);
      w = {
        process: rec.process,
        key: decodeKey(req['key'] ?? ''),
        rangeEnd: rec.request === undefined ? '\0' : req['range_end'] === undefined ? undefined : decodeKey(req['range_end']),
        startRevision: int(req['start_revision']),
        openedAt: rec.time,
        createdHeader: 0,
        progress: [],
        events: [],
      };
      current.set(rec.process, w);
      watches.push(w);
    }
    const r = obj(obj(rec.response)['result'] ?? rec.response);
    const header = int(obj(r['header'])['revision']);
    const events = Array.isArray(r['events']) ? (r['events'] as unknown[]) : [];
    if (r['created'] === true && w.createdHeader === 0) w.createdHeader = header;
    const quiet = r['created'] !== true && r['canceled'] !== true && int(r['compact_revision']) === 0;
    if (events.length === 0 && quiet && header > 0) w.progress.push(header);
    for (const raw of events) {
      const e = obj(raw);
      const kv = obj(e['kv']);
      const event: ShapeEvent = { type: e['type'] === 'DELETE' ? 'DELETE' : 'PUT', key: decodeKey(kv['key']), revision: int(kv['mod_revision']) };
      w.events.push(event);
      const at = eventsAt.get(event.revision);
      if (at === undefined) eventsAt.set(event.revision, [event]);
      else if (!at.some((x) => x.key === event.key && x.type === event.type)) at.push(event);
    }
  }
  return { watches, eventsAt, compactions: compactionsAsked(history) };
}

/** [invoke time, revision] of every compaction asked for whose answer is not a failure. */
function compactionsAsked(history: readonly Op[]): [number, number][] {
  const open = new Map<number | string, [number, number]>();
  const out: [number, number][] = [];
  for (const op of history) {
    if (op.type === 'invoke') {
      if (op.f === 'kv/compaction') open.set(op.process, [op.time, int(obj(op.value)['revision'])]);
      continue;
    }
    const asked = open.get(op.process);
    open.delete(op.process);
    if (asked !== undefined && op.type !== 'fail') out.push(asked);
  }
  // Never answered: it may have been applied.
  for (const asked of open.values()) out.push(asked);
  return out;
}

/** Whether the watch was opened at a revision past the member's (its Created header is below start − 1). */
function openedInTheFuture(w: ShapeWatch): boolean {
  return w.startRevision > 0 && w.createdHeader > 0 && w.createdHeader < w.startRevision - 1;
}

/**
 * etcd#20221: the violation is a progress notification below its own watch's start revision − 1
 * (the member was behind the revision the watch was opened at), or an event below the start
 * revision of a watch opened past the member's revision.
 */
export function isFutureWatchAnswer(v: WatchViolation, facts: WatchShapeFacts): boolean {
  for (const w of facts.watches) {
    if (w.process !== v.process || w.startRevision <= 0) continue;
    if (v.guarantee === 'bookmarkable' && v.message.startsWith('progress went back') && w.progress.some((p) => p === v.revision && p < w.startRevision - 1)) return true;
    if (!openedInTheFuture(w)) continue;
    const below = w.events.filter((e) => e.revision < w.startRevision);
    if (below.length === 0) continue;
    if (v.guarantee === 'resumable' && v.revision === w.startRevision && w.events[0]!.revision < w.startRevision) return true;
    if ((v.guarantee === 'ordered' || v.guarantee === 'unique' || v.guarantee === 'atomic' || v.guarantee === 'bookmarkable') && below.some((e) => e.revision === v.revision)) return true;
  }
  return false;
}

/** The two watchers an agreement violation names ("watchers A and B saw different events at revision R"). */
const AGREEMENT = /^watchers (.+) and (.+) saw different events at revision \d+:/;

/**
 * etcd#18089: the watch was opened at start revision S, a compaction to S was asked for before
 * its first response arrived (and did not fail), and what it missed at S are DELETEs only: the
 * violation is the resumable or reliable one at S, or the agreement one at S between it and a
 * watcher that got the DELETEs (real etcd 3.4.23, compaction-deferred-restore seed 5: two
 * watchers re-opened at the compact revision 39 missed a txn's delete at 39, a third did not).
 */
export function isCompactRevisionDeleteMissed(v: WatchViolation, facts: WatchShapeFacts): boolean {
  if (v.guarantee !== 'resumable' && v.guarantee !== 'reliable' && v.guarantee !== 'agreement') return false;
  if (v.message.startsWith('missed the acknowledged put')) return false;
  const named = v.guarantee === 'agreement' ? AGREEMENT.exec(v.message)?.slice(1, 3) : [String(v.process)];
  if (named === undefined) return false;
  const s = v.revision;
  const at = facts.eventsAt.get(s) ?? [];
  for (const w of facts.watches) {
    if (!named.includes(String(w.process)) || w.startRevision !== s) continue;
    if (!facts.compactions.some(([time, revision]) => revision === s && time <= w.openedAt)) continue;
    const got = new Set(w.events.filter((e) => e.revision === s).map((e) => `${e.type} ${e.key}`));
    const missed = at.filter((e) => matchesKey(w, e.key) && !got.has(`${e.type} ${e.key}`));
    if (missed.length > 0 && missed.every((e) => e.type === 'DELETE')) return true;
  }
  return false;
}
