#!/usr/bin/env node
// Records a history as a real user's own client writes it, against a real 3-member etcd cluster
// on loopback whose members are killed (SIGKILL) and restarted now and then: C workers, each
// sending one request at a time (puts, ranges, deletes, txns, lease grant/keep-alive/time-to-live/
// revoke, puts with a lease) through a client that is not detcd's, each op written as detcd's JSONL
// (gateway JSON: int64 as strings, bytes base64). An error is a `fail` with the client's message as
// it printed it (a recorder cannot tell an unknown outcome from a refusal: the checker reads the
// message), so the history has what users' histories have: timeouts, errors of a dead member, the
// client's own retries.
//   --client etcdctl: one `etcdctl -w json` process per op (clientv3 3.4.23, its retry interceptor);
//     its JSON prints int64 as numbers and a txn's responses as Go structs: turned into gateway JSON.
//   --client etcd3: the etcd3 npm client (one per worker), its default global fault handling (a
//     request failing with a recoverable error is sent again, up to 3 more times): an op sent more
//     than once gets `tries`, as detcd's own history marks it. Its per-host circuit breaker is left
//     out: once a killed member opened it, most requests failed at once without being sent.
//
//   node bench/tools/record-client-history.mjs OUT --client etcdctl|etcd3 [--ops N] [--clients C] [--seed S] [--kill-every MS]
// Writes OUT/history.jsonl; `detcd check --model etcd OUT/history.jsonl` judges it.
import { execFile, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seededRandom } from './seeded-random.mjs';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  if (i < 0) return dflt;
  return args.splice(i, 2)[1];
};
const clientKind = opt('--client', 'etcdctl');
const opsWanted = Number(opt('--ops', '300'));
const workers = Number(opt('--clients', '4'));
const seed = Number(opt('--seed', '1'));
const killEvery = Number(opt('--kill-every', '4000'));
const [out] = args;
if (out === undefined || !['etcdctl', 'etcd3'].includes(clientKind) || ![opsWanted, workers, seed, killEvery].every((n) => Number.isInteger(n) && n > 0)) {
  console.error('usage: node bench/tools/record-client-history.mjs OUT --client etcdctl|etcd3 [--ops N] [--clients C] [--seed S] [--kill-every MS]');
  process.exit(3);
}
const random = seededRandom(seed);
const pick = (list) => list[Math.floor(random() * list.length)];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const b64 = (s) => Buffer.from(s).toString('base64');
const t0 = process.hrtime.bigint();
const now = () => Number((process.hrtime.bigint() - t0) / 1000n);

// The cluster: 3 members, each restartable on its data dir.
const BASE = 24500;
const names = ['m1', 'm2', 'm3'];
const clientUrl = (i) => `127.0.0.1:${BASE + 2 * i}`;
const peerUrl = (i) => `http://127.0.0.1:${BASE + 2 * i + 1}`;
const root = mkdtempSync(join(tmpdir(), 'detcd-client-history-'));
const initialCluster = names.map((n, i) => `${n}=${peerUrl(i)}`).join(',');
const members = names.map((name, i) => ({ name, i, proc: undefined, log: '' }));
function start(m) {
  m.proc = spawn('etcd', ['--name', m.name, '--data-dir', join(root, m.name), '--listen-client-urls', `http://${clientUrl(m.i)}`, '--advertise-client-urls', `http://${clientUrl(m.i)}`, '--listen-peer-urls', peerUrl(m.i), '--initial-advertise-peer-urls', peerUrl(m.i), '--initial-cluster', initialCluster, '--initial-cluster-state', 'new', '--heartbeat-interval', '50', '--election-timeout', '500'], { stdio: ['ignore', 'ignore', 'pipe'] });
  m.proc.stderr.on('data', (d) => (m.log = (m.log + d).slice(-4000)));
}
members.forEach(start);
const endpoints = members.map((m) => clientUrl(m.i));
const faults = [];

