// A txn request's branches as the history's walkers loop over them. The form they had,
// `for (const branch of [req.success, req.failure]) for (const op of branch ?? [])`, made an
// array per txn and walk, and another for each absent branch, in optimized code too: the
// preparation walks every txn several times (keys, leases, values) and the model's step
// walks a txn at every try. Reading a branch here allocates nothing and reads it as that
// form did: undefined or null is no ops, anything else is looped over as it is.
import type { Req } from './apply.ts';

const NO_OPS: readonly Req[] = [];

/** How many branches a txn request has: loop `b` from 0 below it and read txnBranch(req, b). */
export const TXN_BRANCHES = 2;

/** Branch `b` of a txn request (0: success, 1: failure): its ops, none when it is absent. */
export function txnBranch(req: Req, b: number): readonly Req[] {
  return branchOps(b === 0 ? req['success'] : req['failure']);
}

/** A branch (a txn's success or failure, read already) as ops to loop over: none when absent. */
export function branchOps(branch: unknown): readonly Req[] {
  return (branch ?? NO_OPS) as readonly Req[];
}
