// Anomalies planted in the lease answers of a valid run, and in its lock history: a key of a
// revoked lease still read, a revoked lease renewed by the member that revoked it, TTL answers a
// lease cannot give, two holders of the lock at once.
import { clone, floorsBefore, freshProcesses, isLinearizableKv, isOk, num, pairOps, sightings, unb64, withOps } from './history-facts.mjs';

/**
 * How long after the run's end the TTL classes plant their op: past the reach of any leader
 * change, grace and revoke queue detcd check allows a history without its leader timeline
 * (lease-of-history.ts: etcd's largest election timeout makes a revoke's request timeout 105 s,
 * and 125 leases expiring together queue 8 deep; five minutes was not enough).
 */
const PAST_RUN_US = 3_600_000_000;

function pick(rng, list) {
  return list.length === 0 ? undefined : list[Math.floor(rng() * list.length)];
}

function revokes(pairs) {
  return pairs.filter((p) => p.inv.f === 'lease/revoke' && isOk(p)).map((p) => ({ p, id: String(p.inv.value?.ID), at: p.done.time, member: String(p.done.value?.header?.member_id ?? '') }));
}

function grantedTtl(pairs) {
  const out = new Map();
  for (const p of pairs) if (p.inv.f === 'lease/grant' && isOk(p)) out.set(String(p.done.value?.ID), num(p.done.value?.TTL));
  return out;
}

/**
 * lease-key-survives-revoke: a linearizable read of one key, begun after the revoke of a lease
 * the key was written with was answered, shows the key (with that lease) where it showed none.
 */
export function leaseKeySurvivesRevoke(run, rng) {
  const pairs = pairOps(run.history);
  const seen = sightings(pairs);
  const floors = floorsBefore(pairs);
  const sites = [];
  for (const rv of revokes(pairs)) {
    for (const p of pairs) {
      if (!isOk(p) || !isLinearizableKv(p) || p.inv.time <= rv.at || p.inv.f !== 'kv/range') continue;
      const req = p.inv.value ?? {};
      if (req.range_end !== undefined || (p.done.value?.kvs ?? []).length > 0 || req.count_only === true) continue;
      const withLease = (seen.get(req.key) ?? []).filter((kv) => String(kv.lease ?? '') === rv.id && num(kv.mod_revision) <= floors.get(p));
      if (withLease.length > 0) sites.push({ p, rv, kv: withLease[withLease.length - 1] });
    }
  }
  const s = pick(rng, sites);
  if (s === undefined) return undefined;
  const history = clone(run.history);
  const i = run.history.indexOf(s.p.done);
  history[i].value.kvs = [clone(s.kv)];
  history[i].value.count = '1';
  return { ...run, history, site: `op ${i}: range of ${unb64(s.kv.key)} begun after lease ${s.rv.id}'s revoke was answered shows the key with that lease` };
}

/**
 * lease-renewed-after-revoke: a keep-alive sent just after a revoke was answered, answered by the
 * member that answered the revoke (same header: member, term) with the lease's granted TTL.
 */
export function leaseRenewedAfterRevoke(run, rng) {
  return answeredAliveAfterRevoke(run, rng, 'lease/keepalive', (id, ttl) => ({ ID: id, TTL: ttl }), (s, ttl) => `keep-alive of lease ${s.id} sent 1 µs after member ${s.member} answered its revoke, answered by that member with TTL ${ttl}`);
}

/**
 * An op of kind f sent 1 µs after a member answered a lease's revoke, answered by that member (same
 * header: member, term) as if the lease were alive with its granted TTL (answer(id, ttl) is the rest).
 */
