// What the history's acknowledged deletes owe a watch. An ok delete_range answered at revision R
// with `deleted: N` (alone or in a txn's taken branch, at any depth) removed N keys of its range at
// R, and etcd sends one DELETE event per removed key to every watcher of that key (mvcc's
// watchableStore notifies every change of the revision). A watch whose range holds the whole
// delete range, with no NODELETE filter, complete over R, got at least N DELETE events at R in that
// range: at least, not exactly, because two deletes of one txn may overlap (the second removes
// only what the first left). Before this, only acknowledged puts were owed: a watch that alone
// saw a stretch of revisions (no other watcher to compare with) could drop a delete unseen.
import type { Op } from '../history/op.ts';
import { decodeKey, int } from './models/etcd/json.ts';
import { forEachOkWrite } from './watch-acknowledged-writes.ts';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (typeof v === 'object' && v !== null ? (v as Obj) : {});
const list = (v: unknown): Obj[] => (Array.isArray(v) ? (v as Obj[]) : []);

/** An acknowledged delete: `deleted` keys of [key, rangeEnd) (a single key when rangeEnd is undefined) removed at `revision`. */
export interface OkDelete {
  key: string;
  rangeEnd: string | undefined;
  deleted: number;
  revision: number;
}

/** A key or range as etcd reads it: no range_end, one key; "\0", every key from key on; an empty key starts at the lowest key. */
interface KeyRange {
  readonly key: string;
  readonly rangeEnd?: string | undefined;
}

const single = (r: KeyRange): boolean => r.rangeEnd === undefined || r.rangeEnd === '';
const startOf = (r: KeyRange): string => (r.key === '' ? '\0' : r.key);

/** Whether `key` falls in `r`. */
export function inRange(r: KeyRange, key: string): boolean {
  if (single(r)) return key === r.key;
  if (r.rangeEnd === '\0') return key >= startOf(r);
  return key >= startOf(r) && key < r.rangeEnd!;
}

/** Whether every key of `inner` falls in `outer`. */
export function covers(outer: KeyRange, inner: KeyRange): boolean {
  if (single(inner)) return inRange(outer, inner.key);
  if (single(outer)) return false;
  if (startOf(inner) < startOf(outer)) return false;
  if (outer.rangeEnd === '\0') return true;
  return inner.rangeEnd !== '\0' && inner.rangeEnd! <= outer.rangeEnd!;
}

function addDelete(req: Obj, resp: Obj, revision: number, out: OkDelete[]): void {
  const deleted = int(resp['deleted']);
  if (deleted <= 0) return;
  const end = req['range_end'];
  out.push({ key: decodeKey(req['key']), rangeEnd: end === undefined || end === '' ? undefined : decodeKey(end), deleted, revision });
}

/** The deletes of a txn's taken branch answered `resp`, nested txns by their own answers. */
function txnDeletes(req: Obj, resp: Obj, revision: number, out: OkDelete[]): void {
  const branch = list(resp['succeeded'] === true ? req['success'] : req['failure']);
  const responses = list(resp['responses']);
  for (let i = 0; i < branch.length; i++) {
    const r = branch[i]!;
    const answer = responses[i];
    if (answer === undefined) continue;
    if (r['request_delete_range'] !== undefined) addDelete(obj(r['request_delete_range']), obj(answer['response_delete_range']), revision, out);
    else if (r['request_txn'] !== undefined) txnDeletes(obj(r['request_txn']), obj(answer['response_txn']), revision, out);
  }
}

/** Every acknowledged delete of the history that removed a key, in revision order. */
export function acknowledgedDeletes(history: readonly Op[]): OkDelete[] {
  const out: OkDelete[] = [];
  forEachOkWrite(history, (inv, ok, revision) => {
    if (revision <= 1) return;
    if (inv.f === 'kv/deleterange') addDelete(obj(inv.value), obj(ok.value), revision, out);
    else if (inv.f === 'kv/txn') txnDeletes(obj(inv.value), obj(ok.value), revision, out);
  });
  return out.sort((a, b) => a.revision - b.revision);
}

/** The watch fields this judges (watch.ts WatchOp). */
interface WatchShown extends KeyRange {
  readonly noDelete: boolean;
  readonly events: readonly { readonly type: 'PUT' | 'DELETE'; readonly key: string; readonly revision: number }[];
}

/**
 * Why `op`, complete over [first, last], falls short of an acknowledged delete in that window,
 * or undefined. `deletes` in revision order; `from` is the index of the first with revision ≥ first.
 */
export function deletesMissed(op: WatchShown, deletes: readonly OkDelete[], from: number, first: number, last: number): { revision: number; why: string }[] {
  const out: { revision: number; why: string }[] = [];
  if (op.noDelete || from >= deletes.length || deletes[from]!.revision > last) return out;
  // The watch's DELETE events by revision, built once per watch (not once per delete: quadratic).
  const deleted = new Map<number, string[]>();
  for (const e of op.events) {
    if (e.type !== 'DELETE') continue;
    const keys = deleted.get(e.revision);
    if (keys === undefined) deleted.set(e.revision, [e.key]);
    else keys.push(e.key);
  }
  for (let i = from; i < deletes.length && deletes[i]!.revision <= last; i++) {
    const d = deletes[i]!;
    if (d.revision < first || !covers(op, d)) continue;
    let seen = 0;
    for (const key of deleted.get(d.revision) ?? []) if (inRange(d, key)) seen++;
    if (seen < d.deleted) {
      const range = d.rangeEnd === undefined ? JSON.stringify(d.key) : `[${JSON.stringify(d.key)}, ${JSON.stringify(d.rangeEnd)})`;
      out.push({ revision: d.revision, why: `missed the acknowledged delete of ${range} at revision ${d.revision} (deleted ${d.deleted}, got ${seen} DELETE events there) within [${first}, ${last}]` });
    }
  }
  return out;
}
