// What etcd does with one request, given the state before it: the state after and the
// response (gateway JSON) or the error. Follows etcd-semantics.md §1–2 (apply.go, kvstore,
// lessor): one revision per request with an effective change, compares on the pre-txn
// state, later txn ops see earlier writes, a missing key compares as a zero KV except VALUE.
import { compareId64, id64, decodeKey, encodeKey, int } from './json.ts';
import { insertionSort } from '../../../../src/sort/insertion-sort.ts';
import { EtcdState, kvHash, leaseHash, nextHistoryHash, type KeyValue } from './state.ts';
import { packedMap } from '../../packed-map.ts';
import { branchOps, TXN_BRANCHES, txnBranch } from './txn-branches.ts';

export type Req = Record<string, unknown>;

export type Applied = { state: EtcdState; response: Req } | { state: EtcdState; error: string };

export const ERR_COMPACTED = 'etcdserver: mvcc: required revision has been compacted';
export const ERR_FUTURE_REV = 'etcdserver: mvcc: required revision is a future revision';
export const ERR_LEASE_NOT_FOUND = 'etcdserver: requested lease not found';
export const ERR_KEY_NOT_FOUND = 'etcdserver: key not found';
export const ERR_LEASE_EXISTS = 'etcdserver: lease already exists';

/**
 * A copy of a key space for the write that changes it. Read value by value (a kv's map key is its
 * key): `new Map(map)` goes through the iterator protocol, one [key, value] entry per kv (and so
 * does for-of before V8 optimizes it), and this runs at every write the search tries.
 */
function copyKvs(kvs: ReadonlyMap<string, KeyValue>): Map<string, KeyValue> {
  const m = new Map<string, KeyValue>();
  kvs.forEach((kv) => void m.set(kv.key, kv));
  return m;
}

/** Writes of one request, collected at one revision. */
class Writer {
  kvs: Map<string, KeyValue> | undefined;
  changed = false;
  /** Keys put or deleted, in order (a key may repeat). */
  readonly touched: string[] = [];
  constructor(
    readonly base: EtcdState,
    readonly revision: number,
  ) {}
  get view(): ReadonlyMap<string, KeyValue> {
    return this.kvs ?? this.base.kvs;
  }
  private own(): Map<string, KeyValue> {
    if (this.kvs === undefined) this.kvs = copyKvs(this.base.kvs);
    return this.kvs;
  }
  put(kv: KeyValue): void {
    this.own().set(kv.key, kv);
    this.touched.push(kv.key);
    this.changed = true;
  }
  remove(key: string): void {
    this.own().delete(key);
    this.touched.push(key);
    this.changed = true;
  }
  /** The state after, with `leases` (default: unchanged). */
  finish(leases: ReadonlyMap<string, number> = this.base.leases, leasesHash = this.base.leasesHash): EtcdState {
    const b = this.base;
    if (!this.changed) return leases === b.leases ? b : new EtcdState(b.revision, b.compactRevision, b.kvs, leases, b.kvsHash, leasesHash, b.previous, b.historyHash);
    // The key space's hash is the XOR of its kvs' hashes: only the keys this write touched change it.
    const view = this.view;
    const touched = this.touched;
    let h = b.kvsHash;
    for (let i = 0; i < touched.length; i++) {
      const k = touched[i]!;
      if (touched.indexOf(k) !== i) continue;
      const before = b.kvs.get(k);
      if (before !== undefined) h ^= kvHash(before);
      const after = view.get(k);
      if (after !== undefined) h ^= kvHash(after);
    }
    return new EtcdState(this.revision, b.compactRevision, this.view, leases, h, leasesHash, b, nextHistoryHash(b, b.kvsHash, b.revision), this.touched);
  }
}

export function kvJson(kv: KeyValue, keysOnly = false): Req {
  const o: Req = { key: encodeKey(kv.key), create_revision: String(kv.create), mod_revision: String(kv.mod), version: String(kv.version) };
  if (!keysOnly) o['value'] = kv.value;
  if (kv.lease !== '0') o['lease'] = kv.lease;
  return o;
}