function answeredAliveAfterRevoke(run, rng, f, answer, describe) {
  const pairs = pairOps(run.history);
  const ttls = grantedTtl(pairs);
  const s = pick(rng, revokes(pairs).filter((rv) => ttls.has(rv.id) && rv.p.done.value?.header !== undefined));
  if (s === undefined) return undefined;
  const [process] = freshProcesses(run.history, 1);
  const header = clone(s.p.done.value.header);
  const ttl = String(ttls.get(s.id));
  const invoke = { index: 0, time: s.at + 1, process, type: 'invoke', f, value: { ID: s.id } };
  const ok = { index: 0, time: s.at + 2, process, type: 'ok', f, value: { header, ...answer(s.id, ttl) }, ...(s.p.done.node === undefined ? {} : { node: s.p.done.node }) };
  return { ...run, history: withOps(run.history, [invoke, ok]), site: describe(s, ttl) };
}

/**
 * lease-key-outlives-ttl: a linearizable read, an hour past the end of the run (past the
 * grace detcd check gives a history without its leader timeline: lease-of-history.ts) and more than
 * three TTLs after anything renewed the lease (no keep-alive of unknown outcome, no leader change
 * after the run), at the revision of a write sent just before it, shows a key of that lease as the
 * last read of it showed it.
 */
export function leaseKeyOutlivesTtl(run, rng) {
  const pairs = pairOps(run.history);
  const ttls = grantedTtl(pairs);
  const revoked = new Set(revokes(pairs).map((r) => r.id));
  const unsure = new Set(pairs.filter((p) => p.inv.f === 'lease/keepalive' && !isOk(p)).map((p) => String(p.inv.value?.ID)));
  const last = new Map();
  for (const p of pairs) {
    if (!isOk(p) || p.inv.f !== 'kv/range' || !isLinearizableKv(p)) continue;
    for (const kv of p.done.value?.kvs ?? []) if (kv.lease !== undefined && kv.lease !== '0') last.set(kv.key, { kv, p });
  }
  const sites = [...last.values()].filter(({ kv }) => ttls.has(String(kv.lease)) && !revoked.has(String(kv.lease)) && !unsure.has(String(kv.lease)));
  const s = pick(rng, sites);
  if (s === undefined) return undefined;
  const endUs = Math.max(...run.history.map((o) => o.time));
  const ttl = ttls.get(String(s.kv.lease));
  const at = endUs + PAST_RUN_US + 3 * ttl * 1_000_000;
  // A write sent then applied after the lease's revoke (the leader proposed that first): the read at its revision must not show the key.
  let top = 0;
  for (const p of pairs) if (isOk(p)) top = Math.max(top, num(p.done.value?.header?.revision));
  const header = { ...clone(s.p.done.value.header), revision: String(top + 1) };
  const node = s.p.done.node === undefined ? {} : { node: s.p.done.node };
  const [writer, reader] = freshProcesses(run.history, 2);
  const ops = [
    { index: 0, time: at - 2000, process: writer, type: 'invoke', f: 'kv/put', value: { key: Buffer.from('anomaly-write').toString('base64'), value: Buffer.from('w').toString('base64') } },
    { index: 0, time: at - 1000, process: writer, type: 'ok', f: 'kv/put', value: { header }, ...node },
    { index: 0, time: at, process: reader, type: 'invoke', f: 'kv/range', value: { key: s.kv.key } },
    { index: 0, time: at + 1000, process: reader, type: 'ok', f: 'kv/range', value: { header, kvs: [clone(s.kv)], count: '1' }, ...node },
  ];
  return { ...run, history: withOps(run.history, ops), site: `a read ${Math.round((at - endUs) / 1e6)} s after the run's end, after a write sent then, shows ${unb64(s.kv.key)} of lease ${s.kv.lease} (TTL ${ttl} s)` };
}

/**
 * lease-keepalive-after-expiry: a keep-alive of a lease nothing renewed for three TTLs, sent an hour
 * past the end of the run (no keep-alive of unknown outcome, no revoke, no leader change
 * after the run), answered alive with its granted TTL by the member that answered its last
 * renewal: the leader revoked it when its TTL ran out, and etcd answers "lease not found".
 */
