// Which keys the write that filled a gap revision may and must have touched, from what the
// responses show. A gap is a revision no known write created: only a write of unknown outcome
// (or a lease revoke or expiry) can have made it, and with a hundred such writes pending the
// search would try each of them at each gap. The responses rule most of them out at once:
//
// - quiet: an answer that shows key k with mod_revision M as of revision R (a range, or the
//   prev_kv of a put or delete) proves that no write touched k in (M, R]; a gap g there cannot
//   have been filled by a write that put or deleted k;
// - must: an answer that shows key k with mod_revision M, where M is a gap, proves that the
//   write that filled M put k;
// - versions: two answers that show k with the same create_revision, at versions V1 (mod M1)
//   and V2 (mod M2), prove that exactly V2 - V1 puts of k fell in (M1, M2]. Those the known
//   writes do not account for were gap fillers: when none is left, every gap in (M1, M2) is
//   quiet for k; and a filler that leaves k at a version the known puts up to the next answer
//   would push past V2 (or at another create_revision) is ruled out where it is tried.
//
// Both are facts about every valid linearization (each answer is the state at its revision),
// so pruning by them never loses a linearization.
import type { Req } from './apply.ts';
import { rangeAbsences } from './absences.ts';
import { answerRead, type AnswerRead } from './answer-read.ts';
import { deleteRanges, inKeyRanges, putKeys, type KeyRange } from './write-keys.ts';
import { decodeKey, id64, int } from './json.ts';
import { UNRECORDED } from '../../../history/etcd-robustness.ts';
import type { EtcdInput, EtcdOutput } from './model.ts';
import type { EtcdState } from './state.ts';
import { NO_WATCH_FACTS, type WatchFacts } from './watch-observations.ts';
import { lowerBound } from '../../../../src/sort/lower-bound.ts';
import { packedMap, packedNumbers } from '../../packed-map.ts';
import { pushAll } from '../../../array/stack-safe.ts';

export interface GapConstraints {
  /** Gap revision → keys no write touched there. */
  quiet: ReadonlyMap<number, ReadonlySet<string>>;
  /** Gap revision → keys the filling write certainly put. */
  must: ReadonlyMap<number, ReadonlySet<string>>;
  /** Per key: its sightings sorted by mod revision, and the revisions of known puts of it. */
  keys: ReadonlyMap<string, KeyFacts>;
  /**
   * Revision → the key-values answers show as written by the write that made that revision
   * (their mod_revision). Whoever made it left those keys exactly so: checked where a write
   * of unknown answer is tried, so a wrong choice of gap fillers dies at the first revision
   * an answer pins instead of many revisions later, at the read that shows it.
   */
  sighted: ReadonlyMap<number, readonly SightedKv[]>;
  /** The gap revisions, ascending. */
  gaps: readonly number[];
  /** Known writes that may delete keys other than one named key, by revision (see knownDeletes). */
  knownDeletes: KnownDeletes;
  /** Revision → keys a watch event shows deleted there. */
  deleted: ReadonlyMap<number, ReadonlySet<string>>;
}

export interface SightedKv {
  key: string;
  /** Undefined when the answer left values out (keys_only). */
  value: string | undefined;
  create: number;
  version: number;
  lease: string;
  /** The history's recorder did not keep the create_revision, version or lease (UNRECORDED): they say nothing. */
  unrecorded?: true;
}

export interface KeyFacts {
  sightings: Sighting[];
  /** Revisions of writes known to have put the key, ascending (a revision once per put). */
  puts: number[];
  /** Revisions of writes that may have put it (a txn whose branch is not known), ascending. */
  maybePuts: number[];
  /** Revisions of writes known to have deleted it (a one-key delete that deleted it), ascending. */
  deletes: number[];
  /** Revisions an answer shows it missing at (absences.ts; range answers read whole are marked: AnswerRead.absencesIn), ascending, each once. */
  absent: number[];
}

export const NO_GAP_CONSTRAINTS: GapConstraints = { quiet: new Map(), must: new Map(), keys: new Map(), sighted: new Map(), gaps: [], knownDeletes: { revs: [], ranges: [] }, deleted: new Map() };

