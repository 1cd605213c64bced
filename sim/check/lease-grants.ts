// The grants that may have made a lease id (again): every answered grant (with its id, or with
// ID 0 and the id its answer gave), and every grant naming the id whose outcome is unknown (timed
// out, never answered, or failed with an error that does not say it was refused). A lease id
// that was revoked or expired may be granted again, and the keys put with it afterwards and the
// keep-alives that renew it afterwards belong to the new lease: evidence about the old lease says
// nothing of them (ground-truth seeds 49511, 52967, 60902).
import type { Op } from '../history/op.ts';
import { id64 } from './models/etcd/json.ts';
import { pairLeaseOps, type LeasePair } from './lease-pairs.ts';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (typeof v === 'object' && v !== null ? (v as Obj) : {});

/** Errors of a grant that certainly did not happen. */
export const REFUSED_GRANT = /lease already exists|too large lease TTL/i;

/** One grant that may have made the lease: when it was sent, and when its answer came (Infinity: unknown outcome). */
export interface GrantWindow {
  readonly invokeUs: number;
  readonly doneUs: number;
}

/** Lease id → the grants that may have made it, in the order their completions appear. */
export function grantWindows(history: readonly Op[]): Map<string, GrantWindow[]> {
  return grantWindowsOf(pairLeaseOps(history).grants);
}

/** grantWindows from the history's grants as pairLeaseOps paired them. */
export function grantWindowsOf(grants: readonly LeasePair[]): Map<string, GrantWindow[]> {
  const out = new Map<string, GrantWindow[]>();
  const add = (id: string, w: GrantWindow): void => {
    if (id === '0') return;
    const list = out.get(id);
    if (list === undefined) out.set(id, [w]);
    else list.push(w);
  };
  for (let i = 0; i < grants.length; i++) {
    const { invoke: inv, completion: op } = grants[i]!;
    const named = id64(obj(inv.value)['ID']);
    if (op === undefined) add(named, { invokeUs: inv.time, doneUs: Infinity });
    else if (op.type === 'ok') add(named !== '0' ? named : id64(obj(op.value)['ID']), { invokeUs: inv.time, doneUs: op.time });
    else if (op.type === 'info' || !REFUSED_GRANT.test(op.error ?? '')) add(named, { invokeUs: inv.time, doneUs: Infinity });
  }
  return out;
}

/**
 * Lease id → the earliest invocation (µs) of a grant naming that id whose outcome is unknown
 * (timed out, failed with an error that does not say it was refused, never answered): it may
 * have made the lease, with its own TTL. These are the windows with no answer (doneUs Infinity).
 */
export function unknownGrantsOf(windows: ReadonlyMap<string, readonly GrantWindow[]>): Map<string, number> {
  const out = new Map<string, number>();
  for (const [id, list] of windows) {
    let firstUs = Infinity;
    for (const w of list) if (w.doneUs === Infinity && w.invokeUs < firstUs) firstUs = w.invokeUs;
    if (firstUs !== Infinity) out.set(id, firstUs);
  }
  return out;
}

/**
 * Whether one of `grants` may have been applied after `afterUs` (its answer came later, or never)
 * and before `beforeUs` (it was sent earlier).
 */
export function mayHaveGrantedBetween(grants: readonly GrantWindow[] | undefined, afterUs: number, beforeUs: number): boolean {
  if (grants === undefined) return false;
  for (const g of grants) if (g.doneUs > afterUs && g.invokeUs < beforeUs) return true;
  return false;
}
