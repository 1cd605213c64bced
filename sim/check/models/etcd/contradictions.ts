// Answers that no linearization can explain, whatever the writes of unknown outcome did. The
// search proves a history invalid by trying every way to fill the gap revisions; with twenty
// gaps in a row and a hundred timed-out writes that is hopeless when the bad answer comes
// after them (short-timeouts seed 3 with one answer corrupted: "unknown" after 20 M steps).
// But many bad answers contradict what etcd's other answers prove outright, per key:
//
// - stale: an answer shows key k at revision R with mod_revision M, but a write with a known
//   revision in (M, R] certainly put or deleted k;
// - wrong writer: M was made by a write with a known revision that cannot have put k (or put
//   another value: values are unique), or M is a gap and no write of unknown outcome puts
//   that value to k;
// - gone while alive: one answer shows k missing at A, another shows the incarnation created
//   at C still there at R ≥ A ≥ C;
// - miscounted: two answers show one incarnation of k at versions V1 (mod M1) and V2 (mod M2),
//   but the writes in (M1, M2] certainly put k more than V2 - V1 times, or cannot have put it
//   that often (known puts, txns that may put it, and gap revisions); its creation counts as
//   version 1 at mod C; one key at one mod revision shows one version, create and value.
//
// Each is a fact of every linearization (each revision is made by exactly one write, each
// answer is the store at its revision), so one contradiction makes the history invalid. The
// op blamed is the answer the search would reach last (the higher revision).
import type { Operation } from '../../linearizability/model.ts';
import { rangeAbsences } from './absences.ts';
import { countIn, sightingsOf, type GapConstraints, type KeyFacts, type Sighting } from './gap-constraints.ts';
import type { EtcdInput, EtcdOutput } from './model.ts';
import { txnWrites } from './model.ts';
import { decodeKey } from './json.ts';
import { forEachStoredValue, putKeys } from './write-keys.ts';
import { lowerBound } from '../../../../src/sort/lower-bound.ts';
import { packedNumbers } from '../../packed-map.ts';
import { stableOrderByTwo } from '../../stable-order.ts';

export interface Contradiction {
  /** The op whose answer cannot be placed. */
  id: number;
  reason: string;
}

type EtcdOp = Operation<EtcdInput, EtcdOutput>;

/** A write with a known revision (or known effect): what it may have put is read only when an answer shows its revision (writeShows). */
interface KnownWrite {
  id: number;
  op: EtcdOp;
  /** Read by writeShows (txns only: a flat put is compared field by field). */
  puts: Set<string> | undefined;
  /** Per key, every value the write may store there (any txn branch); absent: any value (ignore_value). */
  values: Map<string, Set<string>> | undefined;
  /** A flat put's key, and its original request's, decoded once read (writeShows). */
  key: string | undefined;
  originalKey: string | undefined;
}

/** Revision → the write with a known answer (or known effect) that made it. */
function knownWrites(ops: readonly EtcdOp[]): Map<number, KnownWrite> {
  const out = new Map<number, KnownWrite>();
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i]!;
    const { f, request, pre } = op.input;
    const o = op.output;
    if (pre === undefined || o === undefined || 'error' in o || op.input.servedAt !== undefined) continue;
    const made = f === 'kv/put' || ('effective' in o && f === 'kv/txn') || (f === 'kv/txn' && 'response' in o && txnWrites(request, o.response));
    if (!made) continue;
    out.set(pre + 1, { id: op.id, op, puts: undefined, values: undefined, key: undefined, originalKey: undefined });
  }
  return out;
}

/**
 * Whether write `w` may have left `key` showing `value` (undefined: the answer left values out)
 * at its revision: it put the key, and (unless it kept the old value) one of the values it stores there.
 */
function writeShows(w: KnownWrite, key: string, value: string | undefined): boolean {
  const { f, request } = w.op.input;
  const original = w.op.input.original ?? request;
  if (f === 'kv/put') {
    // The same as the txn case's sets for a flat put, without building them (most known writes are puts).
    // Decoded once per write: an answer shows a put's revision at every read of its key until the next write.
    if ((w.key ?? (w.key = decodeKey(request['key']))) !== key) return false;
    if (value === undefined || original['ignore_value'] === true || (w.originalKey ?? (w.originalKey = decodeKey(original['key']))) !== key) return true;
    return value === (typeof original['value'] === 'string' ? original['value'] : '');
  }
  if (w.puts === undefined || w.values === undefined) {
    const puts = new Set<string>();
    putKeys(f, request, puts);
    const values = new Map<string, Set<string>>();
    const keepsOld = new Set<string>();
    forEachStoredValue(f, original, (k, v) => (v === undefined ? keepsOld.add(k) : (values.get(k) ?? values.set(k, new Set()).get(k)!).add(v)));
    for (const k of keepsOld) values.delete(k);
    w.puts = puts;
    w.values = values;
  }
  return w.puts.has(key) && (value === undefined || w.values.get(key)?.has(value) !== false);
}

