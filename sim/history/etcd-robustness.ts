// etcd's robustness tests (tests/robustness in etcd's repository) save what each client did as
// porcupine operations, one JSON object per line, in client-N/operations.json of a report:
//
//   {"ClientId":9,"Input":{EtcdRequest},"Call":NS,"Output":{MaybeEtcdResponse},"Return":NS}
//
// (model/types.go, report/client.go). This reads them as detcd etcd ops, so the etcd model
// judges them like any other etcd history:
//
// - Input.Type range → kv/range (Start, End, Limit, Revision); txn → kv/txn (Conditions are
//   "mod_revision EQUAL ExpectedRevision", or "version EQUAL ExpectedVersion" where that is
//   given; range-, put- and delete-operations); leaseGrant → lease/grant; leaseRevoke →
//   lease/revoke; compact → kv/compaction. defragment changes no key and is left out. The
//   tests' puts and deletes are one-operation txns, and stay txns.
// - Keys and values are Go strings: their UTF-8 bytes become gateway JSON's base64. A value of
//   20 bytes or more is recorded only as its FNV-32a hash (ToValueOrHash), in requests and
//   answers alike; it becomes the stand-in "fnv32a-hash-of-value:N" (20 bytes or more, so no
//   recorded value can equal it).
// - Answers record less than etcd answers: a kv's key, value and mod_revision (and in later
//   versions its version), never create_revision or lease, nor a range's `more`. A field not
//   recorded is written as UNRECORDED ('*'), which the model's comparison takes as any value;
//   `more` is what etcd answers for an unfiltered range (limit > 0 and count > limit).
// - An Output with an Error, Persisted or PartialResponse, or a ClientError: the client does not
//   know the answer. Errors the etcd state decides (compacted, future revision, lease not
//   found, key not found, lease exists) stay errors (`fail`); anything else may have taken
//   effect (`info`, which the model treats as "maybe, any time after the call"), as etcd's own
//   validation does with its failed requests (Return set past the end of the run).
// - Call and Return are nanoseconds: the ops are ordered by them (a call before a return at
//   equal times, as porcupine does), with `time` in µs. ClientId is a porcupine stream, which
//   is sequential; an op that would overlap its stream's previous one gets a process of its own.
//
// Anything detcd cannot model (another request type, an operation type, a non-zero field it
// does not know) is refused naming the line and field: a history read partly would be judged
// wrongly. The tests start every run from an empty etcd, so these histories do too.
import type { Op } from './op.ts';
import { HistoryParseError } from './parse-error.ts';
import type { ParsedHistory } from './parsed-history.ts';
import { withFields } from '../../src/object/with-fields.ts';
import { shownValue } from './shown-value.ts';
import { probeLine, type MemoryProbe } from './read-budget.ts';
import { JSON_NESTING_MAX, jsonNestingRefusal } from '../text/json-nesting.ts';

/** What an answer field the recorder did not keep is written as: the etcd model matches it with any value. */
export const UNRECORDED = '*';

type Json = Record<string, unknown>;

/** One operation of one file, read and checked. */
export interface RobustnessOp {
  clientId: number;
  /** Nanoseconds. */
  call: number;
  /** Nanoseconds; undefined when the answer is not known (the op completes as info at the end). */
  ret: number | undefined;
  f: string;
  request: Json;
  completion: { type: 'ok'; value: Json } | { type: 'fail' | 'info'; error: string };
  line: number;
}

/** Errors whose answer the etcd state decides: the request certainly had no effect (sim/check/models/etcd/json.ts decidedError). */
const DECIDED = /required revision has been compacted|required revision is a future revision|requested lease not found|key not found|lease already exists/i;

const HASHED_PREFIX = 'fnv32a-hash-of-value:';

export class Reader {
  constructor(readonly line: number) {}

  fail(path: string, reason: string): never {
    throw new HistoryParseError(this.line, reason, { field: path, wording: 'colon' });
  }

