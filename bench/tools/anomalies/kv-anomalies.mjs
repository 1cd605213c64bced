// Anomalies planted in the key-value answers of a valid etcd history. Each injector picks one
// site at random among those where the result is certainly not what etcd 3.4 may answer, and
// returns the changed copy with a line saying what it did (or undefined: no such site).
import { b64, clone, floorsBefore, freshProcesses, headerRev, isLinearizableKv, isOk, num, pairOps, rangeAnswers, sightings, unb64, uncertainPutKeys, withOps, wroteRevision } from './history-facts.mjs';

function pick(rng, list) {
  return list.length === 0 ? undefined : list[Math.floor(rng() * list.length)];
}

/** The op at the same position in a copy of the history (histories are dense: index = position). */
function at(history, op) {
  const i = history.indexOf(op);
  if (i < 0) throw new Error('op not in history');
  return i;
}

function rangeAnswerIn(doneCopy, f, which) {
  if (f === 'kv/range') return doneCopy.value;
  let n = 0;
  for (const r of doneCopy.value.responses ?? []) {
    if (r.response_range === undefined) continue;
    if (n++ === which) return r.response_range;
  }
  throw new Error('nested range answer not found');
}

function linearizableReads(pairs) {
  const out = [];
  for (const p of pairs) {
    if (!isLinearizableKv(p)) continue;
    rangeAnswers(p).forEach((a, which) => {
      if (num(a.request.revision) === 0 && a.request.serializable !== true) out.push({ p, a, which });
    });
  }
  return out;
}

/**
 * stale-read: a linearizable read shows an older version of a key than one a write had made
 * before the read began (an op answered before the read's invocation was at or past the newer
 * version's revision).
 */
export function staleRead(run, rng) {
  const pairs = pairOps(run.history);
  const floors = floorsBefore(pairs);
  const seen = sightings(pairs);
  const sites = [];
  for (const r of linearizableReads(pairs)) {
    r.a.answer.kvs?.forEach((kv, k) => {
      const m = num(kv.mod_revision);
      if (floors.get(r.p) < m) return;
      const older = (seen.get(kv.key) ?? []).filter((o) => num(o.mod_revision) < m && unb64(o.value) !== unb64(kv.value));
      if (older.length > 0) sites.push({ ...r, k, older });
    });
  }
  const s = pick(rng, sites);
  if (s === undefined) return undefined;
  const history = clone(run.history);
  const i = at(run.history, s.p.done);
  const old = pick(rng, s.older);
  rangeAnswerIn(history[i], s.p.inv.f, s.which).kvs[s.k] = clone(old);
  return { ...run, history, site: `op ${i}: ${s.p.inv.f} of ${unb64(old.key)} answers mod_revision ${old.mod_revision} though revision ${floors.get(s.p)} was reached before it began (it had ${s.a.answer.kvs[s.k].mod_revision})` };
}

/** phantom-read: a read shows a value no one wrote. */
export function phantomRead(run, rng) {
  const pairs = pairOps(run.history);
  const sites = [];
  for (const p of pairs) rangeAnswers(p).forEach((a, which) => a.answer.kvs?.forEach((kv, k) => { if (a.request.keys_only !== true) sites.push({ p, which, k }); }));
  const s = pick(rng, sites);
  if (s === undefined) return undefined;
  const history = clone(run.history);
  const i = at(run.history, s.p.done);
  const kv = rangeAnswerIn(history[i], s.p.inv.f, s.which).kvs[s.k];
  kv.value = b64(`phantom-${Math.floor(rng() * 1e9)}`);
  return { ...run, history, site: `op ${i}: ${s.p.inv.f} shows ${unb64(kv.key)} = a value never written` };
}

/**
 * lost-write: an acknowledged put whose version no read shows: every answer that showed it shows
 * the version before it (or no key), and at least one of them began after the put was answered.
 */
export function lostWrite(run, rng) {
  const pairs = pairOps(run.history);
  const seen = sightings(pairs);
  const reads = linearizableReads(pairs);
  const sites = [];
  for (const w of pairs) {
    if (w.inv.f !== 'kv/put' || !isOk(w)) continue;
    const key = w.inv.value?.key;
    const r = headerRev(w);
    const showing = [];
    for (const x of reads) x.a.answer.kvs?.forEach((kv, k) => { if (kv.key === key && num(kv.mod_revision) === r) showing.push({ ...x, k }); });
    if (!showing.some((x) => x.p.inv.time > w.done.time)) continue;
    const before = (seen.get(key) ?? []).filter((o) => num(o.mod_revision) < r);
    const created = showing.some((x) => num(x.a.answer.kvs[x.k].version) === 1);
    if (!created && before.length === 0) continue;
    sites.push({ w, showing, previous: created ? undefined : before[before.length - 1] });
  }
  const s = pick(rng, sites);
  if (s === undefined) return undefined;
  const history = clone(run.history);
  for (const x of s.showing) {
    const answer = rangeAnswerIn(history[at(run.history, x.p.done)], x.p.inv.f, x.which);
    if (s.previous === undefined) {
      answer.kvs.splice(x.k, 1);
      answer.count = String(Math.max(0, num(answer.count) - 1));
      if (answer.kvs.length === 0) delete answer.kvs;
    } else answer.kvs[x.k] = clone(s.previous);
  }
  return { ...run, history, site: `put op ${at(run.history, s.w.done)} (revision ${headerRev(s.w)}) lost: ${s.showing.length} read(s) show the version before it` };
}

