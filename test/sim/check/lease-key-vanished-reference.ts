// The key check of lease-key-vanished.ts as it was first written (a linear scan over every put of
// the key and every write of the history per question): the reference its indexed version is
// tested against (lease-key-vanished.test.ts). Not used by the checker.
import type { Op } from '../../../sim/history/op.ts';
import { decodeKey, int, mayHaveApplied } from '../../../sim/check/models/etcd/json.ts';
import { completeRead, putsOf } from '../../../sim/check/lease-key-reads.ts';

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

/** The key range [key, range_end) of a request, as a membership test (etcd's conventions). */
function rangeOf(req: Obj): (key: string) => boolean {
  const from = decodeKey(req['key']);
  const end = req['range_end'] === undefined ? '' : decodeKey(req['range_end']);
  if (end === '') return (k) => k === from;
  if (end === '\0') return (k) => k >= from;
  return (k) => k >= from && k < end;
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

export class ReferenceKeyWrites {
  private readonly writes: Write[] = [];
  private steps = 0;
  /** True once the key check ran out of its step budget: keys read after that were not judged. */
  exhausted = false;
  /** Acknowledged puts by key (plain, or in the branch a txn ran), in answer order. */
  private readonly puts = new Map<string, Put[]>();

  constructor(history: readonly Op[]) {
    const open = new Map<number | string, Op>();
    const pending = new Map<number | string, { invoke: Op; touches: (key: string) => boolean }>();
    for (const op of history) {
      if (op.type === 'invoke') {
        open.set(op.process, op);
        const touches = touchesOf(op.f, obj(op.value));
        if (touches !== undefined) pending.set(op.process, { invoke: op, touches });
        continue;
      }
      open.delete(op.process);
      const p = pending.get(op.process);
      pending.delete(op.process);
      if (p === undefined) continue;
      const ok = op.type === 'ok';
      // A failure after which the write may still have applied is an unknown outcome.
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
   * Keys of the read's range (a current read that shows every key it matched) with a leased put
   * below its revision that it does not show, and that nothing but the lease's end can explain.
   */
  vanished(req: Obj, resp: Obj, okUs: number): { key: string; lease: string; revision: number }[] {
    const passes = completeRead(req, resp);
    if (passes === undefined || this.exhausted) return [];
    const readRevision = int(obj(resp['header'])['revision']);
    const inRange = rangeOf(req);
    const shown = new Set(arr(resp['kvs']).map((kv) => decodeKey(kv['key'])));
    const out: { key: string; lease: string; revision: number }[] = [];
    for (const [key, puts] of this.puts) {
      if (!inRange(key) || shown.has(key)) continue;
      let last: Put | undefined;
      for (const p of puts) if (p.write.revision < readRevision && (last === undefined || p.write.revision > last.write.revision)) last = p;
      if (last === undefined || last.lease === '0' || !passes(last.write.revision) || this.otherWrite(key, last.write, readRevision, okUs)) continue;
      out.push({ key, lease: last.lease, revision: last.write.revision });
    }
    return out;
  }

  /** True when a write other than `put` may have written `key` after it and at or below `readRevision`. */
  private otherWrite(key: string, put: Write, readRevision: number, okUs: number): boolean {
    for (const w of this.writes) {
      if (++this.steps > KEY_CHECK_STEPS_MAX) {
        this.exhausted = true;
        return true;
      }
      if (w === put || w.failed || w.invokeUs >= okUs || w.endUs <= put.invokeUs || !w.touches(key)) continue;
      if (w.revision === 0 || (w.revision > put.revision && w.revision <= readRevision)) return true;
    }
    return false;
  }
}
