// Anomalies planted in the watch responses of a valid run (watches.jsonl): an event missing,
// delivered twice, out of order, with a wrong prev_kv or value, a progress notification that
// promises an event not yet sent, an event after the watch was cancelled by a compaction.
import { b64, clone, num, pairOps, uncertainPutKeys } from './history-facts.mjs';

function pick(rng, list) {
  return list.length === 0 ? undefined : list[Math.floor(rng() * list.length)];
}

/**
 * Every event of every stream connection (a process's records from one (re)open to the next),
 * in delivery order, with its record and position, and the connection's records.
 */
function connections(watches) {
  const byProcess = new Map();
  watches.forEach((rec, r) => {
    let list = byProcess.get(rec.process);
    if (list === undefined) byProcess.set(rec.process, (list = []));
    if (rec.request !== undefined || list.length === 0) list.push({ records: [], events: [] });
    const c = list[list.length - 1];
    c.records.push(r);
    (rec.response?.events ?? []).forEach((e, i) => c.events.push({ r, i, e, rev: num(e.kv?.mod_revision) }));
  });
  return [...byProcess.values()].flat();
}

function describe(watches, ev) {
  return `${watches[ev.r].process} record ${ev.r}: event at ${ev.rev} (${Buffer.from(String(ev.e.kv?.key ?? ''), 'base64').toString('latin1')})`;
}

/** watch-event-missing: an event left out of a stream that delivers later events. */
export function watchEventMissing(run, rng) {
  const sites = connections(run.watches).flatMap((c) => c.events.slice(0, -1));
  const s = pick(rng, sites);
  if (s === undefined) return undefined;
  const watches = clone(run.watches);
  const events = watches[s.r].response.events;
  events.splice(s.i, 1);
  if (events.length === 0) watches.splice(s.r, 1);
  return { ...run, watches, site: `missing: ${describe(run.watches, s)}` };
}

/** watch-event-duplicated: an event delivered twice in a row. */
export function watchEventDuplicated(run, rng) {
  const s = pick(rng, connections(run.watches).flatMap((c) => c.events));
  if (s === undefined) return undefined;
  const watches = clone(run.watches);
  watches[s.r].response.events.splice(s.i + 1, 0, clone(s.e));
  return { ...run, watches, site: `duplicated: ${describe(run.watches, s)}` };
}

/** watch-events-reordered: two events of different revisions, adjacent in one response, swapped. */
export function watchEventsReordered(run, rng) {
  const sites = connections(run.watches).flatMap((c) => c.events.slice(0, -1).filter((ev, n) => c.events[n + 1].r === ev.r && c.events[n + 1].rev > ev.rev));
  const s = pick(rng, sites);
  if (s === undefined) return undefined;
  const watches = clone(run.watches);
  const events = watches[s.r].response.events;
  [events[s.i], events[s.i + 1]] = [events[s.i + 1], events[s.i]];
  return { ...run, watches, site: `reordered: ${describe(run.watches, s)} swapped with the next` };
}

/** watch-wrong-prev-kv: an event's prev_kv carries a value the key never had. */
export function watchWrongPrevKv(run, rng) {
  const s = pick(rng, connections(run.watches).flatMap((c) => c.events.filter((ev) => ev.e.prev_kv !== undefined)));
  if (s === undefined) return undefined;
  const watches = clone(run.watches);
  watches[s.r].response.events[s.i].prev_kv.value = b64(`phantom-prev-${Math.floor(rng() * 1e9)}`);
  return { ...run, watches, site: `prev_kv of ${describe(run.watches, s)} changed to a value never written` };
}

/**
 * watch-prev-kv-older: an event's prev_kv is a version the key really had, but an older one than
 * the version right before the event (the value and revisions of the event before the previous
 * one on the same key, as a watch delivered them): every field a real version, the sequence wrong.
 */
export function watchPrevKvOlder(run, rng) {
  const sites = [];
  for (const c of connections(run.watches)) {
    // Per key, the kvs this watch delivered before each event (PUTs: a key's earlier versions).
    const seen = new Map();
    for (const ev of c.events) {
      const key = ev.e.kv?.key;
      const earlier = seen.get(key) ?? [];
      const prev = ev.e.prev_kv;
      // prev_kv is the version right before; one two versions back of the same life (same create_revision) is older.
      const older = earlier.filter((kv) => prev !== undefined && kv.create_revision === prev.create_revision && num(kv.mod_revision) < num(prev.mod_revision) && kv.value !== prev.value);
      if (older.length > 0) sites.push({ ...ev, older: older[older.length - 1] });
      if (ev.e.type !== 'DELETE' && ev.e.kv !== undefined) seen.set(key, [...earlier, ev.e.kv]);
      else seen.delete(key);
    }
  }
  const s = pick(rng, sites);
  if (s === undefined) return undefined;
  const watches = clone(run.watches);
  watches[s.r].response.events[s.i].prev_kv = clone(s.older);
  return { ...run, watches, site: `prev_kv of ${describe(run.watches, s)} set to the key's older version at ${s.older.mod_revision}` };
}

