// A real sweep's page, summary.md and junit.xml say what its runs did not run as their
// scenarios asked: faults not run (per run and in all), traffic run past the duration, settings
// not applied and the swarm's left-out draws with how many runs each concerns. Before, only a
// run's own page said so, and a real sweep writes no page for a passing run. Entries are
// user-supplied text: escaped in HTML, Markdown and XML.
import { describe, expect, it } from 'vitest';
import { renderJunit, suitesFromRuns } from '../../../sim/report/junit.ts';
import { renderSweepMarkdown } from '../../../sim/report/markdown-summary.ts';
import { summarizeRun } from '../../../sim/report/run-summary.ts';
import { renderSweepHtml } from '../../../sim/report/sweep-page.ts';
import { buildSweepSummary, parseSweepSummary } from '../../../sim/report/sweep-summary.ts';
import * as fx from '../../fixtures/report/fixtures.ts';

function realRun(seed: number, faultsNotRun: number, text = '') {
  const r = fx.realEtcdRun(text).results;
  r.seed = seed;
  if (r.target?.kind === 'etcd') r.target.faultsNotRun = faultsNotRun;
  return summarizeRun(r);
}

describe('a real sweep reports what its runs did not run as asked', () => {
  const sweep = buildSweepSummary([realRun(1, 2), realRun(2, 0), realRun(3, 1), summarizeRun(fx.passingRun().results)]);

  it('the page: faults not run per run and in all, the traffic past its duration, each setting and draw with its runs', () => {
    const html = renderSweepHtml(sweep);
    expect(html).toContain('Real etcd: what did not run as asked');
    expect(html).toContain('2 of 3 real-etcd runs did not run every fault of their schedule: 3 faults in all');
    expect(html).toContain('3 of 3 real-etcd runs ran their traffic past the scenario&#39;s duration until every fault had started, up to 4200 ms past');
    expect(html).toContain('(2 not run)');
    expect(html).toContain('(1 not run)');
    expect(html).toContain('1 other run of the sweep recorded none of this (simulated, or written by a detcd from before it was kept): not counted here');
    expect(html).toMatch(/cluster\.etcd\.snapshotCatchUpEntries 10: etcd&#39;s 5000 ran \(a constant of etcd&#39;s build\)<\/td><td class="nowrap">3<\/td>/);
    expect(html).toMatch(/clock-jumps<\/td><td class="nowrap">3<\/td>/);
  });

  it('summary.md and junit.xml say the same', () => {
    const md = renderSweepMarkdown(sweep);
    expect(md).toContain('### Real etcd: what did not run as asked');
    expect(md).toContain('2 of 3 real-etcd runs did not run every fault of their schedule: 3 faults in all');
    expect(md).toMatch(/\| clock-jumps \| 3 \|/);
    const xml = renderJunit(suitesFromRuns(sweep.runs), 'detcd sweep');
    expect(xml.match(/<system-out>/g)).toHaveLength(3);
    expect(xml).toContain('real etcd: 2 faults of the schedule did not run');
    expect(xml).toContain('real etcd: every fault of the schedule ran');
    expect(xml).toContain('left out of the real swarm&#39;s draw: clock-jumps');
  });

  it('says nothing of the kind for a simulated sweep', () => {
    const sim = buildSweepSummary([summarizeRun(fx.passingRun().results)]);
    expect(renderSweepHtml(sim)).not.toContain('Real etcd');
    expect(renderSweepMarkdown(sim)).not.toContain('Real etcd');
    expect(renderJunit(suitesFromRuns(sim.runs))).not.toContain('system-out');
  });

  it('escapes the entries in HTML, Markdown and XML', () => {
    const hostile = buildSweepSummary([realRun(1, 1, fx.hostile)]);
    const html = renderSweepHtml(hostile);
    expect(html).not.toContain('<script>window');
    expect(html).not.toContain('<img');
    const md = renderSweepMarkdown(hostile);
    expect(md).not.toContain('<script>');
    expect(md).not.toContain('<img');
    const xml = renderJunit(suitesFromRuns(hostile.runs));
    expect(xml).not.toContain('<script>');
    expect(xml).toContain('&lt;script&gt;window.__pwned=1&lt;/script&gt;');
  });

  it('sweep.json keeps them, and a hand-edited one of the wrong shape is refused naming the field', () => {
    const json = JSON.parse(JSON.stringify(sweep)) as { runs: Record<string, unknown>[] };
    expect(parseSweepSummary(json, 'sweep.json').runs.filter((r) => r.targetDifferences !== undefined)).toHaveLength(3);
    const bad = (edit: (d: Record<string, unknown>) => void): string => {
      const copy = JSON.parse(JSON.stringify(sweep)) as { runs: { targetDifferences?: Record<string, unknown> }[] };
      edit(copy.runs.find((r) => r.targetDifferences !== undefined)!.targetDifferences!);
      try {
        parseSweepSummary(copy, 'sweep.json');
        return 'accepted';
      } catch (err) {
        return (err as Error).message;
      }
    };
    expect(bad((d) => (d['faultsNotRun'] = -1))).toMatch(/^sweep\.json: runs\[\d+\]: targetDifferences\.faultsNotRun is not a whole number from 0 up$/);
    expect(bad((d) => (d['notApplied'] = 'x'))).toMatch(/targetDifferences\.notApplied is not a list of strings$/);
    expect(bad((d) => (d['leftOut'] = [1]))).toMatch(/targetDifferences\.leftOut is not a list of strings$/);
  });
});