/** int64 fields etcdctl prints as JSON numbers, quoted before parsing (ids pass 2^53). */
const parseJson = (text) => JSON.parse(text.replace(/([:[,]\s*)(-?\d+)(?=\s*[,}\]])/g, '$1"$2"'));
const TXN_RESPONSES = { ResponsePut: 'response_put', ResponseRange: 'response_range', ResponseDeleteRange: 'response_delete_range', ResponseTxn: 'response_txn' };
const HEADER = ['cluster_id', 'member_id', 'revision', 'raft_term'];
/** etcdctl's JSON of a response as the gateway writes it. */
function gatewayOf(f, r) {
  if (f === 'kv/txn') return { ...r, responses: (r.responses ?? []).map((x) => Object.fromEntries(Object.entries(x.Response ?? {}).map(([k, v]) => [TXN_RESPONSES[k] ?? k, v]))) };
  if (!f.startsWith('lease/') || f === 'lease/revoke') return r;
  // Lease answers embed their header: its fields come flat.
  const header = Object.fromEntries(HEADER.filter((k) => r[k] !== undefined).map((k) => [k, r[k]]));
  const body = { header };
  if (f === 'lease/timetolive') Object.assign(body, { ID: r.id, TTL: r.ttl, grantedTTL: r['granted-ttl'] });
  else Object.assign(body, { ID: r.ID, TTL: r.TTL });
  return body;
}
const hex = (id) => BigInt(id).toString(16);
const compareText = (c) => `${c.target === 'MOD' ? 'mod' : 'value'}("${Buffer.from(c.key, 'base64')}") = "${c.target === 'MOD' ? c.mod_revision : Buffer.from(c.value, 'base64')}"`;
const opText = (o) => (o.request_put !== undefined ? `put ${Buffer.from(o.request_put.key, 'base64')} ${Buffer.from(o.request_put.value, 'base64')}` : `get ${Buffer.from(o.request_range.key, 'base64')}`);
/** The etcdctl command line of a request. */
function etcdctlArgs(f, v) {
  const k = v.key === undefined ? '' : Buffer.from(v.key, 'base64').toString();
  switch (f) {
    case 'kv/put':
      return ['put', k, Buffer.from(v.value, 'base64').toString(), ...(v.prev_kv ? ['--prev-kv'] : []), ...(v.lease !== undefined ? [`--lease=${hex(v.lease)}`] : [])];
    case 'kv/range':
      return ['get', k, ...(v.range_end !== undefined ? ['--prefix'] : []), ...(v.limit !== undefined ? [`--limit=${v.limit}`] : [])];
    case 'kv/deleterange':
      return ['del', k, ...(v.range_end !== undefined ? ['--prefix'] : []), ...(v.prev_kv ? ['--prev-kv'] : [])];
    case 'kv/txn':
      return ['txn'];
    case 'lease/grant':
      return ['lease', 'grant', v.TTL];
    case 'lease/keepalive':
      return ['lease', 'keep-alive', '--once', hex(v.ID)];
    case 'lease/timetolive':
      return ['lease', 'timetolive', hex(v.ID)];
    case 'lease/revoke':
      return ['lease', 'revoke', hex(v.ID)];
  }
  throw new Error(f);
}
const txnInput = (v) => `${v.compare.map(compareText).join('\n')}\n\n${v.success.map(opText).join('\n')}\n\n${v.failure.map(opText).join('\n')}\n\n`;

function etcdctl(f, v) {
  return new Promise((resolve) => {
    const child = execFile('etcdctl', [`--endpoints=${endpoints.join(',')}`, '-w', 'json', '--dial-timeout=1s', '--command-timeout=3s', ...etcdctlArgs(f, v)], { timeout: 10_000 }, (err, stdout, stderr) => {
      if (err === null) return resolve({ ok: gatewayOf(f, parseJson(stdout)) });
      const said = stderr.split('\n').filter((l) => l.startsWith('Error: ')).at(-1)?.slice(7) ?? (err.killed ? 'etcdctl killed after 10 s' : `exit ${err.code}`);
      resolve({ error: said });
    });
    if (f === 'kv/txn') child.stdin.end(txnInput(v));
    else child.stdin.end();
  });
}