export interface Sighting {
  key: string;
  mod: number;
  version: number;
  create: number;
  /** The revision the answer shows the key at. */
  at: number;
  value: string | undefined;
  lease: string;
  /** The answer did not record create_revision, version or lease (UNRECORDED): version and create are 0, lease '0', and say nothing. */
  unrecorded?: true;
}

/**
 * The last sighting made of each kv object, within one history's gap constraints: the simulated
 * store hands the same kv object to every answer that shows that key at that revision (see
 * range-answer.ts SharedKvs), and reads at one revision show it at the same revision again, so
 * the sighting is the very same one (sightings are never changed once made); at another
 * revision it is a copy with that revision, its fields not read again.
 */
export type SharedSightings = Map<object, Sighting>;

function kvSightings(kvs: unknown, at: number, out: Sighting[], shared: SharedSightings | undefined): void {
  if (!Array.isArray(kvs)) return;
  for (let i = 0; i < kvs.length; i++) {
    const kv: unknown = kvs[i];
    if (typeof kv !== 'object' || kv === null) continue;
    const o = kv as Req;
    const mod = int(o['mod_revision']);
    if (mod > 0 && mod <= at && typeof o['key'] === 'string') {
      const last = shared?.get(o);
      if (last !== undefined) {
        const s = last.at === at ? last : atRevision(last, at);
        if (s !== last) shared!.set(o, s);
        out.push(s);
        continue;
      }
      const s = kvSighting(o, mod, at);
      shared?.set(o, s);
      out.push(s);
    }
  }
}

/** The sighting of kv `o` (its mod_revision `mod`) as of revision `at`. */
function kvSighting(o: Req, mod: number, at: number): Sighting {
  // An answer that does not record create_revision, version or lease (etcd robustness-test
  // histories): its key, mod_revision and value still make quiet and must facts; what the
  // version reasoning needs it does not show (keyFacts leaves it out of the key's sightings).
  if (o['create_revision'] === UNRECORDED || o['version'] === UNRECORDED || o['lease'] === UNRECORDED) {
    return { key: decodeKey(o['key']), mod, at, version: 0, create: 0, value: typeof o['value'] === 'string' ? o['value'] : undefined, lease: '0', unrecorded: true };
  }
  return { key: decodeKey(o['key']), mod, at, version: int(o['version']), create: int(o['create_revision']), value: typeof o['value'] === 'string' ? o['value'] : undefined, lease: id64(o['lease']) };
}

/** `s` as of revision `at` (each of kvSighting's two shapes kept). */
function atRevision(s: Sighting, at: number): Sighting {
  if (s.unrecorded === true) return { key: s.key, mod: s.mod, at, version: 0, create: 0, value: s.value, lease: '0', unrecorded: true };
  return { key: s.key, mod: s.mod, at, version: s.version, create: s.create, value: s.value, lease: s.lease };
}

/** What one op's ok answer shows (see sightings), read once (answer-read.ts): the gap constraints and the contradictions both go over it. */
export function sightingsOf(f: EtcdInput['f'], req: Req, out: { response: Req; read?: AnswerRead | undefined }, shared?: SharedSightings): readonly Sighting[] {
  const r = answerRead(f, req, out);
  if (r.sightings === undefined) {
    const list: Sighting[] = [];
    sightings(f, req, out.response, list, shared);
    r.sightings = list;
  }
  return r.sightings;
}

/** What one op's ok answer shows; nested txn answers are left out (they see the txn's own writes). */
export function sightings(f: EtcdInput['f'], req: Req, resp: Req, out: Sighting[], shared?: SharedSightings): void {
  const header = int((resp['header'] as Req | undefined)?.['revision']);
  if (header <= 0) return;
  if (f === 'kv/range') {
    const explicit = int(req['revision']);
    kvSightings(resp['kvs'], explicit > 0 ? explicit : header, out, shared);
  } else if (f === 'kv/put' && resp['prev_kv'] !== undefined) {
    // The put made revision header; its prev_kv is the key as of header - 1.
    kvSightings([resp['prev_kv']], header - 1, out, shared);
  } else if (f === 'kv/deleterange' && int(resp['deleted']) > 0) {
    kvSightings(resp['prev_kvs'], header - 1, out, shared);
  }
}

