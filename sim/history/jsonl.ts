// detcd's own history: one JSON object per line in Jepsen's shape (see op.ts), or the same
// objects as one JSON array (how many tools write a history). Blank lines are allowed;
// anything else that is not an op object is an error naming the line and field.
//
// Histories from other tools often leave out `index` and `time`: the file's order is what a
// checker needs, so an op without them gets its position (0, 1, 2, ...) for both. A file
// must be consistent, all ops with the field or none: a history where some ops have a time
// and others do not cannot be ordered honestly.
import type { Op, OpType } from './op.ts';
import { HistoryParseError } from './parse-error.ts';
import type { ParsedHistory } from './parsed-history.ts';
import { shownValue } from './shown-value.ts';
import { probeLine, type MemoryProbe } from './read-budget.ts';
import { JSON_NESTING_MAX, JSON_NESTING_REASON, jsonNestingRefusal } from '../text/json-nesting.ts';

const TYPES = new Set<string>(['invoke', 'ok', 'fail', 'info']);

function check(o: Record<string, unknown>, name: string, line: number, ok: (v: unknown) => boolean, what: string): void {
  const v = o[name];
  if (!ok(v)) throw new HistoryParseError(line, `must be ${what}, got ${shownValue(v)}`, { field: name });
}

const isNum = (v: unknown): boolean => typeof v === 'number' && Number.isFinite(v);
/** An op's index: its position in Jepsen's history, a whole number. */
const isIndex = (v: unknown): boolean => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const isProcess = (v: unknown): boolean => isNum(v) || typeof v === 'string';
const isType = (v: unknown): boolean => typeof v === 'string' && TYPES.has(v);
const isF = (v: unknown): boolean => typeof v === 'string' && v !== '';
const isString = (v: unknown): boolean => typeof v === 'string';
const isTries = (v: unknown): boolean => typeof v === 'number' && Number.isSafeInteger(v) && v >= 1;

/**
 * Throws a HistoryParseError naming the first field of `raw` that an op may not hold: the checks
 * of parseOpObject, without building the op (checkHistory's parsed histories are only checked).
 */
export function checkOpObject(raw: unknown, line: number): asserts raw is Record<string, unknown> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new HistoryParseError(line, 'expected a JSON object');
  const o = raw as Record<string, unknown>;
  if (o['process'] === undefined && o['ClientId'] !== undefined && o['Input'] !== undefined && o['Call'] !== undefined) {
    // etcd's robustness tests save porcupine operations (client-N/operations.json): another shape
    // of history, named as such rather than as a missing field.
    throw new HistoryParseError(line, 'an etcd robustness-test operation (porcupine\'s ClientId, Input, Call, Output, Return), not a JSONL op: read it with --format etcd-robustness --model etcd');
  }
  if (o['index'] !== undefined) check(o, 'index', line, isIndex, 'a whole number ≥ 0');
  if (o['time'] !== undefined) check(o, 'time', line, isNum, 'a number');
  check(o, 'process', line, isProcess, 'a number or string');
  check(o, 'type', line, isType, 'invoke, ok, fail or info');
  check(o, 'f', line, isF, 'a non-empty string');
  if (o['error'] !== undefined) check(o, 'error', line, isString, 'a string');
  if (o['node'] !== undefined) check(o, 'node', line, isString, 'a string');
  if (o['tries'] !== undefined) check(o, 'tries', line, isTries, 'a whole number ≥ 1');
}

/** One op object; `position` stands in for a left-out index and time. */
export function parseOpObject(raw: unknown, line: number, position = 0): Op {
  checkOpObject(raw, line);
  const o = raw;
  const op: Op = {
    index: (o['index'] as number | undefined) ?? position,
    time: (o['time'] as number | undefined) ?? position,
    process: o['process'] as number | string,
    type: o['type'] as OpType,
    f: o['f'] as string,
    value: o['value'] ?? null,
  };
  if (o['error'] !== undefined) op.error = o['error'] as string;
  if (o['node'] !== undefined) op.node = o['node'] as string;
  // A request sent more than once (lease.ts reads it): kept, or the lease checker judges a retried keep-alive as one try.
  if (o['tries'] !== undefined) op.tries = o['tries'] as number;
  if (o['key'] !== undefined) op.key = o['key'];
  return op;
}

