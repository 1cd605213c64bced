// Every field a history reader reads, given a value of another JSON kind, is refused: exit 3,
// one line naming the file and the field. Walked over one sample of each form `detcd check`
// reads (detcd's JSONL with every etcd request and answer field, a watches file, a store dump,
// an etcd robustness report's operations.json and watch.json), field by field, every depth:
// a boolean set to 1, "true", [] or {}; a number to "x", true, [] or {}; a string to true, [],
// {} or 7; an object or a list to another kind; null (an absent message or list) to a scalar. Before, a flag read as `=== true` took "true"
// as false, an enum read as a string took 2 as its default, and a field a reader knows but did
// not read for this operation took anything, each without a word.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from './capture-cli.ts';
import { scratchDir } from '../scratch-dir.ts';

const root = scratchDir('detcd-ill-typed-');
type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Path = (string | number)[];

const DECIMAL = /^-?\d+$/;

/** Values of another JSON kind than `v`. A decimal string may be a number (int64 fields take both). */
function otherKinds(v: Json): Json[] {
  if (typeof v === 'boolean') return [1, 'true', [], {}];
  if (typeof v === 'number') return ['x', true, [], {}];
  if (typeof v === 'string') return DECIMAL.test(v) ? [true, [], {}] : [true, [], {}, 7];
  if (Array.isArray(v)) return ['x', 7, true, {}];
  if (v !== null) return ['x', 7, true, []];
  // null stands for an absent message or list here: a scalar is of another kind.
  return ['x', 7, true];
}

/** Every field of `v` (object fields and list elements, at every depth), with its value. */
function* fields(v: Json, path: Path = []): Generator<[Path, Json]> {
  if (v === null || typeof v !== 'object') return;
  const entries: [string | number, Json][] = Array.isArray(v) ? v.map((x, i) => [i, x]) : Object.entries(v);
  for (const [k, x] of entries) {
    yield [[...path, k], x];
    yield* fields(x, [...path, k]);
  }
}

function withField(v: Json, path: Path, x: Json): Json {
  const copy = structuredClone(v) as Record<string | number, Json>;
  let at = copy;
  for (const k of path.slice(0, -1)) at = at[k] as Record<string | number, Json>;
  at[path.at(-1)!] = x;
  return copy;
}

/** The name a refusal must carry for a field at `path`: its own, or its list's. */
function nameOf(path: Path): string {
  const last = [...path].reverse().find((k) => typeof k === 'string');
  return String(last);
}

interface Form {
  /** The sample's lines (JSON values); `at` is the line whose fields are walked. */
  lines: Json[];
  /** Writes the mutated lines where they are read and gives check's arguments and the file a refusal must name. */
  write: (dir: string, text: string) => { argv: string[]; file: string };
  /** Fields a value of another kind is right for, with why. */
  exempt?: (path: Path, x: Json) => boolean;
}

const b64 = (s: string): string => Buffer.from(s).toString('base64');
const header = { cluster_id: '1', member_id: '2', revision: '5', raft_term: '2' };
const kv = { key: b64('k'), create_revision: '2', mod_revision: '3', version: '2', value: b64('v'), lease: '0' };

const etcdJsonl: Json[] = [
  { index: 0, time: 1, process: 0, type: 'invoke', f: 'kv/range', value: { key: b64('k'), range_end: b64('l'), limit: '2', revision: '0', sort_order: 'ASCEND', sort_target: 'MOD', serializable: false, keys_only: false, count_only: false, min_mod_revision: '0', max_mod_revision: '0', min_create_revision: '0', max_create_revision: '0' } },
  { index: 1, time: 2, process: 0, type: 'ok', f: 'kv/range', value: { header, kvs: [kv], more: false, count: '1' }, node: 'n1' },
  { index: 2, time: 3, process: 1, type: 'invoke', f: 'kv/put', value: { key: b64('k'), value: b64('w'), lease: '0', prev_kv: true, ignore_value: false, ignore_lease: false } },
  { index: 3, time: 4, process: 1, type: 'ok', f: 'kv/put', value: { header, prev_kv: kv } },
  { index: 4, time: 5, process: 2, type: 'invoke', f: 'kv/deleterange', value: { key: b64('k'), range_end: b64('l'), prev_kv: true } },
  { index: 5, time: 6, process: 2, type: 'ok', f: 'kv/deleterange', value: { header, deleted: '1', prev_kvs: [kv] } },
  { index: 6, time: 7, process: 3, type: 'invoke', f: 'kv/txn', value: { compare: [{ result: 'EQUAL', target: 'VERSION', key: b64('k'), version: '1' }], success: [{ request_put: { key: b64('k'), value: b64('x') } }], failure: [{ request_range: { key: b64('k') } }] } },
  { index: 7, time: 8, process: 3, type: 'ok', f: 'kv/txn', value: { header, succeeded: true, responses: [{ response_put: { header } }] } },
  { index: 8, time: 9, process: 4, type: 'invoke', f: 'lease/timetolive', value: { ID: '7', keys: true } },
  { index: 9, time: 10, process: 4, type: 'ok', f: 'lease/timetolive', value: { header, ID: '7', TTL: '5', grantedTTL: '10', keys: [b64('k')] } },
  { index: 10, time: 11, process: 5, type: 'invoke', f: 'kv/put', value: { key: b64('j'), value: b64('y') } },
  { index: 11, time: 12, process: 5, type: 'fail', f: 'kv/put', value: null, error: 'etcdserver: too many requests' },
];

