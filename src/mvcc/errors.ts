// The mvcc layer's expected outcomes. They are returned as values, never thrown: a compacted or
// future revision is a normal answer to a client.

import { InvariantViolation } from '../invariant-violation.ts';
import type { InvariantLayer } from '../invariant-violation.ts';

export type MvccError = 'compacted' | 'future-rev';

/** The mvcc layer's own messages (mvcc/kvstore.go); the API layer prefixes "etcdserver: ". */
export const MVCC_ERROR_MESSAGE: Readonly<Record<MvccError, string>> = {
  compacted: 'mvcc: required revision has been compacted',
  'future-rev': 'mvcc: required revision is a future revision',
};

/** The layer an assertion's `component: sentence` names (the component before the colon). */
const LAYER_OF_COMPONENT: Readonly<Record<string, InvariantLayer>> = {
  lessor: 'lease',
  applier: 'server',
  txn: 'server',
  watch: 'watch',
};

/** Throws an InvariantViolation named `component: sentence` when `cond` is false. */
export function assert(cond: boolean, invariant: string): asserts cond {
  if (cond) return;
  const component = invariant.split(':')[0] ?? '';
  const layer = LAYER_OF_COMPONENT[component] ?? 'mvcc';
  throw new InvariantViolation({ layer, invariant, detail: invariant }, `invariant violated: ${invariant}`);
}
