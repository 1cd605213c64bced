// The checkers that judge the recorded history (sim/check/): linearizability of every etcd
// request against the etcd model, and etcd's watch and lease guarantees. Each runs inside a
// step budget: when it runs out the verdict is "unknown", never "valid".
import { checkHistory } from '../check/check-history.ts';
import type { CheckResult } from '../check/verdict.ts';
import type { Op, WatchRecord } from '../history/op.ts';
import type { CheckerName } from '../scenario/schema.ts';

/** Model steps the linearizability search may take in one run. */
const LINEARIZABILITY_STEPS_MAX = 50_000_000;

/** Requests of the liveness probes and keep-alives are part of the history like any other. */
export function historyCheckers(names: ReadonlySet<CheckerName>, history: readonly Op[], _watches: readonly WatchRecord[]): Record<string, CheckResult> {
  const out: Record<string, CheckResult> = {};
  if (names.has('linearizable')) {
    const lines = history.map((_, i) => i + 1);
    const result = checkHistory({ ops: [...history], lines }, 'etcd', { maxSteps: LINEARIZABILITY_STEPS_MAX });
    const summary = result.valid === true ? `${result.ops} ops linearizable (${result.steps} model steps)` : result.valid === false ? `not linearizable (${result.ops} ops)` : `unknown: ${result.unknownReason ?? 'budget'}`;
    out['linearizable'] = { ...result, summary: result.summary ?? summary };
  }
  return out;
}
