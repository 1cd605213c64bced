// One history, parsed in any supported format, checked against a named model. This is the
// pure core of `detcd check`: the command line only reads files and keeps the clock.
import type { ParsedHistory } from '../history/parsed-history.ts';
import { pairOps } from '../history/pair.ts';
import { checkLinearizable, type CheckBudget, type LinearizabilityResult } from './linearizability/check.ts';
import { createEtcdModel } from './models/etcd/model.ts';
import { etcdOperations } from './models/etcd/history.ts';
import { kvOperations } from './models/kv-history.ts';
import { createKvModel } from './models/kv.ts';
import { registerOperations } from './models/register-history.ts';
import { registerModel } from './models/register.ts';

export type ModelName = 'register' | 'kv' | 'etcd';

export const MODEL_NAMES: readonly ModelName[] = ['register', 'kv', 'etcd'];

/** Throws HistoryParseError when an op does not fit the model. */
export function checkHistory(history: ParsedHistory, model: ModelName, budget: CheckBudget = {}): LinearizabilityResult {
  const pairs = pairOps(history);
  switch (model) {
    case 'register':
      return checkLinearizable(registerOperations(pairs), registerModel, budget);
    case 'kv':
      return checkLinearizable(kvOperations(pairs), createKvModel(), budget);
    case 'etcd': {
      const prepared = etcdOperations(pairs);
      return checkLinearizable(prepared.ops, createEtcdModel(prepared.gaps, prepared.constraints), budget);
    }
  }
}
