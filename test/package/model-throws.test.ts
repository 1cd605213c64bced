// checkLinearizable with a program's model that throws on the ops it is given (most often ops of
// another shape than the model takes) refuses naming the op: one UsageError "checkLinearizable:
// history[i]: model.step threw on this op's input ...". Before, the model's own TypeError ("Cannot
// use 'in' operator to search for 'value' in 5") escaped from inside the search, naming nothing.
import { describe, expect, it } from 'vitest';
import { checkLinearizable, registerModel } from '../../sim/check/index.ts';
import type { Model } from '../../sim/check/index.ts';
import { refusal } from '../sim/check/refusal.ts';

const op = (id: number, input: unknown, output: unknown) => ({ id, index: id, process: id, input, output, call: 2 * id, return: 2 * id + 1 });

describe('checkLinearizable names the op a model threw on', () => {
  it('a register given a read whose output is no object', () => {
    const history = [op(0, { f: 'write', value: 5 }, {}), op(1, { f: 'read' }, 5)];
    expect(refusal(() => checkLinearizable(history as never, registerModel))).toMatch(/^checkLinearizable: history\[1\]: model\.step threw on this op's input \(an op of another shape than the model takes\?\): TypeError: Cannot use 'in' operator .*; the input, got \{"f":"read"\}$/);
  });

  it('a register given an input that is null', () => {
    const history = [op(0, null, {})];
    expect(refusal(() => checkLinearizable(history as never, registerModel))).toMatch(/^checkLinearizable: history\[0\]: model\.partition threw on this op .*TypeError: Cannot read properties of null/);
  });

  it('a throw from a function given no op names the function', () => {
    const broken: Model<number, number, number> = { name: 'broken', init: () => { throw new RangeError('no start'); }, step: (s) => s, equal: (a, b) => a === b };
    expect(refusal(() => checkLinearizable([op(0, 1, 1)] as never, broken))).toBe('checkLinearizable: model.init threw: RangeError: no start');
  });

  it('a model that does not throw still decides', () => {
    const history = [op(0, { f: 'write', value: 5 }, {}), op(1, { f: 'read' }, { value: 5 })];
    expect(checkLinearizable(history as never, registerModel).valid).toBe(true);
    expect(checkLinearizable([op(0, { f: 'read' }, { value: 7 })] as never, registerModel).valid).toBe(false);
  });
});