function describe(s: Sighting): string {
  return `${JSON.stringify(s.key)} with mod_revision ${s.mod} at revision ${s.at}`;
}

/**
 * The first contradiction among `ops`' answers, given the facts of `c` (gap-constraints.ts), or
 * undefined. `since`: the revision before the history (what came before it is not counted).
 */
export function findContradiction(ops: readonly EtcdOp[], c: GapConstraints, since: number): Contradiction | undefined {
  if (c.keys.size === 0) return undefined;
  const writes = knownWrites(ops);
  const seen: { s: Sighting; id: number; ret: number }[] = [];
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i]!;
    const o = op.output;
    if (o === undefined || !('response' in o)) continue;
    const shown = sightingsOf(op.input.f, op.input.request, o);
    for (let j = 0; j < shown.length; j++) seen.push({ s: shown[j]!, id: op.id, ret: op.return });
  }
  const gapSet = new Set(c.gaps);
  const unknownPuts = new Set<string>();
  // Keys a write of unknown outcome may put keeping the old value (ignore_value): any value may show.
  const anyValue = new Set<string>();
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i]!;
    if (op.input.gaps === undefined) continue;
    forEachStoredValue(op.input.f, op.input.original ?? op.input.request, (key, value) => (value === undefined ? anyValue.add(key) : unknownPuts.add(`${value}/${key}`)));
  }
  for (let i = 0; i < seen.length; i++) {
    const { s, id } = seen[i]!;
    if (gapSet.has(s.mod) && s.value !== undefined && !anyValue.has(s.key) && !unknownPuts.has(`${s.value}/${s.key}`)) {
      return { id, reason: `the answer shows ${describe(s)} with a value no write of unknown outcome puts there, and no write with a known revision made ${s.mod}` };
    }
    const f = c.keys.get(s.key);
    if (f === undefined) continue;
    if (countIn(f.puts, s.mod, s.at) > 0 || countIn(f.deletes, s.mod, s.at) > 0) {
      return { id, reason: `the answer shows ${describe(s)}, but a write with a known revision in (${s.mod}, ${s.at}] put or deleted it (a stale answer)` };
    }
    const w = writes.get(s.mod);
    if (w !== undefined && w.id !== id && !writeShows(w, s.key, s.value)) {
      return { id, reason: `the answer shows ${describe(s)}, but the write that made revision ${s.mod} (known from its answer) did not put that` };
    }
  }
  const miscount = miscounted(seen, c, since);
  if (miscount !== undefined) return miscount;
  // Gone while alive: absences against the incarnations answers show alive.
  if (!mayBeGoneWhileAlive(ops, seen, c)) return undefined;
  const absentBy = new Map<string, { at: number; id: number; ret: number }[]>();
  rangeAbsences(ops, [...c.keys.keys()].sort(), (key, at, i) => (absentBy.get(key) ?? absentBy.set(key, []).get(key)!).push({ at, id: ops[i]!.id, ret: ops[i]!.return }));
  // Per key, the absences' revisions sorted: a sighting with none in [create, at] (most) is passed over in O(log n).
  const absentAt = new Map<string, number[]>();
  for (const [key, list] of absentBy) absentAt.set(key, packedNumbers(list, (a) => a.at).sort((x, y) => x - y));
  for (let i = 0; i < seen.length; i++) {
    const { s, id, ret } = seen[i]!;
    const ats = absentAt.get(s.key);
    if (ats === undefined || s.create <= 0 || !anyIn(ats, s.create, s.at)) continue;
    const absences = absentBy.get(s.key)!;
    for (let j = 0; j < absences.length; j++) {
      const a = absences[j]!;
      if (a.at < s.create || a.at > s.at) continue;
      const blame = a.at > s.at || (a.at === s.at && a.ret > ret) ? a.id : id;
      return { id: blame, reason: `one answer shows ${JSON.stringify(s.key)} missing at revision ${a.at}, another shows it created at ${s.create} and still there at ${s.at}` };
    }
  }
  return undefined;
}

/**
 * Whether some sighting may have an absence in [create, at]: false only when every range answer
 * of `ops` was listed whole into the gap constraints' key facts (their absences then hold every
 * one the range answers show, plus the watch's deletes) and no sighting has one there. Listing
 * every range answer again over the keys (with the op of each absence, for the blame) is then
 * not needed: it was a third of this search for contradictions on valid histories.
 */
