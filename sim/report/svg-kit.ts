// Small shared pieces of the report's own SVG drawings (timeline, counterexample): colours,
// time ticks and number formatting.

/** Jepsen's timeline colours: ok blue, info orange, fail pink-red. */
export const outcomeColor = { ok: '#6DB6FE', info: '#FFAA26', fail: '#F2617A' } as const;

/** Leader colours keep clear of the outcome colours (blue-ish ok aside, no orange or pink). */
const palette = ['#3f6e9a', '#4f9a4a', '#7b5ea7', '#2f8f8a', '#6b7a8f', '#8a6d3b', '#5d8c3e', '#9467bd'];

/** A stable colour per name: the same name gets the same colour within one page. */
export class ColorByName {
  private readonly assigned = new Map<string, string>();
  constructor(private readonly colors: readonly string[] = palette) {}
  get(name: string): string {
    let color = this.assigned.get(name);
    if (color === undefined) {
      color = this.colors[this.assigned.size % this.colors.length]!;
      this.assigned.set(name, color);
    }
    return color;
  }
}

/** Tick positions (µs) at a 1-2-5 step giving about `countTarget` ticks over [0, endUs]. */
/** The smallest 1, 2 or 5 times a power of ten that is at least `raw` (> 0): an axis step. */
export function niceStepUs(raw: number): number {
  const power = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
}

export function timeTicksUs(endUs: number, countTarget: number): number[] {
  if (endUs <= 0) return [0];
  const step = niceStepUs(endUs / Math.max(countTarget, 1));
  const ticks = [];
  for (let t = 0; t <= endUs + step / 1e6; t += step) ticks.push(t);
  return ticks;
}

/** "12.5 s", "340 ms", "75 µs". */
export function formatUs(us: number): string {
  const abs = Math.abs(us);
  if (abs >= 1e6) return `${trim(us / 1e6)} s`;
  if (abs >= 1e3) return `${trim(us / 1e3)} ms`;
  return `${trim(us)} µs`;
}

function trim(n: number): string {
  return Number(n.toPrecision(4)).toString();
}

export function px(n: number): string {
  return (Math.round(n * 10) / 10).toString();
}

const faultPalette = ['#e15759', '#9c755f', '#d37295', '#b6992d', '#499894', '#8c564b', '#7f7f7f'];

/** Fault kinds in order of first appearance, each with its colour: the same in every picture. */
export function faultColors(kinds: Iterable<string>): Map<string, string> {
  const colors = new ColorByName(faultPalette);
  const out = new Map<string, string>();
  for (const kind of kinds) out.set(kind, colors.get(kind));
  return out;
}
