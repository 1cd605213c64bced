// Model-based test of MVCC, transactions, leases and watches: random command sequences run on
// the applier and on a plain model (kv-model.ts); every response must equal the model's
// prediction, and a watch from revision 1 must deliver exactly the model's changes, one
// response per revision, in order, with no gaps or duplicates.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as E from '../../../../src/api/errors.ts';
import type { Compare, KeyValue, RangeRequest, RequestOp, ResponseOp, TxnRequest, WatchResponse } from '../../../../src/api/types.ts';
import { checkTxn } from '../../../../src/api/validate.ts';
import type { WatchStream } from '../../../../src/watch/watch-stream.ts';
import { TestMember } from './helpers.ts';
import type { MKv } from './kv-model.ts';
import { KvModel } from './kv-model.ts';
import { fcParams } from '../../../property-seed.ts';

const KEYS = ['a', 'ab', 'b', 'c', '\xff', 'a\0'];
const ENDS = [undefined, '\0', 'b', 'c', 'ab\0', '\xff\xff'];
const LEASES = [0n, 7n, 8n];

interface Sys {
  m: KvModel;
  r: TestMember;
  all: WatchStream;
  seen: WatchResponse[];
}

const toKv = (kv: MKv): KeyValue => ({ ...kv });

function collect(s: Sys): void {
  s.r.applier.watchable.syncWatchers();
  s.seen.push(...s.all.take());
}

function expectedRange(m: KvModel, q: RangeRequest, readRev = m.rev, work?: Map<string, MKv>) {
  let rev = q.revision ?? 0;
  if (rev > readRev) return E.ErrFutureRev;
  if (rev <= 0) rev = readRev;
  if (rev < m.compactRev) return E.ErrCompacted;
  const end = q.range_end;
  const src = work !== undefined && rev === readRev && readRev > m.rev ? work : m.state(rev);
  const all = [...src.values()].filter((kv) => KvModel.inRange(kv.key, q.key!, end)).sort((a, b) => (a.key < b.key ? -1 : 1));
  let kvs = q.count_only === true ? [] : all;
  const f = (x: number | undefined) => x ?? 0;
  if (f(q.max_mod_revision) !== 0) kvs = kvs.filter((kv) => kv.mod_revision <= f(q.max_mod_revision));
  if (f(q.min_mod_revision) !== 0) kvs = kvs.filter((kv) => kv.mod_revision >= f(q.min_mod_revision));
  if (f(q.max_create_revision) !== 0) kvs = kvs.filter((kv) => kv.create_revision <= f(q.max_create_revision));
  if (f(q.min_create_revision) !== 0) kvs = kvs.filter((kv) => kv.create_revision >= f(q.min_create_revision));
  const target = q.sort_target ?? 'KEY';
  const order = target !== 'KEY' && (q.sort_order ?? 'NONE') === 'NONE' ? 'ASCEND' : q.sort_order ?? 'NONE';
  const field = (kv: MKv): number | string =>
    target === 'KEY' ? kv.key : target === 'VERSION' ? kv.version : target === 'CREATE' ? kv.create_revision : target === 'MOD' ? kv.mod_revision : kv.value;
  if (order !== 'NONE') {
    const sign = order === 'ASCEND' ? 1 : -1;
    kvs = [...kvs].sort((a, b) => (field(a) < field(b) ? -sign : field(a) > field(b) ? sign : 0));
  }
  const resp: Record<string, unknown> = { header: { revision: readRev } };
  const limit = q.limit ?? 0;
  if (limit > 0 && kvs.length > limit) {
    kvs = kvs.slice(0, limit);
    resp.more = true;
  }
  if (kvs.length > 0) resp.kvs = kvs.map((kv) => (q.keys_only === true ? { ...toKv(kv), value: '' } : toKv(kv)));
  if (all.length > 0) resp.count = all.length;
  return resp;
}

function compareHolds(m: KvModel, c: Compare): boolean {
  const kvs = m.live(m.rev, c.key!, c.range_end);
  const one = (kv: MKv | undefined): boolean => {
    const t = c.target!;
    const [a, b] = t === 'VALUE' ? [kv?.value ?? '', c.value ?? ''] : t === 'LEASE' ? [kv?.lease ?? 0n, c.lease ?? 0n]
      : t === 'VERSION' ? [kv?.version ?? 0, c.version ?? 0] : t === 'CREATE' ? [kv?.create_revision ?? 0, c.create_revision ?? 0] : [kv?.mod_revision ?? 0, c.mod_revision ?? 0];
    const r = a < b ? -1 : a > b ? 1 : 0;
    return c.result === 'EQUAL' ? r === 0 : c.result === 'NOT_EQUAL' ? r !== 0 : c.result === 'GREATER' ? r > 0 : r < 0;
  };
  if (kvs.length === 0) return c.target === 'VALUE' ? false : one(undefined);
  return kvs.every(one);
}

