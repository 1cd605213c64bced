// etcd's robustness tests save what each watch client saw in client-N/watch.json of a report
// (tests/robustness report/client.go persistWatchOperations; model/watch.go, model/replay.go,
// client/client.go ToWatchResponse): one JSON object per line per watch the client opened,
//
//   {"Request":{"Key":K,"Revision":R,"WithPrefix":B,"WithProgressNotify":B,"WithPrevKV":B},
//    "Responses":[{"Events":[{"Type":"put-operation","Key":K,"Value":{ValueOrHash},
//                             "Revision":N,"IsCreate":B,"PrevValue":{"Value":..,"ModRevision":N,"Version":N}}],
//                  "IsProgressNotify":B,"Revision":N,"Time":NS,"Error":S}]}
//
// This reads them as detcd watch records (sim/history/op.ts WatchRecord), one watch client per
// (client, watch) so the watch checker (sim/check/watch.ts) judges them like detcd's own:
//
// - A watch's responses are what clientv3 delivered: no Created response, fragments already put
//   together, a stream broken by a member's failure resumed by clientv3 from the last revision
//   + 1 inside the same watch. Time is nanoseconds since the run's base time, the clock of the
//   operations' Call and Return (µs here, as the operations are).
// - Events record less than etcd sends: a kv's key, value (or its FNV-32a hash from 20 bytes
//   on, as the operations' values: etcd-robustness.ts) and mod_revision, and whether the event
//   created its key (IsCreate); never create_revision, version or lease. An event that created
//   its key gets create_revision = its revision, any other none; version is left out, and the
//   checker replays it. PrevValue becomes prev_kv (value, mod_revision, version).
// - A response with Error ended the watch (clientv3 closes the channel after it): it becomes a
//   cancel; "required revision has been compacted" a cancel by compaction whose compact
//   revision was not recorded.
//
// Anything else (a field detcd does not know set to something, an event type, a response
// that is neither events, a progress notification nor an error, a response after an error,
// times that go back, the format before IsCreate was recorded) is refused naming the line and
// field: a stream read partly would be judged wrongly.
import type { WatchRecord } from './op.ts';
import { withFields } from '../../src/object/with-fields.ts';
import { HistoryParseError } from './parse-error.ts';
import { b64, parseJson, Reader, shown, UNRECORDED, valueOf } from './etcd-robustness.ts';
import { JSON_NESTING_MAX, jsonNestingRefusal } from '../text/json-nesting.ts';
import { fromCharCodes } from '../array/stack-safe.ts';

type Json = Record<string, unknown>;

/** clientv3's GetPrefixRangeEnd on a key's UTF-8 bytes, as a Go string of those bytes ("\0": every key from it on). */
function prefixEnd(key: string): string {
  const bytes = [...new TextEncoder().encode(key)];
  for (let i = bytes.length - 1; i >= 0; i--) {
    if (bytes[i]! < 0xff) {
      const end = bytes.slice(0, i + 1);
      end[i]! += 1;
      return fromCharCodes(end);
    }
  }
  return '\0';
}

/** Base64 of a string whose chars are bytes (prefixEnd's result). */
function b64Bytes(s: string): string {
  return btoa(s);
}

function requestOf(r: Reader, v: unknown): Json {
  const o = r.object(v, 'Request');
  r.onlyKnown(o, ['Key', 'Revision', 'WithPrefix', 'WithProgressNotify', 'WithPrevKV'], 'Request');
  const key = r.string(o['Key'], 'Request.Key');
  const req: Json = { key: b64(key) };
  if (r.flag(o['WithPrefix'], 'Request.WithPrefix')) req['range_end'] = b64Bytes(prefixEnd(key));
  const start = r.count(o['Revision'], 'Request.Revision');
  if (start > 0) req['start_revision'] = String(start);
  if (r.flag(o['WithProgressNotify'], 'Request.WithProgressNotify')) req['progress_notify'] = true;
  if (r.flag(o['WithPrevKV'], 'Request.WithPrevKV')) req['prev_kv'] = true;
  return { create_request: req };
}

