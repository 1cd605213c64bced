// What every history parser returns: the ops in file order, and the line each came from.
import type { Op } from './op.ts';

export interface ParsedHistory {
  ops: Op[];
  /** lines[i] is the 1-based line of ops[i] in the source text. */
  lines: number[];
}

export type HistoryFormat = 'jepsen-log' | 'jepsen-edn' | 'jsonl';

export const HISTORY_FORMATS: readonly HistoryFormat[] = ['jepsen-log', 'jepsen-edn', 'jsonl'];
