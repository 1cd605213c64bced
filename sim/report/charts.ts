// Latency and throughput over time, drawn as Jepsen draws them (latency-raw: a point per op by
// f and outcome on a log scale; rate: ops/s by f and outcome), with the fault intervals as
// shaded bands. Vega-Lite compiles the spec and Vega renders SVG in Node (renderer "none",
// no browser, no canvas), so the SVG is inlined and the page stays self-contained.
import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { FaultInterval } from '../run/results.ts';
import type { PairedOp } from './paired-ops.ts';
import { faultColors, outcomeColor } from './svg-kit.ts';

/**
 * The whole drawing's width, legend included (autosize fit-x): a page's chart box at 1280 px is
 * 1174 px inside, and a 940 px plot with its axis titles and legend came out 1183 wide (a
 * scrollbar under every chart). The plot takes what the legend leaves.
 */
const widthPx = 1150;
const heightPx = 260;
/** Latencies are drawn on a log scale, which cannot show zero. */
const latencyMsMin = 0.001;

/**
 * The time a chart spans: from the traffic's first request (on a 100 ms grid) to the run's end.
 * From 0, the seconds before the first request (elections, the cluster starting) took the width:
 * a run stopped 8 ms into its traffic drew its 3 ops as one smudge at the right edge.
 */
export interface ChartWindow {
  startUs: number;
  endUs: number;
}

const WINDOW_GRID_US = 100_000;
/** The narrowest time bucket of the rate and quantile charts: narrower, one op reads as thousands of ops/s. */
const BUCKET_US_MIN = 10_000;

export function chartWindow(ops: readonly PairedOp[], endUs: number): ChartWindow {
  let firstUs = endUs;
  for (const op of ops) firstUs = Math.min(firstUs, op.startUs);
  return { startUs: Math.max(0, Math.floor(firstUs / WINDOW_GRID_US) * WINDOW_GRID_US), endUs };
}

/** Equal buckets over the window, at most `bucketsMax` of them and none narrower than BUCKET_US_MIN. */
function bucketsOf(w: ChartWindow, bucketsMax: number): { bucketUs: number; count: number } {
  const spanUs = Math.max(w.endUs - w.startUs, 1);
  const bucketUs = Math.max(spanUs / bucketsMax, Math.min(BUCKET_US_MIN, spanUs));
  return { bucketUs, count: Math.max(1, Math.ceil(spanUs / bucketUs - 1e-9)) };
}

function xAxis(w: ChartWindow): Record<string, unknown> {
  return { field: 't', type: 'quantitative', title: 'time (s)', scale: { domain: [w.startUs / 1e6, w.endUs / 1e6], nice: false } };
}

interface Band {
  start: number;
  end: number;
  fault: string;
}

/** The fault intervals within the window, cut at its start (a band left of the axis would be drawn over it). */
function bands(faults: readonly FaultInterval[], w: ChartWindow): Band[] {
  return faults.filter((f) => (f.endUs ?? w.endUs) > w.startUs).map((f) => ({ start: Math.max(f.startUs, w.startUs) / 1e6, end: (f.endUs ?? w.endUs) / 1e6, fault: f.kind }));
}

function bandLayers(faults: readonly FaultInterval[], w: ChartWindow): Record<string, unknown>[] {
  const shown = bands(faults, w);
  if (shown.length === 0) return [];
  const colors = faultColors(shown.map((f) => f.fault));
  return [{
    data: { values: shown },
    mark: { type: 'rect', opacity: 0.18 },
    encoding: {
      // The window's domain here too: a layer without one unions its own (from zero) into the shared axis.
      x: { ...xAxis(w), field: 'start', title: 'time (s)' },
      x2: { field: 'end' },
      color: { field: 'fault', type: 'nominal', title: 'fault', scale: { domain: [...colors.keys()], range: [...colors.values()] } },
    },
  }];
}

/** Jepsen's perf graphs colour by outcome (ok blue, info orange, fail pink) like the timeline. */
const outcomeEncoding = {
  field: 'outcome',
  type: 'nominal',
  title: 'outcome',
  scale: { domain: ['ok', 'info', 'fail'], range: [outcomeColor.ok, outcomeColor.info, outcomeColor.fail] },
};

const common = {
  width: widthPx,
  autosize: { type: 'fit-x', contains: 'padding' },
  height: heightPx,
  background: 'white',
  // aria labels would repeat every datum in text; the data is in history.jsonl already.
  config: { aria: false, font: 'Helvetica, Arial, sans-serif', axis: { labelFontSize: 11, titleFontSize: 12 }, legend: { labelFontSize: 11, titleFontSize: 12, labelLimit: 220 } },
  resolve: { scale: { color: 'independent' } },
};

/** Rounds Vega's full-precision coordinates to 0.1 px: a third of the bytes, the same picture. */
function compactSvg(svg: string): string {
  return svg.replace(/ (transform|d|x|y|x1|x2|y1|y2|width|height)="([^"]*)"/g, (_all, name: string, value: string) =>
    ` ${name}="${value.replace(/-?\d+\.\d{2,}/g, (n) => String(Math.round(Number(n) * 10) / 10))}"`);
}

async function render(spec: TopLevelSpec): Promise<string> {
  const view = new View(parse(compile(spec).spec), { renderer: 'none' });
  try {
    return compactSvg(await view.toSVG());
  } finally {
    view.finalize();
  }
}

