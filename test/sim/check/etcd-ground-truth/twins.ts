// Must-fail twins of ground-truth histories: the same history with one answer made a lie, so
// the checker must call it not linearizable (a ground-truth test that cannot fail is a defect).
import type { Op, WatchRecord } from '../../../../sim/history/op.ts';
import { grantWindows, mayHaveGrantedBetween, unknownGrantsOf } from '../../../../sim/check/lease-grants.ts';

/** The first key-value with a value in an answer (range kvs, prev_kv, prev_kvs, nested txn answers). */
function firstValued(o: unknown): { value?: unknown } | undefined {
  if (typeof o !== 'object' || o === null) return undefined;
  const r = o as Record<string, unknown>;
  if (typeof r['value'] === 'string' && r['mod_revision'] !== undefined) return r;
  for (const v of Object.values(r)) {
    const found = firstValued(v);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** The request an op's completion answers. */
export function requestOf(history: readonly Op[], at: number): unknown {
  for (let i = at - 1; i >= 0; i--) if (history[i]!.process === history[at]!.process && history[i]!.type === 'invoke') return history[i]!.value;
  return undefined;
}

/**
 * The history with the first value an answer shows replaced by one nobody wrote, or undefined.
 * On a store that held data, not in the answer to a request naming a revision or serializable: a
 * read of a revision before the history is not checked (what the store held then is not known),
 * nor is a serializable read a lagging member served before it, and the preparation leaves out a
 * txn naming one in either branch.
 */
export function withUnwrittenValue(history: readonly Op[], preloaded: boolean): Op[] | undefined {
  const at = history.findIndex((o, i) => o.type === 'ok' && firstValued(o.value) !== undefined && !(preloaded && /"revision"|"serializable"/.test(JSON.stringify(requestOf(history, i)))));
  if (at < 0) return undefined;
  const op = history[at]!;
  const body = JSON.parse(JSON.stringify(op.value)) as unknown;
  firstValued(body)!.value = btoa('nobody wrote this');
  const out = [...history];
  out[at] = { ...op, value: body };
  return out;
}

type Body = Record<string, unknown>;
const headerRevision = (v: unknown): number => Number(((v as Body | null)?.['header'] as Body | undefined)?.['revision'] ?? 0);
const isObject = (v: unknown): v is Body => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A stale read: a linearizable range answered as the lagging follower would have answered it
 * (its revision below one a put or delete answer showed before the range was called). `stale`:
 * the generator's candidates (Generated.stale).
 */
export function withStaleRead(history: readonly Op[], stale: readonly { at: number; value: unknown }[]): Op[] | undefined {
  const s = stale[0];
  if (s === undefined) return undefined;
  const op = history[s.at]!;
  const original = op.value as Body;
  const value = { ...(s.value as Body), header: { ...(original['header'] as Body), revision: String(headerRevision(s.value)) } };
  const out = [...history];
  out[s.at] = { ...op, value };
  return out;
}

/** Whether an op whose outcome is unknown (timed out, ambiguous failure) may have deleted keys. */
function unknownDeleter(history: readonly Op[]): boolean {
  for (let i = 0; i < history.length; i++) {
    const o = history[i]!;
    if (o.type === 'ok' || o.type === 'invoke') continue;
    if (o.type === 'fail' && !/timed out|leader changed|no leader|too many requests/.test(o.error ?? '')) continue;
    if (o.f === 'kv/deleterange' || o.f === 'kv/txn' || o.f === 'lease/revoke') return true;
  }
  // Never completed.
  const open = new Map<number | string, Op>();
  for (const o of history) {
    if (o.type === 'invoke') open.set(o.process, o);
    else open.delete(o.process);
  }
  return [...open.values()].some((o) => o.f === 'kv/deleterange' || o.f === 'kv/txn' || o.f === 'lease/revoke');
}

/**
 * A lost write: a linearizable range that showed a key an answered put made (no lease: no
 * expiry can remove it) answers without it. Only where nothing of unknown outcome may have
 * deleted keys, so that every linearization has the key at the range's revision.
 */
export function withLostWrite(history: readonly Op[]): Op[] | undefined {
  if (unknownDeleter(history)) return undefined;
  const putAt = new Map<number, string>();
  for (let i = 0; i < history.length; i++) {
    const o = history[i]!;
    if (o.type !== 'ok' || o.f !== 'kv/put') continue;
    const req = requestOf(history, i) as Body;
    putAt.set(headerRevision(o.value), String(req['key']));
  }
  for (let i = 0; i < history.length; i++) {
    const o = history[i]!;
    if (o.type !== 'ok' || o.f !== 'kv/range') continue;
    const req = requestOf(history, i) as Body;
    if (req['revision'] !== undefined || req['serializable'] === true) continue;
    const body = o.value as Body;
    const kvs = (body['kvs'] ?? []) as Body[];
    const lost = kvs.findIndex((kv) => (kv['lease'] ?? '0') === '0' && putAt.get(Number(kv['mod_revision'])) === kv['key']);
    if (lost < 0) continue;
    const value: Body = { ...body, kvs: kvs.filter((_, j) => j !== lost) };
    if ((value['kvs'] as Body[]).length === 0) delete value['kvs'];
    if (value['count'] !== undefined) value['count'] = String(Number(value['count']) - 1);
    const out = [...history];
    out[i] = { ...o, value };
    return out;
  }
  return undefined;
}

/** A wrong revision: an answered put claims the revision another answered put made (one revision, one write). */
export function withDuplicateRevision(history: readonly Op[]): Op[] | undefined {
  const puts = history.map((o, i) => ({ o, i })).filter(({ o }) => o.type === 'ok' && o.f === 'kv/put' && isObject(o.value));
  if (puts.length < 2) return undefined;
  const [a, b] = [puts[0]!, puts[1]!];
  const body = a.o.value as Body;
  const out = [...history];
  out[a.i] = { ...a.o, value: { ...body, header: { ...(body['header'] as Body), revision: String(headerRevision(b.o.value)) } } };
  return out;
}

export type TwinKind = 'unwritten-value' | 'stale-read' | 'lost-write' | 'duplicate-revision';

/** Every must-fail twin of a generated history, by kind. */
export function mustFailTwins(g: { history: readonly Op[]; stale: readonly { at: number; value: unknown }[]; initialDump?: unknown }): { kind: TwinKind; history: Op[] }[] {
  const out: { kind: TwinKind; history: Op[] }[] = [];
  const add = (kind: TwinKind, h: Op[] | undefined): void => void (h !== undefined && out.push({ kind, history: h }));
  add('unwritten-value', withUnwrittenValue(g.history, g.initialDump !== undefined));
  add('stale-read', withStaleRead(g.history, g.stale));
  add('lost-write', withLostWrite(g.history));
  add('duplicate-revision', withDuplicateRevision(g.history));
  return out;
}

/**
 * A lost watch event: a watch's PUT event of an answered put left out of its response, where
 * the same watch (not reopened) later got a later event. The watch checker must find it missed.
 */
export function withMissedEvent(history: readonly Op[], watches: readonly WatchRecord[]): WatchRecord[] | undefined {
  const acknowledged = new Set<string>();
  for (let i = 0; i < history.length; i++) {
    const o = history[i]!;
    if (o.type === 'ok' && o.f === 'kv/put') acknowledged.add(`${String((requestOf(history, i) as Body)['key'])}@${headerRevision(o.value)}`);
  }
  type Event = { type?: string; kv?: { key?: string; mod_revision?: string } };
  const eventsOf = (w: WatchRecord): Event[] => ((w.response as { events?: Event[] }).events ?? []);
  for (let i = 0; i < watches.length; i++) {
    // Not a part of a fragmented response (the client may never get the rest: then it never delivered it).
    if ((watches[i]!.response as { fragment?: boolean }).fragment === true) continue;
    const events = eventsOf(watches[i]!);
    const drop = events.findIndex((e) => e.type !== 'DELETE' && acknowledged.has(`${e.kv?.key}@${Number(e.kv?.mod_revision)}`));
    if (drop < 0) continue;
    const rev = Number(events[drop]!.kv!.mod_revision);
    let later = false;
    for (let j = i; j < watches.length && !later; j++) {
      const w = watches[j]!;
      if (w.process !== watches[i]!.process) continue;
      if (j > i && w.request !== undefined) break;
      // In a response the client delivered (not a part of a fragmented one, whose rest may never come).
      later = (w.response as { fragment?: boolean }).fragment !== true && eventsOf(w).some((e) => Number(e.kv?.mod_revision) > rev);
    }
    if (!later) continue;
    const out = [...watches];
    out[i] = { ...watches[i]!, response: { ...(watches[i]!.response as Body), events: events.filter((_, k) => k !== drop) } };
    return out;
  }
  return undefined;
}

/** A duplicated watch response: the first response with events delivered again right after it (etcd#17247's shape). */
export function withDuplicatedEvent(watches: readonly WatchRecord[]): WatchRecord[] | undefined {
  const at = watches.findIndex((w) => ((w.response as { events?: unknown[] }).events ?? []).length > 0 && (w.response as { fragment?: boolean }).fragment !== true);
  if (at < 0) return undefined;
  const again: WatchRecord = { process: watches[at]!.process, time: watches[at]!.time, response: watches[at]!.response };
  if (watches[at]!.node !== undefined) again.node = watches[at]!.node;
  return [...watches.slice(0, at + 1), again, ...watches.slice(at + 1)];
}

/**
 * A revision split in two without etcd's fragment flag: the first part of a fragmented response
 * (fragment: true) delivered with the flag left out. Fragments are put back together only when
 * flagged, so the watch checker must find the revision split (atomic).
 */
export function withUnflaggedFragment(watches: readonly WatchRecord[]): WatchRecord[] | undefined {
  type Response = { fragment?: boolean; events?: { kv?: { mod_revision?: string } }[] };
  const revisionAt = (w: WatchRecord | undefined, last: boolean): string | undefined => {
    const events = (w?.response as Response | undefined)?.events ?? [];
    return events[last ? events.length - 1 : 0]?.kv?.mod_revision;
  };
  // A part whose next and last part (the same watch's next record) the client got, starting with the revision it ended with.
  const at = watches.findIndex((w, i) => {
    if ((w.response as Response).fragment !== true) return false;
    const next = watches.slice(i + 1).find((n) => n.process === w.process);
    return next !== undefined && next.request === undefined && (next.response as Response).fragment !== true && revisionAt(next, false) === revisionAt(w, true);
  });
  if (at < 0) return undefined;
  const { fragment: _fragment, ...response } = watches[at]!.response as Body;
  const out = [...watches];
  out[at] = { ...watches[at]!, response };
  return out;
}

/**
 * A key outliving its lease: a read sent 100 s after the history's last op (past every TTL and
 * leader change, with no keep-alive after) shows a key attached to a lease an answered grant
 * made. The lease checker must find it (expired-key-visible, or revoked-key-visible).
 */
export function withExpiredKey(history: readonly Op[]): Op[] | undefined {
  // A lease no grant of unknown outcome may have made again (then its keys are not judged).
  const regranted = unknownGrantsOf(grantWindows(history));
  const grant = history.find((o) => o.type === 'ok' && o.f === 'lease/grant' && isObject(o.value) && !regranted.has(String(o.value['ID'])));
  if (grant === undefined) return undefined;
  const g = grant.value as Body;
  let revision = 1;
  for (const o of history) if (o.type === 'ok') revision = Math.max(revision, headerRevision(o.value));
  const last = history[history.length - 1]!;
  const time = last.time + 100_000_000;
  const process = 'late-read';
  const kv = { key: btoa('late'), create_revision: String(revision), mod_revision: String(revision), version: '1', value: btoa('v'), lease: g['ID'] };
  // A write sent that late applied after the lease's revoke (the leader proposed it first), so the
  // read at its revision proves the key outlived the lease however late the revoke committed.
  const header = { ...(g['header'] as Body), revision: String(revision + 1) };
  return [
    ...history,
    { index: history.length, time: time - 2000, process: 'late-write', type: 'invoke', f: 'kv/put', value: { key: btoa('late-write'), value: btoa('w') } },
    { index: history.length + 1, time: time - 1000, process: 'late-write', type: 'ok', f: 'kv/put', value: { header } },
    { index: history.length + 2, time, process, type: 'invoke', f: 'kv/range', value: { key: btoa('late') } },
    { index: history.length + 3, time: time + 1000, process, type: 'ok', f: 'kv/range', value: { header, kvs: [kv], count: '1' } },
  ];
}

/**
 * A lease renewed after its member revoked it: a keep-alive sent 1 ms after the history's last op,
 * answered with a TTL by the member that answered an ok revoke of the lease, where no grant of
 * the lease id may have made it again after that revoke (every grant of it answered before the
 * revoke was sent). The lease checker must find it (rule 7, lease-renewed-ended.ts).
 */
export function withRenewedAfterRevoke(history: readonly Op[]): Op[] | undefined {
  const grants = grantWindows(history);
  for (let i = 0; i < history.length; i++) {
    const o = history[i]!;
    if (o.type !== 'ok' || o.f !== 'lease/revoke' || !isObject(o.value)) continue;
    const revokeInvoke = history.slice(0, i).reverse().find((x) => x.process === o.process && x.type === 'invoke');
    if (revokeInvoke === undefined) continue;
    const id = String((revokeInvoke.value as Body)['ID']);
    if (mayHaveGrantedBetween(grants.get(id), revokeInvoke.time, Infinity)) continue;
    const header = o.value['header'] as Body;
    const last = history[history.length - 1]!;
    const time = last.time + 1000;
    const process = 'late-keepalive';
    return [
      ...history,
      { index: history.length, time, process, type: 'invoke', f: 'lease/keepalive', value: { ID: id } },
      { index: history.length + 1, time: time + 1000, process, type: 'ok', f: 'lease/keepalive', value: { header, ID: id, TTL: '5' } },
    ];
  }
  return undefined;
}

/**
 * A grant answered with the id of a lease still alive: 1 µs after an ok grant was answered (within half its TTL of being sent), a
 * grant by another client answered ok with the same id, for a lease no revoke was ever sent for
 * and no answer reported gone (etcd's Grant refuses a live id: "lease already exists"). The lease
 * checker must find it (rule 8, lease-grant-reused.ts).
 */
export function withGrantReused(history: readonly Op[]): Op[] | undefined {
  const ended = new Set<string>();
  for (let i = 0; i < history.length; i++) {
    const o = history[i]!;
    if (o.f === 'lease/revoke' && o.type === 'invoke' && isObject(o.value)) ended.add(String(o.value['ID']));
    if (o.type !== 'ok' || !isObject(o.value)) continue;
    const request = requestOf(history, i);
    const id = isObject(request) ? String(request['ID'] as string | number | undefined ?? '') : '';
    if ((o.f === 'lease/keepalive' && Number(o.value['TTL'] ?? 0) <= 0) || (o.f === 'lease/timetolive' && Number(o.value['TTL'] ?? 0) < 0)) ended.add(id);
  }
  // A grant answered within half its TTL of being sent: the lease cannot have run out by then.
  const quick = (i: number): boolean => {
    const o = history[i]!;
    const sent = history.slice(0, i).reverse().find((x) => x.process === o.process && x.type === 'invoke');
    return sent !== undefined && o.time - sent.time < (Number((o.value as Body)['TTL']) * 1e6) / 2;
  };
  const at = history.findIndex((o, i) => o.type === 'ok' && o.f === 'lease/grant' && isObject(o.value) && Number(o.value['TTL'] ?? 0) > 0 && !ended.has(String(o.value['ID'])) && quick(i));
  if (at < 0) return undefined;
  const grant = history[at]!;
  const answer = grant.value as Body;
  const process = 'reused-grant';
  const added: Op[] = [
    { index: 0, time: grant.time + 1, process, type: 'invoke', f: 'lease/grant', value: { ID: answer['ID'], TTL: answer['TTL'] } },
    { index: 0, time: grant.time + 2, process, type: 'ok', f: 'lease/grant', value: { header: answer['header'], ID: answer['ID'], TTL: answer['TTL'] } },
  ];
  // After every op of the history sent or answered by then: times stay in order.
  let after = at + 1;
  while (after < history.length && history[after]!.time <= grant.time + 2) after++;
  return [...history.slice(0, after), ...added, ...history.slice(after)].map((o, index) => ({ ...o, index }));
}