/** revision-backwards: an ok linearizable kv op answers a header revision below one answered before it began. */
export function revisionBackwards(run, rng) {
  const pairs = pairOps(run.history);
  const floors = floorsBefore(pairs);
  const sites = pairs.filter((p) => isOk(p) && isLinearizableKv(p) && floors.get(p) >= 2);
  const s = pick(rng, sites);
  if (s === undefined) return undefined;
  const history = clone(run.history);
  const i = at(run.history, s.done);
  const rev = floors.get(s) - 1;
  setRevision(history[i], rev);
  return { ...run, history, site: `op ${i}: ${s.inv.f} answered at revision ${rev}, though revision ${floors.get(s)} was answered before it began` };
}

function setRevision(done, rev) {
  done.value.header.revision = String(rev);
  for (const r of done.value.responses ?? []) for (const inner of Object.values(r)) if (inner?.header?.revision !== undefined) inner.header.revision = String(rev);
}

/** duplicate-revision: a write answered with the revision of another write answered before it began. */
export function duplicateRevision(run, rng) {
  const pairs = pairOps(run.history);
  const writes = pairs.filter((p) => wroteRevision(p));
  const sites = [];
  for (const w2 of writes) {
    const earlier = writes.filter((w1) => w1.done.time < w2.inv.time && headerRev(w1) < headerRev(w2));
    if (earlier.length > 0) sites.push({ w2, w1: earlier[earlier.length - 1] });
  }
  const s = pick(rng, sites);
  if (s === undefined) return undefined;
  const history = clone(run.history);
  const i = at(run.history, s.w2.done);
  setRevision(history[i], headerRev(s.w1));
  return { ...run, history, site: `write op ${i} answered revision ${headerRev(s.w1)}, the revision of write op ${at(run.history, s.w1.done)} answered before it began` };
}

/**
 * txn-half-applied: a read that showed both keys a succeeded txn put (at the txn's revision)
 * shows one of them at its version before the txn.
 */
export function txnHalfApplied(run, rng) {
  const pairs = pairOps(run.history);
  const seen = sightings(pairs);
  const sites = [];
  const reads = linearizableReads(pairs);
  for (const t of pairs) {
    if (t.inv.f !== 'kv/txn' || !isOk(t) || t.done.value?.succeeded !== true) continue;
    const keys = [...new Set((t.inv.value?.success ?? []).filter((o) => o.request_put !== undefined).map((o) => o.request_put.key))];
    if (keys.length < 2) continue;
    const r = headerRev(t);
    for (const x of reads) {
      const kvs = x.a.answer.kvs ?? [];
      const hits = kvs.map((kv, k) => ({ kv, k })).filter(({ kv }) => keys.includes(kv.key) && num(kv.mod_revision) === r);
      if (hits.length < 2) continue;
      const h = hits[hits.length - 1];
      const before = (seen.get(h.kv.key) ?? []).filter((o) => num(o.mod_revision) < r);
      sites.push({ t, x, k: h.k, previous: num(h.kv.version) === 1 ? undefined : before[before.length - 1], created: num(h.kv.version) === 1 });
    }
  }
  const s = pick(rng, sites.filter((x) => x.created || x.previous !== undefined));
  if (s === undefined) return undefined;
  const history = clone(run.history);
  const i = at(run.history, s.x.p.done);
  const answer = rangeAnswerIn(history[i], s.x.p.inv.f, s.x.which);
  const key = unb64(answer.kvs[s.k].key);
  if (s.previous === undefined) {
    answer.kvs.splice(s.k, 1);
    answer.count = String(Math.max(0, num(answer.count) - 1));
  } else answer.kvs[s.k] = clone(s.previous);
  return { ...run, history, site: `op ${i} shows txn op ${at(run.history, s.t.done)} (revision ${headerRev(s.t)}) half applied: ${key} before it, another of its keys after it` };
}

/** range-count-wrong: a range without a limit answers a count other than the keys it shows. */
export function rangeCountWrong(run, rng) {
  const pairs = pairOps(run.history);
  const sites = pairs.filter((p) => isOk(p) && p.inv.f === 'kv/range' && num(p.inv.value?.limit) === 0 && p.inv.value?.count_only !== true && num(p.inv.value?.revision) === 0);
  const s = pick(rng, sites);
  if (s === undefined) return undefined;
  const history = clone(run.history);
  const i = at(run.history, s.done);
  const shown = (s.done.value.kvs ?? []).length;
  history[i].value.count = String(shown + 1);
  return { ...run, history, site: `op ${i}: a range showing ${shown} key(s) answers count ${shown + 1}` };
}

/** read-wrong-version: a read shows a key's version one past what it was (a key no put of unknown outcome may have written). */
export function readWrongVersion(run, rng) {
  const pairs = pairOps(run.history);
  const unsure = uncertainPutKeys(pairs);
  const sites = [];
  for (const p of pairs) rangeAnswers(p).forEach((a, which) => a.answer.kvs?.forEach((kv, k) => { if (kv.version !== undefined && !unsure.has(kv.key)) sites.push({ p, which, k }); }));
  const s = pick(rng, sites);
  if (s === undefined) return undefined;
  const history = clone(run.history);
  const i = at(run.history, s.p.done);
  const kv = rangeAnswerIn(history[i], s.p.inv.f, s.which).kvs[s.k];
  kv.version = String(num(kv.version) + 1);
  return { ...run, history, site: `op ${i}: ${unb64(kv.key)} shown at version ${kv.version}, one past its version` };
}