function expectedTxn(m: KvModel, t: TxnRequest): { resp: unknown; commit: () => void } {
  const ok = (t.compare ?? []).every((c) => compareHolds(m, c));
  const ops = (ok ? t.success : t.failure) ?? [];
  const isWrite = [...(t.success ?? []), ...(t.failure ?? [])].some((o) => o.request_range === undefined);
  for (const o of ops) {
    const lease = o.request_put?.lease ?? 0n;
    if (isWrite && lease !== 0n && !m.leases.has(lease)) return { resp: E.ErrLeaseNotFound, commit: () => undefined };
  }
  for (const o of ops) {
    const rev = o.request_range?.revision ?? 0;
    if (rev > m.rev) return { resp: E.ErrFutureRev, commit: () => undefined };
    if (rev !== 0 && rev < m.compactRev) return { resp: E.ErrCompacted, commit: () => undefined };
  }
  const tx = m.begin();
  const responses: ResponseOp[] = [];
  for (const o of ops) {
    const readRev = tx.changed.length > 0 ? m.rev + 1 : m.rev;
    if (o.request_range !== undefined) {
      responses.push({ response_range: expectedRange(m, o.request_range, readRev, tx.work) as never });
    } else if (o.request_put !== undefined) {
      const p = o.request_put;
      const prev = tx.work.get(p.key!);
      tx.put(p.key!, p.value ?? '', p.lease ?? 0n);
      responses.push({ response_put: { header: { revision: m.rev + 1 }, ...(p.prev_kv === true && prev ? { prev_kv: toKv(prev) } : {}) } });
    } else {
      const d = o.request_delete_range!;
      const prevs = [...tx.work.values()].filter((kv) => KvModel.inRange(kv.key, d.key!, d.range_end)).sort((a, b) => (a.key < b.key ? -1 : 1));
      const n = tx.del(d.key!, d.range_end);
      responses.push({ response_delete_range: {
        header: { revision: tx.changed.length > 0 ? m.rev + 1 : m.rev },
        ...(n > 0 ? { deleted: n } : {}),
        ...(d.prev_kv === true && prevs.length > 0 ? { prev_kvs: prevs.map(toKv) } : {}),
      } });
    }
  }
  const resp = { header: { revision: tx.changed.length > 0 ? m.rev + 1 : m.rev }, ...(ok ? { succeeded: true } : {}), ...(responses.length > 0 ? { responses } : {}) };
  return { resp, commit: () => tx.commit() };
}

const key = fc.constantFrom(...KEYS);
const end = fc.constantFrom(...ENDS);
const value = fc.constantFrom('', 'x', 'y', 'zz');
const lease = fc.constantFrom(...LEASES);

const rangeReq = fc.record({
  key, range_end: end, revision: fc.integer({ min: -1, max: 30 }), limit: fc.integer({ min: -1, max: 4 }),
  sort_order: fc.constantFrom('NONE', 'ASCEND', 'DESCEND'), sort_target: fc.constantFrom('KEY', 'VERSION', 'CREATE', 'MOD', 'VALUE'),
  keys_only: fc.boolean(), count_only: fc.boolean(),
  min_mod_revision: fc.integer({ min: 0, max: 20 }), max_mod_revision: fc.integer({ min: 0, max: 20 }),
  min_create_revision: fc.integer({ min: 0, max: 20 }), max_create_revision: fc.integer({ min: 0, max: 20 }),
}, { requiredKeys: ['key'] }) as fc.Arbitrary<RangeRequest>;

const putReq = fc.record({ key, value, lease, prev_kv: fc.boolean() }, { requiredKeys: ['key'] });

const compare = fc.record({
  key, range_end: end, target: fc.constantFrom('VERSION', 'CREATE', 'MOD', 'VALUE', 'LEASE'),
  result: fc.constantFrom('EQUAL', 'GREATER', 'LESS', 'NOT_EQUAL'),
  version: fc.integer({ min: 0, max: 3 }), create_revision: fc.integer({ min: 0, max: 10 }), mod_revision: fc.integer({ min: 0, max: 10 }),
  value, lease,
}, { requiredKeys: ['key', 'target', 'result'] }) as fc.Arbitrary<Compare>;

