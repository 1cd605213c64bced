// Put, DeleteRange and Txn on the store (etcd's applierV3backend Put, DeleteRange, Txn,
// applyTxn, checkRequests). A txn with writes runs in ONE write txn: one revision, later ops see
// earlier writes, and the pre-checks (lease exists, ignore_* key exists, range revisions) reject
// the whole txn before anything is written.
import type { EtcdError } from '../../api/errors.ts';
import { ErrKeyNotFound, ErrLeaseNotFound } from '../../api/errors.ts';
import type {
  DeleteRangeRequest, DeleteRangeResponse, PutRequest, PutResponse, RequestOp, ResponseOp, TxnRequest, TxnResponse,
} from '../../api/types.ts';
import { isTxnReadonly } from '../../api/validate.ts';
import { NO_LEASE } from '../../mvcc/key-value.ts';
import type { Lessor } from '../../lease/lessor.ts';
import type { MvccStore, TxnWrite } from '../../mvcc/store.ts';
import { assert } from '../../mvcc/errors.ts';
import { compareToPath } from './compare.ts';
import { applyRange, mvccErrorToEtcd } from './range.ts';
import type { ReadView } from './read-view.ts';
import { rangeEndOf, storeView, txnView } from './read-view.ts';

export function isEtcdErr(x: object): x is EtcdError {
  return 'code' in x && 'message' in x;
}

/** A put inside an open write txn. */
export function putInTxn(txn: TxnWrite, view: ReadView, p: PutRequest): PutResponse | EtcdError {
  const key = p.key ?? '';
  let value = p.value ?? '';
  let lease = p.lease ?? NO_LEASE;
  const resp: PutResponse = { header: {} };
  if (p.ignore_value === true || p.ignore_lease === true || p.prev_kv === true) {
    const rr = view.range(key, undefined, {});
    if (typeof rr === 'string') return mvccErrorToEtcd(rr);
    const prev = rr.kvs[0];
    if ((p.ignore_value === true || p.ignore_lease === true) && prev === undefined) return ErrKeyNotFound;
    if (prev !== undefined) {
      if (p.ignore_value === true) value = prev.value;
      if (p.ignore_lease === true) lease = prev.lease;
      if (p.prev_kv === true) resp.prev_kv = prev;
    }
  }
  resp.header = { revision: txn.put(key, value, lease) };
  return resp;
}

export function deleteInTxn(txn: TxnWrite, view: ReadView, d: DeleteRangeRequest): DeleteRangeResponse | EtcdError {
  const key = d.key ?? '';
  const end = rangeEndOf(d.range_end);
  const resp: DeleteRangeResponse = { header: {} };
  if (d.prev_kv === true) {
    const rr = view.range(key, end, {});
    if (typeof rr === 'string') return mvccErrorToEtcd(rr);
    if (rr.kvs.length > 0) resp.prev_kvs = rr.kvs;
  }
  const { deleted, rev } = txn.deleteRange(key, end);
  resp.header = { revision: rev };
  if (deleted !== 0) resp.deleted = deleted;
  return resp;
}

/** A top-level Put: the lease must exist (checked at apply time, after the raft commit). */
export function applyPut(store: MvccStore, lessor: Lessor, p: PutRequest): PutResponse | EtcdError {
  const lease = p.lease ?? NO_LEASE;
  if (lease !== NO_LEASE && lessor.lookup(lease) === undefined) return ErrLeaseNotFound;
  const txn = store.write();
  try {
    return putInTxn(txn, txnView(store, txn), p);
  } finally {
    txn.end();
  }
}

export function applyDeleteRange(store: MvccStore, d: DeleteRangeRequest): DeleteRangeResponse | EtcdError {
  const txn = store.write();
  try {
    return deleteInTxn(txn, txnView(store, txn), d);
  } finally {
    txn.end();
  }
}

type CheckFn = (view: ReadView, op: RequestOp) => EtcdError | undefined;

/**
 * A txn branch without requests. The txn walks index their branches (for-of allocated an
 * iterator per walk, and `?? []` an array per absent branch: every txn's apply and check).
 */
const NO_OPS: readonly RequestOp[] = [];

