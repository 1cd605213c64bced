// The checkers' input in fixed shapes (sim/check/fixed-shape.ts): the same data, read the same way
// by every checker, with one hidden class per op and every array of one elements kind. The shapes
// are V8's, asked through its natives (%HaveSameMap, %HasObjectElements, %HasHoleyElements), which
// node allows once --allow-natives-syntax is set; functions made after that may call them.
import { setFlagsFromString } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { fixedJson, fixedShapeOps } from '../../../sim/check/fixed-shape.ts';
import { runScenario } from '../../../sim/run/run.ts';
import { defineScenario } from '../../../sim/scenario/parse.ts';
import type { Op } from '../../../sim/history/op.ts';

setFlagsFromString('--allow-natives-syntax');
// eslint-disable-next-line @typescript-eslint/no-implied-eval -- V8's natives parse only in code compiled after the flag
const sameMap = new Function('a', 'b', 'return %HaveSameMap(a, b)') as (a: unknown, b: unknown) => boolean;
// eslint-disable-next-line @typescript-eslint/no-implied-eval
const objectElements = new Function('a', 'return %HasObjectElements(a) && !%HasHoleyElements(a)') as (a: unknown) => boolean;

/** Every array inside `v`, depth first. */
function arraysIn(v: unknown, out: unknown[][] = []): unknown[][] {
  if (Array.isArray(v)) {
    out.push(v);
    for (const x of v) arraysIn(x, out);
  } else if (typeof v === 'object' && v !== null) for (const x of Object.values(v)) arraysIn(x, out);
  return out;
}

/** Where `w` is not the same data as `v` (own keys in the same order, the same values, prototypes, arrays alike), or undefined. */
function difference(v: unknown, w: unknown, at = '$'): string | undefined {
  if (typeof v !== 'object' || v === null) return Object.is(v, w) ? undefined : `${at}: ${String(w)} for ${String(v)}`;
  if (typeof w !== 'object' || w === null) return `${at}: not an object`;
  if (Array.isArray(w) !== Array.isArray(v) || Object.getPrototypeOf(w) !== Object.getPrototypeOf(v)) return `${at}: another kind of object`;
  const keys = Reflect.ownKeys(v);
  const wKeys = Reflect.ownKeys(w);
  if (keys.length !== wKeys.length || keys.some((k, i) => k !== wKeys[i])) return `${at}: keys ${wKeys.map(String).join(',')} for ${keys.map(String).join(',')}`;
  for (const k of keys) {
    const d = difference((v as Record<PropertyKey, unknown>)[k], (w as Record<PropertyKey, unknown>)[k], `${at}.${String(k)}`);
    if (d !== undefined) return d;
  }
  return undefined;
}

const swarm = defineScenario({ name: 'fixed-shape', cluster: { members: 3 }, clients: { count: 6, requestTimeoutMs: 300 }, workload: { kind: 'etcd', rateOpsPerSecond: 200, durationMs: 1500, keys: 4, compactionIntervalMs: 500 }, nemesis: { packages: ['partition-leader', 'kill-follower', 'pause'], faultDurationMs: { min: 200, max: 500 } } });

describe('fixedShapeOps', () => {
  const { history } = runScenario(swarm, 7);

  it('a simulated history reaches the checkers in several shapes (what the copy is for)', () => {
    const maps = history.filter((op, i) => history.findIndex((o) => sameMap(o, op)) === i);
    expect(maps.length).toBeGreaterThan(1);
    const arrays = history.flatMap((op) => arraysIn(op.value));
    expect(arrays.some((a) => !objectElements(a))).toBe(true);
  });

  it('gives every op one hidden class and every array of every request PACKED_ELEMENTS', () => {
    const fixed = fixedShapeOps(history);
    expect(fixed.length).toBe(history.length);
    for (const op of fixed) expect(sameMap(op, fixed[0])).toBe(true);
    const arrays = fixed.flatMap((op) => (op.type === 'invoke' ? arraysIn(op.value) : []));
    expect(arrays.length).toBeGreaterThan(0);
    for (const a of arrays) expect(objectElements(a)).toBe(true);
  });

  it('keeps the data: every field of every op reads as before, requests key for key, answers the same objects', () => {
    const fixed = fixedShapeOps(history);
    const fields = ['index', 'time', 'process', 'type', 'f', 'error', 'node', 'tries', 'key'] as const;
    const differences: string[] = [];
    history.forEach((op, i) => {
      for (const k of fields) if (!Object.is(fixed[i]![k], op[k])) differences.push(`op ${i}: ${k}`);
      const d = difference(op.value, fixed[i]!.value);
      if (d !== undefined) differences.push(`op ${i}: value ${d}`);
      if (JSON.stringify(fixed[i]) !== JSON.stringify(op)) differences.push(`op ${i}: JSON`);
      if (op.type !== 'invoke' && fixed[i]!.value !== op.value) differences.push(`op ${i}: answer copied`);
    });
    expect(differences).toEqual([]);
  });

  it('copies odd JSON exactly: own __proto__ keys, keys with undefined, empty and nested arrays; keeps what is not plain data as it is', () => {
    const odd = JSON.parse('{"__proto__": {"x": [1, []]}, "a": [], "b": [[], [{}]], "c": null}') as Record<string, unknown>;
    odd['u'] = undefined;
    const bare = Object.create(null) as Record<string, unknown>;
    bare['k'] = [1.5, 'v'];
    const bytes = new Uint8Array([1, 2]);
    const op: Op = { index: 0, time: 0, process: 1, type: 'invoke', f: 'kv/txn', value: { odd, bare, bytes } };
    const [copy] = fixedShapeOps([op]);
    expect(difference(op.value, copy!.value)).toBeUndefined();
    const v = copy!.value as { odd: object; bare: unknown; bytes: unknown };
    expect(v.bare).toBe(bare);
    expect(Object.hasOwn(v.odd, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(v.odd)).toBe(Object.prototype);
    expect(v.bytes).toBe(bytes);
    for (const a of arraysIn(v.odd)) expect(objectElements(a)).toBe(true);
    expect(fixedJson('s')).toBe('s');
  });
});
