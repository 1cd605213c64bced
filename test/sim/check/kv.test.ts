// The kv model: partitioned by key; hand-written histories that must fail and pass; and the
// search (with its pruning of gets that can no longer be satisfied) agrees with a
// brute-force checker on random single-key histories of appends, puts and gets.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkHistory } from '../../../sim/check/check-history.ts';
import { checkLinearizable } from '../../../sim/check/linearizability/check.ts';
import { createKvModel, type KvInput, type KvOperation, type KvOutput } from '../../../sim/check/models/kv.ts';
import type { Op } from '../../../sim/history/op.ts';
import { fcParams } from '../../property-seed.ts';
import { bruteForceLinearizable } from './linearizability/brute-force.ts';

function kvHistory(rows: [process: number, type: Op['type'], f: string, key: string, value: string | null][]) {
  const ops: Op[] = rows.map(([process, type, f, key, value], index) => ({ index, time: index, process, type, f, key, value }));
  return { ops, lines: ops.map((_, i) => i + 1) };
}

describe('kv histories', () => {
  it('passes appends read back in order, on two keys', () => {
    const h = kvHistory([[0, 'invoke', 'append', 'a', 'x'], [0, 'ok', 'append', 'a', 'x'], [1, 'invoke', 'append', 'b', 'y'], [1, 'ok', 'append', 'b', 'y'], [0, 'invoke', 'get', 'a', null], [0, 'ok', 'get', 'a', 'x']]);
    const r = checkHistory(h, 'kv');
    expect(r.valid).toBe(true);
    expect(r.partitions.map((p) => p.key).sort()).toEqual(['a', 'b']);
  });

  it('fails a lost append', () => {
    const h = kvHistory([[0, 'invoke', 'append', 'a', 'x'], [0, 'ok', 'append', 'a', 'x'], [1, 'invoke', 'get', 'a', null], [1, 'ok', 'get', 'a', '']]);
    expect(checkHistory(h, 'kv').valid).toBe(false);
  });

  it('fails a stale read after a put replaced the value', () => {
    const h = kvHistory([[0, 'invoke', 'put', 'a', 'x'], [0, 'ok', 'put', 'a', 'x'], [0, 'invoke', 'put', 'a', 'y'], [0, 'ok', 'put', 'a', 'y'], [1, 'invoke', 'get', 'a', null], [1, 'ok', 'get', 'a', 'x']]);
    expect(checkHistory(h, 'kv').valid).toBe(false);
  });
});

type K = KvOperation;

const arb = fc
  .array(fc.record({ f: fc.constantFrom('append', 'append', 'put', 'get'), v: fc.constantFrom('a', 'b', 'ab', ''), info: fc.boolean(), call: fc.integer({ min: 0, max: 12 }), len: fc.integer({ min: 1, max: 8 }) }), { minLength: 1, maxLength: 7 })
  .map((specs) =>
    specs.map((s, id): K => {
      const info = s.info && s.f !== 'get';
      const input: KvInput = s.f === 'get' ? { f: 'get', key: 'k' } : { f: s.f, key: 'k', value: s.v };
      const output: KvOutput | undefined = info ? undefined : s.f === 'get' ? { value: s.v } : {};
      return { id, process: id, input, output, call: s.call * 2, return: info ? Infinity : (s.call + s.len) * 2 + 1, index: id };
    }),
  );

describe('the kv search agrees with brute force', () => {
  it('on random single-key histories (append, put, get, info)', () => {
    fc.assert(
      fc.property(arb, (ops) => {
        expect(checkLinearizable(ops, createKvModel()).valid).toBe(bruteForceLinearizable(ops, createKvModel()));
      }),
      fcParams(1000),
    );
  });
});
