// Whether etcd 3.4 refuses a txn before raft with "duplicate key given in txn request", decided
// from the request alone, as its gRPC layer does (api/v3rpc/key.go checkIntervals, over pkg/adt's
// affine string intervals): at one level, two puts of one key, or a put inside a delete's range,
// are a duplicate; a nested txn's puts count for its parent level (its then and else branches may
// share keys, never with another nested txn's or with this level's puts) and are checked only
// against the deletes of this level, its own branches' deletes joining them afterwards; deletes may
// overlap each other. A delete's range end is compared as raw bytes with the key, so range_end
// "\0" (every key from the key on) is an empty interval here, exactly as in etcd. This is the
// checker's own reading of etcd's code, not the product's (src/api/validate.ts).
//
// The request is gateway JSON (keys base64). A txn etcd refuses earlier for something else (an
// empty key, ignore_value with a value, more than 128 ops) is not a duplicate: undefined. Which
// of those refusals comes first is txnRefusal's: "too many operations in txn request" when a
// level holds more than its budget (128 at the top, 128 - opc for a nested txn, opc being the
// most of its compares, success and failure ops: etcd 3.4.23 refuses 129 compares).

import { pushAll } from '../array/stack-safe.ts';

type Obj = Record<string, unknown>;

/** [begin, end) of raw bytes; end undefined: the point begin alone. */
interface Interval {
  readonly begin: string;
  readonly end: string | undefined;
}

class Duplicate extends Error {}
/** A request this reading cannot decide (a field of the wrong shape). */
class Undecided extends Error {}
/** checkTxnRequest's ErrGRPCTooManyOps. */
class TooManyOps extends Error {}
/** checkTxnRequest's other refusals: an empty key, a value or lease with ignore_*, an empty op. */
class OtherRefusal extends Error {}

/** etcd's --max-txn-ops default: a txn with more ops at a level is refused before checkIntervals. */
const MAX_TXN_OPS = 128;

function bytesOf(v: unknown): string {
  if (v === undefined) return '';
  if (typeof v !== 'string') throw new Undecided();
  try {
    return atob(v);
  } catch {
    throw new Undecided();
  }
}

function opsOf(v: unknown): readonly Obj[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw new Undecided();
  for (const op of v) if (typeof op !== 'object' || op === null) throw new Undecided();
  return v as Obj[];
}

/** A request's key (checkTxnRequest refused an empty one before). */
function keyOf(r: unknown): string {
  return bytesOf((r as Obj)['key']);
}

/**
 * etcd's checkTxnRequest, in its order: throws TooManyOps when a level holds more ops than its
 * budget (the top 128, a nested txn what its parent level leaves: maxTxnOps - opc), OtherRefusal
 * for the other refusals it meets first (an empty key; a value or lease given with ignore_value or
 * ignore_lease; an empty op).
 */
function checkTxnRequest(t: unknown, maxTxnOps: number): void {
  if (typeof t !== 'object' || t === null) throw new Undecided();
  const compare = opsOf((t as Obj)['compare']);
  const success = opsOf((t as Obj)['success']);
  const failure = opsOf((t as Obj)['failure']);
  const opc = Math.max(compare.length, success.length, failure.length);
  if (opc > maxTxnOps) throw new TooManyOps();
  for (const c of compare) if (keyOf(c) === '') throw new OtherRefusal();
  for (const u of success) checkRequestOp(u, maxTxnOps - opc);
  for (const u of failure) checkRequestOp(u, maxTxnOps - opc);
}

function checkRequestOp(u: Obj, maxTxnOps: number): void {
  const put = u['request_put'];
  const request = u['request_range'] ?? put ?? u['request_delete_range'];
  if (request === undefined) {
    if (u['request_txn'] === undefined) throw new OtherRefusal();
    checkTxnRequest(u['request_txn'], maxTxnOps);
    return;
  }
  if (typeof request !== 'object' || request === null) throw new Undecided();
  if (keyOf(request) === '') throw new OtherRefusal();
  if (put === undefined) return;
  const p = put as Obj;
  if (p['ignore_value'] === true && bytesOf(p['value']) !== '') throw new OtherRefusal();
  const lease = p['lease'];
  if (p['ignore_lease'] === true && lease !== undefined && lease !== '0' && lease !== 0) throw new OtherRefusal();
}

/** adt's Intersects of a point with one interval: begin <= k < end (an end of bytes is never open here). */
function holds(iv: Interval, k: string): boolean {
  return iv.end === undefined ? iv.begin === k : iv.begin <= k && k < iv.end;
}

