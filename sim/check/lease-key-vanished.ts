// Keys that vanished with their lease: a read of the current revision R whose answer shows every
// key of its range that passes its filters (lease-key-reads.ts: a plain range, or one whose limit
// it did not fill, sorted or filtered by revision, as etcd's lock waits on older holders) but not
// key k, where the last acknowledged put of k below R (a put, or a put in the branch a txn ran)
// attached lease L, k passes the read's filters at that put's revision, and no other write could
// have touched k between that put and R (no put, delete or txn on k that was invoked before the
// read answered, overlapped the put, and did not fail for sure or commit outside the window).
// Then only L's end (expiry or revoke) deleted k, before the read answered. A failure is sure
// only with an error after which etcd cannot have applied the request (not a timeout, "leader
// changed", "no leader" or a lost connection: mayHaveApplied).
import type { Op } from '../history/op.ts';
import { decodeKey, int, mayHaveApplied } from './models/etcd/json.ts';
import { completeRead, keyRange as rangeOf, putsOf } from './lease-key-reads.ts';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (typeof v === 'object' && v !== null ? (v as Obj) : {});
const arr = (v: unknown): Obj[] => (Array.isArray(v) ? v.map(obj) : []);

/** A write as the history shows it: when it could have applied, and at which revision if known. */
interface Write {
  readonly invokeUs: number;
  /** Its answer's time; Infinity when the outcome is unknown. */
  readonly endUs: number;
  readonly failed: boolean;
  /** header.revision of an ok answer; 0 when unknown. */
  readonly revision: number;
  readonly touches: (key: string) => boolean;
}

/** An acknowledged put of one key. */
interface Put {
  readonly write: Write;
  readonly lease: string;
}

/** Every key range a txn may write, both branches and nested txns (which branch ran does not matter here). */
function txnWrites(req: Obj, out: ((key: string) => boolean)[]): void {
  for (const op of [...arr(req['success']), ...arr(req['failure'])]) {
    if (op['request_put'] !== undefined) out.push(rangeOf({ key: obj(op['request_put'])['key'] }));
    else if (op['request_delete_range'] !== undefined) out.push(rangeOf(obj(op['request_delete_range'])));
    else if (op['request_txn'] !== undefined) txnWrites(obj(op['request_txn']), out);
  }
}

function touchesOf(f: string, req: Obj): ((key: string) => boolean) | undefined {
  if (f === 'kv/put') return rangeOf({ key: req['key'] });
  if (f === 'kv/deleterange') return rangeOf(req);
  if (f !== 'kv/txn') return undefined;
  const ranges: ((key: string) => boolean)[] = [];
  txnWrites(req, ranges);
  return ranges.length === 0 ? undefined : (k) => ranges.some((r) => r(k));
}

/** Writes looked at, in all, before the key check gives up (its verdict then says so). */
const KEY_CHECK_STEPS_MAX = 20_000_000;

/** The writes that may touch one key and did not fail for sure. */
interface KeyWriteLists {
  /** Answered ok, in answer order (so by endUs). */
  readonly answered: Write[];
  /**
   * Per position of `answered`, the earliest invocation among it and the writes after it: a read
   * answered at okUs can stop where this is ≥ okUs (no later write was invoked before its answer).
   */
  readonly invokedFromUs: Float64Array;
  /** Unknown outcome: answered "info" or never answered. */
  readonly open: Write[];
}

export class KeyWrites {
  private readonly writes: Write[] = [];
  private steps = 0;
  /** True once the key check ran out of its step budget: keys read after that were not judged. */
  exhausted = false;
  /** Acknowledged puts by key (plain, or in the branch a txn ran), in answer order; sorted by revision (stable) before the first read. */
  private readonly puts = new Map<string, Put[]>();
  private putsSorted = false;
  /** The keys of `puts`, sorted (a read looks only at the keys of its range), and each one's place in `puts`. */
  private keysSorted: string[] = [];
  private readonly keyPlace = new Map<string, number>();
  /** Per key, the writes that may touch it, built at its first question (one pass over the writes per key). */
  private readonly byKey = new Map<string, KeyWriteLists>();

  constructor(history: readonly Op[]) {
    const pending = new Map<number | string, { invoke: Op; touches: (key: string) => boolean }>();
    for (const op of history) {
      if (op.type === 'invoke') {
        const touches = touchesOf(op.f, obj(op.value));
        if (touches !== undefined) pending.set(op.process, { invoke: op, touches });
        continue;
      }
      const p = pending.get(op.process);
      pending.delete(op.process);
      if (p === undefined) continue;
      const ok = op.type === 'ok';
      // A write that failed with an error after which it may still have applied ("leader
      // changed", "request timed out") is of unknown outcome, as one that timed out (ground-truth
      // seed 53023: a txn answered "leader changed" had deleted the leased key).
      const failed = op.type === 'fail' && !mayHaveApplied(op.error ?? '');
      const unknown = op.type === 'info' || (op.type === 'fail' && !failed);
      const write: Write = { invokeUs: p.invoke.time, endUs: unknown ? Infinity : op.time, failed, revision: ok ? int(obj(obj(op.value)['header'])['revision']) : 0, touches: p.touches };
      this.writes.push(write);
      if (!ok) continue;
      for (const [key, lease] of putsOf(p.invoke.f, obj(p.invoke.value), obj(op.value))) {
        const list = this.puts.get(key) ?? [];
        list.push({ write, lease });
        this.puts.set(key, list);
      }
    }
    // Writes that never answered may have applied at any time after their invocation.
    for (const { invoke, touches } of pending.values()) this.writes.push({ invokeUs: invoke.time, endUs: Infinity, failed: false, revision: 0, touches });
  }