export function leaseKeepAliveAfterExpiry(run, rng) {
  const pairs = pairOps(run.history);
  const ttls = grantedTtl(pairs);
  const revoked = new Set(revokes(pairs).map((r) => r.id));
  const unsure = new Set(pairs.filter((p) => p.inv.f === 'lease/keepalive' && !isOk(p)).map((p) => String(p.inv.value?.ID)));
  const lastRenewal = new Map();
  for (const p of pairs) {
    if (!isOk(p) || p.done.value?.header === undefined) continue;
    const id = p.inv.f === 'lease/grant' ? String(p.done.value?.ID) : p.inv.f === 'lease/keepalive' && num(p.done.value?.TTL) > 0 ? String(p.inv.value?.ID) : undefined;
    if (id !== undefined) lastRenewal.set(id, p);
  }
  const sites = [...lastRenewal.entries()].filter(([id]) => ttls.has(id) && !revoked.has(id) && !unsure.has(id));
  const s = pick(rng, sites);
  if (s === undefined) return undefined;
  const [id, p] = s;
  const ttl = ttls.get(id);
  const endUs = Math.max(...run.history.map((o) => o.time));
  const at = endUs + PAST_RUN_US + 3 * ttl * 1_000_000;
  const [process] = freshProcesses(run.history, 1);
  const invoke = { index: 0, time: at, process, type: 'invoke', f: 'lease/keepalive', value: { ID: id } };
  const ok = { index: 0, time: at + 1000, process, type: 'ok', f: 'lease/keepalive', value: { header: clone(p.done.value.header), ID: id, TTL: String(ttl) }, ...(p.done.node === undefined ? {} : { node: p.done.node }) };
  return { ...run, history: withOps(run.history, [invoke, ok]), site: `a keep-alive of lease ${id} (TTL ${ttl} s) sent ${Math.round((at - endUs) / 1e6)} s after the run's end, nothing renewing it since, answered alive` };
}

/** lease-keepalive-ttl-not-granted: a keep-alive answered with a TTL other than the one its grant answered. */
export function leaseKeepAliveTtlNotGranted(run, rng) {
  const pairs = pairOps(run.history);
  const ttls = grantedTtl(pairs);
  const sites = pairs.filter((p) => p.inv.f === 'lease/keepalive' && isOk(p) && num(p.done.value?.TTL) > 0 && ttls.has(String(p.inv.value?.ID)));
  const s = pick(rng, sites);
  if (s === undefined) return undefined;
  const history = clone(run.history);
  const i = run.history.indexOf(s.done);
  const ttl = ttls.get(String(s.inv.value.ID)) + 1;
  history[i].value.TTL = String(ttl);
  return { ...run, history, site: `op ${i}: keep-alive of lease ${s.inv.value.ID} answered TTL ${ttl}, its grant ${ttl - 1}` };
}

/** lease-ttl-above-grant: a TimeToLive answer whose remaining TTL is a minute past the granted TTL. */
export function leaseTtlAboveGrant(run, rng) {
  const pairs = pairOps(run.history);
  const sites = pairs.filter((p) => p.inv.f === 'lease/timetolive' && isOk(p) && num(p.done.value?.grantedTTL) > 0 && num(p.done.value?.TTL) > 0);
  const s = pick(rng, sites);
  if (s === undefined) return undefined;
  const history = clone(run.history);
  const i = run.history.indexOf(s.done);
  history[i].value.TTL = String(num(s.done.value.grantedTTL) + 60);
  return { ...run, history, site: `op ${i}: TimeToLive of lease ${s.inv.value?.ID} answered TTL ${history[i].value.TTL} of a granted ${s.done.value.grantedTTL}` };
}

/**
 * lease-ttl-above-own-granted: a TimeToLive of a lease the history never grants (granted before
 * it began), answered by the member and at the revision of a TimeToLive the run made, over the
 * same span, with a remaining TTL a minute past the grantedTTL it answers: no grant to judge it
 * by, only the answer itself.
 */
