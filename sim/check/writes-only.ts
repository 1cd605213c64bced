// The write part of an etcd history: every op that can change the store, with the reads left
// out. Where a scenario documents stale reads (lease-based reads under clock drift or an
// isolated leader) it excuses the linearizability of reads only: the writes, linearized alone,
// must still be linearizable (a subset of a linearizable history's ops that only read is
// removable, so a violation here is never a stale read). Reads are ranges, read-only txns
// (no put or delete in either branch, nested txns included) and lease lookups.
import type { Op } from '../history/op.ts';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (typeof v === 'object' && v !== null ? (v as Obj) : {});
const ops = (v: unknown): Obj[] => (Array.isArray(v) ? v.map(obj) : []);

function txnWrites(req: Obj): boolean {
  return [...ops(req['success']), ...ops(req['failure'])].some((op) =>
    op['request_put'] !== undefined || op['request_delete_range'] !== undefined || (op['request_txn'] !== undefined && txnWrites(obj(op['request_txn']))));
}

/** True for an op (its invocation) that only reads. */
export function readsOnly(invoke: Op): boolean {
  if (invoke.f === 'kv/range' || invoke.f === 'lease/timetolive' || invoke.f === 'lease/leases') return true;
  if (invoke.f === 'kv/txn') return !txnWrites(obj(invoke.value));
  return false;
}

/** The history without its read-only ops (invocation and completion both), in order. */
export function writesOnly(history: readonly Op[]): Op[] {
  const dropped = new Map<number | string, boolean>();
  const out: Op[] = [];
  for (const op of history) {
    if (op.type === 'invoke') {
      const drop = readsOnly(op);
      dropped.set(op.process, drop);
      if (!drop) out.push(op);
    } else {
      if (dropped.get(op.process) !== true) out.push(op);
      dropped.delete(op.process);
    }
  }
  return out;
}