const SMALL_SORT_MAX = 16;

/** Keys of [key, range_end) present in `kvs`, in byte order. */
export function keysInRange(kvs: ReadonlyMap<string, KeyValue>, req: Req): string[] {
  const key = decodeKey(req['key']);
  const end = req['range_end'] === undefined ? undefined : decodeKey(req['range_end']);
  if (end === undefined || end === '') return kvs.has(key) ? [key] : [];
  const all = end === '\0';
  const out: string[] = [];
  for (const k of kvs.keys()) if (k >= key && (all || k < end)) out.push(k);
  // A handful of keys sort in place without sort's working copy (same order: UTF-16 code units).
  return out.length <= SMALL_SORT_MAX ? insertionSort(out) : out.sort();
}

function header(revision: number): Req {
  return { header: { revision: String(revision) } };
}

// Answers are built with Object.assign or written out, not `{ ...a, x }` nor `{ ...a, ...b }`:
// Node 20 builds a spread followed by more properties on a slow path (1.5–4 µs against 0.3),
// and these run at every model step of the search.

/** `resp` after a header of `revision` (the header first, as etcd's JSON has it). */
function withHeader(revision: number, resp: Req): Req {
  return Object.assign(header(revision), resp);
}

const SORT_FIELD: Record<string, (kv: KeyValue) => number | string> = {
  KEY: (kv) => kv.key,
  VERSION: (kv) => kv.version,
  CREATE: (kv) => kv.create,
  MOD: (kv) => kv.mod,
  VALUE: (kv) => decodeKey(kv.value),
};

/**
 * Where each key stands in an observed range response (its kvs in order), so that the model
 * can order keys with equal sort keys as the server did. etcd sorts with Go's sort.Sort,
 * which is not stable (pdqsort since Go 1.19, for more than 12 keys), so any order among equal
 * sort keys, and with a limit any choice among the equal keys at the cut, is a legal answer.
 * The model orders ties by this rank: if the observed answer is legal, the model then answers
 * exactly it; if not, no tie order can make them equal.
 */
export type TieRank = ReadonlyMap<string, number>;

export function tieRankOf(observed: unknown): TieRank | undefined {
  if (typeof observed !== 'object' || observed === null) return undefined;
  const kvs = (observed as Req)['kvs'];
  if (!Array.isArray(kvs) || kvs.length < 2) return undefined;
  const rank = new Map<string, number>();
  kvs.forEach((kv: unknown, i) => {
    const key = typeof kv === 'object' && kv !== null ? (kv as Req)['key'] : undefined;
    if (typeof key === 'string' && !rank.has(key)) rank.set(decodeKey(key), i);
  });
  return rank;
}

/** What a range answers, before it is written as gateway JSON (rangeOn) or compared as it is (range-answer.ts). */
export interface RangeResult {
  count: number;
  /** count_only: the count and nothing else. */
  countOnly: boolean;
  /** The kvs answered, in order. */
  found: KeyValue[];
  more: boolean;
  keysOnly: boolean;
}