export async function latencySvg(ops: readonly PairedOp[], faults: readonly FaultInterval[], w: ChartWindow): Promise<string> {
  const values = ops.map((op) => ({
    t: op.startUs / 1e6,
    ms: Math.max(latencyMsMin, (op.endUs - op.startUs) / 1000),
    f: op.f,
    outcome: op.type,
  }));
  const spec = {
    ...common,
    layer: [
      ...bandLayers(faults, w),
      {
        data: { values },
        mark: { type: 'point', size: 14, filled: true, opacity: 0.75 },
        encoding: {
          x: xAxis(w),
          y: { field: 'ms', type: 'quantitative', title: 'latency (ms)', scale: { type: 'log' } },
          color: outcomeEncoding,
          shape: { field: 'f', type: 'nominal', title: 'f' },
        },
      },
    ],
  } as unknown as TopLevelSpec;
  return render(spec);
}

export interface RatePoint {
  t: number;
  rate: number;
  f: string;
  outcome: string;
  series: string;
}

/** Completions per second per (f, outcome) in equal time buckets, over every op (no thinning). */
export function rateSeries(ops: readonly PairedOp[], w: ChartWindow, bucketsMax: number): RatePoint[] {
  const { bucketUs, count: buckets } = bucketsOf(w, bucketsMax);
  const counts = new Map<string, number[]>();
  for (const op of ops) {
    const series = `${op.f}\u0000${op.type}`;
    let row = counts.get(series);
    if (row === undefined) {
      row = new Array<number>(buckets).fill(0);
      counts.set(series, row);
    }
    const b = Math.min(buckets - 1, Math.max(0, Math.floor((op.endUs - w.startUs) / bucketUs)));
    row[b] = (row[b] ?? 0) + 1;
  }
  const points: RatePoint[] = [];
  for (const [series, row] of [...counts.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const [f = '', outcome = ''] = series.split('\u0000');
    row.forEach((n, b) => points.push({ t: (w.startUs + (b + 0.5) * bucketUs) / 1e6, rate: n / (bucketUs / 1e6), f, outcome, series }));
  }
  return points;
}

export async function throughputSvg(ops: readonly PairedOp[], faults: readonly FaultInterval[], w: ChartWindow, buckets: number): Promise<string> {
  const spec = {
    ...common,
    layer: [
      ...bandLayers(faults, w),
      {
        data: { values: rateSeries(ops, w, buckets) },
        mark: { type: 'line', strokeWidth: 1.5, interpolate: 'step-after' },
        encoding: {
          x: xAxis(w),
          y: { field: 'rate', type: 'quantitative', title: 'throughput (ops/s)' },
          color: outcomeEncoding,
          strokeDash: { field: 'f', type: 'nominal', title: 'f' },
          detail: { field: 'series', type: 'nominal' },
        },
      },
    ],
  } as unknown as TopLevelSpec;
  return render(spec);
}

export interface QuantilePoint {
  t: number;
  ms: number;
  f: string;
  quantile: string;
}

/** The latency quantiles drawn and tabled (a checked history's statistics use the same). */
export const LATENCY_QUANTILES: readonly [string, number][] = [['p50', 0.5], ['p95', 0.95], ['p99', 0.99], ['max', 1]];
const quantiles = LATENCY_QUANTILES;

/** The q quantile of ascending latencies (nearest rank, the max at q = 1). */
export function quantileOf(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

/** Latency quantiles of ok ops per f and time bucket, over every op (no thinning). */
export function latencyQuantileSeries(ops: readonly PairedOp[], w: ChartWindow, bucketsMax: number): QuantilePoint[] {
  const { bucketUs, count: buckets } = bucketsOf(w, bucketsMax);
  const groups = new Map<string, number[][]>();
  for (const op of ops) {
    if (op.type !== 'ok') continue;
    let rows = groups.get(op.f);
    if (rows === undefined) {
      rows = Array.from({ length: buckets }, () => []);
      groups.set(op.f, rows);
    }
    rows[Math.min(buckets - 1, Math.max(0, Math.floor((op.startUs - w.startUs) / bucketUs)))]!.push(op.endUs - op.startUs);
  }
  const points: QuantilePoint[] = [];
  for (const [f, rows] of [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    rows.forEach((latencies, b) => {
      if (latencies.length === 0) return;
      latencies.sort((x, y) => x - y);
      for (const [quantile, q] of quantiles) {
        const us = quantileOf(latencies, q);
        points.push({ t: (w.startUs + (b + 0.5) * bucketUs) / 1e6, ms: Math.max(latencyMsMin, us / 1000), f, quantile });
      }
    });
  }
  return points;
}

/** Buckets an f's quantile line needs before it reads without its points: one bucket is a line of one point, which draws nothing. */
const LINE_BUCKETS_MIN = 10;

export async function latencyQuantilesSvg(ops: readonly PairedOp[], faults: readonly FaultInterval[], w: ChartWindow, buckets: number): Promise<string> {
  const values = latencyQuantileSeries(ops, w, buckets);
  const bucketsOfF = new Map<string, Set<number>>();
  for (const v of values) bucketsOfF.set(v.f, (bucketsOfF.get(v.f) ?? new Set()).add(v.t));
  const fewBuckets = [...bucketsOfF.values()].some((b) => b.size < LINE_BUCKETS_MIN);
  const spec = {
    ...common,
    height: 200,
    layer: [
      ...bandLayers(faults, w),
      {
        data: { values },
        mark: { type: 'line', strokeWidth: 1.4, point: fewBuckets ? { filled: true, size: 24 } : false },
        encoding: {
          x: xAxis(w),
          y: { field: 'ms', type: 'quantitative', title: 'ok latency (ms)', scale: { type: 'log' } },
          color: { field: 'quantile', type: 'nominal', title: 'quantile', scale: { domain: quantiles.map(([name]) => name), range: ['#4e79a7', '#f28e2b', '#e15759', '#7a0019'] } },
          strokeDash: { field: 'f', type: 'nominal', title: 'f' },
          detail: { field: 'f', type: 'nominal' },
        },
      },
    ],
  } as unknown as TopLevelSpec;
  return render(spec);
}
