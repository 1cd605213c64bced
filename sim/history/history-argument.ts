// The history a program hands checkHistory and the other checkers (detcd/check): parsed text, or
// the op objects it holds (a test that records its own client's calls), checked as the lines of a
// file would be: index and time filled from array order when every op leaves them out, every field
// typed (etcd's by its messages). A bad op object is one UsageError naming the function, the
// argument, the op and the field, whichever checker it was handed to.
import { withFields } from '../../src/object/with-fields.ts';
import { badArgument } from '../errors/bad-argument.ts';
import { UsageError } from '../errors/usage-error.ts';
import { checkEtcdFieldTypes } from './etcd-field-types.ts';
import { historyOfObjects } from './jsonl.ts';
import type { Op } from './op.ts';
import { HistoryParseError } from './parse-error.ts';
import type { ParsedHistory } from './parsed-history.ts';

/** Whether op objects' etcd requests and answers are typed by etcd's messages (the etcd model, lease, watch, lock checkers). */
export interface HistoryArgumentOptions {
  readonly etcdFields?: boolean;
}

/** A reader's refusal of element `line - 1` of `field`, worded as badArgument words one: "fn: field[i].path: reason". */
function opRefusal(fn: string, field: string, err: HistoryParseError): UsageError {
  const element = (line: number): string => `${field}[${line - 1}]`;
  // The readers name other ops by line ("left out on line 1"): here they are elements.
  const elements = (s: string): string => s.replace(/\bon line (\d+)\b/g, (_, n: string) => `on ${element(Number(n))}`);
  const m = /^(?:(\S+): )?field '([^']+)' (.*)$/.exec(err.reason);
  // A file's line "expected a JSON object"; a program's element is an op object it should have built.
  const reason = err.reason === 'expected a JSON object' ? 'must be an op object ({process, type, f, value})' : err.reason;
  if (m === null) return new UsageError(`${fn}: ${element(err.line)}: ${elements(reason)}`);
  const of = m[1] === undefined ? '' : ` (${m[1]}'s etcd message)`;
  return new UsageError(`${fn}: ${element(err.line)}.${m[2]!}: ${elements(m[3]!)}${of}`);
}

/** Runs `read`, turning a HistoryParseError about an op object into the refusal of `fn`'s `field`. */
function asArgument<T>(fn: string, field: string, read: () => T): T {
  try {
    return read();
  } catch (err) {
    throw err instanceof HistoryParseError ? opRefusal(fn, field, err) : err;
  }
}

/**
 * What checkHistory takes from a program: a parsed history as it is, or an array of op objects
 * in detcd's JSONL shape, each checked as a line of a file would be (line N is element N-1).
 */
export function historyArgument(fn: string, history: unknown, options: HistoryArgumentOptions = {}): ParsedHistory {
  if (Array.isArray(history)) {
    return asArgument(fn, 'history', () => {
      const parsed = historyOfObjects(history);
      if (options.etcdFields === true) checkEtcdFieldTypes(parsed);
      return parsed;
    });
  }
  const h = typeof history === 'object' && history !== null ? (history as Partial<ParsedHistory>) : undefined;
  if (h === undefined || !Array.isArray(h.ops)) throw badArgument(fn, 'history', 'must be parseHistory(text) or an array of op objects ({process, type, f, value})', history);
  // A parsed history is taken as it is: detcd check types its file's etcd fields itself, and the
  // simulator's own histories (sim/run/history-checkers.ts) are typed by construction.
  if (Array.isArray(h.lines) && h.lines.length === h.ops.length) return history as ParsedHistory;
  return withFields(history as ParsedHistory, { lines: h.ops.map((_, i) => i + 1) });
}

/** An array of op objects handed to a checker as argument `field`, read as checkHistory reads one (etcd fields typed). */
export function opsArgument(fn: string, field: string, v: unknown): readonly Op[] {
  if (!Array.isArray(v)) throw badArgument(fn, field, 'must be an array of ops ({process, type, f, value}, index and time optional)', v);
  return asArgument(fn, field, () => {
    const parsed = historyOfObjects(v);
    checkEtcdFieldTypes(parsed);
    return parsed.ops;
  });
}
