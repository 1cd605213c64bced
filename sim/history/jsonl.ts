// detcd's own history: one JSON object per line in Jepsen's shape (see op.ts). Blank lines
// are allowed; anything else that is not an op object is an error naming the line and field.
import type { Op, OpType } from './op.ts';
import { HistoryParseError } from './parse-error.ts';
import type { ParsedHistory } from './parsed-history.ts';

const TYPES = new Set<string>(['invoke', 'ok', 'fail', 'info']);

function field(o: Record<string, unknown>, name: string, line: number, ok: (v: unknown) => boolean, what: string): unknown {
  const v = o[name];
  if (!ok(v)) throw new HistoryParseError(line, `field '${name}' must be ${what}, got ${JSON.stringify(v) ?? 'nothing'}`);
  return v;
}

export function parseOpObject(raw: unknown, line: number): Op {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new HistoryParseError(line, 'expected a JSON object');
  const o = raw as Record<string, unknown>;
  const isNum = (v: unknown): boolean => typeof v === 'number' && Number.isFinite(v);
  const op: Op = {
    index: field(o, 'index', line, isNum, 'a number') as number,
    time: field(o, 'time', line, isNum, 'a number') as number,
    process: field(o, 'process', line, (v) => isNum(v) || typeof v === 'string', 'a number or string') as number | string,
    type: field(o, 'type', line, (v) => typeof v === 'string' && TYPES.has(v), 'invoke, ok, fail or info') as OpType,
    f: field(o, 'f', line, (v) => typeof v === 'string' && v !== '', 'a non-empty string') as string,
    value: o['value'] ?? null,
  };
  if (o['error'] !== undefined) op.error = field(o, 'error', line, (v) => typeof v === 'string', 'a string') as string;
  if (o['node'] !== undefined) op.node = field(o, 'node', line, (v) => typeof v === 'string', 'a string') as string;
  if (o['key'] !== undefined) op.key = o['key'];
  return op;
}

export function parseJsonl(text: string): ParsedHistory {
  const ops: Op[] = [];
  const lines: number[] = [];
  const rows = text.split('\n');
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!.trim();
    if (row === '') continue;
    let raw: unknown;
    try {
      raw = JSON.parse(row);
    } catch (err) {
      throw new HistoryParseError(i + 1, `not JSON (${err instanceof Error ? err.message : String(err)})`);
    }
    ops.push(parseOpObject(raw, i + 1));
    lines.push(i + 1);
  }
  return { ops, lines };
}