/** Gap constraints from the ok answers of `ops`. `gaps` sorted ascending. */
export function gapConstraints(ops: readonly { input: EtcdInput; output: EtcdOutput | undefined }[], gaps: readonly number[], watched: WatchFacts = NO_WATCH_FACTS): GapConstraints {
  if (gaps.length === 0) return NO_GAP_CONSTRAINTS;
  // One small function per pass, not one body with every loop: this runs once per history, and
  // V8 compiles a function at each hot loop it enters (on-stack replacement): one body of ten
  // loops was one of the largest compile jobs of every cold worker.
  const all = allSightings(ops, watched);
  const sighted = sightedAtUnknownAnswers(ops, gaps, all);
  const seen = latestSightings(all);
  const gapSet = new Set(gaps);
  const must = new Map<number, Set<string>>();
  // Per key, the (M, R] intervals, merged, then spread over the gaps they cover.
  const byKey = new Map<string, [number, number][]>();
  mustAndIntervals(seen, gapSet, must, byKey);
  const keys = keyFacts(ops, seen);
  addAbsences(ops, keys, watched);
  for (const [key, facts] of keys) addCountedQuiet(key, facts, gapSet, byKey);
  const quiet = new Map<number, Set<string>>();
  for (const [key, intervals] of byKey) addQuietIntervals(key, intervals, gaps, quiet);
  return { quiet, must, keys, sighted, gaps, knownDeletes: knownDeletes(ops), deleted: watched.deleted };
}

/** Every sighting: the watch events' kvs, then each ok answer's (sightingsOf). */
function allSightings(ops: readonly { input: EtcdInput; output: EtcdOutput | undefined }[], watched: WatchFacts): Sighting[] {
  const all: Sighting[] = [...watched.kvs];
  const shared: SharedSightings = new Map();
  // Index loops: this runs once per history, mostly before V8 optimizes it, and an interpreted
  // for-of allocates an iterator result per element.
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i]!;
    const out = op.output;
    if (out === undefined || !('response' in out)) continue;
    const list = sightingsOf(op.input.f, op.input.request, out, shared);
    for (let j = 0; j < list.length; j++) all.push(list[j]!);
  }
  return all;
}

/**
 * Sightings are checked only where a write of unknown answer is tried: at gaps and at the
 * revisions of writes whose answer is unknown (the others' answers are compared anyway).
 * Revision → the kvs seen written there, each once.
 */
function sightedAtUnknownAnswers(ops: readonly { input: EtcdInput; output: EtcdOutput | undefined }[], gaps: readonly number[], all: readonly Sighting[]): Map<number, SightedKv[]> {
  const unknownAnswer = new Set(gaps);
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i]!;
    if (op.input.pre !== undefined && (op.output === undefined || 'effective' in op.output)) unknownAnswer.add(op.input.pre + 1);
  }
  // Sightings are deduplicated without building a text id per sighting (there is one per kv
  // of every answer: those ids were the largest share of the bytes the preparation allocated).
  const sighted = new Map<number, SightedKv[]>();
  for (let i = 0; i < all.length; i++) {
    const x = all[i]!;
    if (!unknownAnswer.has(x.mod)) continue;
    const list = sighted.get(x.mod) ?? sighted.set(x.mod, []).get(x.mod)!;
    if (!hasSighted(list, x)) list.push(x.unrecorded === true ? { key: x.key, value: x.value, create: 0, version: 0, lease: '0', unrecorded: true } : { key: x.key, value: x.value, create: x.create, version: x.version, lease: x.lease });
  }
  return sighted;
}

/**
 * One sighting per (key, mod, version, create), the latest revision it was seen at: the same
 * kv seen again at an earlier revision adds nothing. Kept in the order each was first seen.
 */
