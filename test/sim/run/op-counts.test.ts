// A run stopped on a violation ends with requests in flight. The report's header ("3 operations"),
// the terminal's and results.json's counts by outcome, and the linearizable checker's summary
// all count the same operations: they read "3 operations", "ops ok 1, failed 0, outcome
// unknown 0" and "linearizable: 1 ops" for one history (kill-leader seed 1, a stale read planted).
import { describe, expect, it } from 'vitest';
import { shippedScenarios } from '../../../sim/cli/harness/scenario-files.ts';
import { runScenario } from '../../../sim/run/run.ts';
import { opCounts } from '../../../sim/run/results-build.ts';
import type { Op } from '../../../sim/history/op.ts';

describe('operation counts agree', () => {
  it('an invoke never completed counts as outcome unknown, by request too', () => {
    const op = (index: number, process: number, type: Op['type'], f: string): Op => ({ index, time: index, process, type, f, value: {} });
    const { ops, opsByF } = opCounts([op(0, 1, 'invoke', 'kv/put'), op(1, 2, 'invoke', 'kv/range'), op(2, 2, 'ok', 'kv/range'), op(3, 3, 'invoke', 'kv/range')]);
    expect(ops).toEqual({ ok: 1, fail: 0, info: 2 });
    expect(opsByF).toEqual({ 'kv/put': { ok: 0, fail: 0, info: 1 }, 'kv/range': { ok: 1, fail: 0, info: 1 } });
  });

  it('a run stopped on a violation: the outcomes add up to the operations the linearizable checker counts', () => {
    const scenario = shippedScenarios().find((s) => s.ref === 'kill-leader')!.scenario;
    const out = runScenario(scenario, 1, { bug: 'read-without-readindex' });
    const invokes = out.history.filter((o) => o.type === 'invoke').length;
    expect(out.results.valid).toBe(false);
    expect(invokes).toBeGreaterThan(out.history.length - invokes); // requests were in flight at the stop
    const { ok, fail, info } = out.results.stats.ops;
    expect(ok + fail + info).toBe(invokes);
    expect(out.results.checkers['linearizable']!.summary).toMatch(new RegExp(`^linearizable: ${invokes} ops?, `));
  });
});