const op: fc.Arbitrary<RequestOp> = fc.oneof(
  rangeReq.map((r): RequestOp => ({ request_range: r })),
  putReq.map((p): RequestOp => ({ request_put: p })),
  fc.record({ key, range_end: fc.constantFrom(...ENDS.filter((e) => e !== undefined)), prev_kv: fc.boolean() }, { requiredKeys: ['key'] })
    .map((d): RequestOp => ({ request_delete_range: d })),
);

type Cmd = fc.Command<KvModel, Sys>;
const cmd = (check: (s: Sys) => void, label: string): Cmd => ({ check: () => true, run: (_m, s) => { check(s); collect(s); }, toString: () => label });

const commands: fc.Arbitrary<Cmd>[] = [
  putReq.map((p0) => cmd((s) => {
    const p = { key: p0.key, value: p0.value ?? '', lease: p0.lease ?? 0n, prev_kv: p0.prev_kv === true };
    const prev = s.m.state().get(p.key);
    const exp = p.lease !== 0n && !s.m.leases.has(p.lease) ? E.ErrLeaseNotFound
      : { header: { revision: s.m.rev + 1 }, ...(p.prev_kv && prev ? { prev_kv: toKv(prev) } : {}) };
    expect(s.r.put(p.key, p.value, p).response).toEqual(exp);
    if (!('code' in exp)) {
      const tx = s.m.begin();
      tx.put(p.key, p.value, p.lease);
      tx.commit();
    }
  }, `put ${JSON.stringify(p0, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v))}`)),
  fc.record({ key, ignore_value: fc.boolean(), ignore_lease: fc.boolean() }).map((p) => cmd((s) => {
    const prev = s.m.state().get(p.key);
    const ignoring = p.ignore_value || p.ignore_lease;
    const exp = ignoring && !prev ? E.ErrKeyNotFound : { header: { revision: s.m.rev + 1 } };
    expect(s.r.apply({ kind: 'put', request: { key: p.key, value: p.ignore_value ? '' : 'n', ignore_value: p.ignore_value, ignore_lease: p.ignore_lease } }).response).toEqual(exp);
    if (!('code' in exp)) {
      const tx = s.m.begin();
      tx.put(p.key, p.ignore_value ? prev!.value : 'n', p.ignore_lease ? prev!.lease : 0n);
      tx.commit();
    }
  }, `put-ignore ${JSON.stringify(p)}`)),
  fc.record({ key, end, prev: fc.boolean() }).map(({ key: k, end: e, prev }) => cmd((s) => {
    const prevs = s.m.live(s.m.rev, k, e);
    const exp = { header: { revision: prevs.length > 0 ? s.m.rev + 1 : s.m.rev }, ...(prevs.length > 0 ? { deleted: prevs.length } : {}), ...(prev && prevs.length > 0 ? { prev_kvs: prevs.map(toKv) } : {}) };
    expect(s.r.apply({ kind: 'delete_range', request: { key: k, ...(e !== undefined ? { range_end: e } : {}), prev_kv: prev } }).response).toEqual(exp);
    const tx = s.m.begin();
    tx.del(k, e);
    tx.commit();
  }, `delete ${JSON.stringify([k, e, prev])}`)),
  rangeReq.map((q) => cmd((s) => { expect(s.r.applier.range(q)).toEqual(expectedRange(s.m, q)); }, `range ${JSON.stringify(q)}`)),
  fc.record({ compare: fc.array(compare, { maxLength: 2 }), success: fc.array(op, { maxLength: 4 }), failure: fc.array(op, { maxLength: 3 }) }).map((t) => cmd((s) => {
    const invalid = checkTxn(t);
    if (invalid !== undefined) {
      expect([E.ErrDuplicateKey]).toContain(invalid);
      return;
    }
    const { resp, commit } = expectedTxn(s.m, t);
    expect(s.r.apply({ kind: 'txn', request: t }).response).toEqual(resp);
    commit();
  }, `txn ${JSON.stringify(t, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v))}`)),
  fc.integer({ min: -1, max: 25 }).map((rev) => cmd((s) => {
    const exp = rev <= s.m.compactRev ? E.ErrCompacted : rev > s.m.rev ? E.ErrFutureRev : { header: { revision: s.m.rev } };
    expect(s.r.apply({ kind: 'compaction', request: { revision: rev } }).response).toEqual(exp);
    if (!('code' in exp)) s.m.compactRev = rev;
  }, `compact ${rev}`)),
  fc.record({ id: fc.constantFrom(7n, 8n), ttl: fc.integer({ min: -1, max: 5 }) }).map(({ id, ttl }) => cmd((s) => {
    const exp = s.m.leases.has(id) ? E.ErrLeaseExist : { header: { revision: s.m.rev }, ID: id, TTL: Math.max(ttl, 2) };
    expect(s.r.apply({ kind: 'lease_grant', request: { ID: id, TTL: ttl } }).response).toEqual(exp);
    s.m.leases.add(id);
  }, `grant ${id}`)),
  fc.constantFrom(7n, 8n).map((id) => cmd((s) => {
    if (!s.m.leases.has(id)) {
      expect(s.r.apply({ kind: 'lease_revoke', request: { ID: id } }).response).toEqual(E.ErrLeaseNotFound);
      return;
    }
    const tx = s.m.begin();
    for (const kv of [...tx.work.values()].filter((x) => x.lease === id).sort((a, b) => (a.key < b.key ? -1 : 1))) tx.del(kv.key, undefined);
    tx.commit();
    s.m.leases.delete(id);
    expect(s.r.apply({ kind: 'lease_revoke', request: { ID: id } }).response).toEqual({ header: { revision: s.m.rev } });
  }, `revoke ${id}`)),
  fc.integer({ min: -2, max: 30 }).map((start) => cmd((s) => {
    const stream = s.r.applier.openWatchStream();
    stream.create({ key: '\0', range_end: '\0', start_revision: start, prev_kv: true });
    s.r.applier.watchable.syncWatchers();
    const out = stream.take();
    stream.close();
    expect(out[0]).toMatchObject({ created: true, header: { revision: s.m.rev } });
    const from = start === 0 ? s.m.rev + 1 : start;
    if (start !== 0 && from <= s.m.rev && from < s.m.compactRev) {
      // etcd marks the response canceled iff compact_revision != 0: after "compact 0" the watcher
      // is dropped with an empty response, exactly as etcd's sendLoop does.
      expect(out.slice(1)).toEqual(s.m.compactRev === 0 ? [{ header: { revision: 0 } }]
        : [{ header: { revision: 0 }, canceled: true, compact_revision: s.m.compactRev }]);
      return;
    }
    // A negative start catches up on nothing: etcd's backend range from its uint64 bytes is empty.
    const evs = s.m.events.filter((e) => start >= 0 && e.rev >= from).map((e) => {
      const kv = e.type === 'PUT' ? toKv(e.kv!) : { key: e.key, create_revision: 0, mod_revision: e.rev, version: 0, value: '', lease: 0n };
      const prev = e.rev - 1 >= s.m.compactRev ? s.m.state(e.rev - 1).get(e.key) : undefined;
      const isCreate = e.type === 'PUT' && kv.create_revision === kv.mod_revision;
      return { type: e.type, kv, ...(prev && !isCreate ? { prev_kv: toKv(prev) } : {}) };
    });
    expect(out.slice(1)).toEqual(evs.length === 0 ? [] : [{ header: { revision: s.m.rev }, events: evs }]);
  }, `watch-from ${start}`)),
];

