// Thinning: which operations a plot draws. Every fail and info op and every op a checker points
// at is always kept; ok ops are sampled so the picture (density, envelope) survives.
import type { PairedOp } from './paired-ops.ts';

export interface Thinned {
  ops: PairedOp[];
  okTotal: number;
  okDrawn: number;
}

function isKept(op: PairedOp, forced: ReadonlySet<number>): boolean {
  return op.type !== 'ok' || forced.has(op.id);
}

/**
 * For the timeline: per process, one ok op per two-pixel column (ops wider than three pixels
 * are always kept, they are visible), then a stride if still over the budget.
 */
export function thinTimeline(ops: readonly PairedOp[], endUs: number, widthPx: number, opsMax: number, forced: ReadonlySet<number>): Thinned {
  const usPerPx = Math.max(endUs, 1) / widthPx;
  const seen = new Set<string>();
  const candidates: PairedOp[] = [];
  let okTotal = 0;
  let keptAnomalies = 0;
  for (const op of ops) {
    if (op.type === 'ok') okTotal += 1;
    if (isKept(op, forced)) {
      keptAnomalies += 1;
      continue;
    }
    const column = `${String(op.process)}|${Math.floor(op.startUs / usPerPx / 2)}`;
    if ((op.endUs - op.startUs) / usPerPx >= 3 || !seen.has(column)) candidates.push(op);
    seen.add(column);
  }
  const room = Math.max(0, opsMax - keptAnomalies);
  const stride = candidates.length <= room ? 1 : Math.ceil(candidates.length / Math.max(room, 1));
  const chosen = new Set<PairedOp>(room === 0 ? [] : candidates.filter((_, i) => i % stride === 0));
  const out = ops.filter((op) => isKept(op, forced) || chosen.has(op));
  return { ops: out, okTotal, okDrawn: out.filter((op) => op.type === 'ok').length };
}

/**
 * For the latency plot: per f and time bucket, the fastest and slowest ok op and evenly spaced
 * others, so the envelope and the density stay while the point count is bounded.
 */
export function thinLatency(ops: readonly PairedOp[], endUs: number, buckets: number, perBucket: number, forced: ReadonlySet<number>): Thinned {
  const groups = new Map<string, PairedOp[]>();
  let okTotal = 0;
  for (const op of ops) {
    if (op.type !== 'ok') continue;
    okTotal += 1;
    if (forced.has(op.id)) continue;
    const bucket = Math.min(buckets - 1, Math.floor((op.startUs / Math.max(endUs, 1)) * buckets));
    const key = `${op.f}|${bucket}`;
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [op]);
    else group.push(op);
  }
  const chosen = new Set<PairedOp>();
  for (const group of groups.values()) {
    if (group.length <= perBucket) {
      for (const op of group) chosen.add(op);
      continue;
    }
    let fastest = group[0]!;
    let slowest = group[0]!;
    for (const op of group) {
      if (op.endUs - op.startUs < fastest.endUs - fastest.startUs) fastest = op;
      if (op.endUs - op.startUs > slowest.endUs - slowest.startUs) slowest = op;
    }
    chosen.add(fastest);
    chosen.add(slowest);
    const others = perBucket - 2;
    for (let i = 0; i < others; i++) chosen.add(group[Math.floor(((i + 0.5) * group.length) / others)]!);
  }
  const out = ops.filter((op) => isKept(op, forced) || chosen.has(op));
  return { ops: out, okTotal, okDrawn: out.filter((op) => op.type === 'ok').length };
}