export function rangeResult(kvs: ReadonlyMap<string, KeyValue>, req: Req, observed?: Req): RangeResult {
  const keys = keysInRange(kvs, req);
  const count = keys.length;
  const keysOnly = req['keys_only'] === true;
  // count_only: etcd's store returns the count and no kvs, so there is never "more" either.
  if (req['count_only'] === true) return { count, countOnly: true, found: [], more: false, keysOnly };
  let found = packedMap(keys, (k) => kvs.get(k)!);
  const minMod = int(req['min_mod_revision']);
  const maxMod = int(req['max_mod_revision']);
  const minCreate = int(req['min_create_revision']);
  const maxCreate = int(req['max_create_revision']);
  const filtered = minMod !== 0 || maxMod !== 0 || minCreate !== 0 || maxCreate !== 0;
  if (filtered) found = found.filter((kv) => (minMod === 0 || kv.mod >= minMod) && (maxMod === 0 || kv.mod <= maxMod) && (minCreate === 0 || kv.create >= minCreate) && (maxCreate === 0 || kv.create <= maxCreate));
  const target = typeof req['sort_target'] === 'string' ? req['sort_target'] : 'KEY';
  const order = typeof req['sort_order'] === 'string' ? req['sort_order'] : 'NONE';
  const limitFirst = int(req['limit']);
  // etcd 3.4 (apply.go Range) fetches everything only with a sort order or a filter; with order
  // NONE it fetches limit+1 keys in key order and only then sorts them (a non-KEY target with
  // NONE sorts ascending) and cuts to the limit: the first limit+1 keys, not the smallest.
  if (order === 'NONE' && !filtered && limitFirst > 0) found = found.slice(0, limitFirst + 1);
  // A non-KEY target with order NONE means ASCEND; KEY with NONE is already key order.
  if (order === 'DESCEND' || (order === 'ASCEND' && target !== 'KEY') || (order === 'NONE' && target !== 'KEY')) {
    const field = SORT_FIELD[target] ?? SORT_FIELD['KEY']!;
    const sign = order === 'DESCEND' ? -1 : 1;
    // Built only here: most ranges are not sorted by a field that can tie.
    const ties = tieRankOf(observed);
    const rank = (kv: KeyValue): number => ties?.get(kv.key) ?? Infinity;
    // Keys are unique, so ties on the sort field fall back to the observed order, then to key order.
    found = [...found].sort((a, b) => {
      const x = field(a);
      const y = field(b);
      if (x !== y) return x < y ? -sign : sign;
      const ra = rank(a);
      const rb = rank(b);
      return ra !== rb ? (ra < rb ? -1 : 1) : a.key < b.key ? -1 : 1;
    });
  }
  const limit = int(req['limit']);
  const more = limit > 0 && found.length > limit;
  if (more) found = found.slice(0, limit);
  return { count, countOnly: false, found, more, keysOnly };
}

function rangeOn(kvs: ReadonlyMap<string, KeyValue>, req: Req, currentRevision: number, observed?: Req): Req {
  return rangeJson(rangeResult(kvs, req, observed), currentRevision);
}

/** A range's answer as etcd's JSON gateway writes it, with a header at `currentRevision`. */
function rangeJson(r: RangeResult, currentRevision: number): Req {
  const resp: Req = { header: { revision: String(currentRevision) }, count: String(r.count) };
  if (r.countOnly) return resp;
  resp['kvs'] = r.found.map((kv) => kvJson(kv, r.keysOnly));
  if (r.more) resp['more'] = true;
  return resp;
}

/** The range's answer before it is written as JSON, or the error: what applyRange does, for a comparison without JSON. */
export function applyRangeResult(s: EtcdState, req: Req, observed?: Req): RangeResult | string {
  const err = rangeError(s, req);
  if (err !== undefined) return err;
  const rev = int(req['revision']);
  const kvs = rev <= 0 || rev === s.revision ? s.kvs : s.kvsAt(rev);
  return rangeResult(kvs, req, observed);
}

/** The error a range gets on `s`, if any (what applyRange answers before it reads anything). */
export function rangeError(s: EtcdState, req: Req): string | undefined {
  const rev = int(req['revision']);
  if (rev > s.revision) return ERR_FUTURE_REV;
  if (rev > 0 && rev < s.compactRevision) return ERR_COMPACTED;
  return undefined;
}

