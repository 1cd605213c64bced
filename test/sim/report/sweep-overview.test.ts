// The sweep page read as a user does: a campaign of ~276 passing runs was 276 rows (9,100 px)
// with an empty "what failed" column. It now opens on the failures (with the commands that
// reproduce them), then a row per scenario with its worst seed, then every run, folded when many.
import { describe, expect, it } from 'vitest';
import { summarizeRun, type RunSummary } from '../../../sim/report/run-summary.ts';
import { buildSweepSummary } from '../../../sim/report/sweep-summary.ts';
import { renderSweepHtml } from '../../../sim/report/sweep-page.ts';
import * as fx from '../../fixtures/report/fixtures.ts';

function run(scenario: string, seed: number, base: RunSummary): RunSummary {
  return { ...base, scenario, seed, report: `${scenario}/${seed}`, replay: `detcd run --scenario ${scenario} --seed ${seed}` };
}

const passing = summarizeRun(fx.passingRun().results);
const failing = { ...summarizeRun(fx.linearizabilityFailingRun().results), shrink: 'detcd shrink reports/x' };

function campaign(failures: number): RunSummary[] {
  const runs: RunSummary[] = [];
  for (let s = 0; s < 30; s++) for (let seed = 1; seed <= 4; seed++) runs.push(run(`scenario-${String(s).padStart(2, '0')}`, seed, passing));
  for (let i = 0; i < failures; i++) runs[5 + i * 4] = run(runs[5 + i * 4]!.scenario, runs[5 + i * 4]!.seed, failing);
  return runs;
}

describe('the sweep page of a campaign', () => {
  it('all valid: a row per scenario first, the 120 runs folded below it', () => {
    const html = renderSweepHtml(buildSweepSummary(campaign(0)));
    expect(html).not.toContain('id="failures"');
    const table = /<table class="data scenarios">.*?<\/table>/s.exec(html)?.[0] ?? '';
    expect((table.match(/<tr class="valid">/g) ?? []).length).toBe(30);
    expect(table).toContain('<td class="scenario">scenario-07</td><td class="nowrap">4</td><td class="nowrap">4</td><td class="nowrap">0</td><td class="nowrap">0</td>');
    expect(html.indexOf('id="by-scenario"')).toBeLessThan(html.indexOf('<table class="data runs">'));
    expect(html).toMatch(/<details id="runs"><summary>All 120 runs, failures first<\/summary>/);
  });

  it('a failure: listed at the top with its replay and shrink commands, its scenario row naming the failing seed', () => {
    const html = renderSweepHtml(buildSweepSummary(campaign(1)));
    const failures = html.indexOf('id="failures"');
    expect(failures).toBeGreaterThan(0);
    expect(failures).toBeLessThan(html.indexOf('id="by-scenario"'));
    expect(html).toContain('<h2 id="failures" class="bad">1 run failed</h2>');
    const top = html.slice(failures, html.indexOf('id="by-scenario"'));
    expect(top).toContain('href="scenario-01/2/index.html"');
    expect(top).toContain('<code>detcd run --scenario scenario-01 --seed 2</code>');
    expect(top).toContain('<code>detcd shrink reports/x</code>');
    const row = /<tr class="invalid"><td class="scenario">scenario-01<\/td>.*?<\/tr>/.exec(html)?.[0] ?? '';
    expect(row).toContain('<td class="nowrap bad">1</td>');
    expect(row).toMatch(/seed <a href="scenario-01\/2\/index.html">2<\/a> <span class="verdict-word">invalid<\/span><\/span><\/td>/);
  });

  it('many failures: the first 12 at the top, the rest named by count', () => {
    const html = renderSweepHtml(buildSweepSummary(campaign(20)));
    const top = html.slice(html.indexOf('id="failures"'), html.indexOf('id="by-scenario"'));
    expect((top.match(/<tr class="invalid">/g) ?? []).length).toBe(12);
    expect(top).toContain('…and 8 more');
  });

  it('a short sweep keeps its table of runs open', () => {
    expect(renderSweepHtml(buildSweepSummary(campaign(0).slice(0, 8)))).toContain('<details id="runs" open>');
  });
});

describe('the sweep page says what the sweep set out to run', () => {
  it('its plan under the title: scenarios, seeds, bug, shard, build', () => {
    const plan = { scenarios: ['a', 'b', 'c'], seeds: [1, 4] as [number, number], shard: { index: 2, count: 3 }, bug: 'read-without-readindex', detcd: 'detcd 0.1.0+abc' };
    expect(renderSweepHtml(buildSweepSummary(campaign(0), undefined, plan))).toContain('<h1>detcd sweep report</h1><p class="muted" id="plan">3 scenarios, seeds 1..4 · planted bug read-without-readindex · shard 2 of 3 · detcd 0.1.0+abc</p>');
    const one = { ...plan, scenarios: ['kill-leader'], seeds: [7, 7] as [number, number], shard: { index: 1, count: 1 } };
    expect(renderSweepHtml(buildSweepSummary(campaign(0), undefined, one))).toContain('id="plan">scenario kill-leader, seed 7 · planted bug');
    expect(renderSweepHtml(buildSweepSummary(campaign(0)))).not.toContain('id="plan"');
  });
});