function latestSightings(all: readonly Sighting[]): Sighting[] {
  const seen: Sighting[] = [];
  const seenAt = new Map<string, Map<number, number[]>>();
  for (let k = 0; k < all.length; k++) {
    const x = all[k]!;
    const byMod = seenAt.get(x.key) ?? seenAt.set(x.key, new Map()).get(x.key)!;
    const at = byMod.get(x.mod) ?? byMod.set(x.mod, []).get(x.mod)!;
    let i = 0;
    while (i < at.length && !(seen[at[i]!]!.version === x.version && seen[at[i]!]!.create === x.create)) i++;
    if (i === at.length) {
      at.push(seen.length);
      seen.push(x);
    } else if (seen[at[i]!]!.at < x.at) seen[at[i]!] = x;
  }
  return seen;
}

/** The keys each gap's filler certainly put (into `must`), and per key the (mod, at] intervals no write touched it in (into `byKey`). */
function mustAndIntervals(seen: readonly Sighting[], gapSet: ReadonlySet<number>, must: Map<number, Set<string>>, byKey: Map<string, [number, number][]>): void {
  for (let i = 0; i < seen.length; i++) {
    const s = seen[i]!;
    if (gapSet.has(s.mod)) (must.get(s.mod) ?? must.set(s.mod, new Set()).get(s.mod)!).add(s.key);
    // The key's create revision is a gap: the filler of that gap created it.
    if (gapSet.has(s.create) && s.create < s.mod) (must.get(s.create) ?? must.set(s.create, new Set()).get(s.create)!).add(s.key);
    if (s.at > s.mod) (byKey.get(s.key) ?? byKey.set(s.key, []).get(s.key)!).push([s.mod, s.at]);
  }
}

/** The key is quiet at every gap its intervals (merged where they overlap or touch) cover. */
function addQuietIntervals(key: string, intervals: [number, number][], gaps: readonly number[], quiet: Map<number, Set<string>>): void {
  intervals.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let lo = intervals[0]![0];
  let hi = intervals[0]![1];
  for (let j = 0; j < intervals.length; j++) {
    const [a, b] = intervals[j]!;
    // Intervals (lo, hi] and (a, b] with a ≤ hi overlap or touch: merge.
    if (a <= hi) hi = Math.max(hi, b);
    else {
      addQuietIn(key, lo, hi, gaps, quiet);
      lo = a;
      hi = b;
    }
  }
  addQuietIn(key, lo, hi, gaps, quiet);
}

/** The key is quiet at the gaps in (lo, hi]. */
function addQuietIn(key: string, lo: number, hi: number, gaps: readonly number[], quiet: Map<number, Set<string>>): void {
  for (let i = firstAbove(gaps, lo); i < gaps.length && gaps[i]! <= hi; i++) (quiet.get(gaps[i]!) ?? quiet.set(gaps[i]!, new Set()).get(gaps[i]!)!).add(key);
}

/** Whether `list` holds x's kv already (a missing value counts as ''). */
function hasSighted(list: readonly SightedKv[], x: Sighting): boolean {
  for (const y of list) if (y.key === x.key && y.version === x.version && y.create === x.create && y.lease === x.lease && y.unrecorded === x.unrecorded && (y.value ?? '') === (x.value ?? '')) return true;
  return false;
}

/**
 * Known writes that may delete keys other than one named key: range deletes, txns with a
 * delete in some branch (which branch ran may be unknown), lease revokes and expiries.
 */
export interface KnownDeletes {
  /** Their revisions, ascending. */
  revs: readonly number[];
  /** For each, the key ranges it may delete; undefined: any key (a revoke or expiry, whose keys depend on later puts). */
  ranges: readonly (readonly KeyRange[] | undefined)[];
}