// The etcd3 client: raw RPCs (the gateway's request and response messages), bytes as Buffers.
let etcd3 = undefined;
async function etcd3Client() {
  const { Etcd3, isRecoverableError } = await import('etcd3');
  const { retry, handleWhen, noop } = await import('cockatiel');
  const client = { tries: 0 };
  // etcd3's default global policy (retry 3 on recoverable errors), its retries counted.
  const global = retry(handleWhen(isRecoverableError), { maxAttempts: 3 });
  global.onRetry(() => client.tries++);
  client.etcd = new Etcd3({ hosts: endpoints.map((e) => `http://${e}`), faultHandling: { global, host: () => noop }, grpcOptions: { 'grpc.keepalive_timeout_ms': 1000 } });
  return client;
}
// etcd3's rpc.proto names enum values in PascalCase (CompareTarget Value, not VALUE): a gateway
// name it does not know is sent as 0 (target VERSION, a compare that then means something else).
const ENUM_NAMES = { EQUAL: 'Equal', GREATER: 'Greater', LESS: 'Less', NOT_EQUAL: 'NotEqual', VERSION: 'Version', CREATE: 'Create', MOD: 'Mod', VALUE: 'Value', LEASE: 'Lease' };
function toBytes(v, key) {
  if (typeof v === 'string' && ['key', 'value', 'range_end'].includes(key)) return Buffer.from(v, 'base64');
  if (typeof v === 'string' && ['result', 'target'].includes(key)) return ENUM_NAMES[v];
  if (Array.isArray(v)) return v.map((x) => toBytes(x));
  return v !== null && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toBytes(x, k)])) : v;
}
/** etcd3's answer as the gateway writes it: bytes base64, no oneof name (`response: 'response_put'`), no empty `error`. */
function fromEtcd3(v, key) {
  if (Buffer.isBuffer(v)) return v.toString('base64');
  if (Array.isArray(v)) return v.map((x) => fromEtcd3(x));
  if (v === null || typeof v !== 'object') return v;
  const drop = (k, x) => x === undefined || x === null || (k === 'response' && key === undefined && typeof x === 'string') || (k === 'error' && x === '');
  return Object.fromEntries(Object.entries(v).filter(([k, x]) => !drop(k, x)).map(([k, x]) => [k, fromEtcd3(x, k)]));
}
const deadline = () => ({ deadline: Date.now() + 3000 });
async function viaEtcd3(client, f, v) {
  const e = client.etcd;
  const req = toBytes(v);
  const call = {
    'kv/put': () => e.kv.put(req, deadline()),
    'kv/range': () => e.kv.range(req, deadline()),
    'kv/deleterange': () => e.kv.deleteRange(req, deadline()),
    'kv/txn': () => e.kv.txn(req, deadline()),
    'lease/grant': () => e.leaseClient.leaseGrant(req, deadline()),
    'lease/timetolive': () => e.leaseClient.leaseTimeToLive(req, deadline()),
    'lease/revoke': () => e.leaseClient.leaseRevoke(req, deadline()),
  }[f];
  try {
    return { ok: fromEtcd3(await call()) };
  } catch (err) {
    return { error: String(err.message ?? err) };
  }
}

/** A worker's next request: keys k0..k4, its own leases. */
function nextRequest(w, n) {
  const key = b64(`k${Math.floor(random() * 5)}`);
  const value = b64(`w${w.id}-${n}`);
  const x = random();
  const lease = w.leases.length > 0 && random() < 0.3 ? pick(w.leases) : undefined;
  if (x < 0.3) return ['kv/put', { key, value, ...(random() < 0.2 ? { prev_kv: true } : {}), ...(lease === undefined ? {} : { lease }) }];
  if (x < 0.5) return ['kv/range', random() < 0.3 ? { key: b64('k'), range_end: b64('l'), ...(random() < 0.5 ? { limit: '2' } : {}) } : { key }];
  if (x < 0.58) return ['kv/deleterange', random() < 0.2 ? { key: b64('k'), range_end: b64('l') } : { key, ...(random() < 0.3 ? { prev_kv: true } : {}) }];
  if (x < 0.75) {
    const compare = random() < 0.5 ? { key, result: 'EQUAL', target: 'MOD', mod_revision: String(w.lastRevision) } : { key, result: 'EQUAL', target: 'VALUE', value: w.lastValue ?? value };
    return ['kv/txn', { compare: [compare], success: [{ request_put: { key, value } }], failure: [{ request_range: { key } }] }];
  }
  if (x < 0.82 || w.leases.length === 0) return ['lease/grant', { TTL: String(pick([3, 5, 10, 30])) }];
  const ID = pick(w.leases);
  if (x < 0.88 && clientKind === 'etcdctl') return ['lease/keepalive', { ID }];
  if (x < 0.94) return ['lease/timetolive', { ID }];
  return ['lease/revoke', { ID }];
}

