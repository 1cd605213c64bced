// Free ops (unknown outcome, never returned: Jepsen's :info) are only linearized where they
// matter: not when they leave the state as it was, and not just before an op that gives the
// same state from before them (the free op overwritten unseen) or that can go first (a finite
// op the free one commutes with). Checked against a brute-force checker on histories full of
// free ops, on histories that must pass and fail, and by the steps the pruning saves.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkLinearizable } from '../../../../sim/check/linearizability/check.ts';
import type { Operation } from '../../../../sim/check/linearizability/model.ts';
import { createKvModel, type KvInput, type KvOperation, type KvOutput } from '../../../../sim/check/models/kv.ts';
import { registerModel, type RegisterInput, type RegisterOutput } from '../../../../sim/check/models/register.ts';
import { fcParams } from '../../../property-seed.ts';
import { bruteForceLinearizable } from './brute-force.ts';

type RegOp = Operation<RegisterInput, RegisterOutput>;

function op(id: number, input: RegisterInput, output: RegisterOutput | undefined, call: number, ret: number): RegOp {
  return { id, process: id, input, output, call, return: ret, index: id };
}

const free = (id: number, input: RegisterInput, call: number): RegOp => op(id, input, undefined, call, Infinity);

// Half the ops free, few values (so free ops often overwrite, repeat or miss each other).
const arbFreeHeavy = fc
  .array(
    fc.record({
      f: fc.constantFrom('read', 'write', 'cas'),
      a: fc.integer({ min: 0, max: 2 }),
      b: fc.integer({ min: 0, max: 2 }),
      free: fc.boolean(),
      swapped: fc.boolean(),
      call: fc.integer({ min: 0, max: 12 }),
      len: fc.integer({ min: 1, max: 6 }),
    }),
    { minLength: 1, maxLength: 9 },
  )
  .map((specs) =>
    specs.map((s, id): RegOp => {
      const isFree = s.free && s.f !== 'read';
      const input: RegisterInput = s.f === 'read' ? { f: 'read' } : s.f === 'write' ? { f: 'write', value: s.a } : { f: 'cas', from: s.a, to: s.b };
      const output: RegisterOutput | undefined = isFree ? undefined : s.f === 'read' ? { value: s.a === 0 ? null : s.a } : s.f === 'cas' ? { swapped: s.swapped } : {};
      return op(id, input, output, s.call * 2, isFree ? Infinity : (s.call + s.len) * 2 + 1);
    }),
  );

const arbKvFreeHeavy = fc
  .array(fc.record({ f: fc.constantFrom('append', 'append', 'put', 'get'), v: fc.constantFrom('a', 'b', 'ab', 'aa', ''), free: fc.constantFrom(true, true, false), call: fc.integer({ min: 0, max: 10 }), len: fc.integer({ min: 1, max: 6 }) }), { minLength: 1, maxLength: 8 })
  .map((specs) =>
    specs.map((s, id): KvOperation => {
      const isFree = s.free && s.f !== 'get';
      const input: KvInput = s.f === 'get' ? { f: 'get', key: 'k' } : { f: s.f, key: 'k', value: s.v };
      const output: KvOutput | undefined = isFree ? undefined : s.f === 'get' ? { value: s.v } : {};
      return { id, process: id, input, output, call: s.call * 2, return: isFree ? Infinity : (s.call + s.len) * 2 + 1, index: id };
    }),
  );

/** n free writes of 1..n at once, then reads of n, n-1, ..., 1 one after another (the last one `lastRead`). */
function freeWritesReadBack(n: number, lastRead: number): RegOp[] {
  const ops: RegOp[] = [];
  for (let i = 0; i < n; i++) ops.push(free(ops.length, { f: 'write', value: i + 1 }, 0));
  for (let i = 0; i < n; i++) ops.push(op(ops.length, { f: 'read' }, { value: i === n - 1 ? lastRead : n - i }, 10 + 2 * i, 11 + 2 * i));
  return ops;
}