/** `observed`: the response the client saw, if any; only the order of its kvs is used (see TieRank). */
export function applyRange(s: EtcdState, req: Req, observed?: Req): Applied {
  const rev = int(req['revision']);
  if (rev > s.revision) return { state: s, error: ERR_FUTURE_REV };
  if (rev > 0 && rev < s.compactRevision) return { state: s, error: ERR_COMPACTED };
  const kvs = rev <= 0 || rev === s.revision ? s.kvs : s.kvsAt(rev);
  return { state: s, response: rangeOn(kvs, req, s.revision, observed) };
}

/**
 * A put's error, in etcd's order: a put inside a txn checks its key first (checkRequestPut), a
 * put on its own its lease first (applierV3backend.Put looks the lease up before it ranges).
 */
function checkPut(s: EtcdState, view: ReadonlyMap<string, KeyValue>, req: Req, topLevel = false): string | undefined {
  const lease = id64(req['lease']);
  if (topLevel && lease !== '0' && !s.leases.has(lease)) return ERR_LEASE_NOT_FOUND;
  const key = decodeKey(req['key']);
  if ((req['ignore_value'] === true || req['ignore_lease'] === true) && !view.has(key)) return ERR_KEY_NOT_FOUND;
  if (lease !== '0' && !s.leases.has(lease)) return ERR_LEASE_NOT_FOUND;
  return undefined;
}

/** Writes one put; the key-value it replaced, if any. */
function putKv(w: Writer, req: Req): KeyValue | undefined {
  const key = decodeKey(req['key']);
  const prev = w.view.get(key);
  const value = req['ignore_value'] === true ? prev!.value : typeof req['value'] === 'string' ? req['value'] : '';
  const lease = req['ignore_lease'] === true ? prev!.lease : id64(req['lease']);
  w.put({ key, value, lease, create: prev?.create ?? w.revision, mod: w.revision, version: (prev?.version ?? 0) + 1 });
  return prev;
}

/** Deletes [key, range_end); the key-values it removed, in key order. */
function deleteKvs(w: Writer, req: Req): KeyValue[] {
  const keys = keysInRange(w.view, req);
  const prevs = packedMap(keys, (k) => w.view.get(k)!);
  for (const k of keys) w.remove(k);
  return prevs;
}

/** What a put does, before its answer is written as JSON: the state after and the prev_kv it answers (only when asked for), or the error. */
export function putResult(s: EtcdState, req: Req): { state: EtcdState; prevKv: KeyValue | undefined } | string {
  const err = checkPut(s, s.kvs, req, true);
  if (err !== undefined) return err;
  const w = new Writer(s, s.revision + 1);
  const prev = putKv(w, req);
  return { state: w.finish(), prevKv: req['prev_kv'] === true ? prev : undefined };
}

export function applyPut(s: EtcdState, req: Req): Applied {
  const r = putResult(s, req);
  if (typeof r === 'string') return { state: s, error: r };
  return { state: r.state, response: withHeader(r.state.revision, putJson(r.prevKv)) };
}

export function applyDeleteRange(s: EtcdState, req: Req): Applied {
  const w = new Writer(s, s.revision + 1);
  const prevs = deleteKvs(w, req);
  const state = w.finish();
  return { state, response: withHeader(state.revision, deleteJson(prevs.length, req['prev_kv'] === true ? prevs : undefined)) };
}

/** A put's answer body as the gateway writes it: prev_kv only when asked for and the key existed. */
function putJson(prevKv: KeyValue | undefined): Req {
  return prevKv === undefined ? {} : { prev_kv: kvJson(prevKv) };
}

/** A delete's answer body as the gateway writes it: prev_kvs only when asked for. */
function deleteJson(deleted: number, prevKvs: readonly KeyValue[] | undefined): Req {
  const resp: Req = { deleted: String(deleted) };
  if (prevKvs !== undefined) resp['prev_kvs'] = prevKvs.map((kv) => kvJson(kv));
  return resp;
}