/** put-prev-kv-phantom: a put asked for prev_kv answers a previous value no one wrote. */
export function putPrevKvPhantom(run, rng) {
  const pairs = pairOps(run.history);
  const sites = pairs.filter((p) => isOk(p) && p.inv.f === 'kv/put' && p.done.value?.prev_kv !== undefined);
  const s = pick(rng, sites);
  if (s === undefined) return undefined;
  const history = clone(run.history);
  const i = at(run.history, s.done);
  history[i].value.prev_kv.value = b64(`phantom-prev-${Math.floor(rng() * 1e9)}`);
  return { ...run, history, site: `op ${i}: put's prev_kv shows a value never written` };
}

/** delete-count-wrong: a delete answers one more key deleted than it did. */
export function deleteCountWrong(run, rng) {
  const pairs = pairOps(run.history);
  const sites = pairs.filter((p) => isOk(p) && p.inv.f === 'kv/deleterange');
  const s = pick(rng, sites);
  if (s === undefined) return undefined;
  const history = clone(run.history);
  const i = at(run.history, s.done);
  history[i].value.deleted = String(num(s.done.value?.deleted) + 1);
  return { ...run, history, site: `op ${i}: delete answers ${history[i].value.deleted} deleted, one more than it did` };
}

/**
 * delete-count-short: a delete that deleted keys answers one fewer deleted (and, asked for
 * prev_kv, leaves that key's previous kv out): the count disagrees with the keys it removed.
 */
export function deleteCountShort(run, rng) {
  const pairs = pairOps(run.history);
  // Another delete of unknown outcome, or a lease's expiry, may have removed the key first (the
  // delete then truly deleted fewer): only deletes whose keys carried no lease, with no delete or
  // txn of unknown outcome called before they returned.
  const doubt = pairs.filter((p) => !isOk(p) && (p.inv.f === 'kv/deleterange' || p.inv.f === 'kv/txn')).map((p) => run.history.indexOf(p.inv));
  const sites = pairs.filter((p) => {
    const kvs = p.done?.value?.prev_kvs;
    if (!isOk(p) || p.inv.f !== 'kv/deleterange' || num(p.done.value?.deleted) === 0 || !Array.isArray(kvs) || kvs.some((kv) => num(kv.lease) !== 0)) return false;
    const returned = run.history.indexOf(p.done);
    return !doubt.some((called) => called < returned);
  });
  const s = pick(rng, sites);
  if (s === undefined) return undefined;
  const history = clone(run.history);
  const i = at(run.history, s.done);
  const answer = history[i].value;
  answer.deleted = String(num(answer.deleted) - 1);
  answer.prev_kvs.pop();
  return { ...run, history, site: `op ${i}: delete answers ${answer.deleted} deleted, one fewer than it did` };
}

/**
 * past-read-header-behind: a range at a past revision (not serializable) answers a header
 * revision below one answered before it began. etcd 3.4 serves it through ReadIndex like any
 * linearizable read, and its header is the member's current revision (at least the read index),
 * whatever revision the range asked for.
 */
export function pastReadHeaderBehind(run, rng) {
  const pairs = pairOps(run.history);
  const floors = floorsBefore(pairs);
  const sites = pairs.filter((p) => isOk(p) && p.inv.f === 'kv/range' && num(p.inv.value?.revision) > 0 && p.inv.value?.serializable !== true && floors.get(p) - 1 >= num(p.inv.value?.revision) && floors.get(p) - 1 >= 1);
  const s = pick(rng, sites);
  if (s === undefined) return undefined;
  const history = clone(run.history);
  const i = at(run.history, s.done);
  const rev = floors.get(s) - 1;
  history[i].value.header.revision = String(rev);
  return { ...run, history, site: `op ${i}: a range at past revision ${s.inv.value.revision} answered header revision ${rev}, though revision ${floors.get(s)} was answered before it began` };
}

/**
 * Ranges at a past revision R (not compacted: the answer shows keys) and, per key shown, the
 * later versions of it in the same generation (same create_revision, mod_revision above R) some
 * answer showed: what a read of R must not show of that key.
 */
function pastReadSites(pairs) {
  const seen = sightings(pairs);
  const unsure = uncertainPutKeys(pairs);
  const sites = [];
  for (const p of pairs) {
    rangeAnswers(p).forEach((a, which) => {
      const rev = num(a.request.revision);
      if (rev <= 0) return;
      a.answer.kvs?.forEach((kv, k) => {
        if (unsure.has(kv.key) || num(kv.mod_revision) > rev) return;
        const later = (seen.get(kv.key) ?? []).filter((o) => num(o.mod_revision) > rev && o.create_revision === kv.create_revision && num(o.version) > num(kv.version));
        if (later.length > 0) sites.push({ p, which, k, later, rev });
      });
    });
  }
  return sites;
}

