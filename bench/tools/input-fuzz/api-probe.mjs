// The input fuzzer's API probe (run by api-cases.mjs, one process per batch): every seed call of
// the package's public functions, each called once as given and then once per mutation: one
// argument, or one field inside an argument (three levels down, the first element of a list),
// set to a value a JavaScript caller can pass. Prints a JSON line as each case starts and one
// with its outcome, so that the parent can tell a hang from a slow case and go on past it.
//
//   node api-probe.mjs ROOT SANDBOX FROM
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { apiSeeds } from './api-seeds.mjs';

const [ROOT, SANDBOX, FROM] = process.argv.slice(2);
const load = (entry) => import(pathToFileURL(join(ROOT, 'dist', entry)).href);

function sparse() {
  const a = [];
  a.length = 2 ** 32 - 1;
  return a;
}
function deep(n) {
  let v = [];
  for (let i = 0; i < n; i++) v = [v];
  return v;
}
function cyclic() {
  const o = { a: 1 };
  o.self = o;
  return o;
}

/** What a caller past TypeScript passes: [label, make] (made fresh for each case). */
export const HOSTILE = [
  ['undefined', () => undefined], ['null', () => null], ['NaN', () => NaN], ['-1', () => -1], ['1.5', () => 1.5],
  ['2^60', () => 2 ** 60], ['Infinity', () => Infinity], ['""', () => ''], ['"x"', () => 'x'], ['"\\0"', () => 'a\0b'],
  ['true', () => true], ['{}', () => ({})], ['[]', () => []], ['a sparse array', sparse], ['a Symbol', () => Symbol('s')],
  ['a function', () => () => undefined], ['10n', () => 10n], ['a null-prototype object', () => Object.create(null)],
  ['100,000 nested arrays', () => deep(100_000)], ['a cyclic object', cyclic], ['a 10 MB string', () => 'x'.repeat(10_000_000)],
];

/** [path, value] for every field of `v` down to `depth` levels (arrays: the first element). */
function fieldsOf(v, depth, path = []) {
  if (depth === 0 || v === null || typeof v !== 'object' || ArrayBuffer.isView(v)) return [];
  const keys = Array.isArray(v) ? (v.length > 0 ? [0] : []) : Object.keys(v);
  return keys.flatMap((k) => [[[...path, k], v[k]], ...fieldsOf(v[k], depth - 1, [...path, k])]);
}

/** `args` (made fresh) with the field at `path` of argument `p` set to `value`. */
function mutated(args, p, path, value) {
  if (path.length === 0) {
    const out = [...args];
    while (out.length < p) out.push(undefined);
    out[p] = value;
    return out;
  }
  let at = args[p];
  for (const k of path.slice(0, -1)) at = at[k];
  at[path[path.length - 1]] = value;
  return args;
}

/** Every case of one seed: [label, () => args]. The seed's own args first. */
function casesOf(seed) {
  const out = [[`${seed.name}(as given)`, () => seed.args()]];
  const shape = seed.args();
  const positions = Math.max(shape.length, seed.arity ?? 0);
  for (let p = 0; p < positions; p++) {
    const paths = [[], ...fieldsOf(shape[p], 3).map(([path]) => path)];
    for (const path of paths) {
      for (const [label, make] of HOSTILE) {
        const where = `argument ${p + 1}${path.length > 0 ? `.${path.join('.')}` : ''}`;
        out.push([`${seed.name}: ${where} = ${label}`, () => mutated(seed.args(), p, path, make())]);
      }
    }
  }
  return out;
}

const modules = {
  harness: await load('sim/index.js'), property: await load('sim/property/index.js'), check: await load('sim/check/index.js'),
  world: await load('sim/world/index.js'), report: await load('sim/report/index.js'),
};
// DETCD_API_FUZZ_ONLY=runScenario,writeSweepReport: only the functions whose seed name holds one
// of these (a round that changed a few functions re-fuzzes them in minutes, not the whole API).
const only = (process.env.DETCD_API_FUZZ_ONLY ?? '').split(',').filter((x) => x !== '');
const seeds = (await apiSeeds(modules, ROOT, SANDBOX)).filter((s) => only.length === 0 || only.some((o) => s.name.includes(o)));
const cases = seeds.flatMap((seed) => casesOf(seed).map(([label, args]) => ({ seed, label, args })));
const UsageError = modules.check.UsageError;
const HistoryParseError = modules.check.HistoryParseError;
const PathError = modules.report.PathError;
mkdirSync(SANDBOX, { recursive: true });
process.chdir(SANDBOX);
const write = (o) => process.stdout.write(`${JSON.stringify(o)}\n`);
write({ total: cases.length });
for (let i = Number(FROM); i < cases.length; i++) {
  const c = cases[i];
  write({ start: i, label: c.label });
  let outcome;
  const started = Date.now();
  try {
    const r = await c.seed.call(modules, c.args());
    outcome = { kind: 'returned', type: r === null ? 'null' : typeof r };
  } catch (err) {
    const named = err instanceof UsageError || err instanceof HistoryParseError || err instanceof PathError;
    const message = String(err?.message ?? err);
    outcome = { kind: named ? 'refused' : 'threw', error: err?.constructor?.name ?? typeof err, message: message.slice(0, 400), lines: message.split('\n').length, stack: named ? undefined : String(err?.stack ?? '').split('\n').slice(1, 4).join(' | ') };
  }
  write({ end: i, label: c.label, ms: Date.now() - started, ...outcome });
}