/**
 * watch-prev-kv-before-watch: the prev_kv of an event whose mod_revision is a write from before
 * its watch (re)opened (below the first revision the connection delivered) set to another
 * value, in every watcher's copy of that event (so no watcher disagrees with another). Where no
 * watch delivered that write (a real run's keys written before its watchers opened: every
 * kubernetes-traffic object) only the history's acknowledged write at that revision says the
 * value is wrong: missed in every form before.
 */
export function watchPrevKvBeforeWatch(run, rng) {
  const sites = connections(run.watches).flatMap((c) => c.events.filter((ev) => ev.e.prev_kv !== undefined && num(ev.e.prev_kv.mod_revision) < (c.events[0]?.rev ?? 0)));
  const s = pick(rng, sites);
  if (s === undefined) return undefined;
  const value = b64(`before-watch-prev-${Math.floor(rng() * 1e9)}`);
  const watches = clone(run.watches);
  for (const rec of watches) {
    for (const e of rec.response?.events ?? []) if (e.kv?.key === s.e.kv.key && e.kv?.mod_revision === s.e.kv.mod_revision && e.prev_kv !== undefined) e.prev_kv.value = value;
  }
  return { ...run, watches, site: `prev_kv (mod ${s.e.prev_kv.mod_revision}, before its watch opened) of ${describe(run.watches, s)} changed in every watcher to a value never written` };
}

/** watch-phantom-value: an event carries a value no one wrote. */
export function watchPhantomValue(run, rng) {
  const s = pick(rng, connections(run.watches).flatMap((c) => c.events.filter((ev) => ev.e.type !== 'DELETE')));
  if (s === undefined) return undefined;
  const watches = clone(run.watches);
  watches[s.r].response.events[s.i].kv.value = b64(`phantom-${Math.floor(rng() * 1e9)}`);
  return { ...run, watches, site: `value of ${describe(run.watches, s)} changed to one never written` };
}

/** watch-progress-early: a progress notification at an event's revision, delivered just before that event. */
export function watchProgressEarly(run, rng) {
  const sites = connections(run.watches).flatMap((c) => c.events.filter((ev) => ev.i === 0));
  const s = pick(rng, sites);
  if (s === undefined) return undefined;
  const watches = clone(run.watches);
  const rec = run.watches[s.r];
  const header = { ...clone(rec.response.header), revision: String(s.rev) };
  const progress = { process: rec.process, time: rec.time, ...(rec.node === undefined ? {} : { node: rec.node }), response: { header, watch_id: rec.response.watch_id ?? '0' } };
  watches.splice(s.r, 0, progress);
  return { ...run, watches, site: `progress notification at ${s.rev} just before ${describe(run.watches, s)}` };
}

/** watch-event-after-cancel: after a cancel by compaction at C, the same stream delivers an event below C. */
export function watchEventAfterCancel(run, rng) {
  const all = connections(run.watches).flatMap((c) => c.events);
  const sites = [];
  run.watches.forEach((rec, r) => {
    const c = num(rec.response?.compact_revision);
    if (rec.response?.canceled !== true || c < 2) return;
    const below = all.filter((ev) => ev.rev < c && ev.rev >= c - 20);
    if (below.length > 0) sites.push({ r, c, ev: below[below.length - 1] });
  });
  const s = pick(rng, sites);
  if (s === undefined) return undefined;
  const watches = clone(run.watches);
  const rec = run.watches[s.r];
  const late = { process: rec.process, time: rec.time, ...(rec.node === undefined ? {} : { node: rec.node }), response: { header: clone(rec.response.header), watch_id: rec.response.watch_id ?? '0', events: [clone(s.ev.e)] } };
  watches.splice(s.r + 1, 0, late);
  return { ...run, watches, site: `${rec.process} record ${s.r}: cancelled at compact revision ${s.c}, then an event at ${s.ev.rev}` };
}

/** watch-header-behind-events: a response's header revision below the revision of an event it carries. */
export function watchHeaderBehindEvents(run, rng) {
  const s = pick(rng, connections(run.watches).flatMap((c) => c.events.filter((ev) => ev.i === 0 && ev.rev >= 2)));
  if (s === undefined) return undefined;
  const watches = clone(run.watches);
  watches[s.r].response.header.revision = String(s.rev - 1);
  return { ...run, watches, site: `header revision ${s.rev - 1} on the response of ${describe(run.watches, s)}` };
}