function compareOne(kv: KeyValue | undefined, c: Req): boolean {
  const target = typeof c['target'] === 'string' ? c['target'] : 'VERSION';
  const result = typeof c['result'] === 'string' ? c['result'] : 'EQUAL';
  let x: number | string;
  let y: number | string;
  switch (target) {
    case 'VALUE':
      // VALUE on a missing key is always false.
      if (kv === undefined) return false;
      x = decodeKey(kv.value);
      y = decodeKey(c['value']);
      break;
    case 'CREATE':
      x = kv?.create ?? 0;
      y = int(c['create_revision']);
      break;
    case 'MOD':
      x = kv?.mod ?? 0;
      y = int(c['mod_revision']);
      break;
    case 'LEASE':
      // Exact int64 order: real lease ids are above 2^53.
      x = compareId64(kv?.lease ?? '0', id64(c['lease']));
      y = 0;
      break;
    default:
      x = kv?.version ?? 0;
      y = int(c['version']);
  }
  switch (result) {
    case 'GREATER':
      return x > y;
    case 'LESS':
      return x < y;
    case 'NOT_EQUAL':
      return x !== y;
    default:
      return x === y;
  }
}

function compares(kvs: ReadonlyMap<string, KeyValue>, cmps: unknown): boolean {
  if (!Array.isArray(cmps)) return true;
  for (const c of cmps as Req[]) {
    // etcd's applyCompare: a range with no key in it compares as one missing key (a zero KV;
    // VALUE false), not as vacuously true.
    const keys = c['range_end'] === undefined ? [decodeKey(c['key'])] : keysInRange(kvs, c);
    if (keys.length === 0 && !compareOne(undefined, c)) return false;
    for (const k of keys) if (!compareOne(kvs.get(k), c)) return false;
  }
  return true;
}

/**
 * The branch each (nested) txn takes, decided on the pre-txn state, and the pre-checks in etcd's
 * order (applierV3backend.Txn): every put of the taken branches first (checkPut), then every
 * range (checkRange), so a txn with a missing lease and a future-revision range fails on the lease.
 */
function plan(s: EtcdState, req: Req, out: Map<Req, boolean>): string | undefined {
  return planPass(s, req, out, 'put') ?? planPass(s, req, out, 'range');
}

function planPass(s: EtcdState, req: Req, out: Map<Req, boolean>, pass: 'put' | 'range'): string | undefined {
  let ok = out.get(req);
  if (ok === undefined) out.set(req, (ok = compares(s.kvs, req['compare'])));
  for (const op of branchOps(ok ? req['success'] : req['failure'])) {
    if (op['request_put'] !== undefined) {
      if (pass !== 'put') continue;
      const err = checkPut(s, s.kvs, op['request_put'] as Req);
      if (err !== undefined) return err;
    } else if (op['request_range'] !== undefined) {
      if (pass !== 'range') continue;
      const rev = int((op['request_range'] as Req)['revision']);
      if (rev > s.revision) return ERR_FUTURE_REV;
      if (rev > 0 && rev < s.compactRevision) return ERR_COMPACTED;
    } else if (op['request_txn'] !== undefined) {
      const err = planPass(s, op['request_txn'] as Req, out, pass);
      if (err !== undefined) return err;
    }
  }
  return undefined;
}

/** A txn's answer body (no header) as etcd's JSON gateway writes it; its ranges' headers at `rangeRevision`, the revision before the txn. */
function txnBodyJson(body: TxnBody, rangeRevision: number): Req {
  const responses = body.responses.map((r): Req => {
    switch (r.kind) {
      case 'range':
        return { response_range: rangeJson(r.range, rangeRevision) };
      case 'put':
        return { response_put: putJson(r.prevKv) };
      case 'delete':
        return { response_delete_range: deleteJson(r.deleted, r.prevKvs) };
      case 'txn':
        return { response_txn: txnBodyJson(r.txn, rangeRevision) };
    }
  });
  const resp: Req = { responses };
  if (body.succeeded) resp['succeeded'] = true;
  return resp;
}