const history = [];
let sent = 0;
async function worker(id) {
  const w = { id, leases: [], lastRevision: 1, lastValue: undefined, client: clientKind === 'etcd3' ? await etcd3Client() : undefined };
  for (let n = 0; sent < opsWanted; n++) {
    sent++;
    const [f, value] = nextRequest(w, n);
    history.push({ time: now(), process: id, type: 'invoke', f, value });
    const triesBefore = w.client?.tries ?? 0;
    const r = clientKind === 'etcd3' ? await viaEtcd3(w.client, f, value) : await etcdctl(f, value);
    const tries = (w.client?.tries ?? 0) - triesBefore + 1;
    const extra = tries > 1 ? { tries } : {};
    if (r.ok !== undefined) {
      history.push({ time: now(), process: id, type: 'ok', f, value: r.ok, ...extra });
      const rev = r.ok.header?.revision;
      if (rev !== undefined) w.lastRevision = Number(rev);
      if (f === 'lease/grant') w.leases.push(r.ok.ID);
      if (f === 'kv/range' && r.ok.kvs?.[0] !== undefined) w.lastValue = r.ok.kvs[0].value;
      if (f === 'lease/revoke') w.leases = w.leases.filter((l) => l !== value.ID);
    } else {
      history.push({ time: now(), process: id, type: 'fail', f, value: null, error: r.error, ...extra });
      if (/lease not found/.test(r.error) && value.ID !== undefined) w.leases = w.leases.filter((l) => l !== value.ID);
    }
  }
  w.client?.etcd.close();
}

/** kill -9 a member now and then, restarted on its data dir a second later. */
let nemesisOn = true;
async function nemesis() {
  while (nemesisOn) {
    await sleep(killEvery);
    if (!nemesisOn) break;
    const m = pick(members);
    faults.push({ time: now(), kill: m.name });
    m.proc.kill('SIGKILL');
    await sleep(1000);
    start(m);
    faults.push({ time: now(), restart: m.name });
  }
}

try {
  // Serving: a linearizable read answered through the cluster (a read: the history starts at revision 1).
  for (let i = 0; ; i++) {
    const r = await etcdctl('kv/range', { key: b64('ready') });
    if (r.ok !== undefined) break;
    if (i > 40) throw new Error(`the cluster did not serve: ${members.map((m) => m.log.slice(-300)).join('\n')}`);
    await sleep(250);
  }
  const kills = nemesis();
  await Promise.all(Array.from({ length: workers }, (_, i) => worker(i)));
  nemesisOn = false;
  await kills;
  mkdirSync(out, { recursive: true });
  history.forEach((o, i) => (o.index = i));
  writeFileSync(join(out, 'history.jsonl'), history.map((o) => JSON.stringify({ index: o.index, ...o })).join('\n') + '\n');
  writeFileSync(join(out, 'faults.jsonl'), faults.map((o) => JSON.stringify(o)).join('\n') + '\n');
  const count = (t) => history.filter((o) => o.type === t).length;
  console.log(`${clientKind}: ${opsWanted} ops (ok ${count('ok')}, fail ${count('fail')}), ${faults.length / 2} kills, retried ${history.filter((o) => (o.tries ?? 1) > 1).length} in ${out}`);
} finally {
  nemesisOn = false;
  for (const m of members) m.proc?.kill('SIGKILL');
  await sleep(300);
  rmSync(root, { recursive: true, force: true });
}
