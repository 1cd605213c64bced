// Enough unknown writes left for the gaps ahead. Every gap revision is made by one write of
// unknown outcome (or a lease revoke or expiry), a different one for each gap, called before
// the first return of an op that saw the gap's revision (its deadline). After each gap filler
// the search asks whether the writes not yet used can still cover every gap ahead:
//
// - all gaps: for each deadline, at least as many unused candidates called before it as gaps
//   due by it (Hall's condition; deadlines grow with the revision, so one merge pass);
// - per key: a gap an answer shows put key k (GapConstraints.must) needs an unused candidate
//   that can put k, called before its deadline; likewise counted per key;
// - per key: a key that exists now but whose next sighting shows it created again later must
//   be deleted by then: by a known write, or by an unused candidate that can delete it.
//
// Without it, a filler used up early (the only timed-out put of some key, say) is found
// missing only when the search reaches the gap that needed it, after trying every order of
// the fillers in between. Both checks are necessary conditions, so no linearization is lost.
import { id64 } from './json.ts';
import { deleteRanges, inKeyRanges, leasedPuts, mustTouch, putKeys, type KeyRange } from './write-keys.ts';
import { enoughCapacity, type CapacityCandidate } from './gap-capacity.ts';
import { gapDeadlines, type PinnedReturn } from './gap-deadlines.ts';
import { countIn, firstAbove, knownDeleteIn, nextAbsence, nextSighting, type GapConstraints } from './gap-constraints.ts';
import type { EtcdInput, EtcdOutput } from './model.ts';
import type { EtcdState } from './state.ts';

interface SupplyOp {
  id: number;
  call: number;
  return: number;
  input: EtcdInput;
  output: EtcdOutput | undefined;
}

/**
 * Whether a candidate may delete `key` in a gap in (r, by], the key having lease `leaseNow` at
 * r: by its delete ranges, or as a revoke or expiry of the key's lease, which the key has now
 * or gets from a put with that lease before then: a known write's, or a candidate's (which
 * takes a gap of its own before the revoke's, so two gaps in (r, by]).
 */
export type MayDelete = (op: SupplyOp, key: string, leaseNow: string, r: number, by: number) => boolean;

function prepareMayDelete(ops: readonly SupplyOp[], candidates: readonly SupplyOp[], gaps: readonly number[]): MayDelete {
  const ranges = new Map<number, KeyRange[]>();
  for (let i = 0; i < candidates.length; i++) {
    const op = candidates[i]!;
    const out: KeyRange[] = [];
    deleteRanges(op.input.f, op.input.request, out);
    ranges.set(op.id, out);
  }
  const known = new Map<string, number[]>();
  const byCandidate = new Set<string>();
  // One callback each for every op (the revision of the op being read in `made`), not two closures per op.
  let made = 0;
  const addCandidate = (k: string, lease: string): void => void byCandidate.add(`${lease}/${k}`);
  const addKnown = (k: string, lease: string): void => void (known.get(`${lease}/${k}`) ?? known.set(`${lease}/${k}`, []).get(`${lease}/${k}`)!).push(made);
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i]!;
    const { f, request, pre, gaps } = op.input;
    if (gaps !== undefined) leasedPuts(f, request, addCandidate);
    else if (pre !== undefined) {
      made = pre + 1;
      leasedPuts(f, request, addKnown);
    }
  }
  known.forEach((revs) => revs.sort((a, b) => a - b));
  return (op, key, leaseNow, r, by) => {
    if (op.input.f === 'lease/revoke' || op.input.f === 'lease/expire') {
      const lease = id64(op.input.request['ID']);
      if (lease === '0') return false;
      if (leaseNow === lease) return true;
      if (byCandidate.has(`${lease}/${key}`) && firstAbove(gaps, by) - firstAbove(gaps, r) >= 2) return true;
      const revs = known.get(`${lease}/${key}`);
      return revs !== undefined && countIn(revs, r, by) > 0;
    }
    return inKeyRanges(ranges.get(op.id) ?? [], key);
  };
}

/** Position by which each gap must exist: the first return of an op that saw a revision at or above it. */
function deadlines(ops: readonly SupplyOp[], gaps: readonly number[]): Float64Array {
  const pinned: PinnedReturn[] = [];
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i]!;
    const rev = op.input.servedAt ?? op.input.pre;
    if (rev !== undefined && op.return !== Infinity) pinned.push({ rev, ret: op.return });
  }
  return gapDeadlines(pinned, gaps);
}