/** watch-wrong-version: an event shows its key at a version one past the right one. */
export function watchWrongVersion(run, rng) {
  const unsure = uncertainPutKeys(pairOps(run.history));
  const s = pick(rng, connections(run.watches).flatMap((c) => c.events.filter((ev) => ev.e.type !== 'DELETE' && ev.e.kv?.version !== undefined && !unsure.has(ev.e.kv.key))));
  if (s === undefined) return undefined;
  const watches = clone(run.watches);
  const kv = watches[s.r].response.events[s.i].kv;
  kv.version = String(num(kv.version) + 1);
  return { ...run, watches, site: `version of ${describe(run.watches, s)} one past the right one` };
}

/**
 * watch-stream-stops: a watch that silently stops delivering (a member answering the client's
 * keep-alive for a stream it lost, so the client never reconnects): every record of one watch
 * client after one of its event responses is left out, though later events of its range exist.
 * Judged where the recording waited for every open watch to catch up (a run's liveness phase).
 */
export function watchStreamStops(run, rng) {
  const byProcess = new Map();
  run.watches.forEach((rec, r) => {
    if ((rec.response?.events ?? []).length === 0) return;
    let list = byProcess.get(rec.process);
    if (list === undefined) byProcess.set(rec.process, (list = []));
    list.push(r);
  });
  // A cut after an event response that is not the client's last: later events of its range exist.
  const sites = [...byProcess.values()].flatMap((rs) => rs.slice(0, -1));
  const r = pick(rng, sites);
  if (r === undefined) return undefined;
  const process = run.watches[r].process;
  const dropped = run.watches.filter((rec, i) => i > r && rec.process === process);
  const watches = clone(run.watches.filter((rec, i) => i <= r || rec.process !== process));
  const last = run.watches[r].response.events.at(-1);
  return { ...run, watches, site: `${process} stops after record ${r} (event at ${last?.kv?.mod_revision}): ${dropped.length} later record(s) left out` };
}

/** Whether a watch create request's range holds `key` (base64; etcd's conventions: no range_end one key, "\0" every key from it). */
function everyKey(request) {
  const req = request?.create_request;
  return req !== undefined && Buffer.from(String(req.key ?? ''), 'base64').toString('latin1') === '\0' && Buffer.from(String(req.range_end ?? ''), 'base64').toString('latin1') === '\0';
}

function watchHolds(request, key) {
  const req = request?.create_request;
  if (req === undefined) return false;
  const k = Buffer.from(String(key), 'base64').toString('latin1');
  const from = Buffer.from(String(req.key ?? ''), 'base64').toString('latin1');
  const end = req.range_end === undefined ? '' : Buffer.from(String(req.range_end), 'base64').toString('latin1');
  if (end === '') return k === from;
  return k >= from && (end === '\0' || k < end);
}

/**
 * A connection that saw its range from revision 2 on (sim/check/watch.ts watchedFromStart):
 * asked from revision 1 or 2, or from now when its Created said the store was at revision 1;
 * no NOPUT filter, no cancel by compaction.
 */
function watchedFromStart(watches, c) {
  const first = watches[c.records[0]];
  const req = first.request?.create_request;
  if (req === undefined || (req.filters ?? []).includes('NOPUT')) return false;
  if (c.records.some((r) => num(watches[r].response?.compact_revision) > 0)) return false;
  const start = num(req.start_revision);
  if (start === 1 || start === 2) return true;
  return start === 0 && first.response?.created === true && num(first.response?.header?.revision) === 1;
}

/** Every key (base64) a request of the history names: what a write may have created. */
function namedKeys(history) {
  const keys = new Set();
  const visit = (v) => {
    if (Array.isArray(v)) v.forEach(visit);
    else if (typeof v === 'object' && v !== null) for (const [k, x] of Object.entries(v)) (k === 'key' || k === 'range_end' ? keys.add(String(x)) : visit(x));
  };
  for (const op of history) if (op.type === 'invoke') visit(op.value);
  return keys;
}

/**
 * watch-delete-never-put: a DELETE event, beside an event of the same revision, of a key in the
 * watch's range that no request of the history ever named (so no write can have made it): etcd
 * sends a delete event only for a key that existed at the revision before. Only that watcher's
 * records are kept (a recording with one watcher), so no other watcher's view of the revision
 * gives it away: the checker must know which keys existed.
 */