describe('kv model-based test', () => {
  it('every response and every watch event matches the plain model', () => {
    fc.assert(fc.property(fc.commands(commands, { maxCommands: 60, size: 'max' }), (cmds) => {
      const r = new TestMember();
      const all = r.applier.openWatchStream();
      all.create({ key: '\0', range_end: '\0', start_revision: 1 });
      const s: Sys = { m: new KvModel(), r, all, seen: [] };
      collect(s);
      fc.modelRun(() => ({ model: s.m, real: s }), cmds);
      collect(s);
      // The watch from revision 1: Created, then one response per revision, in order, no gaps.
      const [created, ...rest] = s.seen;
      expect(created).toMatchObject({ created: true });
      const revs = rest.map((w) => w.header!.revision!);
      for (const w of rest) expect(new Set(w.events!.map((e) => e.kv.mod_revision))).toEqual(new Set([w.header!.revision]));
      expect(revs).toEqual([...new Set(s.m.events.map((e) => e.rev))]);
      expect(rest.flatMap((w) => w.events!.map((e) => ({ type: e.type, key: e.kv.key, rev: e.kv.mod_revision }))))
        .toEqual(s.m.events.map((e) => ({ type: e.type, key: e.key, rev: e.rev })));
      expect(r.rev).toBe(s.m.rev);
    }), fcParams(300));
  });
});