  object(v: unknown, path: string): Json {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) this.fail(path, `must be an object, got ${shownValue(v)}`);
    return v as Json;
  }

  /** An object, or undefined for null/absent. */
  optionalObject(v: unknown, path: string): Json | undefined {
    return v === null || v === undefined ? undefined : this.object(v, path);
  }

  list(v: unknown, path: string): unknown[] {
    if (v === null || v === undefined) return [];
    if (!Array.isArray(v)) this.fail(path, `must be a list, got ${shownValue(v)}`);
    return v;
  }

  string(v: unknown, path: string): string {
    if (v === null || v === undefined) return '';
    if (typeof v !== 'string') this.fail(path, `must be a string, got ${shownValue(v)}`);
    return v;
  }

  /** A non-negative integer (int64 in Go; one past 2^53, as 1e300, would be read rounded: refused). */
  count(v: unknown, path: string): number {
    if (v === null || v === undefined) return 0;
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) this.fail(path, `must be a non-negative integer, got ${shown(v)}`);
    return v;
  }

  /** A Go bool: true or false (absent: false). Read as `=== true`, "true" or 1 would have been false. */
  flag(v: unknown, path: string): boolean {
    if (v === null || v === undefined) return false;
    if (typeof v !== 'boolean') this.fail(path, `must be true or false, got ${shownValue(v)}`);
    return v;
  }

  /**
   * A time in nanoseconds since the run's base time (porcupine's Call and Return, a watch
   * response's Time: Go's Duration.Nanoseconds()): a finite number not before `notBefore`. An
   * integer past 2^53 (kept as text by parseJson) is refused too: its µs would be rounded.
   */
  nanoseconds(v: unknown, path: string, what: string, notBefore?: { ns: number; name: string }): number {
    const floor = notBefore?.ns ?? -Infinity;
    if (typeof v === 'number' && Number.isFinite(v) && v >= floor) return v;
    const since = notBefore === undefined ? '' : ` not before ${notBefore.name} (${notBefore.ns})`;
    const beyond = typeof v === 'string' && /^-?\d+$/.test(v) ? ' (an integer past 2^53: no run lasts that long)' : '';
    this.fail(path, `must be ${what} in nanoseconds${since}, got ${shown(v)}${beyond}`);
  }

  /** A lease ID: an int64, kept as its decimal text (parseJson keeps big ones as text). */
  id(v: unknown, path: string): string {
    if (v === null || v === undefined) return '0';
    if (typeof v === 'number' && Number.isSafeInteger(v)) return String(v);
    if (typeof v === 'string' && /^-?\d+$/.test(v) && BigInt(v) >= -(2n ** 63n) && BigInt(v) < 2n ** 63n) return BigInt(v).toString();
    this.fail(path, `must be an int64 (a lease ID), got ${shownValue(v)}`);
  }

  /**
   * Refuses a member of `o` named in `others` that is set: those are the members of another
   * type of request, answer or operation, which Go's encoder writes as null or zero. Each was
   * read (typed) before this; one set would be a part of the operation detcd does not model.
   */
  notCarried(o: Json, others: readonly string[], path: string, what: string): void {
    for (const k of others) {
      if (!isZero(o[k])) this.fail(`${path}${path === '' ? '' : '.'}${k}`, `is set (to ${shownValue(o[k])}) on ${what}, which does not carry it`);
    }
  }

  /** Refuses a field not in `known` whose value is not zero (Go's encoder writes zero fields too; a new option set to something would be misread). */
  onlyKnown(o: Json, known: readonly string[], path: string): void {
    for (const k of Object.keys(o)) {
      if (known.includes(k) || isZero(o[k])) continue;
      this.fail(`${path}${path === '' ? '' : '.'}${k}`, `detcd does not know this field (set to ${shownValue(o[k])}), so it cannot model the request or answer`);
    }
  }
}

/** A value for a refusal: numbers as JavaScript reads them (1e400 is Infinity, not JSON's null). */
export function shown(v: unknown): string {
  return typeof v === 'number' ? String(v) : shownValue(v);
}

