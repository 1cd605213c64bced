// Where an expected answer and a returned one differ, field by field, for explanations: paths
// like `header.revision` or `kvs[0].value` with both sides as compact JSON ("absent" when a side
// lacks the field). Bounded in depth and in the differences reported. A returned field the
// history's recorder did not keep (UNRECORDED, etcd robustness-test histories) is no difference.
import { UNRECORDED } from '../../history/etcd-robustness.ts';

export interface OutputDifference {
  /** Dotted path into the answer; '' for the answer as a whole. */
  path: string;
  expected: string;
  returned: string;
}

const DIFFERENCES_MAX = 8;
const DEPTH_MAX = 12;
const TEXT_CHARS_MAX = 120;

function show(v: unknown): string {
  if (v === undefined) return 'absent';
  const text = typeof v === 'string' ? v : (JSON.stringify(v) ?? typeof v);
  return text.length > TEXT_CHARS_MAX ? `${text.slice(0, TEXT_CHARS_MAX - 1)}…` : text;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function walk(a: unknown, b: unknown, path: string, depth: number, out: OutputDifference[]): void {
  if (out.length >= DIFFERENCES_MAX) return;
  if (b === UNRECORDED || JSON.stringify(a) === JSON.stringify(b)) return;
  const join = (k: string | number): string => (typeof k === 'number' ? `${path}[${k}]` : path === '' ? k : `${path}.${k}`);
  if (depth < DEPTH_MAX && isRecord(a) && isRecord(b)) {
    for (const k of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) walk(a[k], b[k], join(k), depth + 1, out);
    return;
  }
  if (depth < DEPTH_MAX && Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    a.forEach((x, i) => walk(x, b[i], join(i), depth + 1, out));
    return;
  }
  out.push({ path, expected: show(a), returned: show(b) });
}

export function outputDiff(expected: unknown, returned: unknown): OutputDifference[] {
  const out: OutputDifference[] = [];
  walk(expected, returned, '', 0, out);
  return out;
}
