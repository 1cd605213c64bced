// What the history's acknowledged writes say of the watch events at their revisions. An ok put
// or txn answered at revision R made R (etcd answers a write with the revision it created), so
// an event at R and a prev_kv whose mod_revision is R show a key that write put, with a value it
// stored there. The replay of the watches' own events (watch.ts) judges a prev_kv only where
// every revision since the key's last write was seen; a prev_kv of a key written before the
// watches opened (every kubernetes-traffic key created before the watchers, every robustness
// watch opens "from now") was judged by nothing: a value the write never stored passed in every
// form. Values compare as bytes (the history's requests and the watch records may encode them
// apart); the robustness format's hashed values compare as their stand-ins, on both sides alike.
import type { Op } from '../history/op.ts';
import { decodeKey, int } from './models/etcd/json.ts';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (typeof v === 'object' && v !== null ? (v as Obj) : {});
const list = (v: unknown): Obj[] => (Array.isArray(v) ? (v as Obj[]) : []);

/** What one acknowledged write did at its revision. */
export interface AcknowledgedWrite {
  /** Per key, the values its puts stored there in order (bytes; undefined: ignore_value, the old value kept). */
  puts: Map<string, (string | undefined)[]>;
  /** No delete beside its puts and every nested txn's branch known: a key it does not name was not written, and a key keeps its last put's value. */
  exact: boolean;
}

/** The taken branch's puts of a txn answered `resp` (nested txns by their own answers) into `w`. */
function txnPuts(req: Obj, resp: Obj, w: AcknowledgedWrite): void {
  const branch = resp['succeeded'] === true ? req['success'] : req['failure'];
  const responses = list(resp['responses']);
  list(branch).forEach((r, i) => {
    if (r['request_put'] !== undefined) addPut(obj(r['request_put']), w);
    else if (r['request_delete_range'] !== undefined) w.exact = false;
    else if (r['request_txn'] !== undefined) {
      const nested = responses[i]?.['response_txn'];
      if (nested === undefined) w.exact = false;
      else txnPuts(obj(r['request_txn']), obj(nested), w);
    }
  });
}

function addPut(put: Obj, w: AcknowledgedWrite): void {
  const key = decodeKey(put['key']);
  const value = put['ignore_value'] === true ? undefined : decodeKey(put['value']);
  const values = w.puts.get(key);
  if (values === undefined) w.puts.set(key, [value]);
  else values.push(value);
}

/**
 * Calls `visit` with each ok completion of a kv/put, kv/deleterange or kv/txn and its invoke, and
 * the revision its answer names (the next completion of a process completes its last invoke; a
 * history whose pairs do not match is the history readers' to refuse, not this).
 */
export function forEachOkWrite(history: readonly Op[], visit: (invoke: Op, ok: Op, revision: number) => void): void {
  const invokes = new Map<number | string, Op>();
  for (let i = 0; i < history.length; i++) {
    const op = history[i]!;
    if (op.type === 'invoke') {
      invokes.set(op.process, op);
      continue;
    }
    const inv = invokes.get(op.process);
    invokes.delete(op.process);
    if (op.type !== 'ok' || inv === undefined || (inv.f !== 'kv/put' && inv.f !== 'kv/txn' && inv.f !== 'kv/deleterange')) continue;
    visit(inv, op, int(obj(obj(op.value)['header'])['revision']));
  }
}

/** Revision → the acknowledged write (ok put, or ok txn whose taken branch puts) that made it. */
export function acknowledgedWrites(history: readonly Op[]): Map<number, AcknowledgedWrite> {
  const out = new Map<number, AcknowledgedWrite>();
  forEachOkWrite(history, (inv, ok, rev) => {
    if (inv.f === 'kv/deleterange') return;
    const w: AcknowledgedWrite = { puts: new Map(), exact: true };
    if (inv.f === 'kv/put') addPut(obj(inv.value), w);
    else txnPuts(obj(inv.value), obj(ok.value), w);
    if (w.puts.size > 0 && rev > 1) out.set(rev, w);
  });
  return out;
}

/** The fields of a watch event this judges (watch.ts WatchEvent). */
interface EventShown {
  type: 'PUT' | 'DELETE';
  key: string;
  value: string;
  revision: number;
  hasPrevKv: boolean;
  prevValue: string;
  prevMod: number;
}

/**
 * Why `e` contradicts the acknowledged writes, or undefined: a PUT event of a key the write at
 * its revision did not put, or with a value it did not store; a prev_kv whose mod_revision's
 * write did not put the key, or left it another value.
 */
export function contradictsWrites(e: EventShown, written: ReadonlyMap<number, AcknowledgedWrite>): { guarantee: 'agreement' | 'prev_kv'; why: string } | undefined {
  const at = e.type === 'PUT' ? written.get(e.revision) : undefined;
  if (at !== undefined) {
    const values = at.puts.get(e.key);
    if (values === undefined) {
      if (at.exact) return { guarantee: 'agreement', why: `the acknowledged write that made revision ${e.revision} did not put the key` };
    } else if (!values.includes(undefined) && !values.includes(decodeKey(e.value))) return { guarantee: 'agreement', why: `a value the acknowledged write that made revision ${e.revision} did not store there` };
  }
  const prev = e.hasPrevKv ? written.get(e.prevMod) : undefined;
  if (prev === undefined) return undefined;
  const values = prev.puts.get(e.key);
  if (values === undefined) return prev.exact ? { guarantee: 'prev_kv', why: `prev_kv has mod_revision ${e.prevMod}, but the acknowledged write that made it did not put the key` } : undefined;
  const last = values[values.length - 1];
  if (!prev.exact || last === undefined || last === decodeKey(e.prevValue)) return undefined;
  return { guarantee: 'prev_kv', why: `prev_kv at mod_revision ${e.prevMod} has a value other than the one the acknowledged write that made it stored` };
}
