// The Range request on a read view (etcd's applierV3backend.Range): count before limit and
// filters, "more" iff truncated by limit, min/max mod and create revision filters, sort, keys-only
// and count-only. header.revision is the store's current revision, even for a past revision.
import type { KeyValue } from '../../mvcc/key-value.ts';
import type { EtcdError } from '../../api/errors.ts';
import { ErrCompacted, ErrFutureRev } from '../../api/errors.ts';
import type { RangeRequest, RangeResponse, SortTarget } from '../../api/types.ts';
import type { MvccError } from '../../mvcc/errors.ts';
import type { ReadView } from './read-view.ts';
import { rangeEndOf } from './read-view.ts';
import { goSort } from './go-sort.ts';
import { withFields } from '../../object/with-fields.ts';

export function mvccErrorToEtcd(err: MvccError): EtcdError {
  return err === 'compacted' ? ErrCompacted : ErrFutureRev;
}

export function applyRange(view: ReadView, r: RangeRequest): RangeResponse | EtcdError {
  const sortOrder = r.sort_order ?? 'NONE';
  const target = r.sort_target ?? 'KEY';
  const minMod = r.min_mod_revision ?? 0;
  const maxMod = r.max_mod_revision ?? 0;
  const minCreate = r.min_create_revision ?? 0;
  const maxCreate = r.max_create_revision ?? 0;
  const reqLimit = r.limit ?? 0;
  let limit = reqLimit;
  // With sorting or filters everything is fetched, then pruned, sorted and truncated.
  if (sortOrder !== 'NONE' || minMod !== 0 || maxMod !== 0 || minCreate !== 0 || maxCreate !== 0) limit = 0;
  // One extra to know whether there is more.
  if (limit > 0) limit++;
  const rr = view.range(r.key ?? '', rangeEndOf(r.range_end), { limit, rev: r.revision ?? 0, count: r.count_only === true });
  if (typeof rr === 'string') return mvccErrorToEtcd(rr);
  let kvs = rr.kvs;
  if (maxMod !== 0) kvs = kvs.filter((kv) => !(kv.mod_revision > maxMod));
  if (minMod !== 0) kvs = kvs.filter((kv) => !(kv.mod_revision < minMod));
  if (maxCreate !== 0) kvs = kvs.filter((kv) => !(kv.create_revision > maxCreate));
  if (minCreate !== 0) kvs = kvs.filter((kv) => !(kv.create_revision < minCreate));
  // A non-KEY target with order NONE sorts ascending; KEY with NONE keeps the store's key order.
  const order = target !== 'KEY' && sortOrder === 'NONE' ? 'ASCEND' : sortOrder;
  if (order !== 'NONE') {
    const less = sortLess(target);
    // Go's unstable sort.Sort, step for step, so that equal elements end up where etcd puts
    // them; DESCEND is sort.Reverse, which swaps Less's arguments.
    kvs = kvs.slice();
    goSort(kvs, order === 'ASCEND' ? less : (a, b) => less(b, a));
  }
  const resp: RangeResponse = { header: { revision: rr.rev } };
  if (reqLimit > 0 && kvs.length > reqLimit) {
    kvs = kvs.slice(0, reqLimit);
    resp.more = true;
  }
  if (r.keys_only === true) kvs = kvs.map((kv) => (kv.value === '' ? kv : withFields(kv, { value: '' })));
  if (kvs.length > 0) resp.kvs = kvs;
  if (rr.count !== 0) resp.count = rr.count;
  return resp;
}

function sortLess(target: SortTarget): (a: KeyValue, b: KeyValue) => boolean {
  switch (target) {
    case 'KEY':
      return (a, b) => a.key < b.key;
    case 'VERSION':
      return (a, b) => a.version < b.version;
    case 'CREATE':
      return (a, b) => a.create_revision < b.create_revision;
    case 'MOD':
      return (a, b) => a.mod_revision < b.mod_revision;
    case 'VALUE':
      return (a, b) => a.value < b.value;
  }
}