export function leaseTtlAboveOwnGranted(run, rng) {
  const pairs = pairOps(run.history);
  const sites = pairs.filter((p) => p.inv.f === 'lease/timetolive' && isOk(p) && num(p.done.value?.grantedTTL) > 0);
  const s = pick(rng, sites);
  if (s === undefined) return undefined;
  // An id no op names: above every lease id the history shows.
  let top = 0n;
  for (const p of pairs) for (const v of [p.inv.value?.ID, p.done?.value?.ID]) if (typeof v === 'string' && /^\d+$/.test(v) && BigInt(v) > top) top = BigInt(v);
  const id = String(top + 1000n);
  const granted = num(s.done.value.grantedTTL);
  const [process] = freshProcesses(run.history, 1);
  const invoke = { index: 0, time: s.inv.time, process, type: 'invoke', f: 'lease/timetolive', value: { ID: id } };
  const ok = { index: 0, time: s.done.time, process, type: 'ok', f: 'lease/timetolive', value: { header: clone(s.done.value.header), ID: id, TTL: String(granted + 60), grantedTTL: String(granted) } };
  const history = withOps(run.history, [invoke, ok]);
  return { ...run, history, site: `TimeToLive of lease ${id}, granted before the history, answered TTL ${granted + 60} with grantedTTL ${granted} beside op ${run.history.indexOf(s.done)}` };
}

/**
 * lease-ttl-disagree-ungranted: two keep-alives of a lease the history never grants (granted
 * before it began), answered by the members and at the revisions of two keep-alives the run made,
 * over the same spans, one with that keep-alive's TTL and one with a TTL one second more: one
 * lease has one TTL, and there is no grant to judge either by.
 */
export function leaseTtlDisagreeUngranted(run, rng) {
  const pairs = pairOps(run.history);
  const sites = pairs.filter((p) => p.inv.f === 'lease/keepalive' && isOk(p) && num(p.done.value?.TTL) > 0);
  if (sites.length < 2) return undefined;
  const a = pick(rng, sites);
  const b = pick(rng, sites.filter((p) => p !== a));
  let top = 0n;
  for (const p of pairs) for (const v of [p.inv.value?.ID, p.done?.value?.ID]) if (typeof v === 'string' && /^\d+$/.test(v) && BigInt(v) > top) top = BigInt(v);
  const id = String(top + 1000n);
  const ttl = num(a.done.value.TTL);
  const [pa, pb] = freshProcesses(run.history, 2);
  const keepAlive = (s, process, t) => [
    { index: 0, time: s.inv.time, process, type: 'invoke', f: 'lease/keepalive', value: { ID: id } },
    { index: 0, time: s.done.time, process, type: 'ok', f: 'lease/keepalive', value: { header: clone(s.done.value.header), ID: id, TTL: String(t) } },
  ];
  const history = withOps(run.history, [...keepAlive(a, pa, ttl), ...keepAlive(b, pb, ttl + 1)]);
  return { ...run, history, site: `keep-alives of lease ${id}, granted before the history, answered TTL ${ttl} beside op ${run.history.indexOf(a.done)} and TTL ${ttl + 1} beside op ${run.history.indexOf(b.done)}` };
}

/**
 * lock-overlap: a holder's release moved after the next holder's acquire was answered, while the
 * first holder's lease was certainly alive (the second acquire answered within half a TTL of the
 * first acquire's invocation).
 */
export function lockOverlap(run, rng) {
  const lock = run.lockHistory;
  if (lock === undefined || lock.length === 0) return undefined;
  const pairs = pairOps(lock);
  const acquires = pairs.filter((p) => p.inv.f === 'acquire' && isOk(p));
  const sites = [];
  for (const a of acquires) {
    const rel = pairs.find((p) => p.inv.f === 'release' && p.inv.process === a.inv.process && p.inv.time > a.done.time);
    if (rel === undefined) continue;
    const ttlUs = num(a.done.value?.ttlMs) * 1000;
    const b = acquires.find((x) => x !== a && x.done.time > rel.inv.time && x.done.time - a.inv.time < ttlUs / 2);
    if (b !== undefined) sites.push({ a, rel, b });
  }
  const s = pick(rng, sites);
  if (s === undefined) return undefined;
  const moved = clone(lock);
  const ri = lock.indexOf(s.rel.inv);
  const rd = s.rel.done === undefined ? -1 : lock.indexOf(s.rel.done);
  const shift = s.b.done.time + 1 - s.rel.inv.time;
  moved[ri].time += shift;
  if (rd >= 0) moved[rd].time = Math.max(moved[rd].time + shift, moved[ri].time);
  const lockHistory = moved.sort((x, y) => x.time - y.time || x.index - y.index).map((op, index) => ({ ...op, index }));
  return { ...run, lockHistory, site: `process ${s.a.inv.process}'s release moved after process ${s.b.inv.process}'s acquire was answered (${Math.round((s.b.done.time - s.a.inv.time) / 1000)} ms after the first asked, TTL ${s.a.done.value?.ttlMs} ms)` };
}

