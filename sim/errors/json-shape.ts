// A value a program hands the API where the command line reads JSON (an op object's value, a
// watch response): what JSON.parse could have returned. A cycle overflowed the stack of the
// etcd model's walks ("Maximum call stack size exceeded"), a sparse array hung them, and a
// BigInt, a function or NaN is no JSON value (NaN !== NaN made a write then a read of it
// "not linearizable"). The walk visits each object once (a shared one is no cycle) and stops
// JSON_NESTING_MAX levels down, the bound a file's text has.
import { JSON_NESTING_MAX } from '../text/json-nesting.ts';
import { UsageError } from './usage-error.ts';

/** Where in `v` the first value JSON cannot hold is (a path such as `.value.kvs[2]`, '' for `v`) and why; undefined for none. */
export function jsonShapeProblem(v: unknown): { path: string; reason: string } | undefined {
  const onPath = new Set<object>();
  const done = new Set<object>();
  const walk = (x: unknown, path: string, depth: number): { path: string; reason: string } | undefined => {
    switch (typeof x) {
      case 'string': case 'boolean': case 'undefined': return undefined;
      case 'number': return Number.isFinite(x) ? undefined : { path, reason: `must be a JSON value: ${x} is no JSON number` };
      case 'bigint': return { path, reason: 'must be a JSON value: a BigInt is none (write an int64 as a decimal string)' };
      case 'function': case 'symbol': return { path, reason: `must be a JSON value: a ${typeof x} is none` };
      default: break;
    }
    if (x === null || done.has(x as object)) return undefined;
    const o = x as object;
    if (onPath.has(o)) return { path, reason: 'must be a JSON value: it holds itself (a cycle)' };
    if (depth >= JSON_NESTING_MAX) return { path, reason: `must be a JSON value nested at most ${JSON_NESTING_MAX} levels` };
    onPath.add(o);
    let found: { path: string; reason: string } | undefined;
    if (Array.isArray(o)) {
      for (let i = 0; i < o.length && found === undefined; i++) {
        found = i in o ? walk(o[i], `${path}[${i}]`, depth + 1) : { path: `${path}[${i}]`, reason: `is missing (a sparse array of length ${o.length}: JSON has none)` };
      }
    } else {
      for (const k of Object.keys(o)) {
        found = walk((o as Record<string, unknown>)[k], `${path}.${k}`, depth + 1);
        if (found !== undefined) break;
      }
    }
    onPath.delete(o);
    done.add(o);
    return found;
  };
  return walk(v, '', 0);
}

/** `v` when JSON can hold it, or the refusal naming `fn`, `field` and the place inside it ("fn: field[2].x: reason"). */
export function checkJsonArgument<T>(fn: string, field: string, v: T): T {
  const problem = jsonShapeProblem(v);
  if (problem !== undefined) throw new UsageError(`${fn}: ${field}${problem.path}: ${problem.reason}`);
  return v;
}
