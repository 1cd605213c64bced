#!/usr/bin/env node
// Writes a detcd etcd history (a report's history.jsonl, e.g. from `detcd run --target etcd`)
// in the shape etcd's robustness tests save a run (tests/robustness report/client.go: one
// client-N/operations.json of porcupine operations per client; model/types.go, history.go),
// so that `detcd check` can be tested on robustness-format histories of a real etcd:
//
//   node bench/tools/robustness-export.mjs reports/kill-leader/3/history.jsonl OUTDIR
//
// What the tests record, and nothing more: a range's Start/End/Limit/Revision and its KVs as
// Key, Value (or its FNV-32a hash from 20 bytes on) and ModRevision; puts and deletes as
// one-operation txns; txns whose compares are "mod_revision EQUAL" or "version EQUAL"
// (EtcdCondition's ExpectedRevision, ExpectedVersion); a grant's lease ID in the request; puts
// with their LeaseID; revokes and compactions with their revision. The format has no field for a
// lease's TTL (model.LeaseGrantRequest holds its LeaseID only), nor a keep-alive or a lease lookup:
// those are left out, and a lease's verdict in this form is the etcd model's (a revoke deletes its
// keys, a put with a lease that is gone fails), never one of its TTL. A failed op gets the test's treatment: its Error, a Return
// one second past the client's last time, and the client's next ops on a new stream
// (ClientId). Any other request (sorting, serializable, prev_kv, other compares…) cannot be
// written in the format: the tool stops naming it rather than write a history that lies.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const [, , from, to] = process.argv;
if (from === undefined || to === undefined) {
  console.error('usage: node bench/tools/robustness-export.mjs HISTORY.jsonl OUTDIR');
  process.exit(3);
}

const bytes = (b64) => Buffer.from(b64 ?? '', 'base64');
const text = (b64) => bytes(b64).toString('utf8');
function fnv32a(buf) {
  let h = 0x811c9dc5;
  for (const b of buf) h = Math.imul(h ^ b, 0x01000193) >>> 0;
  return h;
}
const valueOrHash = (b64) => {
  const b = bytes(b64);
  return b.length < 20 ? (b.length === 0 ? {} : { Value: b.toString('utf8') }) : { Hash: fnv32a(b) };
};
const int = (v) => (v === undefined ? 0 : Number(v));

class Refused extends Error {}
function only(o, fields, what) {
  for (const k of Object.keys(o ?? {})) if (!fields.includes(k) && o[k] !== false && o[k] !== '' && o[k] !== '0' && o[k] !== 0) throw new Refused(`${what}: field ${k} is not in the robustness format`);
}

const input = (type, extra) => ({ Type: type, LeaseGrant: null, LeaseRevoke: null, Range: null, Txn: null, Defragment: null, Compact: null, ...extra });
const emptyOp = { Range: { Start: '', End: '', Limit: 0 }, Put: { Key: '', Value: {}, LeaseID: 0 }, Delete: { Key: '' } };

function txnOp(o) {
  if (o.request_put !== undefined) {
    only(o.request_put, ['key', 'value', 'lease'], 'a put in a txn');
    return { kind: 'put', op: { ...emptyOp, Type: 'put-operation', Put: { Key: text(o.request_put.key), Value: valueOrHash(o.request_put.value), LeaseID: BigInt(o.request_put.lease ?? 0) } } };
  }
  if (o.request_range !== undefined) {
    only(o.request_range, ['key', 'range_end', 'limit'], 'a range in a txn');
    return { kind: 'range', op: { ...emptyOp, Type: 'range-operation', Range: { Start: text(o.request_range.key), End: text(o.request_range.range_end), Limit: int(o.request_range.limit) } } };
  }
  if (o.request_delete_range !== undefined) {
    only(o.request_delete_range, ['key'], 'a delete in a txn');
    return { kind: 'delete', op: { ...emptyOp, Type: 'delete-operation', Delete: { Key: text(o.request_delete_range.key) } } };
  }
  throw new Refused(`a txn operation ${JSON.stringify(Object.keys(o))} is not in the robustness format`);
}

