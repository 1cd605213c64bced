#!/usr/bin/env node
// Records several watches on one gRPC Watch stream of a real etcd (one member, fresh data dir), as
// a tester's history would hold them: two creates with different ids (7 asked for, the other left
// to the server), puts under both, a cancel of one, more puts, the stream closed. Writes OUT/history.jsonl
// (the puts, detcd JSONL) and OUT/watches.jsonl (every response of the stream, process "stream-1",
// each create request on its Created record), both in etcd's gateway JSON (bytes base64, int64 as
// strings). `detcd check --model etcd --watches OUT/watches.jsonl OUT/history.jsonl` judges them.
// With --recreate N instead: watch 7 cancelled and created again with id 7 at once, N rounds, each
// racing 8 concurrent puts (etcd's sendLoop holds a cancelled id's later responses for its next
// Created: sim/check/watch-held.ts). With --held N: a slow consumer, N rounds, each: the stream
// not read while PUTS puts of 2 KB values fill the server's send window (etcd's sendLoop blocks in
// Send, watch 7's responses wait in its channel), watch 7 cancelled and created again with id 7,
// then the stream read again: the sendLoop's select takes the waiting responses and the Canceled,
// Created in a random order, so old responses come after the new Created.
//
//   node bench/tools/record-shared-watch.mjs OUT [ETCD_BINARY] [--recreate N | --held N [--puts PUTS]]
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

const args = process.argv.slice(2);
const r = args.indexOf('--recreate');
const rounds = r < 0 ? 0 : Number(args.splice(r, 2)[1]);
const h = args.indexOf('--held');
const heldRounds = h < 0 ? 0 : Number(args.splice(h, 2)[1]);
const p = args.indexOf('--puts');
const heldPuts = p < 0 ? 60 : Number(args.splice(p, 2)[1]);
const [out, binary = 'etcd'] = args;
if (out === undefined || ![rounds, heldRounds, heldPuts].every((n) => Number.isInteger(n) && n >= 0)) {
  console.error('usage: node bench/tools/record-shared-watch.mjs OUT [ETCD_BINARY] [--recreate N | --held N [--puts PUTS]]');
  process.exit(3);
}
const PROTO_DIR = join(import.meta.dirname, '../../sim/cli/serve/proto/etcd');
const CLIENT = '127.0.0.1:24179';
const PEER = '127.0.0.1:24180';
const dataDir = mkdtempSync(join(tmpdir(), 'detcd-shared-watch-'));
const etcd = spawn(binary, ['--name', 's1', '--data-dir', dataDir, '--listen-client-urls', `http://${CLIENT}`, '--advertise-client-urls', `http://${CLIENT}`, '--listen-peer-urls', `http://${PEER}`, '--initial-advertise-peer-urls', `http://${PEER}`, '--initial-cluster', `s1=http://${PEER}`], { stdio: ['ignore', 'ignore', 'pipe'] });
let etcdLog = '';
etcd.stderr.on('data', (d) => (etcdLog += d));
const stop = () => {
  etcd.kill('SIGTERM');
  rmSync(dataDir, { recursive: true, force: true });
};

const definition = protoLoader.loadSync(join(PROTO_DIR, 'rpc.proto'), { keepCase: true, longs: String, enums: String, bytes: String, defaults: false, includeDirs: [PROTO_DIR] });
const pb = grpc.loadPackageDefinition(definition).etcdserverpb;
const kv = new pb.KV(CLIENT, grpc.credentials.createInsecure());
const watch = new pb.Watch(CLIENT, grpc.credentials.createInsecure());
const b64 = (s) => Buffer.from(s).toString('base64');
const t0 = process.hrtime.bigint();
const now = () => Number((process.hrtime.bigint() - t0) / 1000n);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const history = [];
let index = 0;
async function put(key, value, process = 0) {
  const request = { key: b64(key), value: b64(value) };
  history.push({ index: index++, time: now(), process, type: 'invoke', f: 'kv/put', value: request });
  const response = await new Promise((resolve, reject) => kv.Put(request, (err, r) => (err ? reject(err) : resolve(r))));
  history.push({ index: index++, time: now(), process, type: 'ok', f: 'kv/put', value: response, node: 'n1' });
}