/**
 * past-read-later-version: a range at a past revision R shows a key at the version it has
 * after R (a later put in the same generation), with the value and mod_revision it had at R: a
 * store that takes a historic read's version from the key's latest state.
 */
export function pastReadLaterVersion(run, rng) {
  const s = pick(rng, pastReadSites(pairOps(run.history)));
  if (s === undefined) return undefined;
  const history = clone(run.history);
  const i = at(run.history, s.p.done);
  const kv = rangeAnswerIn(history[i], s.p.inv.f, s.which).kvs[s.k];
  const was = kv.version;
  kv.version = pick(rng, s.later).version;
  return { ...run, history, site: `op ${i}: a range at past revision ${s.rev} shows ${unb64(kv.key)} at version ${kv.version} (a later version; it had ${was} then)` };
}

/** past-read-later-kv: a range at a past revision R shows a key as a put after R left it (value, mod_revision, version). */
export function pastReadLaterKv(run, rng) {
  const s = pick(rng, pastReadSites(pairOps(run.history)));
  if (s === undefined) return undefined;
  const history = clone(run.history);
  const i = at(run.history, s.p.done);
  const answer = rangeAnswerIn(history[i], s.p.inv.f, s.which);
  const later = clone(pick(rng, s.later));
  if (answer.kvs[s.k].value === undefined) delete later.value;
  answer.kvs[s.k] = later;
  return { ...run, history, site: `op ${i}: a range at past revision ${s.rev} shows ${unb64(later.key)} as written at revision ${later.mod_revision}, after it` };
}

/**
 * lost-delete: an acknowledged delete of one key that a later linearizable read of that key
 * does not show: the read, begun after the delete was answered and before any other write of the
 * key was invoked, shows the key as it was before the delete.
 */
export function lostDelete(run, rng) {
  const pairs = pairOps(run.history);
  const sites = [];
  for (const d of pairs) {
    if (d.inv.f !== 'kv/deleterange' || !isOk(d) || d.inv.value?.range_end !== undefined || num(d.done.value?.deleted) !== 1) continue;
    const key = d.inv.value?.key;
    const before = d.done.value?.prev_kvs?.[0];
    // The key as the delete found it: its prev_kv, else the last version an answer showed below the delete.
    const shown = before ?? (sightings(pairs).get(key) ?? []).filter((o) => num(o.mod_revision) < headerRev(d)).at(-1);
    if (shown === undefined) continue;
    // The next write of the key invoked after the delete: reads must begin before it.
    const nextWrite = pairs.filter((p) => p.inv.time > d.inv.time && p !== d && writesKey(p.inv, key)).map((p) => p.inv.time).reduce((a, b) => Math.min(a, b), Infinity);
    for (const r of pairs) {
      if (r.inv.f !== 'kv/range' || !isOk(r) || !isLinearizableKv(r) || !rangeListsKey(r.inv.value, key)) continue;
      if (r.inv.time <= d.done.time || r.done.time >= nextWrite || (r.done.value?.kvs ?? []).some((kv) => kv.key === key)) continue;
      sites.push({ d, r, shown });
    }
  }
  const s = pick(rng, sites);
  if (s === undefined) return undefined;
  const history = clone(run.history);
  const i = at(run.history, s.r.done);
  const kv = clone(s.shown);
  if (s.r.inv.value?.keys_only === true) delete kv.value;
  const answer = history[i].value;
  answer.kvs = [...(answer.kvs ?? []), kv].sort((a, b) => (unb64(a.key) < unb64(b.key) ? -1 : unb64(a.key) > unb64(b.key) ? 1 : 0));
  answer.count = String(num(answer.count) + 1);
  return { ...run, history, site: `op ${i}: a read begun after delete op ${at(run.history, s.d.done)} (revision ${headerRev(s.d)}) was answered shows ${unb64(kv.key)} as before the delete` };
}

/** Whether the request `inv` may write `key`: a put of it, any delete, a txn with either, a lease revoke (conservative). */
function writesKey(inv, key) {
  if (inv.f === 'kv/put') return inv.value?.key === key;
  if (inv.f === 'kv/txn') return txnMayWrite(inv.value, key);
  return inv.f === 'kv/deleterange' || inv.f === 'lease/revoke';
}

function txnMayWrite(req, key) {
  return [...(req?.success ?? []), ...(req?.failure ?? [])].some((o) => o.request_put?.key === key || o.request_delete_range !== undefined || (o.request_txn !== undefined && txnMayWrite(o.request_txn, key)));
}

/** Whether a range request covers `key` (base64) whole: no limit, no count_only, every key of the range listed in key order. */
function rangeListsKey(req, key) {
  if (req?.count_only === true || num(req?.limit) > 0 || (req?.sort_order !== undefined && req.sort_order !== 'NONE' && req.sort_order !== 'ASCEND') || (req?.sort_target !== undefined && req.sort_target !== 'KEY')) return false;
  if (req?.min_mod_revision !== undefined || req?.max_mod_revision !== undefined || req?.min_create_revision !== undefined || req?.max_create_revision !== undefined) return false;
  const k = unb64(key);
  const start = unb64(req?.key);
  if (req?.range_end === undefined) return req?.key === key;
  const end = unb64(req.range_end);
  return k >= start && (end === '\0' ? true : k < end);
}

