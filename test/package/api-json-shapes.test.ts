// The package's entry points given arrays and values no JSON file could hold — a sparse array
// (`a.length = 2 ** 32 - 1`, or `[op, , op]`), a value that holds itself, a BigInt, NaN, nesting
// past JSON_NESTING_MAX — and members' statuses that are no etcd revision: each is one
// UsageError naming the function, the argument and the element or field. Before, the sparse
// array hung every checker (map and forEach visit 4 billion missing indexes), a cycle in an etcd
// answer overflowed the stack, NaN in a register history read "not linearizable", and
// checkConvergence said "members disagree" on a revision of -1. (Found by a field probe of every
// entry point: /work/notes/inputs-tools/api-probe.mjs.)
import { describe, expect, it } from 'vitest';
import { checkConvergence, checkHistory, checkLease, checkMutex, checkWatch, parseHistory } from '../../sim/check/index.ts';
import { defineScenario, withSchedule } from '../../sim/property/index.ts';
import { World } from '../../sim/world/index.ts';
import { UsageError } from '../../sim/errors/usage-error.ts';
import { jsonShapeProblem } from '../../sim/errors/json-shape.ts';
import { JSON_NESTING_MAX } from '../../sim/text/json-nesting.ts';

const b64 = (s: string): string => Buffer.from(s).toString('base64');
const hdr = (rev: number): object => ({ header: { revision: String(rev), raft_term: '2', member_id: '1', cluster_id: '1' } });
const regOps = (): Record<string, unknown>[] => [
  { process: 0, type: 'invoke', f: 'write', value: 1 },
  { process: 0, type: 'ok', f: 'write', value: 1 },
  { process: 1, type: 'invoke', f: 'read', value: null },
  { process: 1, type: 'ok', f: 'read', value: 1 },
];
const etcdOps = (): Record<string, unknown>[] => [
  { process: 2, type: 'invoke', f: 'kv/put', value: { key: b64('k'), value: b64('v') } },
  { process: 2, type: 'ok', f: 'kv/put', value: hdr(2) },
];
const sparse = (of: unknown[] = []): unknown[] => {
  const a = [...of];
  a.length = 2 ** 32 - 1;
  return a;
};
const any = (v: unknown): never => v as never;
/** `[a, , b]`: two elements with a hole between them. */
const holed = ([a, b]: unknown[]): unknown[] => {
  const out: unknown[] = [a];
  out[2] = b;
  return out;
};

/** The refusal's message, expecting a one-line UsageError. */
function refusal(call: () => unknown): string {
  try {
    call();
  } catch (err) {
    expect(err, String(err)).toBeInstanceOf(UsageError);
    expect((err as Error).message).not.toContain('\n');
    return (err as Error).message;
  }
  throw new Error('not refused');
}

describe('a sparse array handed to an entry point is refused at its first hole, at once', () => {
  const cases: [string, () => unknown, string][] = [
    ['checkHistory of op objects', () => checkHistory(any(sparse(regOps())), 'register'), 'checkHistory: history[4]: is missing (a sparse array of length 4294967295'],
    ['checkHistory of a parsed history', () => checkHistory(any({ ops: sparse(), lines: [] }), 'register'), 'checkHistory: history.ops[0]: is missing'],
    ['checkLease', () => checkLease(any(sparse())), 'checkLease: history[0]: is missing'],
    ['checkMutex', () => checkMutex(any(holed([regOps()[0], regOps()[1]]))), 'checkMutex: history[1]: is missing (a sparse array of length 3'],
    ['checkWatch records', () => checkWatch(any(sparse())), 'checkWatch: records[0]: is missing'],
    ['checkWatch history', () => checkWatch([], any(sparse())), 'checkWatch: history[0]: is missing'],
    ['checkConvergence', () => checkConvergence(any(sparse())), 'checkConvergence: members[0]: is missing'],
    ['withSchedule', () => withSchedule(defineScenario({ name: 'x' }), any(sparse())), 'withSchedule: schedule[0]: is missing'],
    ['new World clients', () => new World(any({ seed: 1, nodes: ['n1'], clients: sparse(['c1']) })), 'new World: options.clients[1]: is missing'],
    ['an array inside an op', () => checkHistory(any([{ ...etcdOps()[0], value: { key: b64('k'), value: b64('v'), extra: sparse() } }, etcdOps()[1]]), 'etcd'), 'checkHistory: history[0].value.extra[0]: is missing (a sparse array of length 4294967295: JSON has none)'],
  ];
  for (const [what, call, message] of cases) it(what, () => expect(refusal(call)).toContain(message));
});