function eventOf(r: Reader, v: unknown, path: string): Json {
  const o = r.object(v, path);
  r.onlyKnown(o, ['Type', 'Key', 'Value', 'Revision', 'IsCreate', 'PrevValue'], path);
  const type = r.string(o['Type'], `${path}.Type`);
  if (type !== 'put-operation' && type !== 'delete-operation') r.fail(`${path}.Type`, `${JSON.stringify(type)} is not an event type detcd models (put-operation, delete-operation)`);
  const key = r.string(o['Key'], `${path}.Key`);
  const revision = r.count(o['Revision'], `${path}.Revision`);
  if (revision < 2) r.fail(`${path}.Revision`, `must be a write's revision (≥ 2), got ${shown(o['Revision'])}`);
  const kv: Json = { key: b64(key), mod_revision: String(revision) };
  const isCreate = r.flag(o['IsCreate'], `${path}.IsCreate`);
  if (type === 'delete-operation') {
    if (isCreate) r.fail(`${path}.IsCreate`, 'is true for a delete-operation');
    if (valueOf(r, o['Value'], `${path}.Value`) !== '') r.fail(`${path}.Value`, 'is set for a delete-operation (a DELETE event carries only the key)');
  } else {
    const value = valueOf(r, o['Value'], `${path}.Value`);
    if (value !== '') kv['value'] = b64(value);
    if (isCreate) kv['create_revision'] = String(revision);
  }
  const event: Json = { type: type === 'put-operation' ? 'PUT' : 'DELETE', kv };
  const prev = r.optionalObject(o['PrevValue'], `${path}.PrevValue`);
  if (prev !== undefined) {
    r.onlyKnown(prev, ['Value', 'ModRevision', 'Version'], `${path}.PrevValue`);
    const mod = r.count(prev['ModRevision'], `${path}.PrevValue.ModRevision`);
    if (mod === 0 || mod >= revision) r.fail(`${path}.PrevValue.ModRevision`, `must be a revision below the event's (${revision}), got ${shown(prev['ModRevision'])}`);
    const prevKv: Json = { key: b64(key), mod_revision: String(mod) };
    const value = valueOf(r, prev['Value'], `${path}.PrevValue.Value`);
    if (value !== '') prevKv['value'] = b64(value);
    const version = r.count(prev['Version'], `${path}.PrevValue.Version`);
    if (version === 0) r.fail(`${path}.PrevValue.Version`, 'must be the previous value\'s version (≥ 1)');
    prevKv['version'] = String(version);
    event['prev_kv'] = prevKv;
  }
  return event;
}

/** One response → { µs time, gateway WatchResponse }; `ended`: it carried an error, after which clientv3 delivers nothing. */
function responseOf(r: Reader, v: unknown, path: string): { time: number; response: Json; ended: boolean } {
  const o = r.object(v, path);
  r.onlyKnown(o, ['Events', 'IsProgressNotify', 'Revision', 'Time', 'Error'], path);
  // A watch.json without times cannot be placed among the operations.
  const time = r.nanoseconds(o['Time'], `${path}.Time`, 'the time it arrived', { ns: 0, name: 'the run\'s start' }) / 1000;
  const events = r.list(o['Events'], `${path}.Events`).map((e, i) => eventOf(r, e, `${path}.Events[${i}]`));
  const revision = r.count(o['Revision'], `${path}.Revision`);
  const error = r.string(o['Error'], `${path}.Error`);
  const progress = r.flag(o['IsProgressNotify'], `${path}.IsProgressNotify`);
  if (error !== '') {
    if (events.length > 0 || progress) r.fail(`${path}.Error`, 'is set on a response with events or a progress notification (clientv3 reports an error alone)');
    const response: Json = { canceled: true, cancel_reason: error };
    if (revision > 0) response['header'] = { revision: String(revision) };
    return { time, response, ended: true };
  }
  if (revision === 0) r.fail(`${path}.Revision`, 'a response needs the revision of its header (≥ 1)');
  if (progress && events.length > 0) r.fail(`${path}.IsProgressNotify`, 'is true on a response with events');
  if (!progress && events.length === 0) r.fail(`${path}.Events`, 'is empty on a response that is neither a progress notification nor an error: detcd does not know what it is');
  const response: Json = { header: { revision: String(revision) } };
  if (events.length > 0) response['events'] = events;
  return { time, response, ended: false };
}

