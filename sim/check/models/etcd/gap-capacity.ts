// Enough gaps for the work the answers still demand, all keys together. After a gap filler,
// each key may still need fillers to do something for it before a revision:
//
// - put it `n` more times before its next sighting (same incarnation, the version count the
//   known puts leave short), by that sighting's mod revision;
// - delete it (it exists now, but an answer shows it missing, or created again, later), by then.
//
// Each gap holds one filler, and a filler serves at most one unit of each of these needs (a
// txn puts a key at most once). So for every deadline B: the units due by B are at most the
// sum, over the gaps in (r, B], of what the best unused candidates can serve: the largest
// coverages among them, as many as there are gaps. The per-key checks (canReachSightings,
// the supply check) see one key at a time and miss two keys that both need the last gap
// (short-timeouts seed 3: two keys to delete before they are created again, one gap left,
// found only there after every order of the twenty fillers before it). A relaxation: it
// never rejects a state some linearization goes through.
import { countIn, firstAbove, knownDeleteIn, nextAbsence, nextSighting, type GapConstraints } from './gap-constraints.ts';
import type { EtcdState } from './state.ts';

/** What one unused candidate can do: whether it may put or delete a key. */
export interface CapacityCandidate {
  id: number;
  call: number;
  mayPut(key: string): boolean;
  /** Keys it touches whichever txn branch runs (so it cannot fill a gap quiet for one of them). */
  mustTouch: readonly string[];
  /** Whether it may delete `key` in a gap in (r, by], the key having lease `leaseNow` at r. */
  mayDelete(key: string, leaseNow: string, r: number, by: number): boolean;
}

interface Need {
  key: string;
  del: boolean;
  /** The key's lease now. */
  lease: string;
  /** The revision by which it must be done. */
  by: number;
  units: number;
}

/** The needs of every key at `state`, due by `horizon` or earlier. */
export function needsAt(c: GapConstraints, state: EtcdState, horizon: number): Need[] {
  const r = state.revision;
  const out: Need[] = [];
  for (const [key, f] of c.keys) {
    const kv = state.kvs.get(key);
    if (kv === undefined) continue;
    const next = nextSighting(f, r);
    const alive = next !== undefined && next.create <= r;
    // This incarnation lives on to its next sighting: the puts it still needs by then.
    if (alive && next.create === kv.create && next.mod <= horizon && countIn(f.maybePuts, r, next.mod) === 0) {
      const units = next.version - kv.version - countIn(f.puts, r, next.mod);
      if (units > 0) out.push({ key, del: false, lease: kv.lease, by: next.mod, units });
    }
    // Seen missing, or created again, later: it must be deleted by then (after that sighting);
    // created again at next.create, the write that created it may have deleted it first
    // (gap-constraints.ts canReachSightings).
    const by = Math.min(nextAbsence(f, r), next !== undefined && !alive ? next.create : Infinity);
    if (by !== Infinity && by <= horizon && countIn(f.deletes, r, by) === 0 && !knownDeleteIn(c, key, r, by)) out.push({ key, del: true, lease: kv.lease, by, units: 1 });
  }
  return out;
}

/**
 * Whether the gaps after state.revision and the unused candidates (sorted by call) can still
 * serve every key's needs due by `horizon` (the window of gaps looked at; Infinity when it
 * reaches the last gap). `due[i]`: the deadline of gaps[i].
 */
export function enoughCapacity(
  c: GapConstraints,
  state: EtcdState,
  horizon: number,
  due: Float64Array,
  candidates: readonly CapacityCandidate[],
  linearized: (id: number) => boolean,
): boolean {
  const needs = needsAt(c, state, horizon);
  if (needs.length === 0) return true;
  needs.sort((a, b) => a.by - b.by);
  const r = state.revision;
  const first = firstAbove(c.gaps, r);
  let units = 0;
  for (let i = 0; i < needs.length; i++) {
    units += needs[i]!.units;
    const by = needs[i]!.by;
    if (i + 1 < needs.length && needs[i + 1]!.by === by) continue;
    const last = firstAbove(c.gaps, by) - 1;
    const gapCount = last - first + 1;
    if (gapCount <= 0) return false;
    const callBy = due[last]!;
    const coverage: number[] = [];
    for (const cand of candidates) {
      if (cand.call >= callBy) break;
      if (linearized(cand.id)) continue;
      let cov = 0;
      for (let j = 0; j <= i; j++) {
        const n = needs[j]!;
        if (n.del ? cand.mayDelete(n.key, n.lease, r, n.by) : cand.mayPut(n.key)) cov++;
      }
      if (cov > 0) coverage.push(cov);
    }
    coverage.sort((a, b) => b - a);
    let can = 0;
    for (let j = 0; j < gapCount && j < coverage.length; j++) can += coverage[j]!;
    if (can < units) return false;
    if (gapCount <= PER_GAP_MAX && perGapCapacity(c, needs, i, first, last, due, candidates, linearized, r) < units) return false;
  }
  return true;
}

/** The per-gap bound is worth its cost only close to a deadline, where a few gaps must do a lot. */
const PER_GAP_MAX = 8;

/**
 * The most units the gaps first..last can serve, each gap by its best unused candidate on its
 * own: one that may fill that gap (touches no key quiet there, may put every key the gap must
 * put), counting the needs not quiet there and due at or after it.
 */
function perGapCapacity(c: GapConstraints, needs: readonly Need[], upTo: number, first: number, last: number, due: Float64Array, candidates: readonly CapacityCandidate[], linearized: (id: number) => boolean, r: number): number {
  let total = 0;
  for (let gi = first; gi <= last; gi++) {
    const g = c.gaps[gi]!;
    const quiet = c.quiet.get(g);
    const must = c.must.get(g);
    let best = 0;
    for (const cand of candidates) {
      if (cand.call >= due[gi]!) break;
      if (linearized(cand.id)) continue;
      if (quiet !== undefined && cand.mustTouch.some((k) => quiet.has(k))) continue;
      if (must !== undefined && [...must].some((k) => !cand.mayPut(k))) continue;
      let cov = 0;
      for (let j = 0; j <= upTo; j++) {
        const n = needs[j]!;
        if (n.by < g || quiet?.has(n.key) === true) continue;
        if (n.del ? cand.mayDelete(n.key, n.lease, r, n.by) : cand.mayPut(n.key)) cov++;
      }
      if (cov > best) best = cov;
    }
    total += best;
  }
  return total;
}
