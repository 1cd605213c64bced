// A short failing run's timeline: 1.5 s of the cluster starting drew its few ops squeezed at
// the right edge (kill-leader seed 1 --bug read-without-readindex: 3 ops in the last 18 ms). The
// view now starts at the first request (on a grid of a tenth of the rest, at most 100 ms), the boot cut at the left edge.
import { describe, expect, it } from 'vitest';
import { renderRunHtml } from '../../../sim/report/run-page.ts';
import { timelineSvg } from '../../../sim/report/timeline.ts';
import * as fx from '../../fixtures/report/fixtures.ts';

const BOOT_US = 1_500_000;

function shortRun(faults: { kind: string; description: string; startUs: number; endUs: number }[] = []) {
  const input = fx.passingRun();
  // Three ops of the first processes, moved to start 10 ms after a 1.5 s boot.
  const pids = [...new Set(input.history.map((op) => op.process))].slice(0, 3);
  const ops = pids.flatMap((p) => input.history.filter((op) => op.process === p).slice(0, 2));
  const t0 = Math.min(...ops.map((op) => op.time));
  const history = ops.sort((a, b) => a.time - b.time).map((op, i) => ({ ...op, index: i, time: op.time - t0 + BOOT_US + 10_000 }));
  const endUs = Math.max(...history.map((op) => op.time)) + 1_000;
  const results = { ...input.results, faults, leaders: [{ node: null, term: 0, startUs: 0 }, { node: 'n2', term: 1, startUs: BOOT_US + 10_000 }], stats: { ...input.results.stats, simulatedMs: endUs / 1000 } };
  return { ...input, results, history } as typeof input;
}

function timeline(html: string): string {
  return /<svg class="timeline".*?<\/svg>/s.exec(html)?.[0] ?? '';
}

describe('the run page timeline of a short run', () => {
  it('starts at the first request: its ops take the width, the boot is cut at the left edge and said', async () => {
    const html = await renderRunHtml(shortRun());
    const svg = timeline(html);
    const ticks = [...svg.matchAll(/<text class="tick"[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
    expect(ticks[0]).toBe('1.51 s');
    const bars = [...svg.matchAll(/<rect class="op [^"]*" x="([^"]*)" y="[^"]*" width="([^"]*)"/g)].map((m) => [Number(m[1]), Number(m[1]) + Number(m[2])] as const);
    expect(bars.length).toBeGreaterThan(0);
    // The ops span most of the 1,056 px plot (under 20 px at its right edge from 0; half of it on the charts' 100 ms grid).
    expect(Math.max(...bars.map(([, right]) => right)) - Math.min(...bars.map(([left]) => left))).toBeGreaterThan(800);
    expect(svg).toMatch(/<rect class="leader" x="96" /);
    expect(html).toContain('id="timeline-from">Drawn from 1.51 s');
  });

  it('a fault before the first request keeps the view from its 100 ms', async () => {
    const html = await renderRunHtml(shortRun([{ kind: 'kill', description: 'kill n1', startUs: 700_000, endUs: 900_000 }]));
    const ticks = [...timeline(html).matchAll(/<text class="tick"[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
    expect(ticks[0]).toBe('700 ms');
    expect(timeline(html)).toMatch(/<rect class="fault" x="96" /);
  });
});

describe('the timeline axis', () => {
  it("ends a tick label at the right edge inside the picture (centred, '1.518 s' showed '1.518')", async () => {
    const svg = timeline(await renderRunHtml(shortRun()));
    const last = [...svg.matchAll(/<text class="tick" x="([^"]*)"[^>]*text-anchor="([^"]*)"/g)].at(-1)!;
    expect(Number(last[1])).toBeGreaterThan(1120);
    expect(last[2]).toBe('end');
  });
});

describe('a violation mark after the run end (the end is whole ms, the stop is not)', () => {
  it('widens the view to it: it was drawn past the picture, its label cut', () => {
    const op = { id: 0, completionIndex: 1, process: 1, f: 'kv/range', type: 'ok' as const, request: {}, response: {}, startUs: 1_510_000, endUs: 1_517_000 };
    const svg = timelineSvg({ ops: [op] as never, startUs: 1_510_000, endUs: 1_518_000, tooltipCharsMax: 200, highlighted: new Set(), marks: [{ atUs: 1_518_400, label: '✗ raft: answer-covers-commit on n1', tip: '' }] });
    const line = /<g class="violation-mark"[^>]*><line x1="([^"]*)"/.exec(svg)!;
    expect(Number(line[1])).toBeLessThanOrEqual(1160);
  });
});

describe("the statistics' leaderless windows", () => {
  it('say the one from 0 is the cluster starting, not an outage', async () => {
    const html = await renderRunHtml(shortRun());
    expect(html).toContain('<td>0 µs (the cluster starting: its first election)</td><td>1.51 s</td><td>1.51 s</td>');
  });
});