function knownDeletes(ops: readonly { input: EtcdInput; output: EtcdOutput | undefined }[]): KnownDeletes {
  const out: { rev: number; ranges: KeyRange[] | undefined }[] = [];
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i]!;
    const { f, request, pre, preMax } = op.input;
    if (op.output === undefined || 'error' in op.output) continue;
    const rev = (pre ?? preMax ?? -2) + 1;
    if (rev < 0) continue;
    if (f === 'lease/revoke' || f === 'lease/expire') out.push({ rev, ranges: undefined });
    else if ((f === 'kv/deleterange' && request['range_end'] !== undefined) || f === 'kv/txn') {
      const ranges: KeyRange[] = [];
      deleteRanges(f, request, ranges);
      if (ranges.length > 0) out.push({ rev, ranges });
    }
  }
  out.sort((a, b) => a.rev - b.rev);
  return { revs: packedNumbers(out, (x) => x.rev), ranges: packedMap(out, (x) => x.ranges) };
}

/** Whether a known write in (lo, hi] (see KnownDeletes) may delete `key`. */
export function knownDeleteIn(c: GapConstraints, key: string, lo: number, hi: number): boolean {
  const { revs, ranges } = c.knownDeletes;
  for (let i = firstAbove(revs, lo); i < revs.length && revs[i]! <= hi; i++) {
    const r = ranges[i];
    if (r === undefined || inKeyRanges(r, key)) return true;
  }
  return false;
}

/** The write that made `after` left every key an answer shows it wrote as the answer shows it. */
export function fitsSightings(c: GapConstraints, after: EtcdState): boolean {
  const deleted = c.deleted.get(after.revision);
  if (deleted !== undefined) for (const k of deleted) if (after.kvs.has(k) || !after.changedKeys.includes(k)) return false;
  const list = c.sighted.get(after.revision);
  if (list === undefined) return true;
  for (const x of list) {
    const kv = after.kvs.get(x.key);
    if (kv === undefined || kv.mod !== after.revision) return false;
    if (x.unrecorded !== true && (kv.create !== x.create || kv.version !== x.version || kv.lease !== x.lease)) return false;
    if (x.value !== undefined && kv.value !== x.value) return false;
  }
  return true;
}

/** Put keys of a txn's branch (nested txns included), into `out`. */
function txnPutKeys(branch: unknown, out: string[]): void {
  for (const op of Array.isArray(branch) ? (branch as Req[]) : []) {
    const put = op['request_put'] as Req | undefined;
    if (put !== undefined) out.push(decodeKey(put['key']));
    const nested = op['request_txn'] as Req | undefined;
    if (nested !== undefined) {
      txnPutKeys(nested['success'], out);
      txnPutKeys(nested['failure'], out);
    }
  }
}

function facts(keys: Map<string, KeyFacts>, key: string): KeyFacts {
  let f = keys.get(key);
  if (f === undefined) keys.set(key, (f = { sightings: [], puts: [], maybePuts: [], deletes: [], absent: [] }));
  return f;
}

/** Known and possible puts per key from the writes with a known revision, and the sightings by key. */
function keyFacts(ops: readonly { input: EtcdInput; output: EtcdOutput | undefined }[], seen: readonly Sighting[]): Map<string, KeyFacts> {
  const keys = new Map<string, KeyFacts>();
  // A sighting without create_revision and version (unrecorded) cannot take part in the version reasoning.
  for (let i = 0; i < seen.length; i++) {
    const s = seen[i]!;
    if (s.unrecorded !== true) facts(keys, s.key).sightings.push(s);
  }
  // One function per op and per key, not one loop nest: this runs once per history (see gapConstraints).
  for (let i = 0; i < ops.length; i++) addWrittenKeys(ops[i]!, keys);
  keys.forEach(sortKeyFacts);
  return keys;
}

function sortKeyFacts(f: KeyFacts): void {
  f.sightings.sort((a, b) => a.mod - b.mod || a.at - b.at);
  f.puts.sort((a, b) => a - b);
  f.maybePuts.sort((a, b) => a - b);
  f.deletes.sort((a, b) => a - b);
}