/**
 * A txn put keeping a value or lease of a key an earlier op of the txn deleted. etcd refuses such
 * a txn before raft ("duplicate key given in txn request") unless the delete's interval is one
 * its check sees as empty ([\0, \0)), and then panics applying it ("unexpected error during
 * txn"): either way it never takes effect. The model used to crash on it (a timed-out txn of a
 * generated ground-truth history).
 */
class TxnNeverApplies extends Error {}

/** What one op of a txn's branch answered, before it is written as JSON (see txnResult). */
export type TxnOpResult =
  | { kind: 'range'; range: RangeResult }
  /** prevKv: only when the put asked for it and the key existed. */
  | { kind: 'put'; prevKv: KeyValue | undefined }
  /** prevKvs: only when the delete asked for them. */
  | { kind: 'delete'; deleted: number; prevKvs: KeyValue[] | undefined }
  | { kind: 'txn'; txn: TxnBody };

/** A (nested) txn's answer without its header. */
export interface TxnBody {
  succeeded: boolean;
  responses: TxnOpResult[];
}

/** `observed`: the txn response the client saw, for the tie order of its ranges (see TieRank). */
function runTxnTyped(s: EtcdState, w: Writer, req: Req, branches: Map<Req, boolean>, observed: Req | undefined): TxnBody {
  const ok = branches.get(req)!;
  const branch = (ok ? req['success'] : req['failure']) as Req[] | undefined;
  const seen = Array.isArray(observed?.['responses']) ? (observed['responses'] as unknown[]) : NO_RESPONSES;
  const responses: TxnOpResult[] = [];
  // An index loop and a module function for what the client saw: this runs at every txn the
  // search tries, and a forEach callback and a closure per op were garbage at each.
  const ops = branchOps(branch);
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i]!;
    if (op['request_range'] !== undefined) {
      const r = op['request_range'] as Req;
      const rev = int(r['revision']);
      const kvs = rev <= 0 ? w.view : s.kvsAt(rev);
      responses.push({ kind: 'range', range: rangeResult(kvs, r, sawAt(seen, i, 'response_range')) });
    } else if (op['request_put'] !== undefined) {
      const put = op['request_put'] as Req;
      if ((put['ignore_value'] === true || put['ignore_lease'] === true) && !w.view.has(decodeKey(put['key']))) throw new TxnNeverApplies();
      const prev = putKv(w, put);
      responses.push({ kind: 'put', prevKv: put['prev_kv'] === true ? prev : undefined });
    } else if (op['request_delete_range'] !== undefined) {
      const del = op['request_delete_range'] as Req;
      const prevs = deleteKvs(w, del);
      responses.push({ kind: 'delete', deleted: prevs.length, prevKvs: del['prev_kv'] === true ? prevs : undefined });
    } else if (op['request_txn'] !== undefined) responses.push({ kind: 'txn', txn: runTxnTyped(s, w, op['request_txn'] as Req, branches, sawAt(seen, i, 'response_txn')) });
  }
  return { succeeded: ok, responses };
}

const NO_RESPONSES: readonly unknown[] = [];

/** The client's answer to op `i` of a txn branch, its field `name` (response_range, response_txn), when it is an object. */
function sawAt(seen: readonly unknown[], i: number, name: string): Req | undefined {
  const r = seen[i];
  const v = typeof r === 'object' && r !== null ? (r as Req)[name] : undefined;
  return typeof v === 'object' && v !== null ? (v as Req) : undefined;
}

/** What a txn does, before its answer is written as JSON: the state after and the answer's body (header revision: the state's), or the error. */
export function txnResult(s: EtcdState, req: Req, observed?: Req): { state: EtcdState; body: TxnBody } | string {
  const branches = new Map<Req, boolean>();
  const err = plan(s, req, branches);
  if (err !== undefined) return err;
  const w = new Writer(s, s.revision + 1);
  let body: TxnBody;
  try {
    body = runTxnTyped(s, w, req, branches, observed);
  } catch (e) {
    if (e instanceof TxnNeverApplies) return ERR_KEY_NOT_FOUND;
    throw e;
  }
  return { state: w.finish(), body };
}

