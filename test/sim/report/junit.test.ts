import { describe, expect, it } from 'vitest';
import { renderJunit, runCases, suitesFromRuns } from '../../../sim/report/junit.ts';
import { summarizeRun, type RunSummary } from '../../../sim/report/run-summary.ts';
import * as fx from '../../fixtures/report/fixtures.ts';

function count(xml: string, tag: string): number {
  return (xml.match(new RegExp(`<${tag}[ >/]`, 'g')) ?? []).length;
}

/** Well-formedness in the small: every opened element is closed in order, attributes quoted. */
function assertBalanced(xml: string): void {
  const stack: string[] = [];
  for (const m of xml.replace(/<\?xml[^>]*\?>/, '').matchAll(/<(\/?)([A-Za-z]+)((?:\s+[a-z]+="[^"<]*")*)\s*(\/?)>/g)) {
    const [, closing, name, , selfClosing] = m;
    if (selfClosing === '/') continue;
    if (closing === '/') expect(stack.pop()).toBe(name);
    else stack.push(name!);
  }
  expect(stack).toEqual([]);
  expect(xml.replace(/<[^>]*>/g, '')).not.toMatch(/[<>]/);
}

describe('junit.xml', () => {
  it('has a testcase per checker, a failure with the summary and the replay command for a violation', () => {
    const run = summarizeRun(fx.linearizabilityFailingRun().results, 'stale-read-bug/202');
    const xml = renderJunit(suitesFromRuns([run]));
    assertBalanced(xml);
    expect(count(xml, 'testsuite')).toBe(1);
    expect(count(xml, 'testcase')).toBe(4);
    expect(count(xml, 'failure')).toBe(1);
    expect(xml).toContain('<testsuites name="detcd" tests="4" failures="1" errors="0"');
    expect(xml).toMatch(/<failure message="linearizability: partition x: read returned v17[^"]*" type="violation">[^<]*replay: npx detcd replay reports\/stale-read-bug\/202/);
  });

  it('reports an unknown checker as an error, not a pass and not a proven violation', () => {
    const xml = renderJunit(suitesFromRuns([summarizeRun(fx.unknownRun().results)]));
    expect(count(xml, 'error')).toBe(1);
    expect(count(xml, 'failure')).toBe(0);
  });

  it('adds a run testcase for a run-level error (liveness) and for an invalid run whose checkers all passed', () => {
    const live = runCases(summarizeRun(fx.livenessFailingRun().results));
    expect(live.find((c) => c.name.endsWith('· run'))?.outcome).toBe('failure');
    const bare: RunSummary = { ...summarizeRun(fx.passingRun().results), valid: false };
    expect(runCases(bare).some((c) => c.outcome === 'failure')).toBe(true);
    expect(runCases(summarizeRun(fx.passingRun().results)).every((c) => c.outcome === 'passed')).toBe(true);
  });

  it('groups a sweep into one testsuite per scenario', () => {
    const runs = [fx.passingRun(), fx.unknownRun(), fx.passingRun()].map((r, i) => ({ ...summarizeRun(r.results), seed: i }));
    const xml = renderJunit(suitesFromRuns(runs));
    expect(count(xml, 'testsuite')).toBe(2);
    expect(xml).toContain('<testsuite name="partition-leader" tests="8" failures="0" errors="0"');
  });

  it('escapes hostile text and strips characters XML forbids', () => {
    const run = summarizeRun(fx.hostileRun().results);
    run.checkers['x\u0001'] = { valid: false, summary: 'bad \u0000 byte' };
    const xml = renderJunit(suitesFromRuns([run]));
    assertBalanced(xml);
    expect(xml).not.toContain('<script>');
    expect(xml).not.toContain('<img');
    expect(xml).toContain('&lt;script&gt;');
    // eslint-disable-next-line no-control-regex
    expect(xml).not.toMatch(/[\u0000-\u0008]/);
  });
});
