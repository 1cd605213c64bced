// What watch streams tell the linearizability check. A watch event is an answer of the
// server like any other: a PUT event shows a key-value as the write at its mod_revision left
// it (and its prev_kv the key just before), a DELETE event shows which revision deleted the
// key. etcd's robustness tests use the same facts to settle writes whose client timed out
// (validate/patch_history.go): with every revision's events seen, a timed-out put whose
// unique value an event shows took effect at that revision, and a gap revision's events
// name the keys its unknown writer touched, so hundreds of timed-out writes stop being
// hundreds of choices at each gap.
//
// The facts only constrain (pin a write to a revision, rule fillers out), so a watch stream
// can never make a non-linearizable history pass; a watch stream that lies can make the
// check fail, which is a bug of the server either way (the watch checker judges streams).
//
// Events of etcd's robustness-test reports (client-N/watch.json) record a kv's key, value and
// mod_revision only: their create_revision, version and lease are UNRECORDED ('*'), and such a
// kv is a sighting marked unrecorded (gap-constraints.ts): its key, value and mod_revision pin
// and constrain as an answer's do; what it does not record says nothing.
import { UNRECORDED } from '../../../history/etcd-robustness.ts';
import type { Req } from './apply.ts';
import { decodeKey, id64, int } from './json.ts';

/** One watch response, placed in the history's real-time order. */
export interface WatchObservation {
  /** History position by which the client had it: every op at or after it came later (its time is after the response's). */
  pos: number;
  response: unknown;
}

export interface WatchFacts {
  /** (value, mod_revision, key, position seen by) of every PUT event and prev_kv. */
  values: { value: string; mod: number; key: string; by: number }[];
  /** Key-values as of a revision: a PUT event's kv at its mod_revision, a prev_kv one revision before its event. */
  kvs: { key: string; value: string | undefined; create: number; mod: number; version: number; lease: string; at: number; unrecorded?: true }[];
  /** Revision → keys a DELETE event shows deleted there. */
  deleted: Map<number, Set<string>>;
  /** The highest revision an event shows (0 without events). */
  maxRevision: number;
  /**
   * Per response with a header or events: the highest revision it shows (its header's, or an
   * event's) and the position by which the client had it. Every revision up to it was committed
   * and applied on the member that sent it before it was sent.
   */
  reached: { revision: number; by: number }[];
}

export const NO_WATCH_FACTS: WatchFacts = { values: [], kvs: [], deleted: new Map(), maxRevision: 0, reached: [] };

function kvOf(o: unknown): Req | undefined {
  return typeof o === 'object' && o !== null && typeof (o as Req)['key'] === 'string' ? (o as Req) : undefined;
}

/** Whether two kvs have the same fields as the facts read them (===: the same text or number). */
function sameFields(a: Req, b: Req): boolean {
  return a['key'] === b['key'] && a['mod_revision'] === b['mod_revision'] && a['value'] === b['value'] && a['create_revision'] === b['create_revision'] && a['version'] === b['version'] && a['lease'] === b['lease'];
}

/**
 * The facts' key-values as of a revision, added once each. A class, not a closure in watchFacts:
 * a closure made anew for every history lost its optimized code at each full collection once the
 * history was checked, and was compiled again for the next (bench runs: every run).
 */
class KvFacts {
  // Every watcher of a key gets the same events (three watchers: each kv three times): a kv whose
  // fields are the very same as one already added as of the same revision, by then, adds nothing
  // (the same entries again, seen no earlier), so it is passed over before any field is decoded.
  private readonly addedAt = new Map<number, { kv: Req; by: number }[]>();

  constructor(private readonly facts: WatchFacts) {}

  /** `final` false: a later event of the txn changed the key again; its value was written, but not left, at `at`. */
  add(kv: Req, at: number, by: number, final = true): void {
    if (!final) {
      const mod = int(kv['mod_revision']);
      if (mod > 0 && mod <= at && typeof kv['value'] === 'string') this.facts.values.push({ value: kv['value'], mod, key: decodeKey(kv['key']), by });
      return;
    }
    const added = this.addedAt.get(at);
    if (added !== undefined) {
      for (let i = 0; i < added.length; i++) if (added[i]!.by <= by && sameFields(added[i]!.kv, kv)) return;
      added.push({ kv, by });
    } else this.addedAt.set(at, [{ kv, by }]);
    const mod = int(kv['mod_revision']);
    if (mod <= 0 || mod > at) return;
    const value = typeof kv['value'] === 'string' ? kv['value'] : undefined;
    const key = decodeKey(kv['key']);
    if (value !== undefined) this.facts.values.push({ value, mod, key, by });
    if (kv['create_revision'] === UNRECORDED || kv['version'] === UNRECORDED || kv['lease'] === UNRECORDED) {
      this.facts.kvs.push({ key, value, create: 0, mod, version: 0, lease: '0', at, unrecorded: true });
      return;
    }
    this.facts.kvs.push({ key, value, create: int(kv['create_revision']), mod, version: int(kv['version']), lease: id64(kv['lease']), at });
  }
}