function mayBeGoneWhileAlive(ops: readonly EtcdOp[], seen: readonly { s: Sighting }[], c: GapConstraints): boolean {
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i]!;
    const o = op.output;
    if (op.input.f !== 'kv/range' || o === undefined || !('response' in o)) continue;
    const read = o.read;
    if (read === undefined || read.f !== op.input.f || read.req !== op.input.request || (read.listing !== null && read.absencesIn !== c.keys)) return true;
  }
  for (let i = 0; i < seen.length; i++) {
    const s = seen[i]!.s;
    if (s.create <= 0) continue;
    const f = c.keys.get(s.key);
    if (f !== undefined && f.absent.length > 0 && anyIn(f.absent, s.create, s.at)) return true;
  }
  return false;
}

/** Whether the ascending `sorted` has an element in [lo, hi]. */
function anyIn(sorted: readonly number[], lo: number, hi: number): boolean {
  const a = lowerBound(sorted, lo);
  return a < sorted.length && sorted[a]! <= hi;
}

type SeenKv = { s: Sighting; id: number; ret: number };

/** The first version count that the writes between two sightings of one incarnation cannot make. */
function miscounted(seen: readonly SeenKv[], c: GapConstraints, since: number): Contradiction | undefined {
  const byKey = new Map<string, SeenKv[]>();
  for (let i = 0; i < seen.length; i++) {
    const x = seen[i]!;
    if (x.s.create > 0 && x.s.version > 0) (byKey.get(x.s.key) ?? byKey.set(x.s.key, []).get(x.s.key)!).push(x);
  }
  // One function per key, not one loop nest: this runs once per history, and V8 compiles a loop
  // nest again at each loop it enters (on-stack replacement).
  for (const [key, list] of byKey) {
    const found = miscountedKey(key, list, c.keys.get(key)!, c, since);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** Whether two sightings show one creation, mod_revision and version (the creation count is the same for both). */
const sameCount = (a: Sighting, b: Sighting): boolean => a.create === b.create && a.mod === b.mod && a.version === b.version;

/** The sightings sorted by (mod_revision, revision), equal ones in their order (a stable sort). */
function byModThenAt(seen: readonly SeenKv[]): SeenKv[] {
  const n = seen.length;
  const mods = new Float64Array(n);
  const ats = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    mods[j] = seen[j]!.s.mod;
    ats[j] = seen[j]!.s.at;
  }
  const order = stableOrderByTwo(mods, ats, true);
  const out: SeenKv[] = [];
  for (let i = 0; i < n; i++) out.push(seen[order[i]!]!);
  return out;
}

const later = (a: SeenKv, b: SeenKv): boolean => a.s.at > b.s.at || (a.s.at === b.s.at && a.ret > b.ret);

/** miscounted for one key's sightings (`f`: the key's facts). */
function miscountedKey(key: string, seen: readonly SeenKv[], f: KeyFacts, c: GapConstraints, since: number): Contradiction | undefined {
  const list = byModThenAt(seen);
  for (let i = 0; i < list.length; i++) {
    const b = list[i]!;
    // Its creation: version 1 at mod C. The same (create, mod, version) as the sighting before
    // (most of a key's sightings: every read of it until the next write) passed this already.
    const made = b.s.version - 1;
    if (b.s.create > since && !(i > 0 && sameCount(list[i - 1]!.s, b.s)) && (made < countIn(f.puts, b.s.create, b.s.mod) || made > countIn(f.puts, b.s.create, b.s.mod) + countIn(f.maybePuts, b.s.create, b.s.mod) + countIn(c.gaps, b.s.create, b.s.mod) || (made === 0) !== (b.s.mod === b.s.create))) {
      return { id: b.id, reason: `the answer shows ${JSON.stringify(key)} created at ${b.s.create} at version ${b.s.version} with mod_revision ${b.s.mod}, which the writes in between cannot make` };
    }
    if (i === 0) continue;
    const a = list[i - 1]!;
    if (a.s.create !== b.s.create || a.s.mod < since) continue;
    const blame = later(a, b) ? a : b;
    if (a.s.mod === b.s.mod) {
      if (a.s.version !== b.s.version || (a.s.value !== undefined && b.s.value !== undefined && a.s.value !== b.s.value) || a.s.lease !== b.s.lease) {
        return { id: blame.id, reason: `two answers show ${JSON.stringify(key)} with mod_revision ${a.s.mod} differently (version ${a.s.version} and ${b.s.version})` };
      }
      continue;
    }
    const steps = b.s.version - a.s.version;
    const sure = countIn(f.puts, a.s.mod, b.s.mod);
    if (steps < sure || steps > sure + countIn(f.maybePuts, a.s.mod, b.s.mod) + countIn(c.gaps, a.s.mod, b.s.mod)) {
      return { id: blame.id, reason: `two answers show ${JSON.stringify(key)} (created at ${a.s.create}) at version ${a.s.version} with mod_revision ${a.s.mod} and at version ${b.s.version} with mod_revision ${b.s.mod}, which the writes in between cannot make` };
    }
  }
  return undefined;
}
