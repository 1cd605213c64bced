// A history checked against the etcd model: the history is prepared first (revision gaps,
// timed-out writes, constraints from the answers and the watch events; models/etcd/history.ts).
import { checkLinearizable } from '../linearizability/check.ts';
import { etcdOperations, type EtcdPrepareOptions } from '../models/etcd/history.ts';
import { createEtcdModel } from '../models/etcd/model.ts';
import { placeWatches } from '../models/etcd/watch-observations.ts';
import type { PairsCheck } from './options.ts';

export const checkEtcdPairs: PairsCheck = (pairs, times, budget, options) => {
  const prepareOptions: EtcdPrepareOptions = {};
  if (options.initialRevision !== undefined) prepareOptions.initialRevision = options.initialRevision;
  if (options.initialDump !== undefined) prepareOptions.initialDump = options.initialDump;
  if (options.watches !== undefined && options.watches.length > 0) prepareOptions.watches = placeWatches(times(), options.watches);
  const prepared = etcdOperations(pairs, prepareOptions);
  return checkLinearizable(prepared.ops, createEtcdModel(prepared.gaps, prepared.constraints, prepared.initial, { autoCompaction: options.autoCompaction === true }), budget);
};
