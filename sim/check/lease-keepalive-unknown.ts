// Keep-alives whose serving time no answer bounds: one that timed out, failed or was never
// answered, and one the client sent more than once (a retry after a timeout; the history's
// `tries`): such a keep-alive may renew its lease at any time after its invocation, also after
// its own answer arrived (a paused member serves the first try when it resumes). The lease
// checker's rules that bound a lease's expiry by its renewals' answers skip what one of these
// may have renewed. The keep-alives come paired (lease-pairs.ts).
import type { LeasePair } from './lease-pairs.ts';
import { id64 } from './models/etcd/json.ts';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (typeof v === 'object' && v !== null ? (v as Obj) : {});

/** Lease id → the earliest invocation (µs) of a keep-alive of that lease whose serving time is unbounded. */
export function unboundedKeepAlives(keepAlives: readonly LeasePair[]): Map<string, number> {
  const out = new Map<string, number>();
  for (let i = 0; i < keepAlives.length; i++) {
    const { invoke: inv, completion: op } = keepAlives[i]!;
    if (op !== undefined && op.type === 'ok' && (op.tries ?? 1) <= 1) continue;
    const id = id64(obj(inv.value)['ID']);
    out.set(id, Math.min(out.get(id) ?? Infinity, inv.time));
  }
  return out;
}

/**
 * Lease id → the invocation (µs) of every try of a keep-alive whose serving time no answer
 * bounds, one entry per try that may have renewed the lease (an answered keep-alive sent n times:
 * its n - 1 other tries; one of unknown outcome: all of its tries).
 */
export function unboundedKeepAliveTries(keepAlives: readonly LeasePair[]): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (let k = 0; k < keepAlives.length; k++) {
    const { invoke: inv, completion: op } = keepAlives[k]!;
    const tries = Math.max(1, op?.tries ?? 1) - (op !== undefined && op.type === 'ok' ? 1 : 0);
    if (tries <= 0) continue;
    const id = id64(obj(inv.value)['ID']);
    let list = out.get(id);
    if (list === undefined) out.set(id, (list = []));
    for (let i = 0; i < tries; i++) list.push(inv.time);
  }
  return out;
}
