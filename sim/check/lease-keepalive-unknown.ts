// Keep-alives whose serving time no answer bounds: one that timed out, failed or was never
// answered, and one the client sent more than once (a retry after a timeout; the history's
// `tries`): such a keep-alive may renew its lease at any time after its invocation, also after
// its own answer arrived (a paused member serves the first try when it resumes). The lease
// checker's rules that bound a lease's expiry by its renewals' answers skip what one of these
// may have renewed.
import type { Op } from '../history/op.ts';
import { id64 } from './models/etcd/json.ts';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (typeof v === 'object' && v !== null ? (v as Obj) : {});

/**
 * Each keep-alive of `history` as its invocation and its completion (undefined when never
 * answered), completions in history order, then the unanswered ones.
 */
export function forEachKeepAlive(history: readonly Op[], each: (invoke: Op, completion: Op | undefined) => void): void {
  const open = new Map<number | string, Op>();
  for (const op of history) {
    if (op.f !== 'lease/keepalive') continue;
    if (op.type === 'invoke') {
      open.set(op.process, op);
      continue;
    }
    const inv = open.get(op.process);
    open.delete(op.process);
    if (inv !== undefined) each(inv, op);
  }
  for (const inv of open.values()) each(inv, undefined);
}

/** Lease id → the earliest invocation (µs) of a keep-alive of that lease whose serving time is unbounded. */
export function unboundedKeepAlives(history: readonly Op[]): Map<string, number> {
  const out = new Map<string, number>();
  forEachKeepAlive(history, (inv, op) => {
    if (op !== undefined && op.type === 'ok' && (op.tries ?? 1) <= 1) return;
    const id = id64(obj(inv.value)['ID']);
    out.set(id, Math.min(out.get(id) ?? Infinity, inv.time));
  });
  return out;
}

/**
 * Lease id → the invocation (µs) of every try of a keep-alive whose serving time no answer
 * bounds, one entry per try that may have renewed the lease (an answered keep-alive sent n times:
 * its n - 1 other tries; one of unknown outcome: all of its tries).
 */
export function unboundedKeepAliveTries(history: readonly Op[]): Map<string, number[]> {
  const out = new Map<string, number[]>();
  forEachKeepAlive(history, (inv, op) => {
    const tries = Math.max(1, op?.tries ?? 1) - (op !== undefined && op.type === 'ok' ? 1 : 0);
    if (tries <= 0) return;
    const id = id64(obj(inv.value)['ID']);
    let list = out.get(id);
    if (list === undefined) out.set(id, (list = []));
    for (let i = 0; i < tries; i++) list.push(inv.time);
  });
  return out;
}