const watchRecords: Json[] = [
  { process: 'watch-n1', time: 5, node: 'n1', request: { create_request: { key: b64('k'), range_end: b64('l'), start_revision: '2', progress_notify: true, filters: ['NOPUT'], prev_kv: true, watch_id: '0', fragment: false } }, response: { header, watch_id: '0', created: true } },
  { process: 'watch-n1', time: 6, node: 'n1', response: { header, watch_id: '0', events: [{ type: 'DELETE', kv, prev_kv: kv }], fragment: false } },
  { process: 'watch-n1', time: 7, node: 'n1', response: { header, watch_id: '0', canceled: true, compact_revision: '3', cancel_reason: 'compacted' } },
  { process: 'watch-n1', time: 8, node: 'n1', response: {}, closed: 'the client closed it' },
];

const robustnessOps: Json[] = [
  { ClientId: 0, Input: { Type: 'txn', LeaseGrant: null, LeaseRevoke: null, Range: null, Txn: { Conditions: [{ Key: 'key0', ExpectedRevision: 0 }], OperationsOnSuccess: [{ Type: 'put-operation', Range: { Start: '', End: '', Limit: 0 }, Put: { Key: 'key0', Value: { Value: '1' }, LeaseID: 0 }, Delete: { Key: '' } }], OperationsOnFailure: [{ Type: 'range-operation', Range: { Start: 'key0', End: '', Limit: 0 }, Put: { Key: '', Value: {}, LeaseID: 0 }, Delete: { Key: '' } }] }, Defragment: null, Compact: null }, Call: 3000, Output: { Txn: { Failure: false, Results: [{ KVs: null, Count: 0, Deleted: 0 }] }, Range: null, LeaseGrant: null, LeaseRevoke: null, Defragment: null, Compact: null, ClientError: '', Revision: 2, Persisted: false, PersistedRevision: 0, Error: '' }, Return: 5000 },
  { ClientId: 0, Input: { Type: 'range', LeaseGrant: null, LeaseRevoke: null, Range: { Start: 'key0', End: 'key9', Limit: 5, Revision: 0 }, Txn: null, Defragment: null, Compact: null }, Call: 6000, Output: { Txn: null, Range: { KVs: [{ Key: 'key0', Value: { Value: '1' }, ModRevision: 2, Version: 1, CreateRevision: 2, Lease: 0 }], Count: 1 }, LeaseGrant: null, LeaseRevoke: null, Defragment: null, Compact: null, ClientError: '', Revision: 2, Persisted: false, PersistedRevision: 0, Error: '' }, Return: 7000 },
];

const robustnessWatch: Json[] = [
  { Request: { Key: 'key', Revision: 0, WithPrefix: true, WithProgressNotify: true, WithPrevKV: true }, Responses: [{ Events: [{ Type: 'put-operation', Key: 'key0', Value: { Value: '1' }, Revision: 2, IsCreate: true, PrevValue: null }], IsProgressNotify: false, Revision: 2, Time: 5500, Error: '' }, { Events: [], IsProgressNotify: true, Revision: 2, Time: 6500, Error: '' }] },
];