/** Deeper than any zero value Go's encoder writes: a field nested past it is not zero (and is refused, not walked to the stack's end). */
const ZERO_DEPTH_MAX = 32;

function isZero(v: unknown, depth = 0): boolean {
  if (v === null || v === undefined || v === false || v === 0 || v === '') return true;
  if (Array.isArray(v)) return v.length === 0;
  if (typeof v === 'object') return depth < ZERO_DEPTH_MAX && Object.values(v as Json).every((inner) => isZero(inner, depth + 1));
  return false;
}

/** A Go string's UTF-8 bytes in base64 (gateway JSON's bytes). */
export function b64(s: string): string {
  const bytes = new TextEncoder().encode(s);
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin);
}

/** ValueOrHash → the value's bytes as a Go string, or the hash stand-in. */
export function valueOf(r: Reader, v: unknown, path: string): string {
  if (typeof v === 'string') return v;
  const o = r.optionalObject(v, path);
  if (o === undefined) return '';
  r.onlyKnown(o, ['Value', 'Hash'], path);
  const value = r.string(o['Value'], `${path}.Value`);
  const hash = r.count(o['Hash'], `${path}.Hash`);
  if (hash !== 0 && value !== '') r.fail(path, 'has both Value and Hash');
  return hash !== 0 ? `${HASHED_PREFIX}${hash}` : value;
}

function kvOf(r: Reader, v: unknown, path: string): Json {
  const o = r.object(v, path);
  r.onlyKnown(o, ['Key', 'Value', 'ModRevision', 'Version', 'CreateRevision', 'Lease'], path);
  const key = r.string(o['Key'], `${path}.Key`);
  const mod = r.count(o['ModRevision'], `${path}.ModRevision`);
  if (mod === 0) r.fail(`${path}.ModRevision`, 'must be a revision ≥ 1 (a key in an answer was written at some revision)');
  const version = r.count(o['Version'], `${path}.Version`);
  const create = r.count(o['CreateRevision'], `${path}.CreateRevision`);
  // Not compared (later recorders leave it 0), but typed: a Lease of another kind is no kv of etcd's.
  r.id(o['Lease'], `${path}.Lease`);
  const kv: Json = { key: b64(key), create_revision: create > 0 ? String(create) : UNRECORDED, mod_revision: String(mod), version: version > 0 ? String(version) : UNRECORDED, lease: UNRECORDED };
  const value = valueOf(r, o['Value'], `${path}.Value`);
  if (value !== '') kv['value'] = b64(value);
  return kv;
}

/** A range's options → gateway range fields. */
function rangeRequest(r: Reader, o: Json, path: string, known: readonly string[]): Json {
  r.onlyKnown(o, known, path);
  const start = r.string(o['Start'], `${path}.Start`);
  const end = r.string(o['End'], `${path}.End`);
  const limit = r.count(o['Limit'], `${path}.Limit`);
  const req: Json = { key: b64(start) };
  if (end !== '') req['range_end'] = b64(end);
  if (limit > 0) req['limit'] = String(limit);
  const revision = r.count(o['Revision'], `${path}.Revision`);
  if (revision > 0) req['revision'] = String(revision);
  return req;
}

/** A range's answer (RangeResponse) → gateway range answer fields; `limit` decides `more`. */
function rangeAnswer(r: Reader, o: Json, path: string, limit: number, extra: readonly string[] = []): Json {
  r.onlyKnown(o, ['KVs', 'Count', ...extra], path);
  const kvs = r.list(o['KVs'], `${path}.KVs`).map((kv, i) => kvOf(r, kv, `${path}.KVs[${i}]`));
  const count = r.count(o['Count'], `${path}.Count`);
  if (kvs.length > count) r.fail(`${path}.Count`, `is ${count}, but ${kvs.length} KVs are listed`);
  const out: Json = {};
  if (kvs.length > 0) out['kvs'] = kvs;
  if (count > 0) out['count'] = String(count);
  if (limit > 0 && count > limit) out['more'] = true;
  return out;
}