  /**
   * Keys of the read's range (a current read that shows every key it matched: completeRead)
   * with a leased put below its revision that passes its filters and that it does not show, and
   * that nothing but the lease's end can explain; `revision` is that put's (which of the grants
   * of the lease's id it attached the key to).
   */
  vanished(req: Obj, resp: Obj, okUs: number): { key: string; lease: string; revision: number }[] {
    const passes = completeRead(req, resp);
    if (passes === undefined || this.exhausted) return [];
    if (!this.putsSorted) {
      // Stable: puts at one revision (only in a broken history) keep their answer order.
      for (const list of this.puts.values()) list.sort((a, b) => a.write.revision - b.write.revision);
      for (const key of this.puts.keys()) this.keyPlace.set(key, this.keyPlace.size);
      this.keysSorted = [...this.puts.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      this.putsSorted = true;
    }
    const readRevision = int(obj(resp['header'])['revision']);
    const inRange = rangeOf(req);
    const shown = new Set(arr(resp['kvs']).map((kv) => decodeKey(kv['key'])));
    const out: { key: string; lease: string; revision: number; place: number }[] = [];
    const keys = this.keysSorted;
    // The range's keys: from its first key on, in key order, while in the range.
    for (let i = lowerBoundKey(keys, decodeKey(req['key'])); i < keys.length && inRange(keys[i]!); i++) {
      const key = keys[i]!;
      if (shown.has(key)) continue;
      const last = lastPutBelow(this.puts.get(key)!, readRevision);
      if (last === undefined || last.lease === '0' || !passes(last.write.revision) || this.otherWrite(key, last.write, readRevision, okUs)) continue;
      out.push({ key, lease: last.lease, revision: last.write.revision, place: this.keyPlace.get(key)! });
    }
    // In the order the keys were first put, as the report always listed them.
    out.sort((a, b) => a.place - b.place);
    return out.map(({ key, lease, revision }) => ({ key, lease, revision }));
  }

  /** True when a write other than `put` may have written `key` after it and at or below `readRevision`. */
  private otherWrite(key: string, put: Write, readRevision: number, okUs: number): boolean {
    const lists = this.writesOf(key);
    if (lists === undefined) return true;
    // Answered writes that ended before the put was invoked cannot come after it: start past them.
    const answered = lists.answered;
    let lo = 0;
    let hi = answered.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (answered[mid]!.endUs <= put.invokeUs) lo = mid + 1;
      else hi = mid;
    }
    const invokedFrom = lists.invokedFromUs;
    for (let i = lo; i < answered.length; i++) {
      // None of the writes left was invoked before the read answered: each would be passed over
      // below. Their steps are spent all at once (the budget then ends exactly where the scan
      // one by one would have ended it), so the step count stays that of the plain scan.
      if (invokedFrom[i]! >= okUs && this.steps + (answered.length - i) <= KEY_CHECK_STEPS_MAX) {
        this.steps += answered.length - i;
        break;
      }
      const w = answered[i]!;
      if (!this.step()) return true;
      if (w === put || w.invokeUs >= okUs) continue;
      if (w.revision > put.revision && w.revision <= readRevision) return true;
    }
    for (const w of lists.open) {
      if (!this.step()) return true;
      if (w !== put && w.invokeUs < okUs && w.endUs > put.invokeUs) return true;
    }
    return false;
  }

  /** The writes that may touch `key` and did not fail for sure; undefined once the step budget is out. */
  private writesOf(key: string): KeyWriteLists | undefined {
    let lists = this.byKey.get(key);
    if (lists !== undefined) return lists;
    const answered: Write[] = [];
    const open: Write[] = [];
    for (const w of this.writes) {
      if (!this.step()) return undefined;
      if (w.failed || !w.touches(key)) continue;
      if (w.revision === 0) open.push(w);
      else answered.push(w);
    }
    // In answer order already when the history's times are (a file's history need not be).
    answered.sort((a, b) => a.endUs - b.endUs);
    const invokedFromUs = new Float64Array(answered.length);
    let earliest = Infinity;
    for (let i = answered.length - 1; i >= 0; i--) invokedFromUs[i] = earliest = Math.min(earliest, answered[i]!.invokeUs);
    lists = { answered, invokedFromUs, open };
    this.byKey.set(key, lists);
    return lists;
  }

  /** Spends one step; false (and exhausted) once the budget is out. */
  private step(): boolean {
    if (++this.steps <= KEY_CHECK_STEPS_MAX) return true;
    this.exhausted = true;
    return false;
  }
}

/** The first position of sorted `keys` whose key is ≥ `key`. */
function lowerBoundKey(keys: readonly string[], key: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The put with the highest revision below `revision` (the first answered among equals), in puts sorted by revision. */
function lastPutBelow(puts: readonly Put[], revision: number): Put | undefined {
  let lo = 0;
  let hi = puts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (puts[mid]!.write.revision < revision) lo = mid + 1;
    else hi = mid;
  }
  let i = lo - 1;
  if (i < 0) return undefined;
  while (i > 0 && puts[i - 1]!.write.revision === puts[i]!.write.revision) i--;
  return puts[i];
}