/** delete-prev-kv-phantom: a delete asked for prev_kv answers a deleted value no one wrote. */
export function deletePrevKvPhantom(run, rng) {
  const pairs = pairOps(run.history);
  const sites = pairs.filter((p) => isOk(p) && p.inv.f === 'kv/deleterange' && (p.done.value?.prev_kvs ?? []).length > 0);
  const s = pick(rng, sites);
  if (s === undefined) return undefined;
  const history = clone(run.history);
  const i = at(run.history, s.done);
  const kvs = history[i].value.prev_kvs;
  const k = Math.floor(rng() * kvs.length);
  kvs[k].value = b64(`phantom-deleted-${Math.floor(rng() * 1e9)}`);
  return { ...run, history, site: `op ${i}: delete's prev_kvs shows ${unb64(kvs[k].key)} with a value never written` };
}

/**
 * put-prev-kv-stale: a put asked for prev_kv answers an older version of the key than the one
 * it overwrote (the version before its prev_kv, which an answer showed).
 */
export function putPrevKvStale(run, rng) {
  const pairs = pairOps(run.history);
  const seen = sightings(pairs);
  const unsure = uncertainPutKeys(pairs);
  const sites = [];
  for (const p of pairs) {
    const prev = p.done?.value?.prev_kv;
    if (!isOk(p) || p.inv.f !== 'kv/put' || prev === undefined || unsure.has(prev.key)) continue;
    const older = (seen.get(prev.key) ?? []).filter((o) => num(o.mod_revision) < num(prev.mod_revision) && o.create_revision === prev.create_revision && unb64(o.value) !== unb64(prev.value));
    if (older.length > 0) sites.push({ p, older });
  }
  const s = pick(rng, sites);
  if (s === undefined) return undefined;
  const history = clone(run.history);
  const i = at(run.history, s.p.done);
  const old = clone(s.older.at(-1));
  history[i].value.prev_kv = old;
  return { ...run, history, site: `op ${i}: put's prev_kv is ${unb64(old.key)} at revision ${old.mod_revision}, older than the version it overwrote (${s.p.done.value.prev_kv.mod_revision})` };
}

/**
 * compacted-read-answered: a range at past revision R answered with data though a compaction to
 * R + 1 was answered ok before the range was sent (planted, by a client of its own, at a revision
 * some answer had reached by then): etcd answers a read below the compact revision "mvcc: required
 * revision has been compacted". Only reads no later op reads at or below R, and no later
 * compaction asks for at or below R + 1 (which the planted one would make fail), are sites.
 */
export function compactedReadAnswered(run, rng, wrap = false) {
  const pairs = pairOps(run.history);
  const floors = floorsBefore(pairs);
  const pastReads = pairs.filter((p) => p.inv.f === 'kv/range' && isOk(p) && num(p.inv.value?.revision) > 0);
  const compactions = pairs.filter((p) => p.inv.f === 'kv/compaction');
  const sites = pastReads.filter((p) => {
    const rev = num(p.inv.value.revision);
    if (floors.get(p) < rev + 1) return false;
    if (pastReads.some((q) => q !== p && q.inv.time >= p.inv.time && num(q.inv.value.revision) <= rev)) return false;
    return !compactions.some((c) => c.inv.time >= p.inv.time - 2 && num(c.inv.value?.revision) <= rev + 1);
  });
  const s = pick(rng, sites);
  if (s === undefined) return undefined;
  const rev = num(s.inv.value.revision);
  const [process] = freshProcesses(run.history, 1);
  const header = { ...clone(s.done.value.header), revision: String(floors.get(s)) };
  const node = s.done.node === undefined ? {} : { node: s.done.node };
  const ops = [
    { index: 0, time: s.inv.time - 2, process, type: 'invoke', f: 'kv/compaction', value: { revision: String(rev + 1) } },
    { index: 0, time: s.inv.time - 1, process, type: 'ok', f: 'kv/compaction', value: { header }, ...node },
  ];
  const history = wrap ? withTxnOf(run.history, s) : run.history;
  return { ...run, history: withOps(history, ops), site: `op ${run.history.indexOf(s.done)}: a ${wrap ? 'txn of one range' : 'range'} at revision ${rev} answered, sent 1 µs after a compaction to ${rev + 1} was answered` };
}

/**
 * compacted-answer-uncompacted: a range at past revision R that was answered is answered instead
 * "mvcc: required revision has been compacted", though no compaction past R was asked for before
 * it was answered: etcd refuses only a revision below its compact revision (mvcc rangeKeys).
 * (A detcd run's etcd never compacts on its own: no scenario sets --auto-compaction-retention.)
 */
export function compactedAnswerUncompacted(run, rng, wrap = false) {
  const pairs = pairOps(run.history);
  const compactions = pairs.filter((p) => p.inv.f === 'kv/compaction');
  const sites = pairs.filter((p) => p.inv.f === 'kv/range' && isOk(p) && num(p.inv.value?.revision) > 0 && !compactions.some((c) => c.inv.time <= p.done.time && num(c.inv.value?.revision) > num(p.inv.value.revision)));
  const s = pick(rng, sites);
  if (s === undefined) return undefined;
  const history = wrap ? withTxnOf(run.history, s) : clone(run.history);
  const i = at(run.history, s.done);
  const error = 'etcdserver: mvcc: required revision has been compacted';
  history[i] = { ...history[i], type: 'fail', value: { error, message: error, code: 11 }, error };
  return { ...run, history, site: `op ${i}: a ${wrap ? 'txn of one range' : 'range'} at revision ${num(s.inv.value.revision)} answered "compacted", no compaction past it asked for` };
}