/** What one watch.json holds: its records, and whether any event of it says IsCreate (the format of 2024 on). */
export interface RobustnessWatches {
  records: WatchRecord[];
  putEvents: number;
  recordsIsCreate: boolean;
}

function parseOne(raw: unknown, line: number, client: number, watch: number, out: RobustnessWatches): void {
  const r = new Reader(line);
  const o = r.object(raw, '(watch)');
  r.onlyKnown(o, ['Request', 'Responses'], '');
  const request = requestOf(r, o['Request']);
  const process = `watch-${client}.${watch}`;
  let ended = false;
  let last = -Infinity;
  r.list(o['Responses'], 'Responses').forEach((resp, i) => {
    const path = `Responses[${i}]`;
    if (ended) r.fail(path, 'follows a response with an Error, after which clientv3 ends the watch');
    const one = responseOf(r, resp, path);
    if (one.time < last) r.fail(`${path}.Time`, `goes back (${one.time * 1000} ns after ${last * 1000} ns)`);
    last = one.time;
    ended = one.ended;
    for (const e of (one.response['events'] as Json[] | undefined) ?? []) if (e['type'] === 'PUT') out.putEvents++;
    const record: WatchRecord = { process, time: one.time, response: one.response };
    if (i === 0) record.request = request;
    out.records.push(record);
  });
}

/** One watch.json of client `client` (its report folder's number): JSON lines, or one JSON array. Throws HistoryParseError. */
export function parseRobustnessWatches(text: string, client: number): RobustnessWatches {
  const out: RobustnessWatches = { records: [], putEvents: 0, recordsIsCreate: false };
  const rows = text.trimStart().startsWith('[') ? [text] : text.split('\n');
  let watch = 0;
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!.trim();
    if (row === '') continue;
    let raw: unknown;
    try {
      raw = parseJson(row);
    } catch (err) {
      throw new HistoryParseError(i + 1, `not JSON (${err instanceof Error ? err.message : String(err)})`);
    }
    const deep = jsonNestingRefusal(row, Array.isArray(raw) ? JSON_NESTING_MAX + 1 : JSON_NESTING_MAX);
    if (deep !== undefined) throw new HistoryParseError(i + 1, deep);
    // Read off the text, not a JSON.stringify of the parsed value: a value nested past the stack's
    // depth parses but overflowed the stack there (exit 4; the input fuzzer found it).
    out.recordsIsCreate ||= /"IsCreate"\s*:/.test(row);
    if (Array.isArray(raw)) raw.forEach((one, j) => parseOne(one, j + 1, client, watch++, out));
    else parseOne(raw, i + 1, client, watch++, out);
  }
  return out;
}

/** A kv of an event as the linearizability check reads it: what the format does not record, UNRECORDED. */
function unrecordedKv(kv: Json): Json {
  return withFields(kv, { create_revision: kv['create_revision'] ?? UNRECORDED, version: kv['version'] ?? UNRECORDED, lease: UNRECORDED });
}

/**
 * A run's watch responses as answers of the server for the linearizability check
 * (watch-observations.ts): an event shows its write took effect at its revision, and a header
 * (of events, a progress notification) that every revision up to it was made, before the
 * response arrived (Time, the operations' clock). Each kv and prev_kv marks what the format does
 * not record (create_revision unless IsCreate, version, lease) as UNRECORDED, so those fields are
 * read as unknown, never as 0.
 */
export function watchAnswers(records: readonly WatchRecord[]): { time: number; response: unknown }[] {
  return records.map((rec) => {
    const response = rec.response as Json;
    const events = response['events'] as Json[] | undefined;
    if (events === undefined) return { time: rec.time, response };
    const marked = events.map((e): Json => {
      const one: Json = withFields(e, { kv: unrecordedKv(e['kv'] as Json) });
      if (e['prev_kv'] !== undefined) one['prev_kv'] = unrecordedKv(e['prev_kv'] as Json);
      return one;
    });
    return { time: rec.time, response: withFields(response, { events: marked }) };
  });
}
