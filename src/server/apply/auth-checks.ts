// etcd 3.4's authApplierV3 (etcdserver/apply_auth.go): with authentication enabled, a write
// entry is checked against the permissions of the user who proposed it (the entry's header), as
// of the entry's place in the log, before it applies. A put needs write on its key, its lease's
// keys (checkLeasePuts: a user may not attach a lease it could not revoke) and, with prev_kv, read;
// a delete needs write (and read, with prev_kv) on its range; a txn needs read on every compared
// range and what its ops need (3.4 does not look inside a nested txn); a lease revoke needs write
// on the lease's keys. Compaction, lease grants and checkpoints are not checked in 3.4.
import type { EtcdError } from '../../api/errors.ts';
import type { RequestOp, TxnRequest } from '../../api/types.ts';
import type { AuthInfo, AuthStore } from '../../auth/auth-store.ts';
import type { Lessor } from '../../lease/lessor.ts';
import type { LeaseId } from '../../mvcc/key-value.ts';
import type { RaftRequest } from './raft-request.ts';

/** The error that refuses `body` from `ai` (undefined: no user), or undefined when it may apply. */
export function checkRequestAuth(auth: AuthStore, lessor: Lessor, ai: AuthInfo | undefined, body: RaftRequest): EtcdError | undefined {
  if (!auth.isEnabled) return undefined;
  switch (body.kind) {
    case 'put': {
      const r = body.request;
      const key = r.key ?? '';
      return auth.isPutPermitted(ai, key) ?? checkLeasePuts(auth, lessor, ai, r.lease ?? 0n) ?? (r.prev_kv === true ? auth.isRangePermitted(ai, key, '') : undefined);
    }
    case 'delete_range': {
      const r = body.request;
      return auth.isDeleteRangePermitted(ai, r.key ?? '', r.range_end ?? '') ?? (r.prev_kv === true ? auth.isRangePermitted(ai, r.key ?? '', r.range_end ?? '') : undefined);
    }
    case 'txn':
      return checkTxnAuth(auth, ai, body.request);
    case 'lease_revoke':
      return checkLeasePuts(auth, lessor, ai, body.request.ID ?? 0n);
    default:
      return undefined;
  }
}

/** The end of the range whose read permission a range or compare needs (RangeRequest.permission_range_end). */
export function permissionEnd(r: { readonly range_end?: string; readonly permission_range_end?: string }): string {
  return r.permission_range_end ?? r.range_end ?? '';
}

/** etcd's checkTxnAuth: read on every compared range, then the success ops, then the failure ops. */
export function checkTxnAuth(auth: AuthStore, ai: AuthInfo | undefined, t: TxnRequest): EtcdError | undefined {
  for (const c of t.compare ?? []) {
    const err = auth.isRangePermitted(ai, c.key ?? '', permissionEnd(c));
    if (err !== undefined) return err;
  }
  return checkOps(auth, ai, t.success ?? []) ?? checkOps(auth, ai, t.failure ?? []);
}

function checkOps(auth: AuthStore, ai: AuthInfo | undefined, ops: readonly RequestOp[]): EtcdError | undefined {
  for (const op of ops) {
    let err: EtcdError | undefined;
    if (op.request_range !== undefined) err = auth.isRangePermitted(ai, op.request_range.key ?? '', permissionEnd(op.request_range));
    else if (op.request_put !== undefined) err = auth.isPutPermitted(ai, op.request_put.key ?? '');
    else if (op.request_delete_range !== undefined) {
      const d = op.request_delete_range;
      err = (d.prev_kv === true ? auth.isRangePermitted(ai, d.key ?? '', d.range_end ?? '') : undefined) ?? auth.isDeleteRangePermitted(ai, d.key ?? '', d.range_end ?? '');
    }
    if (err !== undefined) return err;
  }
  return undefined;
}

/** Write on every key attached to the lease (none for an unknown lease). */
function checkLeasePuts(auth: AuthStore, lessor: Lessor, ai: AuthInfo | undefined, id: LeaseId): EtcdError | undefined {
  const lease = lessor.lookup(id);
  if (lease === undefined) return undefined;
  for (const key of lease.keys) {
    const err = auth.isPutPermitted(ai, key);
    if (err !== undefined) return err;
  }
  return undefined;
}
