// A watch create refused, or served, against what its request says. etcd 3.4 refuses a create
// (Created and Canceled at once, cancel_reason "mvcc: watcher range is empty") exactly when its
// range holds no key: v3rpc's recvLoop reads an empty key as "\0" (the smallest key) and a
// range_end "\0" as "every key from key on" (an empty end), and mvcc's watchStream.Watch then
// refuses a non-empty end at or below the key (bytes.Compare(key, end) != -1). So a from-key
// watch, a single-key watch or a range with its end above its key is never refused so, and a
// range whose end is at or below its key is never served. Decided by the request alone, like a
// txn's duplicate key (error-replies.ts); records without their create request are not judged.
import type { WatchRecord } from '../history/op.ts';
import { decodeKey } from './models/etcd/json.ts';

const EMPTY_RANGE = /watcher range is empty/;

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (typeof v === 'object' && v !== null ? (v as Obj) : {});

export interface RefusalViolation {
  readonly process: number | string;
  readonly revision: number;
  readonly message: string;
}

/** Whether etcd 3.4 finds the create's range empty (undefined: the request is not there to say). */
export function watchRangeEmpty(createRequest: unknown): boolean | undefined {
  if (typeof createRequest !== 'object' || createRequest === null) return undefined;
  const req = createRequest as Obj;
  const rawEnd = req['range_end'];
  if (rawEnd === undefined || rawEnd === null) return false;
  const end = decodeKey(rawEnd);
  if (end === '' || end === '\0') return false;
  const rawKey = req['key'];
  const key = rawKey === undefined || rawKey === null ? '\0' : decodeKey(rawKey) || '\0';
  return key >= end;
}

/** Every recorded create whose answer (refused as an empty range, or served) its request contradicts. */
export function refusalsUnlikeRequest(records: readonly WatchRecord[]): RefusalViolation[] {
  const out: RefusalViolation[] = [];
  for (const rec of records) {
    if (rec.closed !== undefined || rec.request === undefined) continue;
    const r = obj(obj(rec.response)['result'] ?? rec.response);
    if (r['created'] !== true) continue;
    const creq = obj(rec.request)['create_request'] ?? rec.request;
    const empty = watchRangeEmpty(creq);
    if (empty === undefined) continue;
    const refusedEmpty = r['canceled'] === true && typeof r['cancel_reason'] === 'string' && EMPTY_RANGE.test(r['cancel_reason']);
    const served = r['canceled'] !== true;
    const c = obj(creq);
    const range = `key ${JSON.stringify(decodeKey(c['key'] ?? ''))}, range_end ${JSON.stringify(c['range_end'] === undefined ? '' : decodeKey(c['range_end']))}`;
    const revision = Number(obj(r['header'])['revision'] ?? 0) || 0;
    if (refusedEmpty && !empty) out.push({ process: rec.process, revision, message: `a create over ${range} refused as "watcher range is empty", but that range holds keys (etcd reads range_end "\\0" as every key from key on, an empty key as "\\0")` });
    else if (served && empty) out.push({ process: rec.process, revision, message: `a create over ${range} served, but its range end is at or below its key: etcd refuses it, "mvcc: watcher range is empty"` });
  }
  return out;
}
