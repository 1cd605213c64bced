// The history a program hands checkHistory and the other checkers (detcd/check): parsed text, or
// the op objects it holds (a test that records its own client's calls), checked as the lines of a
// file would be: index and time filled from array order when every op leaves them out, every field
// typed (etcd's by its messages). A bad op object is one UsageError naming the function, the
// argument, the op and the field, whichever checker it was handed to.
import { withFields } from '../../src/object/with-fields.ts';
import { badArgument } from '../errors/bad-argument.ts';
import { checkArrayArgument } from '../errors/array-argument.ts';
import { jsonShapeProblem } from '../errors/json-shape.ts';
import { UsageError } from '../errors/usage-error.ts';
import { checkEtcdFieldTypes } from './etcd-field-types.ts';
import { checkOpObject, historyOfObjects } from './jsonl.ts';
import type { Op } from './op.ts';
import { HistoryParseError } from './parse-error.ts';
import type { ParsedHistory } from './parsed-history.ts';

/** Whether op objects' etcd requests and answers are typed by etcd's messages (the etcd model, lease, watch, lock checkers). */
export interface HistoryArgumentOptions {
  readonly etcdFields?: boolean;
}

/**
 * A reader's refusal of element `line - 1` of `field`, worded as badArgument words one:
 * "fn: field[i].path: reason", with the element's line in its text when `lines` holds it.
 */
function opRefusal(fn: string, field: string, err: HistoryParseError, lines?: readonly number[]): UsageError {
  const element = (line: number): string => `${field}[${line - 1}]`;
  const source = lines?.[err.line - 1] === undefined ? '' : ` (line ${lines[err.line - 1]!})`;
  // The readers name other ops by line ("left out on line 1"): here they are elements.
  const elements = (s: string): string => s.replace(/\bon line (\d+)\b/g, (_, n: string) => `on ${element(Number(n))}`);
  // A file's line "expected a JSON object"; a program's element is an op object it should have built.
  const reason = err.reason === 'expected a JSON object' ? 'must be an op object ({process, type, f, value})' : err.reason;
  const at = err.field === undefined ? element(err.line) : `${element(err.line)}.${err.field}`;
  const of = err.etcdMessage === undefined ? '' : ` (${err.etcdMessage}'s etcd message)`;
  return new UsageError(`${fn}: ${at}${source}: ${elements(reason)}${of}`);
}

/**
 * Runs `read`, turning a HistoryParseError about an op object into the refusal of `fn`'s `field`;
 * `lines`: each element's line in the text it was parsed from, named in the refusal.
 */
function asArgument<T>(fn: string, field: string, read: () => T, lines?: readonly number[]): T {
  try {
    return read();
  } catch (err) {
    throw err instanceof HistoryParseError ? opRefusal(fn, field, err, lines) : err;
  }
}

/** `lines` of a parsed history: one 1-based line per op, or filled from op order when left out. */
function linesArgument(fn: string, h: Partial<ParsedHistory>, ops: readonly unknown[]): number[] {
  // An empty list stands for "no lines" (a history built in code, as the tests build theirs).
  if (h.lines === undefined || (Array.isArray(h.lines) && h.lines.length === 0)) return ops.map((_, i) => i + 1);
  const ok = Array.isArray(h.lines) && h.lines.length === ops.length && h.lines.every((n) => Number.isSafeInteger(n) && n >= 1);
  if (!ok) throw badArgument(fn, 'history.lines', `must be the 1-based line of each op (${ops.length} whole numbers ≥ 1), or left out (or empty)`, h.lines);
  return h.lines;
}

/**
 * Each op of a parsed history typed as Op says (a program may build the object by hand, or edit
 * parseHistory's): index and time given, then every field as a line of a JSONL file is read.
 */
function checkParsedOps(ops: readonly unknown[]): void {
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i];
    checkOpObject(op, i + 1);
    const missing = op['index'] === undefined ? 'index' : op['time'] === undefined ? 'time' : undefined;
    if (missing !== undefined) throw new HistoryParseError(i + 1, "is left out: a parsed history's ops carry it (an array of op objects may leave it out)", { field: missing });
  }
}