/** [Input, kinds of the success and failure ops], or undefined for an op the tests do not record. */
function request(f, v) {
  switch (f) {
    case 'kv/range':
      only(v, ['key', 'range_end', 'limit', 'revision'], 'a range');
      return [input('range', { Range: { Start: text(v.key), End: text(v.range_end), Limit: int(v.limit), Revision: int(v.revision) } })];
    case 'kv/put':
      only(v, ['key', 'value', 'lease'], 'a put');
      return [input('txn', { Txn: { Conditions: null, OperationsOnSuccess: [txnOp({ request_put: v }).op], OperationsOnFailure: null } }), ['put'], []];
    case 'kv/deleterange':
      only(v, ['key'], 'a delete');
      return [input('txn', { Txn: { Conditions: null, OperationsOnSuccess: [txnOp({ request_delete_range: v }).op], OperationsOnFailure: null } }), ['delete'], []];
    case 'kv/txn': {
      only(v, ['compare', 'success', 'failure'], 'a txn');
      const conds = (v.compare ?? []).map((c) => {
        // model.EtcdCondition: ExpectedRevision (mod_revision EQUAL) or ExpectedVersion (version EQUAL; 0, a missing key, is mod_revision 0).
        const equal = (c.result ?? 'EQUAL') === 'EQUAL' && c.range_end === undefined;
        if (equal && c.target === 'MOD') return { Key: text(c.key), ExpectedRevision: int(c.mod_revision) };
        if (equal && c.target === 'VERSION') return int(c.version) > 0 ? { Key: text(c.key), ExpectedVersion: int(c.version) } : { Key: text(c.key), ExpectedRevision: 0 };
        throw new Refused(`a txn compare ${JSON.stringify(c)} is neither "mod_revision EQUAL" nor "version EQUAL"`);
      });
      const s = (v.success ?? []).map(txnOp);
      const fl = (v.failure ?? []).map(txnOp);
      return [input('txn', { Txn: { Conditions: conds.length === 0 ? null : conds, OperationsOnSuccess: s.map((x) => x.op), OperationsOnFailure: fl.map((x) => x.op) } }), s.map((x) => x.kind), fl.map((x) => x.kind)];
    }
    case 'lease/grant':
      return [input('leaseGrant', { LeaseGrant: { LeaseID: 0 } })];
    case 'lease/revoke':
      return [input('leaseRevoke', { LeaseRevoke: { LeaseID: BigInt(v.ID ?? 0) } })];
    case 'kv/compaction':
      return [input('compact', { Compact: { Revision: int(v.revision) } })];
    case 'lease/keepalive':
    case 'lease/timetolive':
    case 'lease/leases':
      return undefined;
    default:
      throw new Refused(`an op ${f} is not in the robustness format`);
  }
}

const output = (extra) => ({ Txn: null, Range: null, LeaseGrant: null, LeaseRevoke: null, Defragment: null, Compact: null, ClientError: '', Revision: 0, Persisted: false, PersistedRevision: 0, Error: '', ...extra });
// A kv as the tests' recorder writes it (model/history.go rangeResponse): Value and ModRevision.
// model.ValueRevision has a Version too, which the recorder leaves 0 (omitted): written here, it
// made detcd check's search on test/fixtures/check/short-timeouts-seed3 run out of its 300 s
// (49 million model steps) where it takes ~4,000 steps without.
const rangeResult = (r) => ({ KVs: (r.kvs ?? []).map((kv) => ({ Key: text(kv.key), Value: valueOrHash(kv.value), ModRevision: int(kv.mod_revision) })), Count: int(r.count) });