/** lease-grant-live-id: a grant (ID 0: the server chooses) answered with the id of a lease granted before, no revoke of it sent, not reported gone. */
export function leaseGrantLiveId(run, rng) {
  const pairs = pairOps(run.history);
  // A revoke sent (whatever its outcome) or a "gone" answer may have ended the lease.
  const ended = new Set(pairs.filter((p) => p.inv.f === 'lease/revoke' || (isOk(p) && ((p.inv.f === 'lease/keepalive' && num(p.done.value?.TTL) <= 0) || (p.inv.f === 'lease/timetolive' && num(p.done.value?.TTL) < 0)))).map((p) => String(p.inv.value?.ID)));
  const grants = pairs.filter((p) => p.inv.f === 'lease/grant' && isOk(p));
  const sites = [];
  for (const g2 of grants) {
    if (num(g2.inv.value?.ID) !== 0) continue;
    const live = grants.filter((g1) => g1 !== g2 && g1.done.time < g2.inv.time && !ended.has(String(g1.done.value?.ID)) && g2.inv.time - g1.done.time < num(g1.done.value?.TTL) * 500_000);
    if (live.length > 0) sites.push({ g2, g1: live[live.length - 1] });
  }
  const s = pick(rng, sites);
  if (s === undefined) return undefined;
  const history = clone(run.history);
  const i = run.history.indexOf(s.g2.done);
  history[i].value.ID = String(s.g1.done.value.ID);
  return { ...run, history, site: `op ${i}: a grant answered the id of lease ${s.g1.done.value.ID}, granted ${Math.round((s.g2.inv.time - s.g1.done.time) / 1000)} ms before (within half its TTL) and not ended` };
}

/**
 * lease-ttl-after-revoke: a TimeToLive sent 1 µs after a member answered a lease's revoke,
 * answered by that member as alive (its granted TTL left): a revoked lease is not found (TTL -1).
 */
export function leaseTtlAfterRevoke(run, rng) {
  return answeredAliveAfterRevoke(run, rng, 'lease/timetolive', (id, ttl) => ({ ID: id, TTL: ttl, grantedTTL: ttl }), (s, ttl) => `TimeToLive of lease ${s.id} sent 1 µs after member ${s.member} answered its revoke, answered alive (TTL ${ttl})`);
}

/**
 * lease-regrant-revives-key: a lease revoked (answered ok at revision R) is granted again with its
 * id (asked for by ID, 1 µs after the revoke was answered: etcd allows an id no live lease has),
 * and a linearizable read sent after that grant answered shows a key of the first lease as it
 * was before the revoke (mod_revision below R): the revoke deleted it at R, and the new lease
 * has no keys until a put attaches one (at a revision past R).
 */