const OPERATION_TYPES = ['range-operation', 'put-operation', 'delete-operation'];

/** The members of an operation, by its Type. */
const OPERATION_MEMBERS: Record<string, string> = { 'range-operation': 'Range', 'put-operation': 'Put', 'delete-operation': 'Delete' };

function putRequest(r: Reader, put: Json, path: string): Json {
  r.onlyKnown(put, ['Key', 'Value', 'LeaseID'], path);
  const req: Json = { key: b64(r.string(put['Key'], `${path}.Key`)) };
  const value = valueOf(r, put['Value'], `${path}.Value`);
  if (value !== '') req['value'] = b64(value);
  const lease = r.id(put['LeaseID'], `${path}.LeaseID`);
  if (lease !== '0') req['lease'] = lease;
  return req;
}

function deleteRequest(r: Reader, del: Json, path: string): Json {
  r.onlyKnown(del, ['Key', 'End'], path);
  const req: Json = { key: b64(r.string(del['Key'], `${path}.Key`)) };
  const end = r.string(del['End'], `${path}.End`);
  if (end !== '') req['range_end'] = b64(end);
  return req;
}

function txnOperation(r: Reader, v: unknown, path: string): { op: Json; limit: number; kind: string } {
  const o = r.object(v, path);
  if (o['Key'] !== undefined && o['Range'] === undefined) r.fail(`${path}.Key`, "an operation with its key at the top is the robustness format of early 2023, which detcd does not read (it reads operations with Range, Put and Delete)");
  r.onlyKnown(o, ['Type', 'Range', 'Put', 'Delete'], path);
  const type = r.string(o['Type'], `${path}.Type`);
  const member = OPERATION_MEMBERS[type];
  if (member === undefined) r.fail(`${path}.Type`, `${shownValue(type)} is not an operation detcd models (${OPERATION_TYPES.join(', ')})`);
  // Every member is read, so each is typed; those of the other types must be zero.
  const range = r.optionalObject(o['Range'], `${path}.Range`) ?? {};
  const rangeReq = rangeRequest(r, range, `${path}.Range`, ['Start', 'End', 'Limit']);
  const limit = r.count(range['Limit'], `${path}.Range.Limit`);
  const put = type === 'put-operation' ? r.object(o['Put'], `${path}.Put`) : r.optionalObject(o['Put'], `${path}.Put`);
  const putReq = put === undefined ? undefined : putRequest(r, put, `${path}.Put`);
  const del = type === 'delete-operation' ? r.object(o['Delete'], `${path}.Delete`) : r.optionalObject(o['Delete'], `${path}.Delete`);
  const delReq = del === undefined ? undefined : deleteRequest(r, del, `${path}.Delete`);
  r.notCarried(o, Object.values(OPERATION_MEMBERS).filter((m) => m !== member), path, `a ${type}`);
  if (type === 'range-operation') return { op: { request_range: rangeReq }, limit, kind: type };
  if (type === 'put-operation') return { op: { request_put: putReq! }, limit: 0, kind: type };
  return { op: { request_delete_range: delReq! }, limit: 0, kind: type };
}

function condition(r: Reader, v: unknown, path: string): Json {
  const o = r.object(v, path);
  r.onlyKnown(o, ['Key', 'ExpectedRevision', 'ExpectedVersion'], path);
  const key = b64(r.string(o['Key'], `${path}.Key`));
  const version = r.count(o['ExpectedVersion'], `${path}.ExpectedVersion`);
  const revision = r.count(o['ExpectedRevision'], `${path}.ExpectedRevision`);
  if (version > 0 && revision > 0) r.fail(path, 'has both ExpectedRevision and ExpectedVersion');
  if (version > 0) return { key, target: 'VERSION', result: 'EQUAL', version: String(version) };
  // 0: the key does not exist (a missing key compares as mod_revision 0).
  return { key, target: 'MOD', result: 'EQUAL', mod_revision: String(revision) };
}

