// The figure8 nemesis sequence on the shipped scenario: with the planted bug (a leader commits
// an older term's entry by counting replicas) seed 1 loses a committed entry and the Raft
// observer names leader-completeness; the correct build passes the same seed. A fake world
// shows the sequence's steps: split, isolate the new leader, crash the old side.
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../../sim/cli/harness/scenario-files.ts';
import { Figure8Sequence, FIGURE8_POLL_US } from '../../../sim/nemesis/figure8.ts';
import type { Figure8World } from '../../../sim/nemesis/figure8.ts';
import { runScenario } from '../../../sim/run/run.ts';
import type { Cut } from '../../../sim/world/partitions.ts';
import { Prng } from '../../../sim/world/prng.ts';

const SEED = 1;

describe('figure8 scenario', () => {
  const scenario = loadScenario('figure8').scenario;

  it(`with --bug figure8 seed ${SEED} breaks leader-completeness`, () => {
    const r = runScenario(scenario, SEED, { bug: 'figure8' }).results;
    expect(r.valid).toBe(false);
    expect(r.checkers['raft']?.valid).toBe(false);
    expect(r.checkers['raft']?.summary).toMatch(/leader-completeness/);
  });

  it(`without the bug seed ${SEED} passes every checker, liveness included`, () => {
    const r = runScenario(scenario, SEED).results;
    expect(r.valid).toBe(true);
    expect(r.checkers['liveness']?.valid).toBe(true);
    expect(r.faults?.[0]?.kind).toBe('figure8');
  });
});

/** A world whose leader and terms the test sets by hand; the event queue is a sorted list. */
function fakeWorld(): { world: Figure8World; run(untilUs: number): void; set(node: string, isLeader: boolean, term: number): void } {
  let now = 0;
  const queue: { t: number; fn: () => void }[] = [];
  const status = new Map<string, { isLeader: boolean; term: number }>();
  const members = ['n1', 'n2', 'n3', 'n4', 'n5'];
  for (const m of members) status.set(m, { isLeader: m === 'n1', term: 1 });
  const world: Figure8World = {
    nowUs: () => now,
    at: (t, fn) => {
      queue.push({ t, fn });
      queue.sort((a, b) => a.t - b.t);
    },
    members: () => members,
    leader: () => {
      let best: string | undefined;
      for (const [id, s] of status) if (s.isLeader && (best === undefined || s.term > (status.get(best)?.term ?? 0))) best = id;
      return best;
    },
    raftStatus: (n) => status.get(n),
  };
  return {
    world,
    run(untilUs) {
      while (queue.length > 0 && (queue[0]?.t ?? Infinity) <= untilUs) {
        const e = queue.shift();
        if (e === undefined) break;
        now = e.t;
        e.fn();
      }
      now = untilUs;
    },
    set: (node, isLeader, term) => void status.set(node, { isLeader, term }),
  };
}

const sides = (cuts: readonly Cut[], node: string): string[] => [...new Set(cuts.filter(([a]) => a === node).map(([, b]) => b))].sort();

describe('Figure8Sequence', () => {
  it('cuts {L1, F} off, isolates the next leader alone, then crashes L1 and F after the delay and heals', () => {
    const f = fakeWorld();
    let cuts: readonly Cut[] = [];
    const crashed: string[] = [];
    const targets: string[] = [];
    const seq = new Figure8Sequence(f.world, new Prng(7), { setCuts: (c) => void (cuts = c), crash: (n) => void crashed.push(n), targeted: (n) => void targets.push(n) }, 5000);
    expect(seq.start()).toBe(true);
    const [l1, fo] = targets as [string, string];
    expect(l1).toBe('n1');
    const rest = ['n1', 'n2', 'n3', 'n4', 'n5'].filter((m) => m !== l1 && m !== fo);
    expect(sides(cuts, l1)).toEqual(rest);
    // The majority side elects L2 in term 2: isolated alone at the next poll.
    const l2 = rest[0] as string;
    f.set(l1, false, 1);
    f.set(l2, true, 2);
    f.run(FIGURE8_POLL_US * 2);
    expect(targets[2]).toBe(l2);
    expect(sides(cuts, l2)).toEqual(['n1', 'n2', 'n3', 'n4', 'n5'].filter((m) => m !== l2));
    expect(sides(cuts, l1)).toEqual([l2]);
    // F wins term 3: crashed with L1 5 ms later, and the cuts go.
    f.set(l2, false, 2);
    f.set(fo, true, 3);
    f.run(FIGURE8_POLL_US * 4);
    expect(crashed).toEqual([]);
    f.run(FIGURE8_POLL_US * 4 + 5000);
    expect(crashed.sort()).toEqual([l1, fo].sort());
    expect(cuts).toEqual([]);
  });

  it('with l2RunUs lets L2 lead the majority side that long before isolating it', () => {
    const f = fakeWorld();
    let cuts: readonly Cut[] = [];
    const targets: string[] = [];
    const seq = new Figure8Sequence(f.world, new Prng(7), { setCuts: (c) => void (cuts = c), crash: () => undefined, targeted: (n) => void targets.push(n) }, 5000, 30_000);
    expect(seq.start()).toBe(true);
    const [l1, fo] = targets as [string, string];
    const rest = ['n1', 'n2', 'n3', 'n4', 'n5'].filter((m) => m !== l1 && m !== fo);
    const l2 = rest[0] as string;
    f.set(l1, false, 1);
    f.set(l2, true, 2);
    f.run(FIGURE8_POLL_US * 2);
    expect(targets[2]).toBe(l2);
    // Still the first split: L2 leads {L2, rest} for 30 ms.
    expect(sides(cuts, l1)).toEqual(rest);
    expect(sides(cuts, l2)).toEqual([l1, fo].sort());
    f.run(30_000 + FIGURE8_POLL_US * 2);
    expect(sides(cuts, l2)).toEqual(['n1', 'n2', 'n3', 'n4', 'n5'].filter((m) => m !== l2));
    expect(sides(cuts, l1)).toEqual([l2]);
  });

  it('refuses a cluster of fewer than five members', () => {
    const f = fakeWorld();
    const small: Figure8World = { ...f.world, members: () => ['n1', 'n2', 'n3'] };
    expect(new Figure8Sequence(small, new Prng(1), { setCuts: () => undefined, crash: () => undefined, targeted: () => undefined }, 1000).start()).toBe(false);
  });
});
