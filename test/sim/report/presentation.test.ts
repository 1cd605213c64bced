// What the reports tell a reader: JUnit carries the runs' real times, the fault bands have a
// key naming their targets, liveness probes are labelled, statistics are in words.
import { describe, expect, it } from 'vitest';
import { renderJunit, suitesFromRuns } from '../../../sim/report/junit.ts';
import { pairOps } from '../../../sim/report/paired-ops.ts';
import { renderRunHtml } from '../../../sim/report/run-page.ts';
import { summarizeRun } from '../../../sim/report/run-summary.ts';
import { counterRows } from '../../../sim/report/stats.ts';
import { timelineSvg } from '../../../sim/report/timeline.ts';
import type { Op } from '../../../sim/history/op.ts';
import { progressBarSize, timeLeft } from '../../../sim/cli/harness/sweep-engine.ts';
import { chartWindow, latencyQuantilesSvg, latencySvg, rateSeries, throughputSvg } from '../../../sim/report/charts.ts';
import type { PairedOp } from '../../../sim/report/paired-ops.ts';
import * as fx from '../../fixtures/report/fixtures.ts';
import { historySections } from '../../../sim/report/history-sections.ts';
import { resolveLimits } from '../../../sim/report/limits.ts';

describe('report presentation', () => {
  it('JUnit suites and cases add up to the runs’ real wall time', () => {
    const a = fx.passingRun().results;
    const b = fx.linearizabilityFailingRun().results;
    const xml = renderJunit(suitesFromRuns([summarizeRun({ ...a, stats: { ...a.stats, wallMs: 1234 } }), summarizeRun({ ...b, stats: { ...b.stats, wallMs: 2500 } })]));
    expect(xml).toMatch(/<testsuites [^>]*time="3\.734"/);
    const caseTimes = [...xml.matchAll(/<testcase [^>]*time="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(caseTimes.reduce((x, y) => x + y, 0)).toBeCloseTo(3.734, 3);
    expect(caseTimes.some((t) => t > 0)).toBe(true);
  });

  it('fault bands come with a key that names each fault, its targets and its time', async () => {
    const input = fx.passingRun();
    input.results.faults = [{ kind: 'partition', startUs: 100_000, endUs: 900_000, targets: ['n1'], description: 'isolate the leader n1' }];
    const html = await renderRunHtml(input);
    expect(html).toContain('fault-legend');
    expect(html).toMatch(/isolate the leader n1 on n1: /);
  });

  it('labels the liveness probes on the timeline', () => {
    const key = Buffer.from('liveness/0').toString('base64');
    const history: Op[] = [
      { index: 0, time: 10, process: 0, type: 'invoke', f: 'kv/put', value: { key: Buffer.from('k').toString('base64'), value: 'djE=' } },
      { index: 1, time: 20, process: 0, type: 'ok', f: 'kv/put', value: {} },
      { index: 2, time: 30, process: 7, type: 'invoke', f: 'kv/put', value: { key, value: 'cA==' } },
      { index: 3, time: 40, process: 7, type: 'ok', f: 'kv/put', value: {} },
    ] as Op[];
    const ops = pairOps(history).ops;
    const svg = timelineSvg({ ops, endUs: 50, faults: [], leaders: [], tooltipCharsMax: 200, highlighted: new Set() });
    expect(svg).toContain('>probe p7<');
    expect(svg).toContain('>p0<');
    // A real run's probes are processes 2000000 and up: "probe p2000024" (14 characters of 11 px
    // text, about 6 px each) must fit left of the plot, not lose its first letters at the edge.
    const far = pairOps(history.map((o) => (o.process === 7 ? { ...o, process: 2_000_024 } : o))).ops;
    const label = /<text class="lane" x="(\d+)"[^>]*>probe p2000024</.exec(timelineSvg({ ops: far, endUs: 50, faults: [], leaders: [], tooltipCharsMax: 200, highlighted: new Set() }));
    expect(Number(label?.[1])).toBeGreaterThanOrEqual('probe p2000024'.length * 6);
  });

  it('names statistics in words', () => {
    const rows = counterRows(fx.passingRun().results).map(([name]) => name);
    expect(rows).toContain('operations succeeded / failed / outcome unknown');
    expect(rows).toContain('real time the run took');
    expect(rows.every((r) => !/[a-z][A-Z]/.test(r))).toBe(true);
  });

  it('the progress estimate is sane from the first finished run', () => {
    expect(timeLeft(0, 0, 100)).toBe('estimating…');
    expect(timeLeft(2000, 1, 100)).toBe('about 3 min 18 s left');
    expect(timeLeft(30_000, 50, 100)).toBe('about 30 s left');
    expect(timeLeft(30_000, 100, 100)).toBe('finishing');
  });

  it('the sweep progress line fits an 80-column terminal, time left included (the line is cut, not wrapped)', () => {
    for (const count of [4, 1000, 100_000]) {
      const bar = progressBarSize(80, count);
      const line = `sweep [${'█'.repeat(bar)}] ${count}/${count} runs · ${count} failed · ${timeLeft(1, 1, 10_000_000)}`;
      expect(line.length, line).toBeLessThanOrEqual(79);
    }
    expect(progressBarSize(200, 4)).toBe(40);
    expect(progressBarSize(20, 4)).toBe(10);
  });
});

describe('the latency and throughput charts span the traffic', () => {
  // kill-leader seed 1 with a stale read planted stops 8 ms into its traffic, which starts at 1.51 s:
  // charts from 0 drew its 3 ops as one smudge at the right edge.
  const op = (startUs: number, endUs: number, type: PairedOp['type']): PairedOp => ({ id: startUs, completionIndex: null, process: 1, f: 'kv/range', type, startUs, endUs, request: {}, response: {} });
  const ops = [op(1_510_000, 1_520_000, 'info'), op(1_515_000, 1_517_000, 'ok'), op(1_517_000, 1_518_000, 'info')];

  it('from the first request, on a 100 ms grid, to the end of the run', async () => {
    const w = chartWindow(ops, 1_518_000);
    expect(w).toEqual({ startUs: 1_500_000, endUs: 1_518_000 });
    // A fault band that began before the traffic is cut at the window, and keeps the axis there.
    const svg = await latencySvg(ops, [{ kind: 'kill', description: 'kill leader on n1', startUs: 200_000, endUs: 1_512_000 }], w);
    const ticks = [...svg.matchAll(/>(\d+\.\d+)<\/text>/g)].map((m) => Number(m[1]));
    expect(ticks.length).toBeGreaterThan(3);
    expect(Math.min(...ticks)).toBeGreaterThanOrEqual(1.5);
  });

  it('never counts rates over buckets narrower than 10 ms (one op in 150 µs read as 6,667 ops/s)', () => {
    const points = rateSeries(ops, chartWindow(ops, 1_518_000), 120);
    expect(Math.max(...points.map((p) => p.rate))).toBeLessThanOrEqual(200);
  });

  it('says what 3 ops were instead of drawing their rate (one op in a 10 ms bucket drew a 100 ops/s spike)', async () => {
    const history = { ops, byIndex: new Map(ops.map((o) => [o.id, o])), endUs: 1_520_000 };
    const sections = await historySections({ verdict: { valid: true, checkers: {} }, history, startUs: 1_500_000, endUs: 1_520_000, explanations: [], watches: [], limits: resolveLimits(undefined) });
    const throughput = sections.find((s) => s.startsWith('<section id="throughput">')) ?? '';
    expect(throughput).not.toContain('<svg');
    expect(throughput).toContain('Too few operations for a rate over time: 3 operations in 10 ms of traffic (kv/range: 1 ok, 2 info).');
  });

  it('draws a quantile point for an f with one ok op (a line of one point drew nothing)', async () => {
    const svg = await latencyQuantilesSvg(ops, [], chartWindow(ops, 1_518_000), 120);
    // The one ok kv/range: its p50, p95, p99 and max, each a point.
    const symbols = /<g class="mark-symbol role-mark[^"]*"[^>]*>(.*?)<\/g>/.exec(svg)?.[1] ?? '';
    expect(symbols.match(/<path /g)?.length ?? 0).toBe(4);
  });

  it('fits each chart, legend and all, in its box on a 1280 px page (1174 px inside: a 1183 px drawing scrolled)', async () => {
    // kill-leader seed 1's charts (kv/deleterange in the legend) were 1183 and 1157 px wide.
    const fs = ['kv/range', 'kv/deleterange', 'lease/timetolive', 'kv/put'];
    const many = fs.flatMap((f, i) => [{ ...op(1_510_000 + i * 1000, 1_512_000 + i * 1000, 'ok'), f }, { ...op(1_511_000 + i * 1000, 13_513_000 + i * 1000, 'ok'), f }]);
    const w = chartWindow(many, 1_518_000);
    const faults = [{ kind: 'partition', description: 'isolate the leader', startUs: 1_511_000, endUs: 1_514_000 }, { kind: 'kill', description: 'kill', startUs: 1_512_000, endUs: 1_513_000 }];
    for (const svg of [await latencySvg(many, faults, w), await latencyQuantilesSvg(many, faults, w, 120), await throughputSvg(many, faults, w, 120)]) {
      const width = Number(/^<svg[^>]* width="(\d+)"/.exec(svg)?.[1]);
      expect(width).toBeGreaterThan(900);
      expect(width).toBeLessThanOrEqual(1174);
    }
  });
});
