// The first search asks for the doomed op (Model.doomed) later than DOOMED_PREFIX_STEPS (search.ts,
// check.ts): a partition found valid first never asks (it has no doomed op: no linearization
// places one), and every other result must be the one of the search that asks there — the same
// verdict, steps, partitions and explanation — also when the doomed op is found after the
// deferral (then the partitions are searched again, asking at DOOMED_PREFIX_STEPS) and when a step
// budget ends the deferring search.
import { describe, expect, it } from 'vitest';
import { checkLinearizable, checkLinearizableNotDeferring } from '../../../../sim/check/linearizability/check.ts';
import type { Model, Operation } from '../../../../sim/check/linearizability/model.ts';
import { registerModel, type RegisterInput, type RegisterOutput, type RegisterValue } from '../../../../sim/check/models/register.ts';

type RegOp = Operation<RegisterInput, RegisterOutput>;
type Found = { id: number; reason: string } | undefined;

/**
 * `count` blocks of `writers` concurrent writes and then a read of the block's first write (the
 * search tries the others last first: some 6 steps per op with 4 writers, 27 with 6); the read of
 * block `bad` shows a value nobody wrote — the doomed op, when there is one.
 */
function blocks(count: number, writers: number, bad: number): { ops: RegOp[]; doomed: Found } {
  const ops: RegOp[] = [];
  let doomed: Found;
  for (let k = 0, t = 0; k < count; k++, t += 4) {
    for (let i = 0; i < writers; i++) ops.push({ id: ops.length, process: i, input: { f: 'write', value: k * 100 + i + 1 }, output: {}, call: t, return: t + 1, index: ops.length });
    if (k === bad) doomed = { id: ops.length, reason: 'the read shows a value nobody wrote' };
    ops.push({ id: ops.length, process: writers, input: { f: 'read' }, output: { value: k === bad ? -1 : k * 100 + 1 }, call: t + 2, return: t + 3, index: ops.length });
  }
  return { ops, doomed };
}

/** The register model with `found` as its doomed op, counting how often it is asked. */
function asking(found: Found): { model: Model<RegisterValue, RegisterInput, RegisterOutput>; asked: () => number } {
  let asked = 0;
  return {
    model: {
      ...registerModel,
      doomed: () => {
        asked++;
        return found;
      },
    },
    asked: () => asked,
  };
}

describe('the doomed op asked for later', () => {
  it('is never asked for in a history found valid past DOOMED_PREFIX_STEPS, and the result is the same', () => {
    const { ops } = blocks(800, 4, -1);
    const late = asking(undefined);
    const r = checkLinearizable(ops, late.model);
    expect(r.valid).toBe(true);
    expect(r.steps).toBeGreaterThan(20_000);
    expect(late.asked()).toBe(0);
    const early = asking(undefined);
    expect(r).toEqual(checkLinearizableNotDeferring(ops, early.model));
    expect(early.asked()).toBe(1);
  });

  it('found when the deferring search ends invalid: the result of the search that stops at DOOMED_PREFIX_STEPS, asked once', () => {
    const { ops, doomed } = blocks(800, 4, 799);
    const late = asking(doomed);
    const r = checkLinearizable(ops, late.model);
    expect(r).toEqual(checkLinearizableNotDeferring(ops, asking(doomed).model));
    expect(r.valid).toBe(false);
    expect(r.steps).toBeLessThan(20_010);
    expect(r.explanation?.contradiction?.reason).toBe('the read shows a value nobody wrote');
    expect(late.asked()).toBe(1);
  });

  it('found at the end of the deferral: the same result, asked once', () => {
    const { ops, doomed } = blocks(100, 6, 99);
    const late = asking(doomed);
    const r = checkLinearizable(ops, late.model);
    expect(r).toEqual(checkLinearizableNotDeferring(ops, asking(doomed).model));
    expect(r.steps).toBeLessThan(20_010);
    expect(late.asked()).toBe(1);
  });

  it('not there in an invalid history: the whole search, the same result', () => {
    const { ops } = blocks(800, 4, 799);
    const late = asking(undefined);
    const r = checkLinearizable(ops, late.model);
    expect(r.valid).toBe(false);
    expect(r.steps).toBeGreaterThan(30_000);
    expect(r).toEqual(checkLinearizableNotDeferring(ops, asking(undefined).model));
    expect(late.asked()).toBe(1);
  });

  it('found after a step budget ended the deferring search: invalid as before, not unknown', () => {
    const { ops, doomed } = blocks(100, 6, 99);
    const r = checkLinearizable(ops, asking(doomed).model, { maxSteps: 22_000 });
    expect(r.valid).toBe(false);
    expect(r).toEqual(checkLinearizableNotDeferring(ops, asking(doomed).model, { maxSteps: 22_000 }));
    const none = checkLinearizable(ops, asking(undefined).model, { maxSteps: 22_000 });
    expect(none.valid).toBe('unknown');
    expect(none).toEqual(checkLinearizableNotDeferring(ops, asking(undefined).model, { maxSteps: 22_000 }));
  });

  it('gives what the search that asks at DOOMED_PREFIX_STEPS gives on block histories of every shape (seeded)', () => {
    let x = 20261207;
    const next = (n: number): number => {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      return x % n;
    };
    for (let i = 0; i < 24; i++) {
      const seed = x;
      const count = 100 + next(700);
      const writers = 3 + next(4);
      const bad = next(3) === 0 ? -1 : next(count);
      const budget = next(3) === 0 ? { maxSteps: 10_000 + next(40_000) } : { maxSteps: 200_000 };
      const { ops, doomed } = blocks(count, writers, bad);
      const r = checkLinearizable(ops, asking(doomed).model, budget);
      expect(r, `seed ${seed}: blocks(${count}, ${writers}, ${bad}), ${JSON.stringify(budget)}`).toEqual(checkLinearizableNotDeferring(ops, asking(doomed).model, budget));
    }
  });
});