interface Request {
  f: string | undefined;
  request: Json;
  /** For answers: a txn's operations per branch, a range's limit. */
  branches?: { success: { kind: string; limit: number }[]; failure: { kind: string; limit: number }[] };
  limit?: number;
}

/** The members of an EtcdRequest, by its Type. */
const INPUT_MEMBERS: Record<string, string> = { range: 'Range', txn: 'Txn', leaseGrant: 'LeaseGrant', leaseRevoke: 'LeaseRevoke', compact: 'Compact', defragment: 'Defragment' };
const REQUEST_TYPES = Object.keys(INPUT_MEMBERS);

/** The request of member `member` (Input.Type `type`). */
function memberRequest(r: Reader, type: string, member: unknown): Request {
  switch (type) {
    case 'range': {
      const range = r.object(member, 'Input.Range');
      return { f: 'kv/range', request: rangeRequest(r, range, 'Input.Range', ['Start', 'End', 'Limit', 'Revision']), limit: r.count(range['Limit'], 'Input.Range.Limit') };
    }
    case 'txn': {
      const txn = r.object(member, 'Input.Txn');
      r.onlyKnown(txn, ['Conditions', 'OperationsOnSuccess', 'OperationsOnFailure'], 'Input.Txn');
      const compare = r.list(txn['Conditions'], 'Input.Txn.Conditions').map((c, i) => condition(r, c, `Input.Txn.Conditions[${i}]`));
      const success = r.list(txn['OperationsOnSuccess'], 'Input.Txn.OperationsOnSuccess').map((o, i) => txnOperation(r, o, `Input.Txn.OperationsOnSuccess[${i}]`));
      const failure = r.list(txn['OperationsOnFailure'], 'Input.Txn.OperationsOnFailure').map((o, i) => txnOperation(r, o, `Input.Txn.OperationsOnFailure[${i}]`));
      const request: Json = {};
      if (compare.length > 0) request['compare'] = compare;
      if (success.length > 0) request['success'] = success.map((s) => s.op);
      if (failure.length > 0) request['failure'] = failure.map((s) => s.op);
      return { f: 'kv/txn', request, branches: { success, failure } };
    }
    case 'leaseGrant': {
      const grant = r.object(member, 'Input.LeaseGrant');
      r.onlyKnown(grant, ['LeaseID'], 'Input.LeaseGrant');
      // The ID the server gave (0 when the grant failed); the TTL is not recorded, so neither side has one.
      const id = r.id(grant['LeaseID'], 'Input.LeaseGrant.LeaseID');
      return { f: 'lease/grant', request: id === '0' ? {} : { ID: id } };
    }
    case 'leaseRevoke': {
      const revoke = r.object(member, 'Input.LeaseRevoke');
      r.onlyKnown(revoke, ['LeaseID'], 'Input.LeaseRevoke');
      return { f: 'lease/revoke', request: { ID: r.id(revoke['LeaseID'], 'Input.LeaseRevoke.LeaseID') } };
    }
    case 'compact': {
      const compact = r.object(member, 'Input.Compact');
      r.onlyKnown(compact, ['Revision'], 'Input.Compact');
      return { f: 'kv/compaction', request: { revision: String(r.count(compact['Revision'], 'Input.Compact.Revision')) } };
    }
    default:
      r.onlyKnown(r.optionalObject(member, 'Input.Defragment') ?? {}, [], 'Input.Defragment');
      return { f: undefined, request: {} };
  }
}

function requestOf(r: Reader, v: unknown): Request {
  const input = r.object(v, 'Input');
  r.onlyKnown(input, ['Type', ...Object.values(INPUT_MEMBERS)], 'Input');
  const type = r.string(input['Type'], 'Input.Type');
  const member = INPUT_MEMBERS[type];
  if (member === undefined) r.fail('Input.Type', `${shownValue(type)} is not a request detcd models (${REQUEST_TYPES.join(', ')})`);
  // Every member given is read, so each is typed; those of the other types must be zero.
  for (const [t, m] of Object.entries(INPUT_MEMBERS)) if (t !== type && input[m] !== null && input[m] !== undefined) memberRequest(r, t, input[m]);
  r.notCarried(input, Object.values(INPUT_MEMBERS).filter((m) => m !== member), 'Input', `a ${type} request`);
  return memberRequest(r, type, input[member]);
}

