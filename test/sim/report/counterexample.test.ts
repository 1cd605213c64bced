import { describe, expect, it } from 'vitest';
import { counterexampleSection, findExplanations } from '../../../sim/report/counterexample.ts';
import { defaultReportLimits } from '../../../sim/report/limits.ts';
import { pairOps } from '../../../sim/report/paired-ops.ts';
import { fitLabel, opLabel } from '../../../sim/report/op-label.ts';
import * as fx from '../../fixtures/report/fixtures.ts';

describe('linearizability counterexample view', () => {
  it("reads the checker's explanation shape: prefix in order, the blocked op, concurrent ops with legality", () => {
    const input = fx.linearizabilityFailingRun();
    const [e] = findExplanations(input.results.checkers);
    const raw = input.results.checkers['linearizability']!['explanation'] as { prefix: { index: number }[]; blocked: { index: number } };
    expect(e!.prefix).toEqual(raw.prefix.map((p) => p.index));
    expect(e!.failed).toBe(raw.blocked.index);
    expect(e!.concurrent).not.toContain(raw.blocked.index);
    expect(e!.legal).toHaveLength(1);
  });

  it("reads the report's own shape and draws prefix, failed and concurrent ops with states per step", () => {
    const input = fx.passingRun();
    const own = fx.ownShapeExplanation(input);
    const found = findExplanations({ linearizability: { valid: false, explanations: [own] } });
    expect(found).toEqual([own]);
    const html = counterexampleSection(found, pairOps(input.history), defaultReportLimits);
    expect((html.match(/class="cx prefix"/g) ?? []).length).toBe(6);
    expect((html.match(/class="cx failed"/g) ?? []).length).toBe(1);
    expect((html.match(/class="cx concurrent"/g) ?? []).length).toBe(1);
    expect(html).toContain('range y returned v9, but the register holds v5');
    expect(html).toContain('{&quot;value&quot;:&quot;v5&quot;}');
  });

  it('ignores results that carry no explanation and draws nothing', () => {
    expect(findExplanations({ linearizability: { valid: true }, watch: { valid: false, explanation: 'text' } })).toEqual([]);
    expect(counterexampleSection([], pairOps([]), defaultReportLimits)).toBe('');
  });
});

describe('a counterexample bar too short for its label', () => {
  it('cuts it between words with an ellipsis ("22. cas [" and "21. w" read as labels of their own)', () => {
    expect(fitLabel('22. cas [x] 1→2', 9)).toBe('22. cas…');
    expect(fitLabel('21. write x 5', 5)).toBe('21.…');
    expect(fitLabel('write x 5', 4)).toBe('wri…');
    expect(fitLabel('get x', 5)).toBe('get x');
    expect(fitLabel('get x', 1)).toBe('');
  });

  it('every label drawn in a bar is whole or ends in an ellipsis', () => {
    const input = fx.passingRun();
    const html = counterexampleSection([fx.ownShapeExplanation(input)], pairOps(input.history), defaultReportLimits);
    const ops = pairOps(input.history).ops;
    const whole = new Set(ops.map((op) => opLabel(op.f, op.request, 40)));
    const drawn = [...html.matchAll(/<text class="cx-label"[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!.replace(/&quot;/g, '"').replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&#39;/g, "'"));
    expect(drawn.length).toBeGreaterThan(0);
    for (const t of drawn) expect(t.endsWith('…') || whole.has(t.replace(/^\d+\. /, '')), t).toBe(true);
  });
});