function answer(f, req, kinds, resp) {
  const Revision = int(resp.header?.revision);
  switch (f) {
    case 'kv/range':
      return output({ Range: rangeResult(resp), Revision });
    case 'kv/put':
    case 'kv/deleterange':
    case 'kv/txn': {
      const responses = f === 'kv/txn' ? (resp.responses ?? []) : [f === 'kv/put' ? { response_put: {} } : { response_delete_range: resp }];
      const failure = f === 'kv/txn' && resp.succeeded !== true;
      const Results = responses.map((r, i) => {
        const kind = (failure ? kinds[1] : kinds[0])[i];
        if (kind === 'range') return { ...rangeResult(r.response_range ?? {}), Deleted: 0 };
        if (kind === 'delete') return { KVs: null, Count: 0, Deleted: int(r.response_delete_range?.deleted) };
        return { KVs: null, Count: 0, Deleted: 0 };
      });
      return output({ Txn: { Failure: failure, Results }, Revision });
    }
    case 'lease/grant':
      req.LeaseGrant.LeaseID = BigInt(resp.ID);
      return output({ LeaseGrant: { LeaseID: 0 }, Revision });
    case 'lease/revoke':
      return output({ LeaseRevoke: {}, Revision });
    case 'kv/compaction':
      return output({ Compact: {}, Revision });
  }
}

const ops = readFileSync(from, 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l));
const open = new Map();
const byProcess = new Map();
let streams = Math.max(0, ...ops.map((o) => (typeof o.process === 'number' ? o.process : 0))) + 1;
const streamOf = new Map();
try {
  for (const op of ops) {
    if (op.type === 'invoke') {
      open.set(op.process, op);
      continue;
    }
    const inv = open.get(op.process);
    open.delete(op.process);
    const r = request(inv.f, inv.value);
    if (r === undefined) continue;
    const [Input, ...kinds] = r;
    const ClientId = streamOf.get(op.process) ?? op.process;
    const rec = { ClientId, Input, Call: inv.time * 1000, Output: undefined, Return: op.time * 1000 };
    if (op.type === 'ok') rec.Output = answer(inv.f, Input, kinds, op.value);
    else {
      // An unknown outcome is what the tests' Go client reports on its request timeout.
      rec.Output = output({ Error: op.type === 'info' ? 'context deadline exceeded' : (op.error ?? 'failed') });
      rec.Return = -1; // set below: past the client's last time, as History.Operations() does
      streamOf.set(op.process, streams++);
    }
    (byProcess.get(op.process) ?? byProcess.set(op.process, []).get(op.process)).push(rec);
  }
  // Invokes never completed: failed ops too.
  for (const [process, inv] of open) {
    const r = request(inv.f, inv.value);
    if (r === undefined) continue;
    (byProcess.get(process) ?? byProcess.set(process, []).get(process)).push({ ClientId: streamOf.get(process) ?? process, Input: r[0], Call: inv.time * 1000, Output: output({ Error: 'context deadline exceeded' }), Return: -1 });
  }
} catch (err) {
  if (err instanceof Refused) {
    console.error(`${from}: ${err.message}`);
    process.exit(3);
  }
  throw err;
}
let n = 0;
for (const [process, recs] of [...byProcess].sort((a, b) => Number(a[0]) - Number(b[0]))) {
  const last = Math.max(...recs.map((r) => Math.max(r.Call, r.Return)));
  const ok = recs.filter((r) => r.Return !== -1);
  const failed = recs.filter((r) => r.Return === -1).map((r) => ({ ...r, Return: last + 1e9 }));
  const dir = join(to, `client-${Number(process) + 1}`);
  mkdirSync(dir, { recursive: true });
  const json = (o) => JSON.stringify(o, (_, v) => (typeof v === 'bigint' ? `@@${v}@@` : v)).replace(/"@@(-?\d+)@@"/g, '$1');
  writeFileSync(join(dir, 'operations.json'), [...ok, ...failed].map((r) => `${json(r)}\n`).join(''));
  n += recs.length;
}