export function applyTxn(s: EtcdState, req: Req, observed?: Req): Applied {
  const r = txnResult(s, req, observed);
  if (typeof r === 'string') return { state: s, error: r };
  return { state: r.state, response: withHeader(r.state.revision, txnBodyJson(r.body, s.revision)) };
}

export function applyCompaction(s: EtcdState, req: Req): Applied {
  const rev = int(req['revision']);
  if (rev <= s.compactRevision) return { state: s, error: ERR_COMPACTED };
  if (rev > s.revision) return { state: s, error: ERR_FUTURE_REV };
  const state = new EtcdState(s.revision, rev, s.kvs, s.leases, s.kvsHash, s.leasesHash, s.previous, s.historyHash);
  return { state, response: header(s.revision) };
}

/** `grantedId`/`grantedTtl`: what the server answered, when the request left them to it. */
export function applyLeaseGrant(s: EtcdState, req: Req, grantedId: string | undefined, grantedTtlSeconds: number | undefined): Applied {
  const id = id64(req['ID']) !== '0' ? id64(req['ID']) : grantedId;
  if (id === undefined) throw new Error('invariant lease-grant-id broken: a grant with ID 0 needs the server-chosen ID');
  if (s.leases.has(id)) return { state: s, error: ERR_LEASE_EXISTS };
  const ttl = Math.max(int(req['TTL']), grantedTtlSeconds ?? 0);
  const leases = new Map(s.leases).set(id, ttl);
  const state = new EtcdState(s.revision, s.compactRevision, s.kvs, leases, s.kvsHash, s.leasesHash ^ leaseHash(id, ttl), s.previous, s.historyHash);
  return { state, response: { header: { revision: String(s.revision) }, ID: id, TTL: String(ttl) } };
}

/** Revoke, or expiry (the leader's own revoke): deletes the lease's keys in one revision. */
export function applyLeaseRevoke(s: EtcdState, req: Req): Applied {
  const id = id64(req['ID']);
  const ttl = s.leases.get(id);
  if (ttl === undefined) return { state: s, error: ERR_LEASE_NOT_FOUND };
  const w = new Writer(s, s.revision + 1);
  for (const k of s.keysOfLease(id)) w.remove(k);
  const leases = new Map(s.leases);
  leases.delete(id);
  const state = w.finish(leases, s.leasesHash ^ leaseHash(id, ttl));
  return { state, response: header(state.revision) };
}

export function applyLeaseKeepAlive(s: EtcdState, req: Req): Applied {
  const id = id64(req['ID']);
  const ttl = s.leases.get(id);
  // An unknown lease answers TTL 0, not an error.
  return { state: s, response: { ID: id, TTL: String(ttl ?? 0) } };
}

export function applyLeaseTimeToLive(s: EtcdState, req: Req): Applied {
  const id = id64(req['ID']);
  const ttl = s.leases.get(id);
  if (ttl === undefined) return { state: s, response: { ID: id, TTL: '-1' } };
  const resp: Req = { ID: id, grantedTTL: String(ttl) };
  if (req['keys'] === true) resp['keys'] = s.keysOfLease(id).map(encodeKey);
  return { state: s, response: resp };
}

/** etcd serves a range with serializable, or a txn of serializable ranges only (isTxnSerializable), from a member's local state. */
export function isSerializableRead(f: string, req: Req): boolean {
  if (f === 'kv/range') return req['serializable'] === true;
  if (f !== 'kv/txn') return false;
  for (let b = 0; b < TXN_BRANCHES; b++) {
    for (const op of txnBranch(req, b)) {
      const range = op['request_range'] as Req | undefined;
      if (range === undefined || range['serializable'] !== true) return false;
    }
  }
  return true;
}
