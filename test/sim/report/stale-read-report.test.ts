// The stale read's explanation in every place a reader meets it: the HTML counterexample names
// the read, what it had to follow and expected vs returned (decoded), marks its time on the run's
// timeline, and junit.xml carries the same lines.
import { describe, expect, it } from 'vitest';
import { checkHistory } from '../../../sim/check/check-history.ts';
import { parseJsonl } from '../../../sim/history/jsonl.ts';
import { renderJunit, suitesFromRuns } from '../../../sim/report/junit.ts';
import { renderRunHtml } from '../../../sim/report/run-page.ts';
import { summarizeRun } from '../../../sim/report/run-summary.ts';
import { staleReadJsonl } from '../../fixtures/stale-read.ts';
import * as fx from '../../fixtures/report/fixtures.ts';

function staleReadRun(): Parameters<typeof renderRunHtml>[0] {
  const history = parseJsonl(staleReadJsonl()).ops;
  const base = fx.passingRun();
  const linearizable = checkHistory({ ops: history, lines: [] }, 'etcd');
  return { ...base, history, watches: [], results: { ...base.results, valid: false, checkers: { linearizable }, faults: [] } };
}

describe('a stale read in the report', () => {
  it('shows the stale read as the op that cannot be placed, with the write it follows and expected vs returned', async () => {
    const html = await renderRunHtml(staleReadRun());
    const cx = html.slice(html.indexOf('<section id="counterexample">'));
    expect(cx).toContain('The history is not linearizable: 1 operation cannot be placed');
    expect(cx).toMatch(/✗ range x → rev 1<\/b> cannot be placed/);
    expect(cx).toMatch(/It was invoked after <b>put x=1<\/b>/);
    expect(cx).toMatch(/<td class="mono">header\.revision<\/td><td class="mono">2<\/td><td class="mono bad">1<\/td>/);
    expect((cx.match(/class="cx failed"/g) ?? []).length).toBe(1);
    expect((cx.match(/class="cx before"/g) ?? []).length).toBe(1);
    expect(html).not.toContain('partition <span class="mono"></span>');
  });

  it("marks the violation's time on the run's timeline", async () => {
    const html = await renderRunHtml(staleReadRun());
    const timeline = html.slice(html.indexOf('<svg class="timeline"'), html.indexOf('</svg>', html.indexOf('<svg class="timeline"')));
    expect(timeline).toContain('class="violation-mark"');
    expect(timeline).toContain('✗ range x');
  });

  it('puts the culprit lines in junit.xml', () => {
    const xml = renderJunit(suitesFromRuns([summarizeRun(staleReadRun().results)]));
    expect(xml).toContain('✗ #4 p2 range(&quot;x&quot;)');
    expect(xml).toMatch(/header\.revision\s+2 → 1/);
  });
});

describe('watch and lease violations on the timeline', () => {
  it('are marked at their time with their kind', async () => {
    const html = await renderRunHtml(fx.watchFailingRun());
    const timeline = html.slice(html.indexOf('<svg class="timeline"'), html.indexOf('</svg>', html.indexOf('<svg class="timeline"')));
    expect(timeline).toContain('✗ watch: event skipped');
    expect(timeline).toContain('✗ lease: key outlived lease');
  });
});