describe('free ops are placed only where they matter', () => {
  it('agrees with brute force on random histories where half the writes and CAS are free', () => {
    fc.assert(
      fc.property(arbFreeHeavy, (ops) => {
        expect(checkLinearizable(ops, registerModel).valid).toBe(bruteForceLinearizable(ops, registerModel));
      }),
      fcParams(600),
    );
  });

  it('agrees with brute force on random kv histories where most appends and puts are free', () => {
    fc.assert(
      fc.property(arbKvFreeHeavy, (ops) => {
        expect(checkLinearizable(ops, createKvModel()).valid).toBe(bruteForceLinearizable(ops, createKvModel()));
      }),
      fcParams(800),
    );
  });

  it('a free append goes before a known one when a read shows it first', () => {
    // append(a) free, append(b) acknowledged, then a read of "ab": the free one must go first.
    const kvOp = (id: number, input: KvInput, output: KvOutput | undefined, call: number, ret: number): KvOperation => ({ id, process: id, input, output, call, return: ret, index: id });
    const ops = [kvOp(0, { f: 'append', key: 'k', value: 'a' }, undefined, 0, Infinity), kvOp(1, { f: 'append', key: 'k', value: 'b' }, {}, 1, 2), kvOp(2, { f: 'get', key: 'k' }, { value: 'ab' }, 3, 4)];
    expect(checkLinearizable(ops, createKvModel()).valid).toBe(true);
    expect(checkLinearizable([...ops.slice(0, 2), kvOp(2, { f: 'get', key: 'k' }, { value: 'ba' }, 3, 4)], createKvModel()).valid).toBe(true);
    expect(checkLinearizable([...ops.slice(0, 2), kvOp(2, { f: 'get', key: 'k' }, { value: 'aa' }, 3, 4)], createKvModel()).valid).toBe(false);
  });

  it('two free appends that commute are still both placed', () => {
    // append(a) and append(aa), both free, give "aaa" in either order: neither may leave the
    // other to be tried first (each would, and the read could never be placed).
    const kvOp = (id: number, input: KvInput, output: KvOutput | undefined, call: number, ret: number): KvOperation => ({ id, process: id, input, output, call, return: ret, index: id });
    const ops = [kvOp(0, { f: 'append', key: 'k', value: 'a' }, undefined, 0, Infinity), kvOp(1, { f: 'append', key: 'k', value: 'aa' }, undefined, 0, Infinity), kvOp(2, { f: 'get', key: 'k' }, { value: 'aaa' }, 3, 4)];
    expect(checkLinearizable(ops, createKvModel()).valid).toBe(true);
    expect(checkLinearizable([...ops.slice(0, 2), kvOp(2, { f: 'get', key: 'k' }, { value: 'aaaa' }, 3, 4)], createKvModel()).valid).toBe(false);
  });

  it('a free write takes effect long after a later write, and a read of a value nobody wrote still fails', () => {
    const late = [free(0, { f: 'write', value: 1 }, 0), op(1, { f: 'write', value: 2 }, {}, 1, 2), op(2, { f: 'read' }, { value: 2 }, 3, 4), op(3, { f: 'read' }, { value: 1 }, 5, 6)];
    expect(checkLinearizable(late, registerModel).valid).toBe(true);
    const never = [...late.slice(0, 3), op(3, { f: 'read' }, { value: 3 }, 5, 6)];
    expect(checkLinearizable(never, registerModel).valid).toBe(false);
  });

  it('a free write a free CAS needs, and the CAS before its write is illegal', () => {
    const chain = [free(0, { f: 'write', value: 1 }, 0), free(1, { f: 'cas', from: 1, to: 2 }, 0), op(2, { f: 'write', value: 3 }, {}, 1, 2), op(3, { f: 'read' }, { value: 2 }, 5, 6)];
    expect(checkLinearizable(chain, registerModel).valid).toBe(true);
    // The CAS is called only after the read returned: nothing can make the register 2 in time.
    const tooLate = [chain[0]!, free(1, { f: 'cas', from: 1, to: 2 }, 7), chain[2]!, chain[3]!];
    expect(checkLinearizable(tooLate, registerModel).valid).toBe(false);
  });

  it('a free write between two reads of another value: the reads see it only in order', () => {
    // read 2, then read 1, then read 2 again: needs w2, w1, w2; only one free w2 and one free w1.
    const ops = [free(0, { f: 'write', value: 1 }, 0), free(1, { f: 'write', value: 2 }, 0), op(2, { f: 'read' }, { value: 2 }, 1, 2), op(3, { f: 'read' }, { value: 1 }, 3, 4), op(4, { f: 'read' }, { value: 2 }, 5, 6)];
    expect(checkLinearizable(ops, registerModel).valid).toBe(false);
    expect(checkLinearizable(ops.slice(0, 4), registerModel).valid).toBe(true);
  });

  it('ten free writes read back in reverse: a few hundred steps, not tens of thousands', () => {
    // Without the pruning the search tried every subset of the free writes before each read:
    // 36,616 steps for this history (main at 1eb1ed6), 690 with it.
    const ok = checkLinearizable(freeWritesReadBack(10, 1), registerModel);
    expect(ok.valid).toBe(true);
    expect(ok.steps).toBeLessThan(2_000);
    const bad = checkLinearizable(freeWritesReadBack(10, 99), registerModel);
    expect(bad.valid).toBe(false);
    expect(bad.steps).toBeLessThan(2_000);
  });
});
