// A checker with nothing to check (CheckResult.nothing) in the report: junit.xml skips its case
// (it was an <error>, CI's red), the page's card says "nothing to check", and the verdict's
// banner and a sweep's row tell the checkers that decided, not it.
import { describe, expect, it } from 'vitest';
import { renderJunit, suitesFromRuns } from '../../../sim/report/junit.ts';
import { summarizeRun } from '../../../sim/report/run-summary.ts';
import { decisiveCheckers, whatFailedParts } from '../../../sim/report/decisive-checkers.ts';
import { renderRunHtml } from '../../../sim/report/run-page.ts';
import * as fx from '../../fixtures/report/fixtures.ts';

const nothing = { valid: 'unknown' as const, nothing: true as const, summary: 'nothing to check: no lease was granted' };

function runWithNothing(): ReturnType<typeof fx.passingRun> {
  const run = fx.passingRun();
  run.results.checkers['lease'] = { ...nothing };
  return run;
}

describe('a checker with nothing to check in the report', () => {
  it('junit.xml: a <skipped> case, counted as skipped, no error', () => {
    const xml = renderJunit(suitesFromRuns([summarizeRun(runWithNothing().results)]));
    expect(xml).toMatch(/<testcase [^>]*name="seed 101 · lease"[^>]*>\s*<skipped message="lease: nothing to check: no lease was granted"\/>/);
    expect(xml).toMatch(/<testsuite [^>]*errors="0" skipped="1"/);
    expect(xml).toMatch(/<testsuites [^>]*errors="0" skipped="1"/);
    expect(xml).not.toContain('<error');
  });

  it('the page: the card says nothing to check; the banner says every checker passed', async () => {
    const html = await renderRunHtml(runWithNothing());
    expect(html).toContain('<div class="checker unknown nothing"><div class="name">lease<span class="badge unknown nothing">nothing to check</span>');
    expect(html).toContain('every checker passed');
  });

  it('a run unknown for another checker is told by that one, not by the nothing', () => {
    const checkers = { lease: nothing, linearizable: { valid: 'unknown' as const, summary: 'unknown: budget' } };
    expect(decisiveCheckers('unknown', checkers).map(([n]) => n)).toEqual(['linearizable']);
    const run = summarizeRun(runWithNothing().results);
    run.valid = 'unknown';
    run.checkers['linearizable'] = { valid: 'unknown', summary: 'unknown: budget' };
    expect(whatFailedParts(run)).toEqual(['linearizable: unknown: budget']);
  });

  it('a run where every checker had nothing is told by them', () => {
    expect(decisiveCheckers('unknown', { lease: nothing, watch: { ...nothing, summary: 'nothing to check: 1 watch delivered no event' } }).map(([n]) => n)).toEqual(['lease', 'watch']);
  });
});
