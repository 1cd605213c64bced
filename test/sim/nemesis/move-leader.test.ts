// The move-leader fault (etcd's MoveLeader, `etcdctl move-leader`; a package of the fault table,
// drawn by the swarm): the leader catches the transferee up and sends it MsgTimeoutNow, and the
// transferee leads in the next term; a transferee that cannot be reached is given up after an
// election timeout and the old leader goes on leading. Read from the run's leader timeline,
// fault record and coverage.
import { describe, expect, test } from 'vitest';
import { defineScenario } from '../../../sim/scenario/parse.ts';
import { runScenario } from '../../../sim/run/run.ts';
import type { Results } from '../../../sim/run/results.ts';

/** The scenario's election timeout: 10 ticks of 10 ms. */
const ELECTION_TIMEOUT_US = 100_000;

function run(schedule: { atMs: number; durationMs: number; fault: unknown }[]): Results {
  const scenario = defineScenario({
    name: 'move-leader',
    cluster: { raft: { tickMs: 10, electionTicks: 10 } },
    workload: { kind: 'etcd', durationMs: 2000, rateOpsPerSecond: 100, okOpsMin: 0 },
    schedule,
  });
  return runScenario(scenario, 1).results;
}

function leaderAt(r: Results, us: number): { node: string | null; term: number } {
  const spans = r.leaders!.filter((l) => l.startUs <= us);
  return spans.at(-1)!;
}

describe('move-leader', () => {
  test('the follower it names leads in the next term within an election timeout, and the run stays valid', () => {
    const r = run([{ atMs: 800, durationMs: 200, fault: { kind: 'move-leader', target: 'follower' } }]);
    expect(r.valid).toBe(true);
    const fault = r.faults!.find((f) => f.kind === 'move-leader')!;
    const to = fault.targets![0]!;
    const before = leaderAt(r, fault.startUs);
    expect(before.node).not.toBe(to);
    const next = r.leaders!.find((l) => l.startUs > fault.startUs && l.node !== null)!;
    expect(next.node).toBe(to);
    expect(next.term).toBe(before.term + 1);
    expect(next.startUs - fault.startUs).toBeLessThan(ELECTION_TIMEOUT_US);
    expect(r.coverage!.events['leader-transfer']).toBe(1);
  });

  test('a transferee cut off from the leader is given up after an election timeout: the leader keeps its term and serves again', () => {
    const r = run([
      { atMs: 700, durationMs: 1000, fault: { kind: 'partition', shape: 'isolate-one', target: 'n3' } },
      { atMs: 800, durationMs: 100, fault: { kind: 'move-leader', target: 'n3' } },
    ]);
    expect(r.valid).toBe(true);
    const fault = r.faults!.find((f) => f.kind === 'move-leader');
    // n3 may have led before the cut; the check needs a transfer that was asked of another leader.
    if (fault === undefined) throw new Error('move-leader started nothing: n3 led at 800 ms; pick another seed');
    const before = leaderAt(r, fault.startUs);
    expect(r.coverage!.events['leader-transfer']).toBe(0);
    // No election while n3 is cut off: the same leader in the same term until the partition heals.
    expect(leaderAt(r, 1_690_000)).toEqual(before);
    // It served writes after the transfer was abandoned (proposals are dropped only meanwhile).
    expect(r.stats.ops.ok).toBeGreaterThan(0);
  });
});