/** Runs `f` on every op of the taken branches; returns the first error. */
function checkRequests(view: ReadView, rt: TxnRequest, path: boolean[], at: { i: number }, f: CheckFn): EtcdError | undefined {
  const taken = path[at.i++];
  assert(taken !== undefined, 'txn: path covers every nested txn');
  const ops = taken ? rt.success ?? NO_OPS : rt.failure ?? NO_OPS;
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i] as RequestOp;
    if (op.request_txn !== undefined) {
      const err = checkRequests(view, op.request_txn, path, at, f);
      if (err !== undefined) return err;
      continue;
    }
    const err = f(view, op);
    if (err !== undefined) return err;
  }
  return undefined;
}

function checkPut(lessor: Lessor): CheckFn {
  return (view, op) => {
    const p = op.request_put;
    if (p === undefined) return undefined;
    if (p.ignore_value === true || p.ignore_lease === true) {
      const rr = view.range(p.key ?? '', undefined, {});
      if (typeof rr === 'string') return mvccErrorToEtcd(rr);
      if (rr.kvs.length === 0) return ErrKeyNotFound;
    }
    const lease = p.lease ?? NO_LEASE;
    if (lease !== NO_LEASE && lessor.lookup(lease) === undefined) return ErrLeaseNotFound;
    return undefined;
  };
}

const checkRange: CheckFn = (view, op) => {
  const r = op.request_range;
  if (r === undefined) return undefined;
  const rev = r.revision ?? 0;
  if (rev === 0) return undefined;
  if (rev > view.rev()) return mvccErrorToEtcd('future-rev');
  if (rev < view.firstRev()) return mvccErrorToEtcd('compacted');
  return undefined;
};

export function applyTxn(store: MvccStore, lessor: Lessor, rt: TxnRequest): TxnResponse | EtcdError {
  const isWrite = !isTxnReadonly(rt);
  const view = storeView(store);
  const path = compareToPath(view, rt);
  if (isWrite) {
    const err = checkRequests(view, rt, path, { i: 0 }, checkPut(lessor));
    if (err !== undefined) return err;
  }
  const err = checkRequests(view, rt, path, { i: 0 }, checkRange);
  if (err !== undefined) return err;
  if (!isWrite) {
    const resp = runTxn(undefined, view, rt, path, { i: 0 });
    resp.header = { revision: store.currentRev };
    return resp;
  }
  const txn = store.write();
  try {
    const resp = runTxn(txn, txnView(store, txn), rt, path, { i: 0 });
    resp.header = { revision: txn.readRev() };
    return resp;
  } finally {
    txn.end();
  }
}

/** etcd's applyTxn over the taken branches; nested txn responses carry an empty header. */
function runTxn(txn: TxnWrite | undefined, view: ReadView, rt: TxnRequest, path: boolean[], at: { i: number }): TxnResponse {
  const succeeded = path[at.i++];
  assert(succeeded !== undefined, 'txn: path covers every nested txn');
  const responses: ResponseOp[] = [];
  const ops = succeeded ? rt.success ?? NO_OPS : rt.failure ?? NO_OPS;
  for (let i = 0; i < ops.length; i++) responses.push(runOp(txn, view, ops[i] as RequestOp, path, at));
  const resp: TxnResponse = { header: {} };
  if (succeeded) resp.succeeded = true;
  if (responses.length > 0) resp.responses = responses;
  return resp;
}

function runOp(txn: TxnWrite | undefined, view: ReadView, op: RequestOp, path: boolean[], at: { i: number }): ResponseOp {
  if (op.request_range !== undefined) {
    const r = applyRange(view, op.request_range);
    assert(!isEtcdErr(r), 'txn: ranges were pre-checked');
    return { response_range: r };
  }
  if (op.request_txn !== undefined) return { response_txn: runTxn(txn, view, op.request_txn, path, at) };
  assert(txn !== undefined, 'txn: writes only in a write txn');
  if (op.request_put !== undefined) {
    const r = putInTxn(txn, view, op.request_put);
    assert(!isEtcdErr(r), 'txn: puts were pre-checked');
    return { response_put: r };
  }
  assert(op.request_delete_range !== undefined, 'txn: ops were validated as non-empty');
  const r = deleteInTxn(txn, view, op.request_delete_range);
  assert(!isEtcdErr(r), 'txn: deletes cannot fail');
  return { response_delete_range: r };
}
