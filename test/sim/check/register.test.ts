// The register model and the search: hand-written histories that must fail (stale read,
// lost write, a value never written) and ones that must pass, the semantics of info and
// of Jepsen's `:fail :cas`, and agreement with a brute-force checker on random histories.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkHistory } from '../../../sim/check/check-history.ts';
import { checkLinearizable } from '../../../sim/check/linearizability/check.ts';
import type { Operation } from '../../../sim/check/linearizability/model.ts';
import { registerModel, type RegisterInput, type RegisterOutput } from '../../../sim/check/models/register.ts';
import { bruteForceLinearizable } from './linearizability/brute-force.ts';
import { history, type Line } from './history-builder.ts';
import { fcParams } from '../../property-seed.ts';

describe('register histories', () => {
  it('passes a sequential write then read', () => {
    const h = history([[0, 'invoke', 'write', 1], [0, 'ok', 'write', 1], [1, 'invoke', 'read', null], [1, 'ok', 'read', 1]]);
    expect(checkHistory(h, 'register').valid).toBe(true);
  });

  it('fails a stale read: a read that starts after a write completed returns the old value', () => {
    const h = history([[0, 'invoke', 'write', 1], [0, 'ok', 'write', 1], [0, 'invoke', 'write', 2], [0, 'ok', 'write', 2], [1, 'invoke', 'read', null], [1, 'ok', 'read', 1]]);
    const r = checkHistory(h, 'register');
    expect(r.valid).toBe(false);
    expect(r.explanation?.blocked?.op).toBe('read() → 1');
    expect(r.explanation?.state).toBe('2');
  });

  it('fails a lost write: an acknowledged write is not seen by a later read', () => {
    const h = history([[0, 'invoke', 'write', 1], [0, 'ok', 'write', 1], [1, 'invoke', 'read', null], [1, 'ok', 'read', null]]);
    expect(checkHistory(h, 'register').valid).toBe(false);
  });

  it('fails a read of a value never written', () => {
    const h = history([[0, 'invoke', 'write', 1], [0, 'ok', 'write', 1], [1, 'invoke', 'read', null], [1, 'ok', 'read', 7]]);
    expect(checkHistory(h, 'register').valid).toBe(false);
  });

  it('passes concurrent ops in either order', () => {
    const h = history([[0, 'invoke', 'write', 1], [1, 'invoke', 'read', null], [1, 'ok', 'read', 1], [0, 'ok', 'write', 1]]);
    expect(checkHistory(h, 'register').valid).toBe(true);
  });

  it('lets an info write take effect long after it timed out', () => {
    const h = history([[0, 'invoke', 'write', 1], [0, 'info', 'write', null, 'timed-out'], [1, 'invoke', 'read', null], [1, 'ok', 'read', null], [1, 'invoke', 'read', null], [1, 'ok', 'read', 1]]);
    expect(checkHistory(h, 'register').valid).toBe(true);
  });

  it('lets an info write never take effect', () => {
    const h = history([[0, 'invoke', 'write', 1], [0, 'info', 'write', null, 'timed-out'], [1, 'invoke', 'read', null], [1, 'ok', 'read', null]]);
    expect(checkHistory(h, 'register').valid).toBe(true);
  });

  it('never lets an info write take effect before its call', () => {
    const h = history([[1, 'invoke', 'read', null], [1, 'ok', 'read', 1], [0, 'invoke', 'write', 1], [0, 'info', 'write', null, 'timed-out']]);
    expect(checkHistory(h, 'register').valid).toBe(false);
  });

  it('drops a failed write: it certainly did not happen', () => {
    const h = history([[0, 'invoke', 'write', 1], [0, 'fail', 'write', 1], [1, 'invoke', 'read', null], [1, 'ok', 'read', 1]]);
    expect(checkHistory(h, 'register').valid).toBe(false);
  });

  it("treats Jepsen's :fail :cas as a completed CAS that did not swap", () => {
    const swapped = history([[0, 'invoke', 'write', 1], [0, 'ok', 'write', 1], [1, 'invoke', 'cas', [1, 2]], [1, 'fail', 'cas', [1, 2]]]);
    expect(checkHistory(swapped, 'register').valid).toBe(false);
    const notSwapped = history([[0, 'invoke', 'write', 1], [0, 'ok', 'write', 1], [1, 'invoke', 'cas', [3, 2]], [1, 'fail', 'cas', [3, 2]], [1, 'invoke', 'read', null], [1, 'ok', 'read', 1]]);
    expect(checkHistory(notSwapped, 'register').valid).toBe(true);
  });

  // jepsen.etcd's with-errors makes a definite error (a refused connection, no leader) a :fail
  // with an :error: that CAS never reached the register and observed nothing about it.
  it('drops a :fail :cas with an error: a request that failed, not a compare that did', () => {
    const h = history([[0, 'invoke', 'write', 1], [0, 'ok', 'write', 1], [1, 'invoke', 'cas', [1, 2]], [1, 'fail', 'cas', [1, 2], '["connect-timeout","UNAVAILABLE"]'], [1, 'invoke', 'read', null], [1, 'ok', 'read', 1]]);
    expect(checkHistory(h, 'register').valid).toBe(true);
  });
});