describe('an op or watch record holding what JSON cannot is refused naming the element and field', () => {
  it('a cycle in an etcd answer (was: Maximum call stack size exceeded)', () => {
    const ops = etcdOps();
    const header: Record<string, unknown> = { revision: '2' };
    header['self'] = header;
    ops[1] = { ...ops[1], value: { header } };
    expect(refusal(() => checkHistory(any(ops), 'etcd'))).toBe('checkHistory: history[1].value.header.self: must be a JSON value: it holds itself (a cycle)');
  });

  it('NaN in a register history (was: "not linearizable", NaN !== NaN), a BigInt, a function', () => {
    const nan = regOps().map((o) => (o['f'] === 'write' || o['type'] === 'ok' ? { ...o, value: NaN } : o));
    expect(refusal(() => checkHistory(any(nan), 'register'))).toBe('checkHistory: history[0].value: must be a JSON value: NaN is no JSON number');
    expect(refusal(() => checkLease(any([{ ...etcdOps()[0], value: { key: b64('k'), value: b64('v'), lease: 7n } }])))).toMatch(/^checkLease: history\[0\]\.value\.lease: must be a JSON value: a BigInt is none/);
    expect(refusal(() => checkMutex(any([{ ...regOps()[0], value: () => 1 }])))).toBe('checkMutex: history[0].value: must be a JSON value: a function is none');
  });

  it('a watch response nested past the bound', () => {
    let deep: unknown = 1;
    for (let i = 0; i < JSON_NESTING_MAX + 5; i++) deep = [deep];
    const rec = { process: 'w', time: 1, response: { ...hdr(1), watch_id: '0', created: true, note: deep } };
    expect(refusal(() => checkWatch(any([rec])))).toMatch(/^checkWatch: records\[0\]\.response\.note(\[0\])+: must be a JSON value nested at most 1000 levels$/);
  });

  it('still takes a value shared by two fields (no cycle), undefined fields, and a parsed history', () => {
    const shared = { key: b64('k'), value: b64('v') };
    expect(jsonShapeProblem({ a: shared, b: [shared, shared], c: undefined })).toBeUndefined();
    expect(checkHistory(any(regOps()), 'register').valid).toBe(true);
    expect(checkHistory(parseHistory(regOps().map((o) => JSON.stringify(o)).join('\n'), 'jsonl'), 'register').valid).toBe(true);
  });
});

describe('checkConvergence takes etcd revisions and hashes only', () => {
  const member = (extra: object): object => ({ node: 'n1', revision: 5, compactRevision: 0, hash: 7, ...extra });
  it('refuses a negative or fractional revision (was: "members disagree") and a NaN hash (NaN !== NaN)', () => {
    expect(refusal(() => checkConvergence(any([member({ revision: -1 }), member({ node: 'n2' })])))).toBe('checkConvergence: members[0].revision: must be a whole number from 0 up, got -1');
    expect(refusal(() => checkConvergence(any([member({ compactRevision: 0.5 })])))).toMatch(/^checkConvergence: members\[0\]\.compactRevision: .* got 0\.5$/);
    expect(refusal(() => checkConvergence(any([member({ hash: NaN }), member({ node: 'n2', hash: NaN })])))).toBe('checkConvergence: members[0].hash: must be a finite number or a string, got NaN');
    expect(checkConvergence(any([member({}), member({ node: 'n2', hash: 8 })])).valid).toBe(false);
    expect(checkConvergence(any([member({}), member({ node: 'n2' })])).valid).toBe(true);
  });
});
