// The check page's statistics: counts by f and outcome, and a history as long as the ones
// detcd check takes (hundreds of thousands of ops) without running out of stack.
import { describe, expect, it } from 'vitest';
import { historyStatsSection, statsByKind } from '../../../sim/report/history-stats.ts';
import type { Outcome, PairedOp } from '../../../sim/report/paired-ops.ts';

function op(id: number, f: string, type: Outcome, startUs: number, endUs: number): PairedOp {
  return { id, completionIndex: id + 1, process: id % 7, f, type, startUs, endUs, request: null, response: null };
}

describe('history statistics', () => {
  it('counts each f by outcome with ok latencies sorted', () => {
    const ops = [op(0, 'write', 'ok', 0, 30), op(2, 'read', 'ok', 5, 15), op(4, 'write', 'info', 6, 99), op(6, 'write', 'ok', 7, 17)];
    expect(statsByKind(ops, false)).toEqual([
      { f: 'read', outcomes: { ok: 1, fail: 0, info: 0 }, okLatenciesUs: [10] },
      { f: 'write', outcomes: { ok: 2, fail: 0, info: 1 }, okLatenciesUs: [10, 30] },
    ]);
  });

  it('a history of 300,000 ok ops over two fs gets its section (the total row did not fit on the stack)', () => {
    const ops: PairedOp[] = [];
    for (let i = 0; i < 300_000; i++) ops.push(op(2 * i, i % 2 === 0 ? 'read' : 'write', 'ok', i, i + 1 + (i % 5)));
    const html = historyStatsSection(ops, false, 300_010, 50);
    expect(html).toContain('<td>all</td><td>300000</td><td>300000</td>');
  });
});