/**
 * Gaps ahead looked at after each filler. A window keeps the check's cost per step bounded in
 * histories with hundreds of gaps; looking at fewer gaps only prunes less, never wrongly.
 */
const GAPS_AHEAD_MAX = 64;

export type SupplyCheck = (state: EtcdState, linearized: (id: number) => boolean) => boolean;

export function prepareSupplyCheck(ops: readonly SupplyOp[], c: GapConstraints): SupplyCheck | undefined {
  const gaps = c.gaps;
  if (gaps.length === 0) return undefined;
  const due = deadlines(ops, gaps);
  // Who can make a gap revision: unseen writes (gated), and lease revokes and expiries (their
  // revision is never pinned), whatever their outcome.
  const candidates = ops.filter((op) => op.input.gaps !== undefined || op.input.f === 'lease/revoke' || op.input.f === 'lease/expire').sort((a, b) => a.call - b.call);
  const byKey = new Map<string, SupplyOp[]>();
  for (let i = 0; i < candidates.length; i++) {
    const op = candidates[i]!;
    const keys = new Set<string>();
    putKeys(op.input.f, op.input.request, keys);
    keys.forEach((k) => (byKey.get(k) ?? byKey.set(k, []).get(k)!).push(op));
  }
  const mayDelete = prepareMayDelete(ops, candidates, gaps);
  // Per key, its must-put gaps ascending, with their deadlines.
  const musts = new Map<string, { gap: number; due: number }[]>();
  gaps.forEach((g, i) => {
    for (const k of c.must.get(g) ?? []) (musts.get(k) ?? musts.set(k, []).get(k)!).push({ gap: g, due: due[i]! });
  });
  const capacity: CapacityCandidate[] = candidates.map((op) => {
    const puts = new Set<string>();
    putKeys(op.input.f, op.input.request, puts);
    return { id: op.id, call: op.call, mayPut: (k) => puts.has(k), mustTouch: mustTouch(op.input.f, op.input.request), mayDelete: (k, leaseNow, r, by) => mayDelete(op, k, leaseNow, r, by) };
  });
  return (state, linearized) => {
    const r = state.revision;
    // All gaps ahead against all unused candidates.
    let gi = firstAbove(gaps, r);
    const end = Math.min(gaps.length, gi + GAPS_AHEAD_MAX);
    if (gi === end) return true;
    const lastGap = gaps[end - 1]!;
    // Needs due after the window are left out, unless no gap lies beyond it to serve them.
    const horizon = end === gaps.length ? Infinity : lastGap;
    let ci = 0;
    let supply = 0;
    for (let needed = 1; gi < end; gi++, needed++) {
      const d = due[gi]!;
      while (ci < candidates.length && candidates[ci]!.call < d) if (!linearized(candidates[ci++]!.id)) supply++;
      if (supply < needed) return false;
    }
    for (const [k, list] of musts) {
      let needed = 0;
      let kci = 0;
      let ksupply = 0;
      const supplyList = byKey.get(k) ?? [];
      for (const m of list) {
        if (m.gap <= r) continue;
        if (m.gap > lastGap) break;
        needed++;
        while (kci < supplyList.length && supplyList[kci]!.call < m.due) if (!linearized(supplyList[kci++]!.id)) ksupply++;
        if (ksupply < needed) return false;
      }
    }
    // Keys that must be gone by a revision: seen missing there, or created again after it.
    for (const [k, f] of c.keys) {
      const kv = state.kvs.get(k);
      if (kv === undefined) continue;
      const next = nextSighting(f, r);
      // Created again at next.create: the write that created it may have deleted it first (canReachSightings).
      const by = Math.min(nextAbsence(f, r), next !== undefined && next.create > r ? next.create : Infinity);
      if (by === Infinity || by > horizon) continue;
      if (countIn(f.deletes, r, by) > 0 || knownDeleteIn(c, k, r, by)) continue;
      // The last gap before then: its deadline is the latest the delete can be.
      const last = firstAbove(gaps, by) - 1;
      if (last < 0 || gaps[last]! <= r) continue;
      const d = due[last]!;
      let found = false;
      for (const op of candidates) {
        if (op.call >= d) break;
        if (!linearized(op.id) && mayDelete(op, k, kv.lease, r, by)) {
          found = true;
          break;
        }
      }
      if (!found) return false;
    }
    return enoughCapacity(c, state, horizon, due, capacity, linearized);
  };
}
