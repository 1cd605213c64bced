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
import type { Req } from './apply.ts';
import { countIn, firstAbove, nextSighting, type GapConstraints } from './gap-constraints.ts';
import { decodeKey } from './json.ts';
import type { EtcdInput, EtcdOutput } from './model.ts';
import type { EtcdState } from './state.ts';

interface SupplyOp {
  id: number;
  call: number;
  return: number;
  input: EtcdInput;
  output: EtcdOutput | undefined;
}

/** Keys a request may put (any txn branch, nested too). */
function putKeys(f: string, req: Req, out: Set<string>): void {
  if (f === 'kv/put') out.add(decodeKey(req['key']));
  if (f !== 'kv/txn') return;
  for (const branch of [req['success'], req['failure']] as (Req[] | undefined)[]) {
    for (const op of branch ?? []) {
      if (op['request_put'] !== undefined) putKeys('kv/put', op['request_put'] as Req, out);
      if (op['request_txn'] !== undefined) putKeys('kv/txn', op['request_txn'] as Req, out);
    }
  }
}

/** Key ranges a request may delete: [key, range_end), or the key alone when range_end is absent. */
function deleteRanges(f: string, req: Req, out: [string, string | undefined][]): void {
  if (f === 'kv/deleterange') out.push([decodeKey(req['key']), req['range_end'] === undefined ? undefined : decodeKey(req['range_end'])]);
  if (f !== 'kv/txn') return;
  for (const branch of [req['success'], req['failure']] as (Req[] | undefined)[]) {
    for (const op of branch ?? []) {
      if (op['request_delete_range'] !== undefined) deleteRanges('kv/deleterange', op['request_delete_range'] as Req, out);
      if (op['request_txn'] !== undefined) deleteRanges('kv/txn', op['request_txn'] as Req, out);
    }
  }
}

/** Whether an op with these delete ranges may delete `key` (revokes and expiries: any key with a lease). */
function mayDelete(op: SupplyOp, ranges: readonly [string, string | undefined][], key: string, leased: boolean): boolean {
  if (op.input.f === 'lease/revoke' || op.input.f === 'lease/expire') return leased;
  for (const [lo, hi] of ranges) {
    if (hi === undefined ? key === lo : key >= lo && (hi === '\u0000' || key < hi)) return true;
  }
  return false;
}

/** Position by which each gap must exist: the first return of an op that saw a revision at or above it. */
function deadlines(ops: readonly SupplyOp[], gaps: readonly number[]): Float64Array {
  const out = new Float64Array(gaps.length).fill(Infinity);
  // The earliest return among ops pinned at or above each revision: a suffix minimum over revisions.
  const pinned: { rev: number; ret: number }[] = [];
  for (const op of ops) {
    const rev = op.input.servedAt ?? op.input.pre;
    if (rev !== undefined && op.return !== Infinity) pinned.push({ rev, ret: op.return });
  }
  pinned.sort((a, b) => b.rev - a.rev);
  let best = Infinity;
  let p = 0;
  for (let i = gaps.length - 1; i >= 0; i--) {
    while (p < pinned.length && pinned[p]!.rev >= gaps[i]!) best = Math.min(best, pinned[p++]!.ret);
    out[i] = best;
  }
  return out;
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
  for (const op of candidates) {
    const keys = new Set<string>();
    putKeys(op.input.f, op.input.request, keys);
    for (const k of keys) (byKey.get(k) ?? byKey.set(k, []).get(k)!).push(op);
  }
  const ranges = new Map<number, [string, string | undefined][]>();
  for (const op of candidates) {
    const out: [string, string | undefined][] = [];
    deleteRanges(op.input.f, op.input.request, out);
    ranges.set(op.id, out);
  }
  // Per key, its must-put gaps ascending, with their deadlines.
  const musts = new Map<string, { gap: number; due: number }[]>();
  gaps.forEach((g, i) => {
    for (const k of c.must.get(g) ?? []) (musts.get(k) ?? musts.set(k, []).get(k)!).push({ gap: g, due: due[i]! });
  });
  return (state, linearized) => {
    const r = state.revision;
    // All gaps ahead against all unused candidates.
    let gi = firstAbove(gaps, r);
    const end = Math.min(gaps.length, gi + GAPS_AHEAD_MAX);
    if (gi === end) return true;
    const lastGap = gaps[end - 1]!;
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
    // Keys that must be deleted before their next sighting's create revision.
    for (const [k, f] of c.keys) {
      const kv = state.kvs.get(k);
      if (kv === undefined) continue;
      const next = nextSighting(f, r);
      if (next === undefined || next.create <= r || next.create - 1 > lastGap) continue;
      if (countIn(f.deletes, r, next.create - 1) > 0 || countIn(c.anyDeletes, r, next.create - 1) > 0) continue;
      // The last gap before the re-creation: its deadline is the latest the delete can be.
      const last = firstAbove(gaps, next.create - 1) - 1;
      if (last < 0 || gaps[last]! <= r) continue;
      const d = due[last]!;
      let found = false;
      for (const op of candidates) {
        if (op.call >= d) break;
        if (!linearized(op.id) && mayDelete(op, ranges.get(op.id)!, k, kv.lease !== '0')) {
          found = true;
          break;
        }
      }
      if (!found) return false;
    }
    return true;
  };
}