export function watchDeleteNeverPut(run, rng) {
  const named = namedKeys(run.history);
  const sites = [];
  for (const c of connections(run.watches)) {
    const request = run.watches[c.records[0]].request;
    // The checker judges a delete of a never-put key where a watch of every key saw revision 2
    // whole (the store started empty: sim/check/watch.ts `delete`), or in the range of a watch
    // that saw its range from revision 2 on (watchedFromStart); a watch of part of the key space
    // that started later (a resumed one) does not show that, and is not planted here.
    if (!everyKey(request) && !watchedFromStart(run.watches, c)) continue;
    // A watch that filters DELETEs out would be caught by its filter, not by what it knows of the keys.
    if ((request.create_request.filters ?? []).includes('NODELETE')) continue;
    for (const ev of c.events) {
      const key = b64(`${Buffer.from(String(ev.e.kv?.key ?? ''), 'base64').toString('latin1')}~never-put`);
      if (ev.rev >= 2 && !named.has(key) && watchHolds(request, key)) sites.push({ ...ev, key });
    }
  }
  const s = pick(rng, sites);
  if (s === undefined) return undefined;
  const watches = clone(run.watches);
  watches[s.r].response.events.splice(s.i + 1, 0, { type: 'DELETE', kv: { key: s.key, mod_revision: String(s.rev) } });
  const process = run.watches[s.r].process;
  return { ...run, watches: watches.filter((rec) => rec.process === process), site: `a delete of ${Buffer.from(s.key, 'base64').toString('latin1')}, a key never put, beside ${describe(run.watches, s)} (its watcher's records only)` };
}

/**
 * watch-event-after-client-cancel: a Canceled response (no compact revision: the client's own
 * cancel request answered) inserted before a response with events of the same watch. etcd 3.4's
 * send loop forgets a watch id once its Canceled response is sent (v3rpc/watch.go sendLoop), so
 * those events cannot follow it.
 */
export function watchEventAfterClientCancel(run, rng) {
  const s = pick(rng, connections(run.watches).flatMap((c) => c.events.filter((ev) => ev.i === 0 && run.watches[ev.r].request === undefined)));
  if (s === undefined) return undefined;
  const rec = run.watches[s.r];
  const watches = clone(run.watches);
  const cancel = { process: rec.process, time: rec.time, ...(rec.node === undefined ? {} : { node: rec.node }), response: { header: { ...clone(rec.response.header), revision: String(s.rev - 1) }, watch_id: rec.response.watch_id ?? '0', canceled: true } };
  watches.splice(s.r, 0, cancel);
  return { ...run, watches, site: `a Canceled response (the client's cancel) before ${describe(run.watches, s)}` };
}

/**
 * watch-filter-violated: a watch created with a filter (NOPUT or NODELETE) is sent an event of
 * the type it filtered out: another watch's event of that type in its range, inserted in its
 * stream just before its first response past that revision.
 */
export function watchFilterViolated(run, rng) {
  const conns = connections(run.watches);
  const all = conns.flatMap((c) => c.events);
  const sites = [];
  for (const c of conns) {
    const req = run.watches[c.records[0]].request?.create_request;
    const filters = req?.filters ?? [];
    if (filters.length !== 1 || req.range_end === undefined) continue;
    const dropped = filters[0] === 'NOPUT' ? 'PUT' : 'DELETE';
    const [from, to] = [Buffer.from(req.key, 'base64'), Buffer.from(req.range_end, 'base64')];
    const inRange = (k) => Buffer.compare(Buffer.from(k, 'base64'), from) >= 0 && (to.length === 1 && to[0] === 0 ? true : Buffer.compare(Buffer.from(k, 'base64'), to) < 0);
    for (const ev of all) {
      if ((ev.e.type ?? 'PUT') !== dropped || !inRange(String(ev.e.kv?.key ?? ''))) continue;
      const next = c.events.find((x) => x.rev > ev.rev);
      if (next !== undefined && !c.events.some((x) => x.rev === ev.rev)) sites.push({ c, ev, before: next.r });
    }
  }
  const s = pick(rng, sites);
  if (s === undefined) return undefined;
  const rec = run.watches[s.before];
  const watches = clone(run.watches);
  const late = { process: rec.process, time: rec.time, ...(rec.node === undefined ? {} : { node: rec.node }), response: { header: { ...clone(rec.response.header), revision: String(s.ev.rev) }, watch_id: rec.response.watch_id ?? '0', events: [clone(s.ev.e)] } };
  watches.splice(s.before, 0, late);
  return { ...run, watches, site: `${rec.process}: a ${s.ev.e.type ?? 'PUT'} event at ${s.ev.rev} its filter drops, before record ${s.before}` };
}