// Watches: a report's watches.jsonl beside its history.jsonl, each watch client of it a client
// of its own after the operations' clients (client/client.go: a watch client records
// model.WatchOperation lines in client-N/watch.json). A watch (re)opened with a request is one
// WatchOperation; what clientv3 would not deliver (the Created response) is left out; what the
// format cannot say (filters, fragments, a range that is neither one key nor a prefix) stops
// the tool naming it.
const watchesFile = join(dirname(from), 'watches.jsonl');
let watchClients = 0;
let watchResponses = 0;
if (existsSync(watchesFile)) {
  const records = readFileSync(watchesFile, 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l));
  const prefixEnd = (key) => {
    const b = [...bytes(key)];
    for (let i = b.length - 1; i >= 0; i--) if (b[i] < 0xff) return Buffer.from([...b.slice(0, i), b[i] + 1]).toString('base64');
    return 'AA==';
  };
  const watchRequest = (req) => {
    const c = req.create_request ?? req;
    only(c, ['key', 'range_end', 'start_revision', 'progress_notify', 'prev_kv'], 'a watch request');
    const all = (c.key === 'AA==' || (c.key ?? '') === '') && c.range_end === 'AA==';
    if (c.range_end !== undefined && !all && c.range_end !== prefixEnd(c.key)) throw new Refused(`a watch of [${text(c.key)}, ${text(c.range_end)}) is neither one key nor a prefix`);
    return { Key: all ? '' : text(c.key), Revision: int(c.start_revision), WithPrefix: c.range_end !== undefined, WithProgressNotify: c.progress_notify === true, WithPrevKV: c.prev_kv === true };
  };
  const watchEvent = (e) => {
    const kv = e.kv ?? {};
    const put = e.type !== 'DELETE';
    const out = { Type: put ? 'put-operation' : 'delete-operation', Key: text(kv.key), Value: put ? valueOrHash(kv.value) : {}, Revision: int(kv.mod_revision), IsCreate: put && int(kv.create_revision) === int(kv.mod_revision) };
    out.PrevValue = e.prev_kv === undefined ? null : { Value: valueOrHash(e.prev_kv.value), ModRevision: int(e.prev_kv.mod_revision), Version: int(e.prev_kv.version) };
    return out;
  };
  const byWatcher = new Map();
  try {
    for (const rec of records) {
      // A stream's close record (detcd serve): the format has none (clientv3's channel just ends).
      if (rec.closed !== undefined) continue;
      const r = rec.response.result ?? rec.response;
      let ops = byWatcher.get(rec.process);
      if (ops === undefined) byWatcher.set(rec.process, (ops = []));
      if (rec.request !== undefined || ops.length === 0) ops.push({ Request: watchRequest(rec.request ?? { key: 'AA==', range_end: 'AA==' }), Responses: [] });
      if (r.fragment === true) throw new Refused('a fragmented watch response (clientv3 puts the parts together; the format has no parts)');
      if (r.created === true && r.canceled !== true) continue;
      const resp = { Events: null, IsProgressNotify: false, Revision: int(r.header?.revision), Time: Math.round(rec.time * 1000) };
      if (r.canceled === true) resp.Error = int(r.compact_revision) > 0 ? 'etcdserver: mvcc: required revision has been compacted' : (r.cancel_reason || 'etcdserver: watch canceled');
      else if ((r.events ?? []).length > 0) resp.Events = r.events.map(watchEvent);
      else resp.IsProgressNotify = true;
      ops[ops.length - 1].Responses.push(resp);
      watchResponses++;
    }
  } catch (err) {
    if (err instanceof Refused) {
      console.error(`${watchesFile}: ${err.message}`);
      process.exit(3);
    }
    throw err;
  }
  let client = Math.max(0, ...[...byProcess.keys()].map((p) => Number(p) + 1));
  for (const [, ops] of byWatcher) {
    const dir = join(to, `client-${++client}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'watch.json'), ops.map((o) => `${JSON.stringify(o)}\n`).join(''));
    watchClients++;
  }
}
console.log(`${to}: ${n} operations of ${byProcess.size} clients${watchClients > 0 ? `, ${watchResponses} watch responses of ${watchClients} watch clients` : ''}`);
