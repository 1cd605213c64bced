// A history checked against the kv model (models/kv.ts: get, put, append per key).
import { checkLinearizable } from '../linearizability/check.ts';
import { kvOperations } from '../models/kv-history.ts';
import { createKvModel } from '../models/kv.ts';
import type { PairsCheck } from './options.ts';

export const checkKvPairs: PairsCheck = (pairs, _times, budget) => checkLinearizable(kvOperations(pairs), createKvModel(), budget);