/**
 * `ops` (argument `field` of `fn`) as JSON could hold them, a file's lines being JSON: no hole,
 * no cycle, no BigInt, function or NaN, at most JSON_NESTING_MAX levels (json-shape.ts).
 */
function checkJsonOps(fn: string, field: string, ops: unknown, what = 'ops ({process, type, f, value}, index and time optional)'): readonly unknown[] {
  const list = checkArrayArgument(fn, field, ops, what);
  for (let i = 0; i < list.length; i++) {
    const problem = jsonShapeProblem(list[i]);
    if (problem !== undefined) throw new UsageError(`${fn}: ${field}[${i}]${problem.path}: ${problem.reason}`);
  }
  return list;
}

/**
 * What checkHistory takes from a program: a parsed history (parseHistory's, or built by hand)
 * or an array of op objects in detcd's JSONL shape. Either is checked as the lines of a file
 * are, so a malformed one is one UsageError naming the op and field, never a TypeError from
 * inside a checker: op objects as line N is element N-1, a parsed history's ops as Op types
 * them (`history.ops[i].field`, with the line of its text where it carries one).
 */
export function historyArgument(fn: string, history: unknown, options: HistoryArgumentOptions = {}): ParsedHistory {
  if (Array.isArray(history)) {
    checkJsonOps(fn, 'history', history);
    return asArgument(fn, 'history', () => {
      const parsed = historyOfObjects(history);
      if (options.etcdFields === true) checkEtcdFieldTypes(parsed);
      return parsed;
    });
  }
  const h = typeof history === 'object' && history !== null ? (history as Partial<ParsedHistory>) : undefined;
  if (h === undefined || !Array.isArray(h.ops)) throw badArgument(fn, 'history', 'must be parseHistory(text) or an array of op objects ({process, type, f, value})', history);
  const ops = checkJsonOps(fn, 'history.ops', h.ops);
  const lines = linesArgument(fn, h, ops);
  if (h.partialAnswers !== undefined && typeof h.partialAnswers !== 'boolean') throw badArgument(fn, 'history.partialAnswers', 'must be true, false or left out', h.partialAnswers);
  const parsed = lines === h.lines ? (history as ParsedHistory) : withFields(history as ParsedHistory, { lines });
  asArgument(fn, 'history.ops', () => {
    checkParsedOps(ops);
    // Typed by element (line i + 1), as op objects are; the refusal names the text's line too.
    if (options.etcdFields === true) checkEtcdFieldTypes(withFields(parsed, { lines: ops.map((_, i) => i + 1) }));
  }, lines === h.lines ? lines : undefined);
  return parsed;
}

/** An array of op objects handed to a checker as argument `field`, read as checkHistory reads one (etcd fields typed). */
export function opsArgument(fn: string, field: string, v: unknown): readonly Op[] {
  const list = checkJsonOps(fn, field, v);
  return asArgument(fn, field, () => {
    const parsed = historyOfObjects(list);
    checkEtcdFieldTypes(parsed);
    return parsed.ops;
  });
}

/**
 * The ops of a history a program hands a report (RunReportInput.history): each typed as Op says,
 * index and time given, as checkHistory reads a parsed history's (`field[i].f: ...`).
 */
export function parsedOpsArgument(fn: string, field: string, v: unknown): readonly Op[] {
  const list = checkJsonOps(fn, field, v, 'history ops ({index, time, process, type, f, value})');
  asArgument(fn, field, () => checkParsedOps(list));
  return list as readonly Op[];
}

/** One op a program hands a report function (opToEdn), checked as parsedOpsArgument checks each. */
export function parsedOpArgument(fn: string, field: string, v: unknown): Op {
  try {
    return parsedOpsArgument(fn, field, [v])[0]!;
  } catch (err) {
    // Named as the one argument it is, not as element 0 of a list the caller never made.
    if (err instanceof UsageError && err.message.startsWith(`${fn}: ${field}[0]`)) throw new UsageError(`${fn}: ${field}${err.message.slice(`${fn}: ${field}[0]`.length)}`);
    throw err;
  }
}
