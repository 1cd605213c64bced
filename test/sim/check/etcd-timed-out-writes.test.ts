// A history of our own simulation with 100-250 ms request timeouts under leader partitions,
// kills and pauses (test/fixtures/check/short-timeouts.scenario.json, seed 1: `detcd run
// --scenario test/fixtures/check/short-timeouts.scenario.json --seed 1` writes it again):
// 247 ops of unknown outcome, 105 of them writes. Issue 11 asks for a verdict in under 5 s;
// the checker does not reach one yet (see /work/notes/check.md). What this test holds: the
// preparation keeps the facts that decide it (gaps, constraints), and within a bounded search
// the verdict is never a false violation.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkLinearizable } from '../../../sim/check/linearizability/check.ts';
import { etcdOperations } from '../../../sim/check/models/etcd/history.ts';
import { createEtcdModel } from '../../../sim/check/models/etcd/model.ts';
import { parseJsonl } from '../../../sim/history/jsonl.ts';
import { pairOps } from '../../../sim/history/pair.ts';

const FIXTURE = 'test/fixtures/check/sim-short-timeouts-seed1.jsonl';

describe('a simulated history with more than 100 timed-out writes', () => {
  const history = parseJsonl(readFileSync(FIXTURE, 'utf8'));
  const pairs = pairOps(history);

  it('has more than 100 writes of unknown outcome', () => {
    const writes = pairs.filter((p) => p.completion?.type === 'info' && ['kv/put', 'kv/txn', 'kv/deleterange'].includes(p.invoke.f));
    expect(writes.length).toBeGreaterThan(100);
  });

  it('keeps an empty initial store, finds its gaps and constrains who filled them', () => {
    const p = etcdOperations(pairs);
    expect(p.initial.revision).toBe(1);
    expect(p.gaps.size).toBeGreaterThan(10);
    // Most gaps rule out most keys: an answer shows them unchanged across the gap.
    const constrained = [...p.gaps].filter((g) => (p.constraints.quiet.get(g)?.size ?? 0) > 0);
    expect(constrained.length).toBeGreaterThan(p.gaps.size / 2);
  });

  it('is never called a violation within a bounded search', () => {
    const p = etcdOperations(pairs);
    const r = checkLinearizable(p.ops, createEtcdModel(p.gaps, p.constraints, p.initial), { maxSteps: 50_000 });
    expect(r.valid).not.toBe(false);
  });
});
