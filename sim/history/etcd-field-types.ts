// The types of the etcd fields a history's requests and answers carry, checked before the etcd
// model reads them: a history from outside (detcd check, a real etcd run) may hold anything, and
// a field the model cannot read must be bad input naming its line and path (exit 3), not an
// error deep inside a search, nor a value read as something else (a flag "true" read as false,
// an enum 2 or "DESCENDING" read as its default). Every field is typed by etcd's own messages
// (src/api/schema.ts, the gateway's schemas): an op's request by its `f`'s request message, its
// answer by the response message, a watch record's by WatchRequest and WatchResponse, a store
// dump by RangeResponse. etcd's gateway JSON writes int64 fields as decimal strings, bytes as
// base64 and enums by name; hand-written histories may use JSON integers. Fields the messages do
// not have are left alone (they are not read).
import { apiPath } from '../../src/api/paths.ts';
import type { Kind, Scalar, Schema } from '../../src/api/schema.ts';
import { RangeResponse, WatchRequest, WatchResponse } from '../../src/api/schema.ts';
import { HistoryParseError } from './parse-error.ts';
import type { ParsedHistory } from './parsed-history.ts';
import { UNRECORDED } from './etcd-robustness.ts';
import { shownValue } from './shown-value.ts';

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const DECIMAL = /^-?\d{1,20}$/;
/** Nesting deeper than any etcd request or answer (nested txns included) is not one. */
const DEPTH_MAX = 64;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;
const UINT32_MAX = 2 ** 32 - 1;

/** `v` as an integer (a JSON integer or decimal text), or undefined. */
function integerOf(v: unknown): bigint | undefined {
  // A JSON number past 2^53 has lost its last digits (a lease ID 1152921504606846977 reads as
  // ...6976): etcd's gateway writes int64s as decimal strings; such a number is refused, not rounded.
  if (typeof v === 'number') return Number.isSafeInteger(v) ? BigInt(v) : undefined;
  if (typeof v === 'string') return v === '' ? 0n : DECIMAL.test(v) ? BigInt(v) : undefined;
  return undefined;
}

function integerProblem(v: unknown, min: bigint, max: bigint, what: string): string | undefined {
  const n = integerOf(v);
  if (n !== undefined && n >= min && n <= max) return undefined;
  const rounded = typeof v === 'number' && Number.isInteger(v) && !Number.isSafeInteger(v) ? ' (a number past 2^53, whose last digits JSON numbers lose: write it as a decimal string)' : '';
  return `must be ${what} (a decimal string or an integer), got ${shownValue(v)}${rounded}`;
}

function scalarProblem(kind: Scalar, v: unknown): string | undefined {
  switch (kind) {
    case 'int64':
    case 'bigint':
      return integerProblem(v, INT64_MIN, INT64_MAX, 'an int64');
    case 'id':
      return integerProblem(v, 0n, UINT64_MAX, 'a uint64');
    case 'uint32':
      return integerProblem(v, 0n, BigInt(UINT32_MAX), 'a uint32');
    case 'bytes':
      return typeof v === 'string' && v.length % 4 === 0 && BASE64.test(v) ? undefined : `must be base64 bytes, got ${shownValue(v)}`;
    case 'bool':
      return typeof v === 'boolean' ? undefined : `must be true or false, got ${shownValue(v)}`;
    case 'string':
      return typeof v === 'string' ? undefined : `must be a string, got ${shownValue(v)}`;
  }
}

interface Walk {
  /** Answers that leave fields out write them as UNRECORDED: any value (etcd-robustness.ts). */
  readonly partial: boolean;
}

/** A field of the wrong type: its path from the value handed in ('value.kvs[0].key') and what is wrong. */
export interface FieldProblem {
  readonly path: string;
  readonly reason: string;
}

/** A field problem as one sentence: "field 'path' reason". */
export function problemText(p: FieldProblem | undefined): string | undefined {
  return p === undefined ? undefined : `field '${p.path}' ${p.reason}`;
}