export function leaseRegrantRevivesKey(run, rng) {
  const pairs = pairOps(run.history);
  const seen = sightings(pairs);
  const ttls = grantedTtl(pairs);
  const sites = [];
  for (const rv of revokes(pairs)) {
    const rev = num(rv.p.done.value?.header?.revision);
    if (!ttls.has(rv.id) || rev < 2) continue;
    for (const kvs of seen.values()) {
      const kv = kvs.filter((x) => String(x.lease ?? '') === rv.id && num(x.mod_revision) < rev).at(-1);
      if (kv !== undefined) sites.push({ rv, rev, kv });
    }
  }
  const s = pick(rng, sites);
  if (s === undefined) return undefined;
  let top = s.rev;
  for (const p of pairs) if (isOk(p) && p.inv.f.startsWith('kv/') && p.done.time <= s.rv.at) top = Math.max(top, num(p.done.value?.header?.revision));
  const header = { ...clone(s.rv.p.done.value.header), revision: String(top) };
  const node = s.rv.p.done.node === undefined ? {} : { node: s.rv.p.done.node };
  const [granter, reader] = freshProcesses(run.history, 2);
  const ttl = String(ttls.get(s.rv.id));
  const ops = [
    { index: 0, time: s.rv.at + 1, process: granter, type: 'invoke', f: 'lease/grant', value: { ID: s.rv.id, TTL: ttl } },
    { index: 0, time: s.rv.at + 2, process: granter, type: 'ok', f: 'lease/grant', value: { header, ID: s.rv.id, TTL: ttl }, ...node },
    { index: 0, time: s.rv.at + 3, process: reader, type: 'invoke', f: 'kv/range', value: { key: s.kv.key } },
    { index: 0, time: s.rv.at + 4, process: reader, type: 'ok', f: 'kv/range', value: { header, kvs: [clone(s.kv)], count: '1' }, ...node },
  ];
  return { ...run, history: withOps(run.history, ops), site: `lease ${s.rv.id} revoked at revision ${s.rev}, granted again 1 µs later; a read then shows its key ${unb64(s.kv.key)} at mod_revision ${s.kv.mod_revision}` };
}

/**
 * lease-revoked-early: a TimeToLive sent 1 µs after a keep-alive of a lease was answered with a
 * TTL answers "not found" (TTL -1, no grantedTTL) from a member past the grant, no revoke of the
 * lease asked for by then: a lessor ended the lease before the renewal + TTL (etcd#15247's
 * deposed lessor). Only a leader timeline says the keep-alive renewed on the leader in office (a
 * run's checkers; a real run's report keeps it, leader-timeline.jsonl, for detcd check).
 */
export function leaseRevokedEarly(run, rng) {
  const pairs = pairOps(run.history);
  const ttls = grantedTtl(pairs);
  const grantRev = new Map();
  for (const p of pairs) if (p.inv.f === 'lease/grant' && isOk(p)) grantRev.set(String(p.done.value?.ID), num(p.done.value?.header?.revision));
  const revokeAsked = new Map();
  for (const p of pairs) if (p.inv.f === 'lease/revoke' && !revokeAsked.has(String(p.inv.value?.ID))) revokeAsked.set(String(p.inv.value?.ID), p.inv.time);
  const sites = [];
  for (const p of pairs) {
    if (p.inv.f !== 'lease/keepalive' || !isOk(p) || num(p.done.value?.TTL) <= 0) continue;
    const id = String(p.inv.value?.ID);
    if (!ttls.has(id) || (revokeAsked.get(id) ?? Infinity) <= p.done.time + 2) continue;
    let top = 0;
    for (const q of pairs) if (isOk(q) && q.done.time <= p.done.time) top = Math.max(top, num(q.done.value?.header?.revision));
    if (top > grantRev.get(id)) sites.push({ p, id, top });
  }
  const s = pick(rng, sites);
  if (s === undefined) return undefined;
  const header = { ...clone(s.p.done.value.header), revision: String(s.top) };
  const node = s.p.done.node === undefined ? {} : { node: s.p.done.node };
  const [asker] = freshProcesses(run.history, 1);
  const ops = [
    { index: 0, time: s.p.done.time + 1, process: asker, type: 'invoke', f: 'lease/timetolive', value: { ID: s.id } },
    { index: 0, time: s.p.done.time + 2, process: asker, type: 'ok', f: 'lease/timetolive', value: { header, ID: s.id, TTL: '-1' }, ...node },
  ];
  return { ...run, history: withOps(run.history, ops), site: `lease ${s.id} (TTL ${ttls.get(s.id)} s) reported gone 1 µs after its keep-alive was answered with a TTL, no revoke asked for` };
}
