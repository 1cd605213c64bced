// What the key check of revoked-early leases (lease-key-vanished.ts) learns from one answer: the
// leased puts a write made, and whether a read shows every key of its range a put left there.
// etcd's recipes write and read their keys in these shapes: the lock (v3lock, concurrency.Mutex)
// and the election put a session's key in a txn (compare create_revision = 0) and wait for the
// older holders' keys to go with ranges sorted by create revision, limit 1 and
// max_create_revision. Before, the check took only plain puts and plain ranges, and a lock's key
// revoked early by a deposed leader's lessor went unseen (real etcd 3.4.23, lock-gc-pause seed 14,
// etcd#15247: only the lock checker caught it).
import { decodeKey, id64, int } from './models/etcd/json.ts';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (typeof v === 'object' && v !== null ? (v as Obj) : {});
const arr = (v: unknown): Obj[] => (Array.isArray(v) ? v.map(obj) : []);

/**
 * The keys an ok write put, with the lease each put attached ('0': none), at the write's
 * revision: a put's key; a txn's puts in the branch its `succeeded` says ran, unless a later
 * delete of that branch covers the key. A branch with a nested txn gives none (its writes still
 * count as writes that may touch a key, so the check stays on the safe side).
 */
export function putsOf(f: string, req: Obj, resp: Obj): Map<string, string> {
  const out = new Map<string, string>();
  if (f === 'kv/put') out.set(decodeKey(req['key']), id64(req['lease']));
  if (f !== 'kv/txn') return out;
  const branch = arr(resp['succeeded'] === true ? req['success'] : req['failure']);
  if (branch.some((op) => op['request_txn'] !== undefined)) return out;
  for (const op of branch) {
    if (op['request_put'] !== undefined) {
      const put = obj(op['request_put']);
      out.set(decodeKey(put['key']), id64(put['lease']));
    } else if (op['request_delete_range'] !== undefined) {
      const covers = keyRange(obj(op['request_delete_range']));
      for (const key of [...out.keys()]) if (covers(key)) out.delete(key);
    }
  }
  return out;
}

/** The key range [key, range_end) of a request, as a membership test (etcd's conventions). */
export function keyRange(req: Obj): (key: string) => boolean {
  const from = decodeKey(req['key']);
  const end = req['range_end'] === undefined ? '' : decodeKey(req['range_end']);
  if (end === '') return (k) => k === from;
  if (end === '\0') return (k) => k >= from;
  return (k) => k >= from && k < end;
}

/**
 * For a read of the current revision that shows every key of its range passing its filters
 * (etcd 3.4's Range: the filters prune, then the sort, then the limit cuts and sets `more`), a
 * test of whether a key whose last write was a put at `putRevision` passes them: its
 * mod_revision is that revision, and its create_revision is at most that. Undefined when the read
 * may leave out keys it matched: a past revision, count_only, a limit it filled, `more`, or a
 * min_create_revision (the key's create revision is not known).
 */
export function completeRead(req: Obj, resp: Obj): ((putRevision: number) => boolean) | undefined {
  if (int(req['revision']) !== 0 || req['count_only'] === true || resp['more'] === true) return undefined;
  const limit = int(req['limit']);
  if (limit > 0 && arr(resp['kvs']).length >= limit) return undefined;
  if (int(req['min_create_revision']) !== 0) return undefined;
  const minMod = int(req['min_mod_revision']);
  const maxMod = int(req['max_mod_revision']);
  const maxCreate = int(req['max_create_revision']);
  return (rev) => (minMod === 0 || rev >= minMod) && (maxMod === 0 || rev <= maxMod) && (maxCreate === 0 || rev <= maxCreate);
}