/** The first field under `path` (of kind `kind`) whose value is of the wrong type. */
function kindProblem(kind: Kind, v: unknown, path: string, walk: Walk, depth: number): FieldProblem | undefined {
  if (v === undefined || v === null || (walk.partial && v === UNRECORDED)) return undefined;
  if (depth > DEPTH_MAX) return { path, reason: `is nested deeper than ${DEPTH_MAX} levels` };
  if (typeof kind === 'string') {
    const p = scalarProblem(kind, v);
    return p === undefined ? undefined : { path, reason: p };
  }
  if ('enumName' in kind) {
    return typeof v === 'string' && kind.names.includes(v) ? undefined : { path, reason: `must be one of ${kind.names.join(', ')} (etcd's ${kind.enumName}, by name), got ${shownValue(v)}` };
  }
  if ('repeated' in kind) {
    if (!Array.isArray(v)) return { path, reason: `must be a list, got ${shownValue(v)}` };
    for (let i = 0; i < v.length; i++) {
      // An element of a list of messages may not be null: etcd never writes one.
      if (v[i] === null && typeof kind.repeated !== 'string' && 'message' in kind.repeated) return { path: `${path}[${i}]`, reason: 'must be an object, got null' };
      const p = kindProblem(kind.repeated, v[i], `${path}[${i}]`, walk, depth + 1);
      if (p !== undefined) return p;
    }
    return undefined;
  }
  return messageProblem(kind.message(), v, path, walk, depth);
}

function messageProblem(schema: Schema, v: unknown, path: string, walk: Walk, depth: number): FieldProblem | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) return { path, reason: `must be an object, got ${shownValue(v)}` };
  const o = v as Record<string, unknown>;
  for (const [name, kind] of schema) {
    const p = kindProblem(kind, o[name], `${path}.${name}`, walk, depth + 1);
    if (p !== undefined) return p;
  }
  return undefined;
}

/** The first field of a store dump (etcdctl get -w json: a RangeResponse) whose type is wrong, as "field 'path' reason". */
export function dumpFieldProblem(dump: unknown, path: string): string | undefined {
  return problemText(messageProblem(RangeResponse, dump, path, { partial: false }, 0));
}

/** The first field of a watch record's create request and response whose type is wrong (a stream's response may be wrapped as {"result": …}), as "field 'path' reason". */
export function watchRecordProblem(request: unknown, response: unknown): string | undefined {
  const walk = { partial: false };
  const wrapped = typeof response === 'object' && response !== null && !Array.isArray(response) && 'result' in response;
  const shown = wrapped ? response.result : response;
  return problemText(messageProblem(WatchResponse, shown, wrapped ? 'response.result' : 'response', walk, 0) ?? messageProblem(WatchRequest, request, 'request', walk, 0));
}

/** Throws a HistoryParseError naming the line and field of the first etcd field of the wrong type. */
export function checkEtcdFieldTypes(history: ParsedHistory): void {
  const walk = { partial: history.partialAnswers === true };
  for (let i = 0; i < history.ops.length; i++) {
    const op = history.ops[i]!;
    // A failed op's value is the error the client saw, not an etcd message.
    if (op.type === 'fail' || op.type === 'info') continue;
    // An f of no etcd call is the model's to refuse (model-names.ts).
    const api = apiPath(`/v3/${op.f}`);
    if (api === undefined) continue;
    const problem = messageProblem(op.type === 'invoke' ? api.request : api.response, op.value, 'value', walk, 0) ?? (op.type === 'ok' ? headerProblem(op.value, walk) : undefined);
    if (problem !== undefined) throw new HistoryParseError(history.lines[i] ?? i + 1, problem.reason, { field: problem.path, message: op.f });
  }
}

/**
 * An ok answer without the header etcd writes in every answer, or with a revision etcd never has
 * (revisions start at 1): not an answer of etcd's. The model read it as revision 0 and judged it
 * (a -1 made the history "not linearizable", a verdict on a recording mistake).
 */
function headerProblem(answer: unknown, walk: Walk): FieldProblem | undefined {
  const header = typeof answer === 'object' && answer !== null ? (answer as Record<string, unknown>)['header'] : undefined;
  if (walk.partial && header === UNRECORDED) return undefined;
  const revision = typeof header === 'object' && header !== null ? (header as Record<string, unknown>)['revision'] : undefined;
  if (walk.partial && revision === UNRECORDED) return undefined;
  const n = integerOf(revision);
  if (n !== undefined && n >= 1n) return undefined;
  return { path: 'value.header.revision', reason: `must be the revision etcd answered at, from 1 (etcd writes a header in every answer), got ${revision === undefined ? 'none' : shownValue(revision)}` };
}