/**
 * revision-backwards-client: a linearizable kv op answers a header revision below the one its own
 * client's previous answer showed (per client: the floor is that client's, not every client's).
 */
export function revisionBackwardsClient(run, rng) {
  const pairs = pairOps(run.history);
  const lastRevision = new Map();
  const sites = [];
  for (const p of pairs) {
    if (!isOk(p) || !p.inv.f.startsWith('kv/') || p.inv.f === 'kv/compaction') continue;
    const before = lastRevision.get(p.inv.process);
    if (isLinearizableKv(p) && before !== undefined && before.rev >= 2) sites.push({ p, before });
    lastRevision.set(p.inv.process, { rev: Math.max(before?.rev ?? 0, headerRev(p)), op: p });
  }
  const s = pick(rng, sites);
  if (s === undefined) return undefined;
  const history = clone(run.history);
  const i = at(run.history, s.p.done);
  const rev = s.before.rev - 1;
  setRevision(history[i], rev);
  return { ...run, history, site: `op ${i}: ${s.p.inv.f} of process ${s.p.inv.process} answered at revision ${rev}, though its own earlier op ${at(run.history, s.before.op.done)} was answered at ${s.before.rev}` };
}

/**
 * stale-read-own-write: right after a client's put of a key was acknowledged at revision r, the
 * same client's linearizable read of that key (planted 1 µs later, before its next request)
 * shows an older version of it (a mod_revision below r that an answer showed): etcd serves the
 * read at a revision at least r, where the key's version is r's or a later one, or none.
 */
export function staleReadOwnWrite(run, rng) {
  const pairs = pairOps(run.history);
  const seen = sightings(pairs);
  const sites = [];
  for (const [n, w] of pairs.entries()) {
    if (w.inv.f !== 'kv/put' || !isOk(w) || headerRev(w) < 2) continue;
    const key = w.inv.value?.key;
    const older = (seen.get(key) ?? []).filter((kv) => num(kv.mod_revision) < headerRev(w) && kv.value !== w.inv.value?.value);
    if (older.length === 0) continue;
    // The client's next request comes at least 3 µs after the put's answer.
    const next = pairs.slice(n + 1).find((p) => p.inv.process === w.inv.process);
    if (next !== undefined && next.inv.time <= w.done.time + 2) continue;
    sites.push({ w, older, next });
  }
  const s = pick(rng, sites);
  if (s === undefined) return undefined;
  const old = clone(pick(rng, s.older));
  // The revision every client had reached when the read was sent (the put's at least): the header of a read served then.
  let rev = headerRev(s.w);
  for (const p of pairs) if (isOk(p) && p.inv.f.startsWith('kv/') && p.inv.f !== 'kv/compaction' && p.done.time <= s.w.done.time) rev = Math.max(rev, headerRev(p));
  const header = { ...clone(s.w.done.value.header), revision: String(rev) };
  const node = s.w.done.node === undefined ? {} : { node: s.w.done.node };
  const { process } = s.w.inv;
  const ops = [
    { index: 0, time: s.w.done.time + 1, process, type: 'invoke', f: 'kv/range', value: { key: old.key } },
    { index: 0, time: s.w.done.time + 2, process, type: 'ok', f: 'kv/range', value: { header, kvs: [old], count: '1' }, ...node },
  ];
  return { ...run, history: withOps(run.history, ops), site: `process ${process}'s read of ${unb64(old.key)} 1 µs after its put (revision ${headerRev(s.w)}) was acknowledged shows the version at ${old.mod_revision}` };
}

/**
 * txn-compare-wrong-revision: a txn that wrote (its success branch puts or deletes) and succeeded
 * on an EQUAL compare of a key's mod, create revision or version answers succeeded though the
 * compare, moved one past the value it held, could not have held: etcd judges the compare at the
 * revision just before the txn's own, which its answer's header fixes.
 */
export function txnCompareWrongRevision(run, rng) {
  const pairs = pairOps(run.history);
  const field = { MOD: 'mod_revision', CREATE: 'create_revision', VERSION: 'version' };
  const sites = [];
  for (const p of pairs) {
    if (p.inv.f !== 'kv/txn' || !isOk(p) || p.done.value?.succeeded !== true || !wroteRevision(p)) continue;
    (p.inv.value?.compare ?? []).forEach((c, k) => {
      if ((c.result ?? 'EQUAL') === 'EQUAL' && field[c.target] !== undefined && c.range_end === undefined) sites.push({ p, k, name: field[c.target] });
    });
  }
  const s = pick(rng, sites);
  if (s === undefined) return undefined;
  const history = clone(run.history);
  const i = at(run.history, s.p.inv);
  const c = history[i].value.compare[s.k];
  const was = num(c[s.name]);
  c[s.name] = String(was + 1);
  return { ...run, history, site: `op ${at(run.history, s.p.done)}: txn succeeded on ${unb64(c.key)} ${s.name} = ${was + 1}, which held ${was} at revision ${headerRev(s.p) - 1}` };
}

