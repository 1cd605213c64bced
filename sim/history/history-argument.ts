// The history a program hands checkHistory: parsed text, or the op objects it holds (a test
// that records its own client's calls), checked as the lines of a file would be.
import { withFields } from '../../src/object/with-fields.ts';
import { badArgument } from '../errors/bad-argument.ts';
import { historyOfObjects } from './jsonl.ts';
import type { ParsedHistory } from './parsed-history.ts';

/**
 * What checkHistory takes from a program: a parsed history as it is, or an array of op objects
 * in detcd's JSONL shape, each checked as a line of a file would be (line N is element N-1).
 */
export function historyArgument(fn: string, history: unknown): ParsedHistory {
  if (Array.isArray(history)) return historyOfObjects(history);
  const h = typeof history === 'object' && history !== null ? (history as Partial<ParsedHistory>) : undefined;
  if (h === undefined || !Array.isArray(h.ops)) throw badArgument(fn, 'history', 'must be parseHistory(text) or an array of op objects ({process, type, f, value})', history);
  if (Array.isArray(h.lines) && h.lines.length === h.ops.length) return history as ParsedHistory;
  return withFields(history as ParsedHistory, { lines: h.ops.map((_, i) => i + 1) });
}