/** The keys a write with a known revision put (surely or maybe) or deleted, at that revision. */
function addWrittenKeys(op: { input: EtcdInput; output: EtcdOutput | undefined }, keys: Map<string, KeyFacts>): void {
  const { f, request, pre } = op.input;
  const out = op.output;
  if (pre === undefined || out === undefined || 'error' in out) return;
  const rev = pre + 1;
  if (f === 'kv/put') facts(keys, decodeKey(request['key'])).puts.push(rev);
  if (f === 'kv/deleterange' && request['range_end'] === undefined && 'response' in out && int(out.response['deleted']) > 0) facts(keys, decodeKey(request['key'])).deletes.push(rev);
  if (f !== 'kv/txn') return;
  const maybe: string[] = [];
  const sure: string[] = [];
  if ('response' in out) {
    // A flat txn's branch is known from its answer; nested txns' branches are not followed.
    const branch = out.response['succeeded'] === true ? request['success'] : request['failure'];
    const nested = (Array.isArray(branch) ? (branch as Req[]) : []).some((o) => o['request_txn'] !== undefined);
    txnPutKeys(branch, nested ? maybe : sure);
  } else {
    // Took effect, answer unknown: when only one branch puts anything, its observed value came from there.
    const success: string[] = [];
    const failure: string[] = [];
    txnPutKeys(request['success'], success);
    txnPutKeys(request['failure'], failure);
    const flat = ![request['success'], request['failure']].some((b) => (Array.isArray(b) ? (b as Req[]) : []).some((o) => o['request_txn'] !== undefined));
    pushAll(pushAll(flat && (success.length === 0 || failure.length === 0) ? sure : maybe, success), failure);
  }
  for (let i = 0; i < sure.length; i++) facts(keys, sure[i]!).puts.push(rev);
  for (let i = 0; i < maybe.length; i++) facts(keys, maybe[i]!).maybePuts.push(rev);
}

/** Revisions each key was seen missing at: ranges that list every key of theirs, watch DELETE events. */
function addAbsences(ops: readonly { input: EtcdInput; output: EtcdOutput | undefined }[], keys: Map<string, KeyFacts>, watched: WatchFacts): void {
  const universe = new Set<string>(keys.keys());
  for (let i = 0; i < ops.length; i++) putKeys(ops[i]!.input.f, ops[i]!.input.request, universe);
  const sorted = [...universe].sort();
  rangeAbsences(ops, sorted, (key, at) => facts(keys, key).absent.push(at), keys);
  watched.deleted.forEach((deleted, at) => deleted.forEach((key) => facts(keys, key).absent.push(at)));
  keys.forEach((f) => {
    if (f.absent.length < 2) return;
    f.absent.sort((a, b) => a - b);
    f.absent = f.absent.filter((r, i) => i === 0 || f.absent[i - 1] !== r);
  });
}

/** How many of the ascending `revs` lie in (lo, hi]. */
export function countIn(revs: readonly number[], lo: number, hi: number): number {
  return firstAbove(revs, hi) - firstAbove(revs, lo);
}

/** (M1, M2) is quiet for a key when the known puts account for every version step between two sightings. */
function addCountedQuiet(key: string, f: KeyFacts, gapSet: ReadonlySet<number>, byKey: Map<string, [number, number][]>): void {
  for (let i = 1; i < f.sightings.length; i++) {
    const a = f.sightings[i - 1]!;
    const b = f.sightings[i]!;
    if (b.mod <= a.mod || a.create !== b.create || gapSet.has(b.mod)) continue;
    if (countIn(f.maybePuts, a.mod, b.mod) > 0) continue;
    if (b.version - a.version !== countIn(f.puts, a.mod, b.mod)) continue;
    (byKey.get(key) ?? byKey.set(key, []).get(key)!).push([a.mod, b.mod - 1]);
  }
}