/**
 * txn-compare-negated: a txn that wrote and succeeded answers succeeded though one of its compares
 * (of a single key, any target: value, mod, create revision, version or lease) is turned into its
 * opposite, EQUAL into NOT_EQUAL, GREATER into LESS and back: the compare held, so the opposite
 * could not (etcd 3.4 compares a missing key's VALUE as false either way, the other targets as the
 * zero key), and etcd would have run the failure branch at that revision.
 */
export function txnCompareNegated(run, rng) {
  const opposite = { EQUAL: 'NOT_EQUAL', NOT_EQUAL: 'EQUAL', GREATER: 'LESS', LESS: 'GREATER' };
  const sites = [];
  for (const p of pairOps(run.history)) {
    if (p.inv.f !== 'kv/txn' || !isOk(p) || p.done.value?.succeeded !== true || !wroteRevision(p)) continue;
    (p.inv.value?.compare ?? []).forEach((c, k) => {
      if (c.range_end === undefined && opposite[c.result ?? 'EQUAL'] !== undefined) sites.push({ p, k });
    });
  }
  const s = pick(rng, sites);
  if (s === undefined) return undefined;
  const history = clone(run.history);
  const c = history[at(run.history, s.p.inv)].value.compare[s.k];
  const was = c.result ?? 'EQUAL';
  c.result = opposite[was];
  return { ...run, history, site: `op ${at(run.history, s.p.done)}: txn succeeded on ${unb64(c.key)} ${c.target ?? 'VERSION'} ${c.result}, the opposite of the ${was} that held at revision ${headerRev(s.p) - 1}` };
}

/**
 * range-order-wrong: a range answering two or more keys (sorted by key unless it asked for
 * another order, etcd's default) shows its first two kvs swapped.
 */
export function rangeOrderWrong(run, rng) {
  const pairs = pairOps(run.history);
  const sites = [];
  for (const p of pairs) rangeAnswers(p).forEach((a, which) => { if ((a.answer.kvs ?? []).length >= 2 && a.answer.kvs[0].key !== a.answer.kvs[1].key) sites.push({ p, which }); });
  const s = pick(rng, sites);
  if (s === undefined) return undefined;
  const history = clone(run.history);
  const i = at(run.history, s.p.done);
  const kvs = rangeAnswerIn(history[i], s.p.inv.f, s.which).kvs;
  [kvs[0], kvs[1]] = [kvs[1], kvs[0]];
  return { ...run, history, site: `op ${i}: a range's first two kvs swapped (${unb64(kvs[0].key)} before ${unb64(kvs[1].key)})` };
}

/**
 * range-more-wrong: a range with a limit (no revision filters) answers `more` flipped: etcd 3.4
 * says more exactly when the keys it counts are more than the limit.
 */
export function rangeMoreWrong(run, rng) {
  const filters = ['min_mod_revision', 'max_mod_revision', 'min_create_revision', 'max_create_revision'];
  const pairs = pairOps(run.history);
  const sites = pairs.filter((p) => isOk(p) && p.inv.f === 'kv/range' && num(p.inv.value?.limit) > 0 && filters.every((f) => num(p.inv.value?.[f]) === 0));
  const s = pick(rng, sites);
  if (s === undefined) return undefined;
  const history = clone(run.history);
  const i = at(run.history, s.done);
  const more = s.done.value?.more === true;
  if (more) delete history[i].value.more;
  else history[i].value.more = true;
  return { ...run, history, site: `op ${i}: a range with limit ${s.inv.value.limit} counting ${num(s.done.value?.count)} key(s) answers more ${!more}` };
}

/**
 * range-limit-count-capped: a range whose limit left keys out (its count above the keys it shows)
 * answers as count the keys it shows: etcd 3.4's count is every key of the range at its revision,
 * whatever the limit (mvcc rangeKeys: Count is len(revpairs) before the limit cuts them).
 */
export function rangeLimitCountCapped(run, rng) {
  const pairs = pairOps(run.history);
  const sites = [];
  for (const p of pairs) {
    rangeAnswers(p).forEach((a, which) => {
      const shown = (a.answer.kvs ?? []).length;
      if (num(a.request.limit) > 0 && a.request.count_only !== true && shown > 0 && num(a.answer.count) > shown) sites.push({ p, which });
    });
  }
  const s = pick(rng, sites);
  if (s === undefined) return undefined;
  const history = clone(run.history);
  const i = at(run.history, s.p.done);
  const answer = rangeAnswerIn(history[i], s.p.inv.f, s.which);
  const count = num(answer.count);
  answer.count = String(answer.kvs.length);
  return { ...run, history, site: `op ${i}: a range with limit ${num(rangeAnswers(s.p)[s.which].request.limit)} over ${count} keys answers count ${answer.kvs.length} (the keys it shows)` };
}

/** A kv's sort field (etcd's RangeRequest.SortTarget) as a comparable value: revisions and versions as numbers, keys and values as bytes. */
function sortValue(kv, target) {
  switch (target ?? 'KEY') {
    case 'CREATE': return num(kv.create_revision);
    case 'MOD': return num(kv.mod_revision);
    case 'VERSION': return num(kv.version);
    case 'VALUE': return Buffer.from(kv.value ?? '', 'base64');
    default: return Buffer.from(kv.key ?? '', 'base64');
  }
}
const compareSortValues = (a, b) => (typeof a === 'number' ? a - b : Buffer.compare(a, b));

