// The Raft observer forgets what no member can show any more (sim/etcd/observer-floor.ts): its
// tables of entries, commits and applies follow the logs, not the run, so a long `detcd serve`
// holds a bounded amount (it kept ≈220 B an index for ever). The floor must hold for members that
// crash and come back from an older disk: an entry shown below it is counted (belowCompactSeen).
import { describe, expect, it } from 'vitest';
import { RaftInvariants } from '../../../sim/check/raft-invariants.ts';
import { UsageError } from '../../../sim/errors/usage-error.ts';
import { runScenario } from '../../../sim/run/run.ts';
import { defineScenario } from '../../../sim/scenario/parse.ts';
import { FakeView } from '../raft/fake-view.ts';

// Snapshots every 50 entries, members killed, restarted, torn and cut off: crashes that bring
// back an older disk than the log in memory, and snapshots sent to members that fell behind.
const crashing = defineScenario({
  name: 'observer-floor',
  cluster: { etcd: { snapshotCount: 50, snapshotCatchUpEntries: 10 } },
  workload: { kind: 'etcd', rateOpsPerSecond: 800, durationMs: 15000, keys: 10 },
  nemesis: { packages: ['kill-random', 'crash-after-snapshot-ack', 'torn-writes', 'partition-leader', 'rolling-restart'], intervalMs: { min: 200, max: 600 }, faultDurationMs: { min: 300, max: 900 } },
});

describe('the Raft observer forgets below its compaction floor', () => {
  it.each([1, 2])('seed %i: a run of crashes and snapshots ends with bounded tables and no entry shown below the floor', (seed) => {
    const results = runScenario(crashing, seed).results;
    const raft = results.checkers['raft'] as Record<string, unknown>;
    expect(raft['valid'], `replay: detcd run --scenario <observer-floor> --seed ${seed}`).toBe(true);
    const t = raft['observerTables'] as { compactIndex: number; indexesKept: number; belowCompactSeen: number; leadersKept: number };
    expect(t.compactIndex).toBeGreaterThan(0);
    // The term → leader map keeps the terms a member may still lead, not one entry per election.
    expect(t.leadersKept).toBeLessThan(results.stats.leaderChanges);
    expect(t.belowCompactSeen).toBe(0);
    // One look every 1024 commits: what is kept is that step plus the logs' length.
    expect(t.indexesKept).toBeLessThan(2 * 1024 + 100);
  });

  it('finds a violation above the floor as before, and forgets the tables below it', () => {
    const inv = new RaftInvariants();
    const a = new FakeView('a');
    const b = new FakeView('b');
    for (let i = 1; i <= 10; i++) {
      a.append(1, `x${i}`);
      b.append(1, `x${i}`);
    }
    a.commit = 10;
    b.commit = 10;
    expect(inv.check([a, b])).toBeUndefined();
    inv.compact(6);
    expect(inv.tables).toEqual({ compactIndex: 6, indexesKept: 5, belowCompactSeen: 0, leadersKept: 0 });
    expect(inv.committedEntry(5)).toBeUndefined();
    expect(inv.committedEntry(6)?.data).toBe('x6');
    // A lower floor later changes nothing.
    inv.compact(3);
    expect(inv.tables.compactIndex).toBe(6);
    b.log[7] = { term: 1, data: 'other' };
    b.durableCommit = 10;
    const v = inv.check([a, { ...b, id: 'b', entry: (i: number) => b.entry(i), appliedEntry: () => undefined, incarnation: 2, lastIndex: 10, firstIndex: 1 }]);
    expect(v?.index).toBe(8);
  });

  it('counts an entry a member shows below the floor (a floor set too high), and still registers it', () => {
    const inv = new RaftInvariants();
    const a = new FakeView('a').append(1, 'x').append(1, 'y').append(1, 'z');
    expect(inv.check([a])).toBeUndefined();
    inv.compact(3);
    const late = new FakeView('late').append(1, 'x').append(1, 'y');
    expect(inv.check([a, late])).toBeUndefined();
    expect(inv.tables.belowCompactSeen).toBe(2);
  });

  it('forgets the leaders of terms below the floor, and still finds two leaders of a term above it', () => {
    const inv = new RaftInvariants();
    const a = new FakeView('a');
    const b = new FakeView('b');
    for (let term = 1; term <= 5; term++) {
      a.term = term;
      a.isLeader = true;
      expect(inv.check([a, b])).toBeUndefined();
    }
    expect(inv.tables.leadersKept).toBe(5);
    inv.forgetLeadersBelow(4);
    expect(inv.tables.leadersKept).toBe(2);
    a.isLeader = false;
    b.term = 5;
    b.isLeader = true;
    expect(inv.check([a, b])?.invariant).toBe('election-safety');
    expect(() => inv.forgetLeadersBelow(NaN)).toThrow(/^RaftInvariants\.forgetLeadersBelow: term: must be a whole number from 0 up/);
  });

  it.each([[-1], [1.5], [NaN], ['7']])('compact(%s) is refused naming the argument', (bad) => {
    const inv = new RaftInvariants();
    expect(() => inv.compact(bad as number)).toThrow(UsageError);
    expect(() => inv.compact(bad as number)).toThrow(/^RaftInvariants\.compact: compactIndex: must be a whole number from 0 up/);
  });
});