/** Index of the first gap above `x`. */
export function firstAbove(gaps: readonly number[], x: number): number {
  let lo = 0;
  let hi = gaps.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (gaps[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Whether the write that made `after` (one revision past the gap's predecessor) fits the constraints of its gap. */
export function fitsGap(c: GapConstraints, after: EtcdState): boolean {
  const g = after.revision;
  const quiet = c.quiet.get(g);
  if (quiet !== undefined) for (const k of after.changedKeys) if (quiet.has(k)) return false;
  const must = c.must.get(g);
  if (must !== undefined) {
    for (const k of must) if (!after.changedKeys.includes(k) || after.kvs.get(k)?.mod !== g) return false;
  }
  for (const k of after.changedKeys) {
    const f = c.keys.get(k);
    if (f !== undefined && !fitsNextSighting(f, after, k)) return false;
  }
  return true;
}

/** The key as the filler left it can still become what its next sighting shows. */
function fitsNextSighting(f: KeyFacts, after: EtcdState, key: string): boolean {
  const g = after.revision;
  let lo = 0;
  let hi = f.sightings.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (f.sightings[mid]!.mod < g) lo = mid + 1;
    else hi = mid;
  }
  const next = f.sightings[lo];
  if (next === undefined) return true;
  const kv = after.kvs.get(key);
  // The key lived on, created at next.create, through g: the filler must have kept that incarnation.
  if (next.create <= g && kv?.create !== next.create) return false;
  if (kv === undefined || kv.create !== next.create) return true;
  if (countIn(f.maybePuts, g, next.mod) > 0) return true;
  return kv.version + countIn(f.puts, g, next.mod) <= next.version;
}

/**
 * Every key can still become what its next sighting shows, given the writes left before it:
 * checked after each gap filler, so that a filler choice that leaves too few gaps for the
 * puts or the delete some key still needs dies at once, not at the answer that shows the key
 * many revisions later. Per key and counting gaps a key may still use, a relaxation: it never
 * rejects a state some linearization goes through.
 */
export function canReachSightings(c: GapConstraints, after: EtcdState): boolean {
  const r = after.revision;
  for (const [key, f] of c.keys) {
    const kv = after.kvs.get(key);
    // Seen missing at a revision ≥ r: if it exists now, something must delete it by then.
    if (kv !== undefined && !canBeGoneBy(c, key, f, r, nextAbsence(f, r))) return false;
    const next = nextSighting(f, r);
    if (next === undefined) continue;
    if (next.create > r) {
      // Created again at next.create: if it exists now, something must delete it by then. The
      // write at next.create itself may (a txn deleting the key, then putting it: a from-key
      // delete is no duplicate key to etcd's checkIntervals, and the put creates it anew).
      if (kv === undefined) continue;
      if (countIn(f.deletes, r, next.create - 1) > 0 || knownDeleteIn(c, key, r, next.create)) continue;
      if (openGaps(c, key, r, next.create, 1) === 0) return false;
      continue;
    }
    if (kv === undefined || kv.create !== next.create) return false;
    if (countIn(f.maybePuts, r, next.mod) > 0) continue;
    const need = next.version - kv.version - countIn(f.puts, r, next.mod);
    if (need < 0) return false;
    if (need > 0 && openGaps(c, key, r, next.mod, need) < need) return false;
  }
  return true;
}

/** The first revision ≥ r an answer shows the key missing at, or Infinity. */
export function nextAbsence(f: KeyFacts, r: number): number {
  const a = f.absent;
  const lo = lowerBound(a, r);
  return lo < a.length ? a[lo]! : Infinity;
}

/** Whether a key that exists at revision r can be deleted in (r, by]: by a known write, or in a gap not quiet for it. */
function canBeGoneBy(c: GapConstraints, key: string, f: KeyFacts, r: number, by: number): boolean {
  if (by === Infinity) return true;
  if (by <= r) return false;
  return countIn(f.deletes, r, by) > 0 || knownDeleteIn(c, key, r, by) || openGaps(c, key, r, by, 1) > 0;
}

/** The first sighting of the key with a mod revision above r. */
export function nextSighting(f: KeyFacts, r: number): Sighting | undefined {
  let lo = 0;
  let hi = f.sightings.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (f.sightings[mid]!.mod <= r) lo = mid + 1;
    else hi = mid;
  }
  return f.sightings[lo];
}

/** Gaps in (lo, hi] not quiet for the key, counted up to `enough`. */
function openGaps(c: GapConstraints, key: string, lo: number, hi: number, enough: number): number {
  let n = 0;
  for (let i = firstAbove(c.gaps, lo); i < c.gaps.length && c.gaps[i]! <= hi && n < enough; i++) {
    if (c.quiet.get(c.gaps[i]!)?.has(key) !== true) n++;
  }
  return n;
}
