// The types of the etcd fields a history's requests and answers carry, checked before the etcd
// model reads them: a history from outside (detcd check, a real etcd run) may hold anything, and
// a field the model cannot read must be bad input naming its line and path (exit 3), not an
// error deep inside a search. etcd's gateway JSON writes int64 fields as decimal strings and
// bytes as base64; hand-written histories may use JSON integers.
import { HistoryParseError } from './parse-error.ts';
import type { ParsedHistory } from './parsed-history.ts';
import { UNRECORDED } from './etcd-robustness.ts';
import { shownValue } from './shown-value.ts';

/** int64 fields of etcd's requests and responses (etcdserverpb, mvccpb) the model reads. */
const INT64_FIELDS = new Set([
  'revision', 'mod_revision', 'create_revision', 'version', 'count', 'limit', 'deleted', 'raft_term', 'compact_revision',
  'min_mod_revision', 'max_mod_revision', 'min_create_revision', 'max_create_revision', 'TTL', 'grantedTTL', 'start_revision',
  'ID', 'lease', 'member_id', 'cluster_id',
]);
/** Bytes fields (base64). */
const BYTES_FIELDS = new Set(['key', 'range_end', 'value']);
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
/** Lists whose elements are messages (objects). */
const MESSAGE_LISTS = new Set(['compare', 'success', 'failure', 'kvs', 'responses', 'prev_kvs', 'leases', 'events']);
/** Nesting deeper than any etcd request or answer (nested txns included) is not one. */
const DEPTH_MAX = 64;

function describe(v: unknown): string {
  return shownValue(v);
}

function fieldProblem(name: string, v: unknown, partial: boolean): string | undefined {
  if (v === undefined || v === null || (partial && v === UNRECORDED)) return undefined;
  if (INT64_FIELDS.has(name)) {
    if (typeof v === 'number' && Number.isInteger(v)) return undefined;
    if (typeof v === 'string' && (v === '' || /^-?\d{1,20}$/.test(v))) return undefined;
    return `must be an int64 (a decimal string or an integer), got ${describe(v)}`;
  }
  if (BYTES_FIELDS.has(name)) {
    if (typeof v === 'string' && v.length % 4 === 0 && BASE64.test(v)) return undefined;
    return `must be base64 bytes, got ${describe(v)}`;
  }
  return undefined;
}

/** The first field of `v` (under `path`) whose type is wrong, as "path: problem". */
function firstProblem(v: unknown, path: string, partial: boolean, depth: number): string | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  if (depth > DEPTH_MAX) return `${path}: nested deeper than ${DEPTH_MAX} levels`;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const p = firstProblem(v[i], `${path}[${i}]`, partial, depth + 1);
      if (p !== undefined) return p;
    }
    return undefined;
  }
  for (const [name, field] of Object.entries(v)) {
    const here = `${path}.${name}`;
    const problem = fieldProblem(name, field, partial);
    if (problem !== undefined) return `field '${here}' ${problem}`;
    if (MESSAGE_LISTS.has(name) && field !== undefined && field !== null) {
      if (!Array.isArray(field)) return `field '${here}' must be a list, got ${describe(field)}`;
      const at = field.findIndex((e) => typeof e !== 'object' || e === null || Array.isArray(e));
      if (at >= 0) return `field '${here}[${at}]' must be an object, got ${describe(field[at])}`;
    }
    const inner = firstProblem(field, here, partial, depth + 1);
    if (inner !== undefined) return inner;
  }
  return undefined;
}

/** The first etcd field of `value` (named `path`) whose type is wrong, as "field 'path…' problem". */
export function etcdFieldProblem(value: unknown, path: string): string | undefined {
  return firstProblem(value, path, false, 0);
}

/** Throws a HistoryParseError naming the line and field of the first etcd field of the wrong type. */
export function checkEtcdFieldTypes(history: ParsedHistory): void {
  const partial = history.partialAnswers === true;
  for (let i = 0; i < history.ops.length; i++) {
    const op = history.ops[i]!;
    // A failed op's value is the error the client saw, not an etcd message.
    if (op.type === 'fail' || op.type === 'info') continue;
    const problem = firstProblem(op.value, 'value', partial, 0);
    if (problem !== undefined) throw new HistoryParseError(history.lines[i] ?? i + 1, `${op.f}: ${problem}`);
  }
}
