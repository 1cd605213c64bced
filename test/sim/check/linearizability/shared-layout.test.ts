// A hard partition is searched in three orders at once, sharing one read-only layout (the entry
// list, order bounds, twins, the model's prepared gate check). Each order's search over the
// shared layout — built and used by another search first — must decide as the brute-force
// reference does, and exactly as a search with its own layout (same steps, same prefix).
import { describe, expect, it } from 'vitest';
import { checkLinearizable } from '../../../../sim/check/linearizability/check.ts';
import { PartitionLayout } from '../../../../sim/check/linearizability/layout.ts';
import type { Model, Operation } from '../../../../sim/check/linearizability/model.ts';
import { PartitionSearch, type FloatOrder } from '../../../../sim/check/linearizability/search.ts';
import { Prng } from '../../../../sim/world/prng.ts';
import { bruteForceLinearizable } from './brute-force.ts';

// etcd in miniature: a put creates the next revision and says which; a get answers the
// revision and the last value. A put whose answer was lost (unknown outcome, never returned)
// is gated: it can only take effect as a revision no known put created (a gap).
type State = string; // `${revision}:${last value}`
interface In {
  f: 'put' | 'get';
  value: string;
  gap: boolean;
}
interface Out {
  rev: number;
  value: string;
}
type Op = Operation<In, Out>;

const revOf = (s: State): number => Number(s.slice(0, s.indexOf(':')));
const valueOf = (s: State): string => s.slice(s.indexOf(':') + 1);

function revisionModel(gaps: ReadonlySet<number>, knownMax: number): Model<State, In, Out> {
  return {
    name: 'revisions',
    init: () => '1:',
    step(s, input, output) {
      const rev = revOf(s);
      if (input.f === 'get') return output !== undefined && output.rev === rev && output.value === valueOf(s) ? s : undefined;
      if (input.gap && !gaps.has(rev + 1)) return undefined;
      if (output !== undefined && output.rev !== rev + 1) return undefined;
      return `${rev + 1}:${input.value}`;
    },
    equal: (a, b) => a === b,
    hash: (s) => {
      let h = 0;
      for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
      return h;
    },
    readOnly: (input) => input.f === 'get',
    order: revOf,
    orderBound: (input, output) => (output === undefined ? undefined : input.f === 'get' ? output.rev : output.rev - 1),
    gated: (input) => input.gap,
    gateOpen: (s) => gaps.has(revOf(s) + 1),
    // Necessary: every gap below the highest known revision must be filled by an unused gated put.
    prepareGateCheck(ops) {
      const gated = ops.filter((op) => op.input.gap).map((op) => op.id);
      return (s, linearized) => {
        let needed = 0;
        for (const g of gaps) if (g > revOf(s) && g < knownMax) needed++;
        let supply = 0;
        for (const id of gated) if (!linearized(id)) supply++;
        return supply >= needed;
      };
    },
  };
}

/** A history run against the model in some real-time order, then some answers lost (gated) and perhaps one answer changed. */
function randomHistory(prng: Prng): { ops: Op[]; model: Model<State, In, Out> } {
  const n = 4 + prng.int(5);
  let rev = 1;
  let last = '';
  const ops: Op[] = [];
  const gaps = new Set<number>();
  let knownMax = 1;
  let t = 0;
  for (let i = 0; i < n; i++) {
    t += prng.int(3);
    const call = t;
    const ret = call + 1 + prng.int(6);
    if (prng.int(3) === 0) {
      ops.push({ id: i, process: i, input: { f: 'get', value: '', gap: false }, output: { rev, value: last }, call, return: ret, index: i });
      continue;
    }
    rev++;
    last = `v${i}`;
    const lost = prng.int(3) === 0;
    if (lost) gaps.add(rev);
    else knownMax = Math.max(knownMax, rev);
    ops.push({ id: i, process: i, input: { f: 'put', value: last, gap: lost }, output: lost ? undefined : { rev, value: '' }, call, return: lost ? Infinity : ret, index: i });
  }
  // Sometimes an answer that did not happen: a read of another value, or a put's revision moved.
  if (prng.int(2) === 0) {
    const known = ops.filter((op) => op.output !== undefined);
    const victim = known[prng.int(known.length)];
    if (victim !== undefined && victim.output !== undefined) {
      victim.output = victim.input.f === 'get' ? { rev: victim.output.rev, value: `x${prng.int(3)}` } : { rev: victim.output.rev + (prng.int(2) === 0 ? 1 : -1), value: '' };
    }
  }
  // The search's numbering: finite returns first, each group in call order.
  const sorted = [...ops].sort((a, b) => Number(a.return === Infinity) - Number(b.return === Infinity) || a.call - b.call || a.id - b.id);
  return { ops: sorted.map((op, id) => ({ ...op, id })), model: revisionModel(gaps, knownMax) };
}

const ORDERS: readonly FloatOrder[] = ['sequel', 'newest', 'oldest'];

describe('searches of several orders over one shared layout', () => {
  it('decide as the brute-force reference and as a search with its own layout, on 400 random histories with gated ops', () => {
    const prng = new Prng(20261205);
    let invalid = 0;
    let gated = 0;
    for (let k = 0; k < 400; k++) {
      const { ops, model } = randomHistory(prng);
      const expected = bruteForceLinearizable(ops, model);
      if (!expected) invalid++;
      const layout = new PartitionLayout(model, ops);
      if (layout.floating.length > 0) gated++;
      // The layout's first user runs to the end before the others start on it.
      const first = new PartitionSearch(model, ops, 100_000, 'sequel', layout);
      expect(first.run(1_000_000)).toBe(expected ? 'valid' : 'invalid');
      for (const order of ORDERS) {
        const shared = new PartitionSearch(model, ops, 100_000, order, layout);
        const own = new PartitionSearch(model, ops, 100_000, order);
        const status = shared.run(1_000_000);
        expect(status).toBe(expected ? 'valid' : 'invalid');
        expect(own.run(1_000_000)).toBe(status);
        expect(shared.steps).toBe(own.steps);
        expect(shared.longestPrefix()).toEqual(own.longestPrefix());
      }
      expect(checkLinearizable(ops, model).valid).toBe(expected);
    }
    // Both verdicts and gated ops are common in the sample.
    expect(invalid).toBeGreaterThan(60);
    expect(invalid).toBeLessThan(340);
    expect(gated).toBeGreaterThan(150);
  });

  it('refuses a layout of other ops', () => {
    const prng = new Prng(7);
    const a = randomHistory(prng);
    const b = randomHistory(prng);
    expect(() => new PartitionSearch(a.model, a.ops, 1000, 'newest', new PartitionLayout(b.model, b.ops))).toThrow(/layout-of-these-ops/);
  });
});