const OUTPUT_FIELDS = ['Txn', 'Range', 'LeaseGrant', 'LeaseRevoke', 'Defragment', 'Compact', 'ClientError', 'Revision', 'Persisted', 'PersistedRevision', 'PartialResponse', 'Error'];
/** The member of an EtcdResponse that answers each request (detcd's f; undefined: defragment). */
const OUTPUT_MEMBERS: ReadonlyMap<string | undefined, string> = new Map([['kv/range', 'Range'], ['kv/txn', 'Txn'], ['lease/grant', 'LeaseGrant'], ['lease/revoke', 'LeaseRevoke'], ['kv/compaction', 'Compact'], [undefined, 'Defragment']]);

/** Reads every member of an Output for its type (answerOf reads the request's own for its meaning); those of other requests must be zero. */
function typedOutput(r: Reader, req: Request, out: Json): void {
  const range = r.optionalObject(out['Range'], 'Output.Range');
  if (range !== undefined) rangeAnswer(r, range, 'Output.Range', 0);
  const txn = r.optionalObject(out['Txn'], 'Output.Txn');
  if (txn !== undefined) {
    r.onlyKnown(txn, ['Failure', 'Results'], 'Output.Txn');
    r.flag(txn['Failure'], 'Output.Txn.Failure');
    r.list(txn['Results'], 'Output.Txn.Results').forEach((x, i) => {
      const result = r.object(x, `Output.Txn.Results[${i}]`);
      rangeAnswer(r, result, `Output.Txn.Results[${i}]`, 0, ['Deleted']);
      r.count(result['Deleted'], `Output.Txn.Results[${i}].Deleted`);
    });
  }
  const grant = r.optionalObject(out['LeaseGrant'], 'Output.LeaseGrant');
  if (grant !== undefined) {
    r.onlyKnown(grant, ['LeaseID'], 'Output.LeaseGrant');
    r.id(grant['LeaseID'], 'Output.LeaseGrant.LeaseID');
  }
  for (const m of ['LeaseRevoke', 'Defragment', 'Compact']) r.onlyKnown(r.optionalObject(out[m], `Output.${m}`) ?? {}, [], `Output.${m}`);
  r.count(out['PersistedRevision'], 'Output.PersistedRevision');
  const own = OUTPUT_MEMBERS.get(req.f);
  r.notCarried(out, [...OUTPUT_MEMBERS.values()].filter((m) => m !== own), 'Output', `the answer to a ${req.f ?? 'defragment'} request`);
}