/** Watch 7 on [a, b) and a second on b, puts under both, the second cancelled, more puts. */
async function shared(stream, create, records) {
  create({ key: b64('a'), range_end: b64('b'), watch_id: '7' });
  await sleep(100);
  create({ key: b64('b') });
  await sleep(100);
  await put('a1', 'v1');
  await put('b', 'v2');
  await put('a2', 'v3');
  await put('b', 'v4');
  await sleep(200);
  const second = records.find((r) => r.response.created === true && r.response.watch_id !== '7')?.response.watch_id ?? '0';
  stream.write({ cancel_request: { watch_id: second } });
  await sleep(200);
  await put('a1', 'v5');
  await put('b', 'v6');
  await put('a3', 'v7');
  return `second watch id ${second}`;
}

/** Watch 7 on [a, b) cancelled and created again with its id at once, while 8 clients put. */
async function recreate(stream, create) {
  create({ key: b64('a'), range_end: b64('b'), watch_id: '7' });
  await sleep(100);
  for (let round = 0; round < rounds; round++) {
    const puts = Array.from({ length: 8 }, (_, c) => put(`a${c}`, `r${round}c${c}`, c));
    await sleep(round % 4);
    stream.write({ cancel_request: { watch_id: '7' } });
    create({ key: b64('a'), range_end: b64('b'), watch_id: '7' });
    await Promise.all(puts);
    await sleep(30);
  }
  return `${rounds} re-creates of watch 7`;
}

/** Watch 7 on [a, b): per round, the stream left unread while puts fill etcd's send window, 7 cancelled and created again, the stream read again. */
async function held(stream, create) {
  create({ key: b64('a'), range_end: b64('b'), watch_id: '7' });
  await sleep(100);
  const fill = 'x'.repeat(2048);
  for (let round = 0; round < heldRounds; round++) {
    stream.pause();
    for (let i = 0; i < heldPuts; i++) await put(`a${i % 8}`, `h${round}-${i}-${fill}`);
    stream.write({ cancel_request: { watch_id: '7' } });
    create({ key: b64('a'), range_end: b64('b'), watch_id: '7' });
    await sleep(50);
    stream.resume();
    await sleep(500);
  }
  return `${heldRounds} re-creates of watch 7 behind a full send window (${heldPuts} puts each)`;
}

try {
  // The member serving: a put answered.
  for (let i = 0; ; i++) {
    const ok = await new Promise((resolve) => kv.Range({ key: b64('x') }, { deadline: Date.now() + 1000 }, (err) => resolve(err === null)));
    if (ok) break;
    if (i > 50) throw new Error(`etcd did not serve: ${etcdLog.slice(-500)}`);
    await sleep(200);
  }
  const records = [];
  const creates = [];
  const stream = watch.Watch();
  stream.on('data', (response) => {
    const record = { process: 'stream-1', time: now(), node: 'n1', response };
    if (response.created === true) record.request = creates.shift();
    records.push(record);
  });
  stream.on('error', () => undefined);
  const create = (create_request) => {
    creates.push({ create_request });
    stream.write({ create_request });
  };
  const what = heldRounds > 0 ? await held(stream, create) : rounds > 0 ? await recreate(stream, create) : await shared(stream, create, records);
  await sleep(300);
  stream.end();
  stream.cancel();
  records.push({ process: 'stream-1', time: now(), node: 'n1', response: {}, closed: 'the client closed the stream' });
  mkdirSync(out, { recursive: true });
  // Concurrent clients' lines in time order.
  history.sort((a, b) => a.time - b.time || a.index - b.index).forEach((o, i) => (o.index = i));
  // --held's 2 KB fill is cut from every value once recorded (each value is told apart by its
  // round and put before the fill): the same history up to renaming values, 20 times smaller.
  const unfill = (v) => {
    if (Array.isArray(v)) return v.map(unfill);
    if (v === null || typeof v !== 'object') return v;
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, k === 'value' && typeof x === 'string' ? b64(Buffer.from(x, 'base64').toString().replace(/-x+$/, '')) : unfill(x)]));
  };
  const cut = (list) => (heldRounds === 0 ? list : list.map(unfill));
  writeFileSync(join(out, 'history.jsonl'), cut(history).map((o) => JSON.stringify(o)).join('\n') + '\n');
  writeFileSync(join(out, 'watches.jsonl'), cut(records).map((r) => JSON.stringify(r)).join('\n') + '\n');
  console.log(`${history.length / 2} puts, ${records.length} watch records (${what}) in ${out}`);
} finally {
  kv.close();
  watch.close();
  stop();
}
