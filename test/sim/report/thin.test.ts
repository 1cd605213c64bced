import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fcParams } from '../../property-seed.ts';
import type { PairedOp } from '../../../sim/report/paired-ops.ts';
import { thinLatency, thinTimeline } from '../../../sim/report/thin.ts';

const arbOps = fc.array(
  fc.record({ start: fc.nat(1_000_000), latency: fc.nat(50_000), process: fc.nat(9), type: fc.constantFrom('ok', 'ok', 'ok', 'fail', 'info'), f: fc.constantFrom('put', 'get') }),
  { maxLength: 3000 },
).map((rows) => rows.map((r, id): PairedOp => ({ id, completionIndex: id, process: r.process, f: r.f, type: r.type, startUs: r.start, endUs: r.start + r.latency, request: null, response: null })));

describe('thinning what plots draw', () => {
  it('timeline: keeps every anomaly and every forced op, and stays within budget otherwise (fast-check)', () => {
    fc.assert(
      fc.property(arbOps, fc.integer({ min: 1, max: 500 }), (ops, budget) => {
        const forced = new Set(ops.filter((op) => op.id % 97 === 0).map((op) => op.id));
        const out = thinTimeline(ops, 1_050_000, 1100, budget, forced);
        const kept = new Set(out.ops.map((op) => op.id));
        for (const op of ops) if (op.type !== 'ok' || forced.has(op.id)) expect(kept.has(op.id)).toBe(true);
        const mustKeep = ops.filter((op) => op.type !== 'ok' || forced.has(op.id)).length;
        expect(out.ops.length).toBeLessThanOrEqual(Math.max(budget, mustKeep) + 1);
      }),
      fcParams(60),
    );
  });

  it('latency: keeps every anomaly, the fastest and slowest ok op per f, and at most the bound per bucket', () => {
    fc.assert(
      fc.property(arbOps, (ops) => {
        const out = thinLatency(ops, 1_050_000, 50, 4, new Set());
        const kept = new Set(out.ops.map((op) => op.id));
        for (const op of ops) if (op.type !== 'ok') expect(kept.has(op.id)).toBe(true);
        const oks = ops.filter((op) => op.type === 'ok');
        if (oks.length > 0) {
          const slowest = Math.max(...oks.map((op) => op.endUs - op.startUs));
          expect(out.ops.some((op) => op.type === 'ok' && op.endUs - op.startUs === slowest)).toBe(true);
        }
        expect(out.okDrawn).toBeLessThanOrEqual(50 * 2 * 4);
      }),
      fcParams(60),
    );
  });

  it('draws everything when there is room (nothing is dropped needlessly)', () => {
    const ops: PairedOp[] = [0, 1, 2].map((id) => ({ id, completionIndex: id, process: 0, f: 'put', type: 'ok', startUs: id * 300_000, endUs: id * 300_000 + 10, request: null, response: null }));
    expect(thinTimeline(ops, 1_000_000, 1100, 100, new Set()).ops).toHaveLength(3);
    expect(thinLatency(ops, 1_000_000, 10, 4, new Set()).ops).toHaveLength(3);
  });
});
