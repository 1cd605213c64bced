// A run stopped by a broken Raft invariant, as the report shows it: decoded and wrapped (no
// escaped JSON, a bounded banner), with the time, the members and the entries involved, a red
// mark on the timeline, and the violating leader on the leader lane.
import { describe, expect, it } from 'vitest';
import { withStopLeader } from '../../../sim/run/results-build.ts';
import type { RunStop } from '../../../sim/run/run-stop.ts';
import { invariantSection } from '../../../sim/report/invariant-section.ts';
import { renderRunHtml } from '../../../sim/report/run-page.ts';
import * as fx from '../../fixtures/report/fixtures.ts';

const stop: RunStop = {
  kind: 'invariant',
  layer: 'raft',
  invariant: 'leader-completeness',
  member: 'n3',
  timeUs: 1_412_000,
  message: 'invariant leader-completeness violated on member n3 at term 4, index 66: new leader lacks committed (term 1, {"put":{"key":"key1"}})',
  detail: `new leader lacks committed (term 1, {"put":{"key":"key1","value":"v118-p9-${'x'.repeat(16)}…(1200 chars)"}}): has (term 2, (empty))`,
  facts: { term: 4, index: 66 },
  members: ['n3', 'n5'],
  entries: [
    { member: 'n3', index: 66, term: 2, text: '(empty)', role: 'log' },
    { member: 'n5', index: 66, term: 1, text: '{"put":{"key":"key1","value":"v118-p9-xxxx…(1200 chars)"}}', role: 'committed' },
  ],
  checker: 'raft',
};

let rendered: Promise<string> | undefined;

/** The page, rendered once for every test here. */
function page(): Promise<string> {
  rendered ??= render();
  return rendered;
}

async function render(): Promise<string> {
  const run = fx.passingRun();
  const results = { ...run.results, valid: false as const, stop, error: stop.message, checkers: { ...run.results.checkers, raft: { valid: false as const, summary: stop.message, stop } } };
  return renderRunHtml({ ...run, results });
}

describe('a Raft invariant failure in the report', () => {
  it('has a section with the invariant, its promise, the time, the members and the decoded entries', async () => {
    const html = await page();
    const section = html.slice(html.indexOf('<section id="invariant">'), html.indexOf('</section>', html.indexOf('<section id="invariant">')));
    expect(section).toContain('✗ raft invariant leader-completeness broken on n3 at 1.412 s');
    expect(section).toContain('present in the logs of the leaders for all higher-numbered terms');
    expect(section).toContain('term 4 · index 66');
    expect(section).toMatch(/members involved: <span class="pill fail">n3<\/span> <span class="pill">n5<\/span>/);
    expect(section).toContain('<td class="nowrap">n5</td><td class="nowrap">committed</td><td class="nowrap">66</td><td class="nowrap">1</td>');
  });

  it('says the time once, in words, not again as the raw atMs field the cluster observer records', () => {
    const section = invariantSection({ ...stop, timeUs: 1_518_000, facts: { atMs: 1518 } });
    expect(section).toContain('at 1.518 s (simulated) · marked in red');
    expect(section).not.toContain('atMs');
  });

  it('keeps the banner short and wrapping, without escaped JSON', async () => {
    const html = await page();
    const banner = html.slice(html.indexOf('<div class="verdict'), html.indexOf('</div></div>', html.indexOf('<div class="verdict')));
    expect(banner).toContain('overflow-wrap:anywhere');
    expect(banner).toContain('raft invariant leader-completeness broken on n3 at 1.412 s');
    expect(banner).not.toContain('\\&quot;');
    expect(banner.length).toBeLessThan(1200);
  });

  it("names the violation alone in the banner: the liveness phase it kept from running is the table's to say", async () => {
    const run = fx.passingRun();
    const notReached = { valid: 'unknown' as const, summary: 'not reached: the safety phase stopped on a violation' };
    const results = { ...run.results, valid: false as const, stop, error: stop.message, checkers: { ...run.results.checkers, raft: { valid: false as const, summary: stop.message, stop }, liveness: notReached } };
    const html = await renderRunHtml({ ...run, results });
    const banner = html.slice(html.indexOf('<div class="verdict'), html.indexOf('</div></div>', html.indexOf('<div class="verdict')));
    expect(banner).toContain('raft invariant leader-completeness broken on n3');
    expect(banner).not.toContain('not reached');
    expect(html).toContain('not reached: the safety phase stopped on a violation');
  });

  it('marks the break on the timeline with the invariant and the member', async () => {
    const html = await page();
    expect(html).toMatch(/class="violation-mark"[^>]*>.*✗ raft: leader-completeness on n3/);
  });

  it('puts the violating leader on the leader lane when the sampled lane missed it', () => {
    const lane = [{ node: 'n5', term: 3, startUs: 1_390_000 }, { node: null, term: 0, startUs: 1_400_000 }];
    expect(withStopLeader(lane, stop).at(-1)).toEqual({ node: 'n3', term: 4, startUs: 1_412_000 });
    expect(withStopLeader([...lane, { node: 'n3', term: 4, startUs: 1_410_000 }], stop)).toHaveLength(3);
    expect(withStopLeader(lane, { ...stop, invariant: 'commit-monotonic' })).toBe(lane);
  });
});
