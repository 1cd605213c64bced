// When the step, memory or time budget runs out the verdict is "unknown", never "valid";
// and a hard partition does not hide an easy violation in another.
import { describe, expect, it } from 'vitest';
import { checkHistory } from '../../../sim/check/check-history.ts';
import { checkLinearizable } from '../../../sim/check/linearizability/check.ts';
import { createKvModel, type KvOperation } from '../../../sim/check/models/kv.ts';
import type { ParsedHistory } from '../../../sim/history/parsed-history.ts';
import { history, type Line } from './history-builder.ts';

// A heavy linearizable register history: twelve concurrent acknowledged writes of 1..12, then
// a read of 1, so the search tries many orders of the writes before it puts write(1) last
// (56,421 model steps at 1eb1ed6; several quanta). The Jepsen anchor etcd_002 used to be the
// heavy one here (167,361 steps), but since free ops are only placed where they matter it
// is decided within the first quantum (1,272 steps).
function heavy(): ParsedHistory {
  const lines: Line[] = [];
  for (let p = 0; p < 12; p++) lines.push([p, 'invoke', 'write', p + 1]);
  for (let p = 0; p < 12; p++) lines.push([p, 'ok', 'write', p + 1]);
  lines.push([99, 'invoke', 'read', null], [99, 'ok', 'read', 1]);
  return history(lines);
}

describe('budgets', () => {
  it('a step budget too small gives unknown, not valid', () => {
    const r = checkHistory(heavy(), 'register', { maxSteps: 1000 });
    expect(r.valid).toBe('unknown');
    expect(r.unknownReason).toMatch(/step budget/);
    // A quantum may end after one pass over the callable reads: a bounded overshoot.
    expect(r.steps).toBeLessThan(1100);
  });

  it('a deadline already passed gives unknown', () => {
    const r = checkHistory(heavy(), 'register', { deadline: () => true });
    expect(r.valid).toBe('unknown');
    expect(r.unknownReason).toMatch(/time budget/);
  });

  it('a memory bound (cached nodes) too small gives unknown', () => {
    const r = checkHistory(heavy(), 'register', { maxCacheEntries: 100 });
    expect(r.valid).toBe('unknown');
    expect(r.unknownReason).toMatch(/memory budget/);
  });

  it('a memory probe that reports the heap full gives unknown with its reason, consulted between quanta', () => {
    let asked = 0;
    const r = checkHistory(heavy(), 'register', { memory: () => (++asked >= 3 ? 'memory budget: heap 900 MB above 800 MB' : undefined) });
    expect(r.valid).toBe('unknown');
    expect(r.unknownReason).toBe('memory budget: heap 900 MB above 800 MB');
    expect(asked).toBe(3);
    // A probe that never fires changes nothing.
    expect(checkHistory(heavy(), 'register', { memory: () => undefined }).valid).toBe(true);
  });

  it('the same history with enough budget is valid', () => {
    expect(checkHistory(heavy(), 'register').valid).toBe(true);
  });

  it('an easy violation in one key is found although another key cannot be decided', () => {
    // Key "hard": many concurrent appends, never read back until the end (a large search);
    // key "easy": a read of a value never written.
    const ops: KvOperation[] = [];
    const n = 18;
    for (let i = 0; i < n; i++) ops.push({ id: ops.length, process: i, input: { f: 'append', key: 'hard', value: `x${i} ` }, output: {}, call: 0, return: 100, index: ops.length });
    ops.push({ id: ops.length, process: 99, input: { f: 'get', key: 'hard' }, output: { value: 'nope' }, call: 101, return: 102, index: ops.length });
    ops.push({ id: ops.length, process: 100, input: { f: 'get', key: 'easy' }, output: { value: 'never written' }, call: 0, return: 1, index: ops.length });
    const r = checkLinearizable(ops, createKvModel(), { maxSteps: 200_000 });
    expect(r.valid).toBe(false);
    expect(r.explanation?.partition).toBe('easy');
  });
});