/**
 * range-sort-ignored: a range that asks for another order than ascending keys (a sort target other
 * than KEY, which etcd 3.4 sorts ascending when no order is given, or DESCEND) answers its kvs in
 * ascending key order, where that order breaks the one asked for between two neighbours (ties
 * may come in any order: only a strict break is a site).
 */
export function rangeSortIgnored(run, rng) {
  const pairs = pairOps(run.history);
  const sites = [];
  for (const p of pairs) {
    rangeAnswers(p).forEach((a, which) => {
      const target = a.request.sort_target ?? 'KEY';
      const order = a.request.sort_order ?? 'NONE';
      if (target === 'KEY' && order !== 'DESCEND') return;
      const kvs = a.answer.kvs ?? [];
      if (kvs.length < 2) return;
      const byKey = [...kvs].sort((x, y) => Buffer.compare(Buffer.from(x.key, 'base64'), Buffer.from(y.key, 'base64')));
      const sign = order === 'DESCEND' ? -1 : 1;
      if (byKey.some((kv, k) => k > 0 && sign * compareSortValues(sortValue(byKey[k - 1], target), sortValue(kv, target)) > 0)) sites.push({ p, which, target, order });
    });
  }
  const s = pick(rng, sites);
  if (s === undefined) return undefined;
  const history = clone(run.history);
  const i = at(run.history, s.p.done);
  const answer = rangeAnswerIn(history[i], s.p.inv.f, s.which);
  answer.kvs.sort((x, y) => Buffer.compare(Buffer.from(x.key, 'base64'), Buffer.from(y.key, 'base64')));
  return { ...run, history, site: `op ${i}: a range asking ${s.order} by ${s.target} answers its ${answer.kvs.length} kvs in ascending key order` };
}

/**
 * A copy of the history with the range pair `p` sent as a txn of that one range instead (no
 * compare: its success branch runs), answered as etcd answers it: succeeded, the range's answer
 * in response_range with the txn's header revision.
 */
function withTxnOf(history, p) {
  const out = clone(history);
  const i = at(history, p.inv);
  const j = at(history, p.done);
  out[i] = { ...out[i], f: 'kv/txn', value: { success: [{ request_range: clone(p.inv.value) }] } };
  const { header, ...range } = clone(p.done.value);
  out[j] = { ...out[j], f: 'kv/txn', value: { header, succeeded: true, responses: [{ response_range: { header: { revision: header?.revision }, ...range } }] } };
  return out;
}

/**
 * txn-compacted-read-answered: compacted-read-answered with the range sent inside a txn: etcd 3.4
 * checks a txn's ranges before applying it (apply.go checkRequests, checkRange) and fails the whole
 * txn "mvcc: required revision has been compacted".
 */
export function txnCompactedReadAnswered(run, rng) {
  return compactedReadAnswered(run, rng, true);
}

/** txn-compacted-answer-uncompacted: compacted-answer-uncompacted with the range sent inside a txn. */
export function txnCompactedAnswerUncompacted(run, rng) {
  return compactedAnswerUncompacted(run, rng, true);
}

/** Whether base64 key `k` lies in a range request's [key, range_end) (a range_end of "\0": every key from key on). */
function inRange(req, k) {
  const key = Buffer.from(req.key ?? '', 'base64');
  const kb = Buffer.from(k, 'base64');
  if (req.range_end === undefined) return Buffer.compare(kb, key) === 0;
  const end = Buffer.from(req.range_end, 'base64');
  return Buffer.compare(kb, key) >= 0 && ((end.length === 1 && end[0] === 0) || Buffer.compare(kb, end) < 0);
}

/**
 * range-limit-exceeded: a range whose limit cut keys (count above the keys it shows) answers one
 * kv more than its limit: a version some answer showed of a key in its range it did not show, at
 * or below its revision. etcd 3.4 never answers more kvs than the limit (apply.go cuts rr.KVs).
 */
export function rangeLimitExceeded(run, rng) {
  const pairs = pairOps(run.history);
  const seen = sightings(pairs);
  const sites = [];
  for (const p of pairs) {
    rangeAnswers(p).forEach((a, which) => {
      const kvs = a.answer.kvs ?? [];
      if (num(a.request.limit) === 0 || kvs.length !== num(a.request.limit) || num(a.answer.count) <= kvs.length || a.request.keys_only === true) return;
      const shown = new Set(kvs.map((kv) => kv.key));
      for (const [k, versions] of seen) {
        if (shown.has(k) || !inRange(a.request, k)) continue;
        const kv = versions.filter((v) => num(v.mod_revision) <= a.revision).at(-1);
        if (kv !== undefined) sites.push({ p, which, kv });
      }
    });
  }
  const s = pick(rng, sites);
  if (s === undefined) return undefined;
  const history = clone(run.history);
  const i = at(run.history, s.p.done);
  const answer = rangeAnswerIn(history[i], s.p.inv.f, s.which);
  answer.kvs.push(clone(s.kv));
  return { ...run, history, site: `op ${i}: a range with limit ${answer.kvs.length - 1} answers ${answer.kvs.length} kvs (${unb64(s.kv.key)} at ${s.kv.mod_revision} added)` };
}
