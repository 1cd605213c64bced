// Anomalies of the lock and election recipes' ownership, planted in the key-value answers they
// read (etcd 3.4 clientv3/concurrency: the owner is the key under the prefix with the lowest
// create revision). Mutex.tryAcquire's txn puts the caller's key and reads the owner
// (OpGet(pfx, WithFirstCreate()): sort CREATE ascending, limit 1); a waiter reads the key created
// right before its own (waitDeletes: max_create_revision = its own - 1, sort CREATE descending,
// limit 1) and owns the lock once that answers nothing. The lock history (lock-history.jsonl)
// records no create revision: these answers are where the order shows, and the linearizability
// checker judges them. The robustness form's range has no sort nor create-revision filter.
import { clone, isOk, num, pairOps } from './history-facts.mjs';

function pick(rng, list) {
  return list.length === 0 ? undefined : list[Math.floor(rng() * list.length)];
}

const isFirstCreate = (r) => r?.sort_target === 'CREATE' && (r.sort_order ?? 'NONE') !== 'DESCEND' && num(r.limit) === 1;

/**
 * lock-owner-not-first-created: an acquire's txn (put of its key, then the owner read) answers
 * that the caller's own key is the owner while the owner it answered, created before, still held
 * the lock (the acquire order by create revision broken: two owners).
 */
export function lockOwnerNotFirstCreated(run, rng) {
  const sites = [];
  for (const p of pairOps(run.history)) {
    if (!isOk(p) || p.inv.f !== 'kv/txn' || p.done.value?.succeeded !== true) continue;
    const ops = p.inv.value?.success ?? [];
    const own = ops.find((o) => o.request_put !== undefined)?.request_put;
    const which = ops.findIndex((o) => isFirstCreate(o.request_range));
    const owner = p.done.value.responses?.[which]?.response_range?.kvs?.[0];
    if (own === undefined || which < 0 || owner === undefined || owner.key === own.key) continue;
    sites.push({ p, which, own });
  }
  const s = pick(rng, sites);
  if (s === undefined) return undefined;
  const history = clone(run.history);
  const i = run.history.indexOf(s.p.done);
  const rev = String(num(s.p.done.value.header?.revision));
  const range = history[i].value.responses[s.which].response_range;
  const was = range.kvs[0];
  range.kvs[0] = { key: s.own.key, create_revision: rev, mod_revision: rev, version: '1', ...(s.own.value ? { value: s.own.value } : {}), ...(s.own.lease !== undefined ? { lease: s.own.lease } : {}) };
  return { ...run, history, site: `op ${i}: an acquire's owner read answers its own key (created at ${rev}) where the owner created at ${was.create_revision} was` };
}

/**
 * lock-waiter-skips-owner: a waiter's read of the key created right before its own (sort CREATE
 * descending, max_create_revision, limit 1) answers nothing where it answered a live key: the
 * waiter takes the lock ahead of a key created before it.
 */
export function lockWaiterSkipsOwner(run, rng) {
  const sites = pairOps(run.history).filter((p) => isOk(p) && p.inv.f === 'kv/range' && num(p.inv.value?.max_create_revision) > 0 && p.inv.value?.sort_order === 'DESCEND' && p.inv.value?.sort_target === 'CREATE' && (p.done.value?.kvs ?? []).length > 0);
  const s = pick(rng, sites);
  if (s === undefined) return undefined;
  const history = clone(run.history);
  const i = run.history.indexOf(s.done);
  const ahead = history[i].value.kvs[0];
  delete history[i].value.kvs;
  delete history[i].value.count;
  delete history[i].value.more;
  return { ...run, history, site: `op ${i}: a waiter's read of keys created before ${s.inv.value.max_create_revision} answers none where one created at ${ahead.create_revision} was` };
}