/** The answer's body for an ok op of `req` (header added by the caller). */
function answerOf(r: Reader, req: Request, out: Json): Json {
  switch (req.f) {
    case 'kv/range': {
      const range = r.object(out['Range'], 'Output.Range');
      return rangeAnswer(r, range, 'Output.Range', req.limit ?? 0);
    }
    case 'kv/txn': {
      const txn = r.object(out['Txn'], 'Output.Txn');
      r.onlyKnown(txn, ['Failure', 'Results'], 'Output.Txn');
      const failed = r.flag(txn['Failure'], 'Output.Txn.Failure');
      const ops = failed ? req.branches!.failure : req.branches!.success;
      const results = r.list(txn['Results'], 'Output.Txn.Results');
      if (results.length !== ops.length) r.fail('Output.Txn.Results', `has ${results.length} results for the ${ops.length} operations of the ${failed ? 'failure' : 'success'} branch`);
      const responses = results.map((x, i): Json => {
        const path = `Output.Txn.Results[${i}]`;
        const o = r.object(x, path);
        const op = ops[i]!;
        if (op.kind === 'range-operation') return { response_range: rangeAnswer(r, o, path, op.limit, ['Deleted']) };
        r.onlyKnown(o, ['KVs', 'Count', 'Deleted'], path);
        if (r.list(o['KVs'], `${path}.KVs`).length > 0 || r.count(o['Count'], `${path}.Count`) > 0) r.fail(path, `lists KVs for a ${op.kind}`);
        if (op.kind === 'put-operation') {
          if (r.count(o['Deleted'], `${path}.Deleted`) > 0) r.fail(`${path}.Deleted`, 'is set for a put-operation');
          return { response_put: {} };
        }
        const deleted = r.count(o['Deleted'], `${path}.Deleted`);
        return { response_delete_range: deleted > 0 ? { deleted: String(deleted) } : {} };
      });
      const body: Json = {};
      if (!failed) body['succeeded'] = true;
      if (responses.length > 0) body['responses'] = responses;
      return body;
    }
    case 'lease/grant': {
      const grant = r.optionalObject(out['LeaseGrant'], 'Output.LeaseGrant') ?? {};
      r.onlyKnown(grant, ['LeaseID'], 'Output.LeaseGrant');
      const id = r.id(grant['LeaseID'], 'Output.LeaseGrant.LeaseID');
      const asked = (req.request['ID'] as string | undefined) ?? '0';
      if (id !== '0' && id !== asked) r.fail('Output.LeaseGrant.LeaseID', `is ${id}, but Input.LeaseGrant.LeaseID is ${asked}`);
      if (asked === '0') r.fail('Input.LeaseGrant.LeaseID', 'a granted lease needs its ID (0 is only for a grant that failed)');
      return { ID: asked };
    }
    default:
      // A revoke's and a compaction's answers are their header.
      return {};
  }
}

function parseOne(raw: unknown, line: number): RobustnessOp | undefined {
  const r = new Reader(line);
  const o = r.object(raw, '(operation)');
  r.onlyKnown(o, ['ClientId', 'Input', 'Call', 'Output', 'Return'], '');
  const clientId = r.count(o['ClientId'], 'ClientId');
  const call = r.nanoseconds(o['Call'], 'Call', 'a time');
  const req = requestOf(r, o['Input']);
  const out = r.object(o['Output'], 'Output');
  r.onlyKnown(out, OUTPUT_FIELDS, 'Output');
  typedOutput(r, req, out);
  if (req.f === undefined) return undefined;
  const error = r.string(out['Error'], 'Output.Error');
  const clientError = r.string(out['ClientError'], 'Output.ClientError');
  const persisted = r.flag(out['Persisted'], 'Output.Persisted');
  const unknown = error !== '' || clientError !== '' || persisted || r.flag(out['PartialResponse'], 'Output.PartialResponse');
  if (unknown) {
    const message = error !== '' ? error : clientError !== '' ? clientError : 'persisted, answer unknown';
    const decided = DECIDED.test(message) && !persisted;
    return { clientId, call, ret: undefined, f: req.f, request: req.request, completion: { type: decided ? 'fail' : 'info', error: message }, line };
  }
  const ret = r.nanoseconds(o['Return'], 'Return', 'the time of an answered request', { ns: call, name: 'Call' });
  const revision = r.count(out['Revision'], 'Output.Revision');
  if (revision === 0) r.fail('Output.Revision', 'an answered request needs the revision of its answer header (≥ 1)');
  const value: Json = { header: { revision: String(revision) }, ...answerOf(r, req, out) };
  return { clientId, call, ret, f: req.f, request: req.request, completion: { type: 'ok', value }, line };
}

/**
 * JSON.parse, keeping integers beyond 2^53 exact as their decimal text: etcd's lease IDs are
 * random int64s, which a double rounds (and then no longer names the lease).
 */