/** Refuses a history where some ops carry `name` and others leave it out. */
class Consistency {
  private first: { line: number; has: boolean } | undefined;
  constructor(private readonly name: string) {}
  see(raw: unknown, line: number): void {
    const has = typeof raw === 'object' && raw !== null && (raw as Record<string, unknown>)[this.name] !== undefined;
    if (this.first === undefined) this.first = { line, has };
    else if (this.first.has !== has) {
      throw new HistoryParseError(line, `is ${has ? 'given' : 'left out'} here but ${this.first.has ? 'given' : 'left out'} on line ${this.first.line}: give it on every op or on none`, { field: this.name });
    }
  }
}

function opsFrom(rows: { raw: unknown; line: number }[]): ParsedHistory {
  const ops: Op[] = [];
  const lines: number[] = [];
  const index = new Consistency('index');
  const time = new Consistency('time');
  for (const { raw, line } of rows) {
    index.see(raw, line);
    time.see(raw, line);
    ops.push(parseOpObject(raw, line, ops.length));
    lines.push(line);
  }
  // Times are on every op or on none (Consistency): none places each at its position.
  const timed = rows.length === 0 || (typeof rows[0]!.raw === 'object' && rows[0]!.raw !== null && (rows[0]!.raw as Record<string, unknown>)['time'] !== undefined);
  return timed ? { ops, lines } : { ops, lines, untimed: true };
}

/** Op objects a program holds, each checked as line `i + 1` of a file would be. */
export function historyOfObjects(raws: readonly unknown[]): ParsedHistory {
  return opsFrom(raws.map((raw, i) => ({ raw, line: i + 1 })));
}

/**
 * The 1-based line where each top-level element of a JSON array starts (strings skipped);
 * refuses an element nested deeper than JSON_NESTING_MAX, at its line.
 */
function elementLines(text: string): number[] {
  const out: number[] = [];
  let line = 1;
  let depth = 0;
  let inString = false;
  let expecting = false; // at depth 1, after '[' or ',': the next token starts an element
  let elementStart = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\n') line++;
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r' || c === '\n') continue;
    if (expecting && c !== ']') {
      out.push(line);
      elementStart = i;
      expecting = false;
    }
    if (c === '"') inString = true;
    else if (c === '[' || c === '{') {
      depth++;
      if (depth === 1) expecting = true;
      // The array is level 1: an op in it is an op line's level 1.
      // The refusal names the field, read again from the element's start (only on this way out).
      else if (depth > JSON_NESTING_MAX + 1) throw new HistoryParseError(line, jsonNestingRefusal(text.slice(elementStart)) ?? JSON_NESTING_REASON);
    } else if (c === ']' || c === '}') depth--;
    else if (c === ',' && depth === 1) expecting = true;
  }
  return out;
}

function parseArray(text: string): ParsedHistory {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new HistoryParseError(1, `not JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  if (!Array.isArray(raw)) throw new HistoryParseError(1, 'expected a JSON array of op objects');
  const starts = elementLines(text);
  return opsFrom(raw.map((r: unknown, i) => ({ raw: r, line: starts[i] ?? 1 })));
}

/** `probe`: the memory bound, asked every few thousand lines (read-budget.ts). */
export function parseJsonl(text: string, probe?: MemoryProbe): ParsedHistory {
  if (text.trimStart().startsWith('[')) return parseArray(text);
  const rows: { raw: unknown; line: number }[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    probeLine(probe, i + 1);
    const row = lines[i]!.trim();
    if (row === '') continue;
    try {
      rows.push({ raw: JSON.parse(row), line: i + 1 });
    } catch (err) {
      throw new HistoryParseError(i + 1, `not JSON (${err instanceof Error ? err.message : String(err)})`);
    }
    const deep = jsonNestingRefusal(row);
    if (deep !== undefined) throw new HistoryParseError(i + 1, deep);
  }
  return opsFrom(rows);
}
