// One history, parsed in any supported format, checked against a named model. This is the
// pure core of `detcd check`: the command line only reads files and keeps the clock.
import type { ParsedHistory } from '../history/parsed-history.ts';
import { pairOps } from '../history/pair.ts';
import { checkLinearizable, type CheckBudget, type LinearizabilityResult } from './linearizability/check.ts';
import { createEtcdModel } from './models/etcd/model.ts';
import { etcdOperations, type EtcdPrepareOptions } from './models/etcd/history.ts';
import { placeWatches } from './models/etcd/watch-observations.ts';
import { kvOperations } from './models/kv-history.ts';
import { createKvModel } from './models/kv.ts';
import { registerOperations } from './models/register-history.ts';
import { registerModel } from './models/register.ts';

export type ModelName = 'register' | 'kv' | 'etcd';

export const MODEL_NAMES: readonly ModelName[] = ['register', 'kv', 'etcd'];

export interface CheckHistoryOptions {
  /** etcd: the store's revision before the history, when inference from the answers cannot tell. */
  initialRevision?: number;
  /** etcd: the store before the history, as `etcdctl get "" --from-key -w json` printed it. */
  initialDump?: unknown;
  /** etcd: the server compacts on its own (--auto-compaction-retention), so "compacted" needs no compaction request. */
  autoCompaction?: boolean;
  /** etcd: watch responses recorded beside the history (µs times); their events settle timed-out writes. */
  watches?: readonly { time: number; response: unknown }[];
}

/**
 * Throws HistoryParseError when an op does not fit the model. A history with no operation to
 * check is "unknown: no operations", never valid.
 */
export function checkHistory(history: ParsedHistory, model: ModelName, budget: CheckBudget = {}, options: CheckHistoryOptions = {}): LinearizabilityResult {
  const pairs = pairOps(history);
  if (pairs.length === 0) return { valid: 'unknown', model, ops: 0, steps: 0, partitions: [], unknownReason: 'no operations', summary: 'unknown: no operations' };
  switch (model) {
    case 'register':
      return checkLinearizable(registerOperations(pairs), registerModel, budget);
    case 'kv':
      return checkLinearizable(kvOperations(pairs), createKvModel(), budget);
    case 'etcd': {
      const prepareOptions: EtcdPrepareOptions = {};
      if (options.initialRevision !== undefined) prepareOptions.initialRevision = options.initialRevision;
      if (options.initialDump !== undefined) prepareOptions.initialDump = options.initialDump;
      if (options.watches !== undefined && options.watches.length > 0) prepareOptions.watches = placeWatches(history.ops.map((o) => o.time), options.watches);
      const prepared = etcdOperations(pairs, prepareOptions);
      return checkLinearizable(prepared.ops, createEtcdModel(prepared.gaps, prepared.constraints, prepared.initial, { autoCompaction: options.autoCompaction === true }), budget);
    }
  }
}