export function parseJson(text: string): unknown {
  let out = '';
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') {
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
      continue;
    }
    if (c !== '-' && (c < '0' || c > '9')) continue;
    let j = i + 1;
    while (j < text.length && /[0-9.eE+-]/.test(text[j]!)) j++;
    const token = text.slice(i, j);
    if (/^-?\d{16,}$/.test(token) && !Number.isSafeInteger(Number(token))) {
      out += `${text.slice(from, i)}"${token}"`;
      from = j;
    }
    i = j - 1;
  }
  return JSON.parse(from === 0 ? text : out + text.slice(from));
}

/** One operations.json: JSON lines (Go's encoder), or one JSON array of the same objects. Throws HistoryParseError. */
export function parseRobustnessOps(text: string, probe?: MemoryProbe): RobustnessOp[] {
  const out: RobustnessOp[] = [];
  if (text.trimStart().startsWith('[')) {
    let all: unknown;
    try {
      all = parseJson(text);
    } catch (err) {
      throw new HistoryParseError(1, `not JSON (${err instanceof Error ? err.message : String(err)})`);
    }
    if (!Array.isArray(all)) throw new HistoryParseError(1, 'expected a JSON array of operations');
    const deep = jsonNestingRefusal(text, JSON_NESTING_MAX + 1);
    if (deep !== undefined) throw new HistoryParseError(1, deep);
    all.forEach((raw, i) => {
      const op = parseOne(raw, i + 1);
      if (op !== undefined) out.push(op);
    });
    return out;
  }
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    probeLine(probe, i + 1);
    const row = lines[i]!.trim();
    if (row === '') continue;
    let raw: unknown;
    try {
      raw = parseJson(row);
    } catch (err) {
      throw new HistoryParseError(i + 1, `not JSON (${err instanceof Error ? err.message : String(err)})`);
    }
    const deep = jsonNestingRefusal(row);
    if (deep !== undefined) throw new HistoryParseError(i + 1, deep);
    const op = parseOne(raw, i + 1);
    if (op !== undefined) out.push(op);
  }
  return out;
}

/**
 * The ops of one run (every client file of it) as one detcd history, ordered by time. `lines`
 * are the ops' source lines; with several files, a line alone does not say which file.
 */
export function robustnessHistory(files: readonly (readonly RobustnessOp[])[]): ParsedHistory {
  const all = files.flat();
  let end = 0;
  for (const op of all) end = Math.max(end, op.call, op.ret ?? 0);
  // Events: a call before a return at equal times (porcupine's order), then file order.
  type Event = { t: number; kind: 0 | 1; seq: number; op: RobustnessOp; process: string };
  const byClient = new Map<number, RobustnessOp[]>();
  for (const op of all) (byClient.get(op.clientId) ?? byClient.set(op.clientId, []).get(op.clientId)!).push(op);
  const events: Event[] = [];
  let seq = 0;
  for (const [client, ops] of [...byClient].sort((a, b) => a[0] - b[0])) {
    ops.sort((a, b) => a.call - b.call);
    let free = -Infinity;
    let extra = 0;
    let process = String(client);
    for (const op of ops) {
      // A stream is sequential; an op overlapping the previous one (an unknown answer never ends) gets its own process.
      if (op.call <= free) process = `${client}.${++extra}`;
      const ret = op.ret ?? Infinity;
      free = ret;
      events.push({ t: op.call, kind: 0, seq: seq++, op, process });
      events.push({ t: ret, kind: 1, seq: seq++, op, process });
    }
  }
  events.sort((a, b) => a.t - b.t || a.kind - b.kind || a.seq - b.seq);
  const ops: Op[] = [];
  const lines: number[] = [];
  for (const e of events) {
    const time = (e.t === Infinity ? end : e.t) / 1000;
    const base = { index: ops.length, time, process: e.process, f: e.op.f };
    if (e.kind === 0) ops.push(withFields(base, { type: 'invoke' as const, value: e.op.request }));
    else if (e.op.completion.type === 'ok') ops.push(withFields(base, { type: 'ok' as const, value: e.op.completion.value }));
    else ops.push(withFields(base, { type: e.op.completion.type, value: null, error: e.op.completion.error }));
    lines.push(e.op.line);
  }
  return { ops, lines, partialAnswers: true };
}
