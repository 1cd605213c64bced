// What every history parser returns: the ops in file order, and the line each came from.
import type { Op } from './op.ts';

export interface ParsedHistory {
  ops: Op[];
  /** lines[i] is the 1-based line of ops[i] in the source text. */
  lines: number[];
  /**
   * The answers leave fields out (etcd robustness-test histories, etcd-robustness.ts): a field
   * written as UNRECORDED ('*') matches any value, and the etcd model skips the facts it
   * would read from those fields.
   */
  partialAnswers?: boolean;
  /**
   * The file gave no times (a Jepsen log; EDN without :time; JSON lines without `time`): each
   * op's time is its position in the history, an order and no duration (a report draws no
   * latency from it).
   */
  untimed?: true;
}

export type HistoryFormat = 'jepsen-log' | 'jepsen-edn' | 'jsonl' | 'etcd-robustness';

export const HISTORY_FORMATS: readonly HistoryFormat[] = ['jepsen-log', 'jepsen-edn', 'jsonl', 'etcd-robustness'];