const dump: Json = { header: { cluster_id: 1, member_id: 2, revision: 5, raft_term: 2 }, kvs: [{ key: b64('a'), create_revision: 2, mod_revision: 3, version: 2, value: b64('1'), lease: 0 }], more: false, count: 1 };

const jsonl = (lines: Json[]): string => `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`;

const FORMS: Record<string, Form> = {
  'a JSONL etcd history': {
    lines: etcdJsonl,
    write: (dir, text) => {
      const file = join(dir, 'history.jsonl');
      writeFileSync(file, text);
      return { argv: ['check', '--model', 'etcd', '--no-watches', file], file };
    },
    // process is a number or a string; a fail's value is the error the client saw, not read.
    exempt: (path, x) => (path[1] === 'process' && typeof x === 'number') || (path[0] === 11 && path[1] === 'value'),
  },
  'a watches file': {
    lines: watchRecords,
    write: (dir, text) => {
      const file = join(dir, 'watches.jsonl');
      writeFileSync(file, text);
      writeFileSync(join(dir, 'history.jsonl'), jsonl(etcdJsonl.slice(0, 4)));
      return { argv: ['check', '--model', 'etcd', '--watches', file, join(dir, 'history.jsonl')], file };
    },
    exempt: (path, x) => path[1] === 'process' && typeof x === 'number',
  },
  'a store dump (--initial-state)': {
    lines: [dump],
    write: (dir, text) => {
      const file = join(dir, 'dump.json');
      writeFileSync(file, text);
      writeFileSync(join(dir, 'history.jsonl'), jsonl(etcdJsonl.slice(0, 2)));
      return { argv: ['check', '--model', 'etcd', '--no-watches', '--initial-state', file, join(dir, 'history.jsonl')], file };
    },
  },
  "a robustness report's operations.json": {
    lines: robustnessOps,
    write: (dir, text) => {
      mkdirSync(join(dir, 'client-1'));
      const file = join(dir, 'client-1', 'operations.json');
      writeFileSync(file, text);
      return { argv: ['check', '--model', 'etcd', dir], file };
    },
    // A ValueOrHash may be the value's text itself.
    exempt: (path, x) => path.at(-1) === 'Value' && typeof x === 'string',
  },
  "a robustness report's watch.json": {
    lines: robustnessWatch,
    write: (dir, text) => {
      mkdirSync(join(dir, 'client-1'));
      writeFileSync(join(dir, 'client-1', 'operations.json'), jsonl(robustnessOps));
      const file = join(dir, 'client-1', 'watch.json');
      writeFileSync(file, text);
      return { argv: ['check', '--model', 'etcd', dir], file };
    },
    exempt: (path, x) => path.at(-1) === 'Value' && typeof x === 'string',
  },
};

describe('every field a history reader reads refuses a value of another kind, naming the file and field (exit 3)', () => {
  for (const [form, { lines, write, exempt }] of Object.entries(FORMS)) {
    it(`${form}: the unmutated sample is read`, async () => {
      const dir = join(root, `${form.replace(/\W+/g, '-')}-sample`);
      mkdirSync(dir);
      const { argv } = write(dir, jsonl(lines));
      const r = await cli(argv);
      expect(r.err.join('\n')).not.toMatch(/must be|not JSON|does not know/);
      expect([0, 1, 2]).toContain(r.code);
    });

    it(`${form}: each field of another kind`, { timeout: 600_000 }, async () => {
      const accepted: string[] = [];
      let n = 0;
      for (let at = 0; at < lines.length; at++) {
        for (const [path, v] of fields(lines[at]!)) {
          for (const x of otherKinds(v)) {
            if (exempt?.([at, ...path], x) === true) continue;
            const dir = join(root, `${form.replace(/\W+/g, '-')}-${n++}`);
            mkdirSync(dir);
            const mutated = lines.map((l, i) => (i === at ? withField(l, path, x) : l));
            const { argv, file } = write(dir, jsonl(mutated));
            const r = await cli(argv);
            const line = r.err.join('\n');
            const named = line.includes(file) && line.includes(nameOf(path)) && r.err.length === 1;
            if (r.code !== 3 || !named) accepted.push(`line ${at + 1} ${path.join('.')} = ${JSON.stringify(x)}: exit ${r.code} ${line.slice(0, 160)}`);
          }
        }
      }
      expect(accepted).toEqual([]);
    });
  }
});