export function watchFacts(observations: readonly WatchObservation[]): WatchFacts {
  if (observations.length === 0) return NO_WATCH_FACTS;
  const facts: WatchFacts = { values: [], kvs: [], deleted: new Map(), maxRevision: 0, reached: [] };
  const kvs = new KvFacts(facts);
  for (let i = 0; i < observations.length; i++) {
    const o = observations[i]!;
    const resp = o.response;
    if (typeof resp !== 'object' || resp === null) continue;
    const header = (resp as Req)['header'];
    let reached = typeof header === 'object' && header !== null ? int((header as Req)['revision']) : 0;
    const events = (resp as Req)['events'];
    if (!Array.isArray(events)) {
      if (reached > 0) facts.reached.push({ revision: reached, by: o.pos });
      continue;
    }
    const last = events.length > 1 ? lastEventOfKey(events as unknown[]) : undefined;
    // for-of, not an index loop: events arrays come in several element kinds (JSON.parse's,
    // the recorder's), and an optimized `events.length` was thrown away ("wrong map") at each new one.
    let n = -1;
    for (const ev of events as unknown[]) {
      n++;
      if (typeof ev !== 'object' || ev === null) continue;
      const e = ev as Req;
      const kv = kvOf(e['kv']);
      if (kv === undefined) continue;
      const rev = int(kv['mod_revision']);
      if (rev <= 0) continue;
      if (rev > facts.maxRevision) facts.maxRevision = rev;
      if (rev > reached) reached = rev;
      const final = last === undefined || last.get(`${rev} ${kv['key'] as string}`) === n;
      if (e['type'] === 'DELETE') {
        if (final) {
          const keys = facts.deleted.get(rev) ?? facts.deleted.set(rev, new Set()).get(rev)!;
          keys.add(decodeKey(kv['key']));
        }
      } else {
        kvs.add(kv, rev, o.pos, final);
      }
      const prev = kvOf(e['prev_kv']);
      if (prev !== undefined) kvs.add(prev, rev - 1, o.pos);
    }
    if (reached > 0) facts.reached.push({ revision: reached, by: o.pos });
  }
  return facts;
}

/**
 * The position of each key's last event at each revision of one response ("revision key" →
 * index). One txn may show a key twice at its revision: a put and a from-key delete (etcd's
 * checkIntervals sees range_end "\0" as an empty interval), or a nested txn's put and a later
 * delete. Only the last says how the revision left the key.
 */
function lastEventOfKey(events: readonly unknown[]): Map<string, number> {
  const last = new Map<string, number>();
  for (let i = 0; i < events.length; i++) {
    const kv = kvOf((events[i] as Req | null)?.['kv']);
    if (kv !== undefined) last.set(`${int(kv['mod_revision'])} ${kv['key'] as string}`, i);
  }
  return last;
}

/**
 * Places watch responses (µs times) among a history's ops (µs times, in history order): at the
 * first position from which on every op's time is after the response's, so whatever an event
 * shows happened before any op there (an op at the very same time may have come first: it is
 * placed after the position). Times that go backwards in the history only move positions later
 * (weaker, never wrong).
 */
export function placeWatches(opTimes: readonly number[], watches: readonly { time: number; response: unknown }[]): WatchObservation[] {
  const n = opTimes.length;
  // suffixMin[i]: the earliest time at or after position i (non-decreasing in i).
  const suffixMin = new Float64Array(n + 1).fill(Infinity);
  for (let i = n - 1; i >= 0; i--) suffixMin[i] = Math.min(opTimes[i]!, suffixMin[i + 1]!);
  const sorted = [...watches].sort((a, b) => a.time - b.time);
  const out: WatchObservation[] = [];
  let p = 0;
  for (let i = 0; i < sorted.length; i++) {
    const w = sorted[i]!;
    while (p < n && suffixMin[p]! <= w.time) p++;
    out.push({ pos: p, response: w.response });
  }
  return out;
}
