// Model.doomed (an op no linearization can place: etcd's contradictions among the answers) is
// looked for only when the search asks: once it has spent its steps without deciding, or to
// explain a violation. A history decided first never pays for it, and the verdicts and their
// explanations are what they were when it was looked for up front. Also the search layout's
// entry order (calls and returns by time, calls first at a tie, then by op), which it sorts
// without a comparator now (sim/check/stable-order.ts), against the comparator's order.
import { describe, expect, it } from 'vitest';
import { checkLinearizable } from '../../../../sim/check/linearizability/check.ts';
import { PartitionLayout } from '../../../../sim/check/linearizability/layout.ts';
import type { Model, Operation } from '../../../../sim/check/linearizability/model.ts';
import { registerModel, type RegisterInput, type RegisterOutput, type RegisterValue } from '../../../../sim/check/models/register.ts';

type RegOp = Operation<RegisterInput, RegisterOutput>;

function op(id: number, input: RegisterInput, output: RegisterOutput | undefined, call: number, ret: number): RegOp {
  return { id, process: id, input, output, call, return: ret, index: id };
}

/** The register model with a doomed op that says `doomed` and counts how often it was asked. */
function counting(doomed: { id: number; reason: string } | undefined): { model: Model<RegisterValue, RegisterInput, RegisterOutput>; asked: () => number } {
  let asked = 0;
  const model: Model<RegisterValue, RegisterInput, RegisterOutput> = {
    ...registerModel,
    doomed: () => {
      asked++;
      return doomed;
    },
  };
  return { model, asked: () => asked };
}

const write = (id: number, value: number, call: number, ret: number): RegOp => op(id, { f: 'write', value }, {}, call, ret);
const read = (id: number, value: number | null, call: number, ret: number): RegOp => op(id, { f: 'read' }, { value }, call, ret);

describe('the doomed op, looked for when the search asks', () => {
  it('is not looked for in a history the search decides valid first', () => {
    const { model, asked } = counting(undefined);
    const r = checkLinearizable([write(0, 1, 0, 1), read(1, 1, 2, 3), write(2, 2, 4, 5), read(3, 2, 6, 7)], model);
    expect(r.valid).toBe(true);
    expect(asked()).toBe(0);
  });

  it('explains a violation the search found by itself with it, once', () => {
    const { model, asked } = counting({ id: 1, reason: 'the read shows a value nobody wrote' });
    const r = checkLinearizable([write(0, 1, 0, 1), read(1, 7, 2, 3)], model);
    expect(r.valid).toBe(false);
    expect(asked()).toBe(1);
    expect(r.explanation?.contradiction?.reason).toBe('the read shows a value nobody wrote');
    expect(r.summary).toContain('the read shows a value nobody wrote');
  });

  it("keeps the summary short when the op's text and the reason are long; the contradiction keeps them whole", () => {
    // A range's text holds its whole answer: the summary held it all (a run page's card a page tall).
    const longOp = `range("x") → ${'v'.repeat(1000)}`;
    const reason = `the answer shows ${JSON.stringify('k'.repeat(500))} with mod_revision 3 at revision 4, but a write with a known revision in (3, 4] put or deleted it (a stale answer)`;
    const { model } = counting({ id: 1, reason });
    const r = checkLinearizable([write(0, 1, 0, 1), read(1, 7, 2, 3)], { ...model, describeOperation: () => longOp });
    expect(r.valid).toBe(false);
    expect(r.summary!.length).toBeLessThanOrEqual(300);
    expect(r.summary).toMatch(/^not linearizable: range\("x"\) → v+… \(history index 1\): the answer shows "k+…$/);
    expect(r.explanation?.contradiction).toEqual({ index: 1, op: longOp, reason });
  });

  it('is not needed to explain a violation when there is none', () => {
    const { model, asked } = counting(undefined);
    const r = checkLinearizable([write(0, 1, 0, 1), read(1, 7, 2, 3)], model);
    expect(r.valid).toBe(false);
    expect(asked()).toBe(1);
    expect(r.explanation?.contradiction).toBeUndefined();
  });
});

describe('the layout entry order', () => {
  it('is calls and returns by time, a call before a return at the same time, then by op, with half positions and ties', () => {
    // Times as the etcd preparation makes them: positions, some returns moved to a half position
    // before a watch response (history.ts returnBeforeWatchers), ties between calls and returns.
    const spec: [number, number][] = [
      [0, 3],
      [0, 2.5],
      [1, 3],
      [2.5, 4],
      [2.5, 2.5],
      [3, Infinity],
      [1, 1],
      [4, 6.5],
    ];
    // Finite returns first, each group in call order: the numbering the search relies on.
    const sorted = spec
      .map(([call, ret], i) => ({ call, ret, i }))
      .sort((a, b) => Number(a.ret === Infinity) - Number(b.ret === Infinity) || a.call - b.call || a.i - b.i);
    const ops = sorted.map((s, id) => write(id, id, s.call, s.ret));
    const layout = new PartitionLayout(registerModel, ops);
    const events: { time: number; call: boolean; op: number }[] = [];
    for (const o of ops) {
      events.push({ time: o.call, call: true, op: o.id });
      if (o.return !== Infinity) events.push({ time: o.return, call: false, op: o.id });
    }
    events.sort((x, y) => x.time - y.time || (x.call === y.call ? x.op - y.op : x.call ? -1 : 1));
    const got = Array.from({ length: layout.entries }, (_, i) => ({ time: layout.entryTime[i + 1]!, call: layout.entryIsCall[i + 1] === 1, op: layout.entryOp[i + 1]! }));
    expect(got).toEqual(events);
    // Each call entry's matching return entry.
    for (let e = 1; e <= layout.entries; e++) {
      if (layout.entryIsCall[e] !== 1) continue;
      const m = layout.entryMatch[e]!;
      if (ops[layout.entryOp[e]!]!.return === Infinity) expect(m).toBe(-1);
      else expect([layout.entryOp[m], layout.entryIsCall[m]]).toEqual([layout.entryOp[e], 0]);
    }
  });
});
