// The grants and keep-alives of a history, each invocation with its completion, read in one pass
// for every part of the lease checker. The parts used to pair the history themselves (the grant
// windows three times, the grants of unknown outcome twice, the keep-alives four times): nine
// passes over every op of the history for two kinds of op.
//
// Each kind is paired on its own, as each part did: an invocation is completed by the next
// completion of that kind from its process (a well-formed history has nothing else between
// them); completions in history order, then the invocations never answered, in invocation order.
import type { Op } from '../history/op.ts';

/** One lease op: its invocation and its completion (undefined when the history ended first). */
export interface LeasePair {
  readonly invoke: Op;
  readonly completion: Op | undefined;
}

export interface LeasePairs {
  readonly grants: readonly LeasePair[];
  readonly keepAlives: readonly LeasePair[];
}

/** The history's lease/grant and lease/keepalive ops, each kind paired on its own. */
export function pairLeaseOps(history: readonly Op[]): LeasePairs {
  const grants: LeasePair[] = [];
  const keepAlives: LeasePair[] = [];
  const openGrants = new Map<number | string, Op>();
  const openKeepAlives = new Map<number | string, Op>();
  for (let i = 0; i < history.length; i++) {
    const op = history[i]!;
    const f = op.f;
    const grant = f === 'lease/grant';
    if (!grant && f !== 'lease/keepalive') continue;
    const open = grant ? openGrants : openKeepAlives;
    if (op.type === 'invoke') {
      open.set(op.process, op);
      continue;
    }
    const invoke = open.get(op.process);
    open.delete(op.process);
    if (invoke !== undefined) (grant ? grants : keepAlives).push({ invoke, completion: op });
  }
  for (const invoke of openGrants.values()) grants.push({ invoke, completion: undefined });
  for (const invoke of openKeepAlives.values()) keepAlives.push({ invoke, completion: undefined });
  return { grants, keepAlives };
}