function intersects(dels: readonly Interval[], k: string): boolean {
  for (const iv of dels) if (holds(iv, k)) return true;
  return false;
}

/** checkIntervals of one branch: its puts and deletes (for the level above), or Duplicate. */
function checkIntervals(reqs: readonly Obj[]): { puts: Set<string>; dels: Interval[] } {
  const dels: Interval[] = [];
  for (const req of reqs) {
    const d = req['request_delete_range'];
    if (d === undefined) continue;
    const end = bytesOf((d as Obj)['range_end']);
    dels.push({ begin: keyOf(d), end: end === '' ? undefined : end });
  }
  const puts = new Set<string>();
  for (const req of reqs) {
    const t = req['request_txn'] as Obj | undefined;
    if (t === undefined) continue;
    const then = checkIntervals(opsOf(t['success']));
    const els = checkIntervals(opsOf(t['failure']));
    for (const k of then.puts) {
      if (puts.has(k) || intersects(dels, k)) throw new Duplicate();
      puts.add(k);
    }
    for (const k of els.puts) {
      // A key of the then branch may be put again in the else branch: only one of them runs.
      if (puts.has(k) && !then.puts.has(k)) throw new Duplicate();
      if (intersects(dels, k)) throw new Duplicate();
      puts.add(k);
    }
    pushAll(dels, then.dels);
    pushAll(dels, els.dels);
  }
  for (const req of reqs) {
    const p = req['request_put'];
    if (p === undefined) continue;
    const k = keyOf(p);
    if (puts.has(k) || intersects(dels, k)) throw new Duplicate();
    puts.add(k);
  }
  return { puts, dels };
}

/** True: etcd refuses the txn as a duplicate key; false: it does not; undefined: not decided here. */
export function txnHasDuplicateKey(request: unknown): boolean | undefined {
  const refusal = txnRefusal(request);
  return refusal === 'duplicate-key' ? true : refusal === 'none' ? false : undefined;
}

/** How etcd 3.4 answers a txn before raft: its first refusal, 'none' when it passes; undefined when malformed. */
export type TxnRefusal = 'too-many-ops' | 'duplicate-key' | 'other' | 'none';

export function txnRefusal(request: unknown): TxnRefusal | undefined {
  if (typeof request !== 'object' || request === null) return undefined;
  const t = request as Obj;
  try {
    checkTxnRequest(t, MAX_TXN_OPS);
    checkIntervals(opsOf(t['success']));
    checkIntervals(opsOf(t['failure']));
    return 'none';
  } catch (err) {
    if (err instanceof TooManyOps) return 'too-many-ops';
    if (err instanceof Duplicate) return 'duplicate-key';
    if (err instanceof OtherRefusal) return 'other';
    if (err instanceof Undecided) return undefined;
    throw err;
  }
}

/**
 * Whether a txn holds more than MAX_TXN_OPS compares and ops over all its levels: only such a
 * txn can pass a level's budget (a nested level's budget is what its parents' opc leave).
 */
export function txnMayHaveTooManyOps(request: unknown): boolean {
  let n = 0;
  const walk = (t: unknown): void => {
    if (typeof t !== 'object' || t === null) return;
    for (const name of ['compare', 'success', 'failure']) {
      const list = (t as Obj)[name];
      if (!Array.isArray(list)) continue;
      n += list.length;
      if (name === 'compare') continue;
      for (const op of list as unknown[]) if (typeof op === 'object' && op !== null) walk((op as Obj)['request_txn']);
    }
  };
  walk(request);
  return n > MAX_TXN_OPS;
}

/** Whether a txn both puts and deletes, or puts twice: a txn whose intervals could collide. */
export function txnMayCollide(request: unknown): boolean {
  let puts = 0;
  let deletes = 0;
  const walk = (ops: unknown): void => {
    if (!Array.isArray(ops)) return;
    for (const op of ops as unknown[]) {
      if (typeof op !== 'object' || op === null) continue;
      const o = op as Obj;
      if (o['request_put'] !== undefined) puts++;
      if (o['request_delete_range'] !== undefined) deletes++;
      const t = o['request_txn'];
      if (typeof t === 'object' && t !== null) {
        walk((t as Obj)['success']);
        walk((t as Obj)['failure']);
      }
    }
  };
  if (typeof request === 'object' && request !== null) {
    walk((request as Obj)['success']);
    walk((request as Obj)['failure']);
  }
  return puts >= 2 || (puts >= 1 && deletes >= 1);
}
