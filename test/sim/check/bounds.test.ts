// Bounds reach the verdict: the watch and lease checkers stop at their step budget and say
// "unknown" (a violation found before still says false); a history truncated at its bound is
// "unknown" for every history checker that would otherwise say valid. Large inputs are
// checked in linear work (the budget is spent per event, not per event squared).
import { describe, expect, it } from 'vitest';
import { checkLease } from '../../../sim/check/lease.ts';
import { checkWatch } from '../../../sim/check/watch.ts';
import type { Op, WatchRecord } from '../../../sim/history/op.ts';
import { truncatedVerdicts } from '../../../sim/run/history-checkers.ts';
import { b64, hdr, kv } from './history-builder.ts';

const all = { key: b64('\0'), range_end: b64('\0'), prev_kv: true };

/** One watcher seeing `n` revisions, one put of key "a" each. */
function longStream(n: number): WatchRecord[] {
  const records: WatchRecord[] = [{ process: 0, time: 0, request: all, response: { ...hdr(1), created: true } }];
  for (let r = 2; r <= n + 1; r++) {
    const prev = r === 2 ? {} : { prev_kv: kv('a', String(r - 1), 2, r - 1, r - 2) };
    records.push({ process: 0, time: r, response: { ...hdr(r), watch_id: '0', events: [{ kv: kv('a', String(r), 2, r, r - 1), ...prev }] } });
  }
  return records;
}

function leaseOps(reads: number): Op[] {
  const ops: Op[] = [
    { index: 0, time: 0, process: 0, type: 'invoke', f: 'lease/grant', value: { ID: '7', TTL: '3600' } },
    { index: 1, time: 1, process: 0, type: 'ok', f: 'lease/grant', value: { ...hdr(1), ID: '7', TTL: '3600' } },
  ];
  for (let i = 0; i < reads; i++) {
    ops.push({ index: ops.length, time: ops.length, process: 1, type: 'invoke', f: 'kv/range', value: { key: b64('k') } });
    ops.push({ index: ops.length, time: ops.length, process: 1, type: 'ok', f: 'kv/range', value: { ...hdr(2), kvs: [kv('k', 'v', 2, 2, 1, 7)], count: '1' } });
  }
  return ops;
}

describe('watch checker budget', () => {
  it('checks 5,000 revisions in linear work, and says unknown when the budget is smaller', () => {
    const records = longStream(5_000);
    const full = checkWatch(records);
    expect(full.valid).toBe(true);
    expect(full['steps']).toBeLessThan(20 * 5_000);
    const cut = checkWatch(records, [], { stepsMax: 1_000 });
    expect(cut.valid).toBe('unknown');
    expect(cut.summary).toMatch(/^unknown: step budget of 1000/);
  });

  it('keeps a violation found before the budget ran out', () => {
    const records = longStream(2_000);
    records.splice(3, 0, records[2]!);
    expect(checkWatch(records, [], { stepsMax: 1_000 }).valid).toBe(false);
  });
});

describe('lease checker budget', () => {
  it('checks 10,000 reads in linear work, and says unknown when the budget is smaller', () => {
    const ops = leaseOps(10_000);
    const full = checkLease(ops);
    expect(full.valid).toBe(true);
    // Linear: twice the reads cost at most twice the steps (plus the grant's), and each read a few
    // passes' worth (every rule walks the history once: 2 ops a read, 3 such passes today).
    const double = checkLease(leaseOps(20_000));
    expect(double.valid).toBe(true);
    expect(double['steps'] as number).toBeLessThanOrEqual(2 * (full['steps'] as number) + 100);
    expect(full['steps']).toBeLessThan(8 * 10_000);
    expect(checkLease(ops, { stepsMax: 500 }).valid).toBe('unknown');
  });

  it('does not overflow the stack on a lease kept alive 200,000 times', () => {
    const ops = leaseOps(0);
    for (let i = 0; i < 200_000; i++) {
      ops.push({ index: ops.length, time: 10 + i, process: 2, type: 'invoke', f: 'lease/keepalive', value: { ID: '7' } });
      ops.push({ index: ops.length, time: 10 + i, process: 2, type: 'ok', f: 'lease/keepalive', value: { ID: '7', TTL: '3600' } });
    }
    expect(checkLease(ops).valid).toBe(true);
  });
});

describe('a history truncated at its bound', () => {
  it('turns valid history verdicts into unknown and keeps violations', () => {
    const out = truncatedVerdicts({ linearizable: { valid: true, summary: '10 ops linearizable' }, watch: { valid: false, summary: 'broken' }, lease: { valid: 'unknown' } }, 10);
    expect(out['linearizable']!.valid).toBe('unknown');
    expect(out['linearizable']!.summary).toMatch(/truncated at its bound \(10 ops recorded\)/);
    expect(out['watch']!.valid).toBe(false);
    expect(out['lease']!.valid).toBe('unknown');
  });
});