// jepsen.etcd.register records the key's etcd version beside its value: [k [version value]].
describe('versioned register histories (jepsen.etcd.register)', () => {
  const w = (p: number, v: number, version: number | null): Line[] => [[p, 'invoke', 'write', ['k', [null, v]]], [p, 'ok', 'write', ['k', [version, v]]]];
  const r = (p: number, version: number | null, v: number | null): Line[] => [[p, 'invoke', 'read', ['k', [null, null]]], [p, 'ok', 'read', ['k', [version, v]]]];
  const cas = (p: number, from: number, to: number, version: number | null): Line[] => [[p, 'invoke', 'cas', ['k', [null, [from, to]]]], [p, 'ok', 'cas', ['k', [version, [from, to]]]]];

  it('passes writes, reads and a CAS whose versions count the writes', () => {
    expect(checkHistory(history([...r(1, null, null), ...w(0, 3, 1), ...r(1, 1, 3), ...cas(0, 3, 4, 2), ...r(1, 2, 4), ...w(0, 4, null), ...r(1, 3, 4)]), 'register').valid).toBe(true);
  });

  it('fails a read of the right value at a version it never had (the same value written twice)', () => {
    expect(checkHistory(history([...w(0, 3, 1), ...w(0, 3, 2), ...r(1, 1, 3)]), 'register').valid).toBe(false);
  });

  it('fails a write or CAS answering a version that skips one, and a read of no key after a write', () => {
    expect(checkHistory(history([...w(0, 3, 1), ...cas(0, 3, 4, 3)]), 'register').valid).toBe(false);
    expect(checkHistory(history([...w(0, 3, 2)]), 'register').valid).toBe(false);
    expect(checkHistory(history([...w(0, 3, 1), ...r(1, null, null)]), 'register').valid).toBe(false);
  });

  it('refuses a version that is not a whole number, naming the line', () => {
    expect(() => checkHistory(history([[0, 'invoke', 'write', ['k', [null, 3]]], [0, 'ok', 'write', ['k', ['one', 3]]]]), 'register')).toThrow(/line 2|register version must be nil or a whole number/);
  });
});

type RegOp = Operation<RegisterInput, RegisterOutput>;

const arbHistory = fc
  .array(
    fc.record({
      f: fc.constantFrom('read', 'write', 'cas'),
      a: fc.integer({ min: 0, max: 2 }),
      b: fc.integer({ min: 0, max: 2 }),
      outcome: fc.constantFrom('ok', 'ok', 'ok', 'fail', 'info'),
      call: fc.integer({ min: 0, max: 20 }),
      len: fc.integer({ min: 1, max: 10 }),
    }),
    { minLength: 1, maxLength: 7 },
  )
  .map((specs) =>
    specs.map((s, id): RegOp => {
      const info = s.outcome === 'info' && s.f !== 'read';
      const input: RegisterInput = s.f === 'read' ? { f: 'read' } : s.f === 'write' ? { f: 'write', value: s.a } : { f: 'cas', from: s.a, to: s.b };
      const output: RegisterOutput | undefined = info ? undefined : s.f === 'read' ? { value: s.a === 0 ? null : s.a } : s.f === 'cas' ? { swapped: s.outcome === 'ok' } : {};
      return { id, process: id, input, output, call: s.call * 2, return: info ? Infinity : (s.call + s.len) * 2 + 1, index: id };
    }),
  );

describe('the search agrees with brute force', () => {
  it('on random small register histories (reads, writes, CAS, info)', () => {
    fc.assert(
      fc.property(arbHistory, (ops) => {
        expect(checkLinearizable(ops, registerModel).valid).toBe(bruteForceLinearizable(ops, registerModel));
      }),
      fcParams(400),
    );
  });
});
